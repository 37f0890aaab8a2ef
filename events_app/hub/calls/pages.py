"""The public pages of a call: the call and its form, the answer after sending (the same for everyone: check your
inbox), the confirm link, and the submitter's own page behind the edit link (read-only once the call closes)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from events_app.core.errors import DomainError
from events_app.core.validation import FieldError, InvalidFields, check, errors_of
from events_app.hub.calls import forms, schemas, services, submissions
from events_app.registration import questions as registration_questions

PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}  # the link in the URL is the key


class CallPages(Controller):
    path = "/calls"
    include_in_schema = False

    async def _form(
        self,
        call: schemas.Call,
        values: Mapping[str, Any],
        errors: list[FieldError],
        *,
        template: str = "calls/call.html",
        extra: Mapping[str, Any] | None = None,
        status_code: int = 200,
    ) -> Template:
        return Template(
            template,
            context={
                "call": call,
                "questions": await services.list_questions(call.id),
                "values": values,
                "session_kinds": forms.SESSION_KINDS,
                "speaker_rows": range(forms.SPEAKER_ROWS),
                "why_not_open": None if call.takes_submissions else submissions.why_not_open(call),
                "errors": errors,
                "field_errors": {e.field: e.message for e in reversed(errors)},
                **(extra or {}),
            },
            status_code=status_code,
            headers=PRIVATE if template != "calls/call.html" else None,
        )

    async def _values(self, request: Request[Any, Any, Any], call: schemas.Call) -> dict[str, Any]:
        return forms.submission_values(await request.form(), await services.list_questions(call.id))

    async def _checked(self, call: schemas.Call, values: dict[str, Any]) -> schemas.SubmissionIn:
        """The posted submission, or every wrong field at once: the questions' answers with the others."""
        try:
            return check(values, schemas.SubmissionIn, forms.FIELD_LABELS)
        except InvalidFields as exc:
            errors = exc.errors
            if not any(e.field.startswith("answers.") for e in errors):
                question_list = await services.list_questions(call.id)
                errors = errors + registration_questions.answer_errors(question_list, values["answers"])
            raise InvalidFields(forms.in_form_order(errors)) from None

    @get("/", name="open-calls")
    async def index(self) -> Template:
        """Every call taking submissions now, for anyone to find."""
        return Template("calls/index.html", context={"calls": await services.open_calls()})

    @get("/{slug:str}", name="call")
    async def show(self, slug: FromPath[str]) -> Template:
        return await self._form(await services.get_call(slug, public=True), {}, [])

    @post("/{slug:str}", status_code=303)
    async def submit(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Response[Any]:
        call = await services.get_call(slug, public=True)
        values = await self._values(request, call)
        try:
            await submissions.submit(call, await self._checked(call, values))
        except DomainError as exc:
            return await self._form(call, forms.shown(values), errors_of(exc), status_code=400)
        return Redirect(f"/calls/{call.slug}/sent", status_code=303)

    @get("/{slug:str}/sent")
    async def sent(self, slug: FromPath[str]) -> Template:
        """The answer to the form, the same for everyone: check your inbox."""
        call = await services.get_call(slug, public=True)
        return Template("calls/sent.html", context={"call": call}, headers=PRIVATE)

    @get("/{slug:str}/confirm/{token:str}")
    async def confirm(self, slug: FromPath[str], token: FromPath[str]) -> Template:
        call = await services.get_call(slug, public=True)
        submission, edit_path = await submissions.confirm(call, token)
        return Template(
            "calls/confirmed.html",
            context={"call": call, "submission": submission, "edit_path": edit_path},
            headers=PRIVATE,
        )

    async def _own(self, call: schemas.Call, submission: schemas.Submission, token: str, **kwargs: Any) -> Template:
        values = kwargs.pop("values", None) or forms.of_submission(submission)
        extra = {
            "submission": submission,
            "can_change": submissions.can_change(call, submission),
            "status_label": schemas.SUBMISSION_LABELS[submission.status],
            "action": f"/calls/{call.slug}/submissions/{token}",
            "notice": kwargs.pop("notice", None),
        }
        errors = kwargs.pop("errors", [])
        return await self._form(call, values, errors, template="calls/own.html", extra=extra, **kwargs)

    @get("/{slug:str}/submissions/{token:str}")
    async def own(self, slug: FromPath[str], token: FromPath[str]) -> Template:
        call = await services.get_call(slug, public=True)
        return await self._own(call, await submissions.by_edit_link(call, token), token)

    @post("/{slug:str}/submissions/{token:str}")
    async def change(self, request: Request[Any, Any, Any], slug: FromPath[str], token: FromPath[str]) -> Template:
        call = await services.get_call(slug, public=True)
        current = await submissions.by_edit_link(call, token)
        values = await self._values(request, call)
        try:
            saved = await submissions.change(call, token, await self._checked(call, values))
        except DomainError as exc:
            shown = forms.shown({**values, "email": current.email})
            code = exc.status_code if exc.status_code < 500 else 400
            return await self._own(call, current, token, values=shown, errors=errors_of(exc), status_code=code)
        return await self._own(call, saved, token, notice="Your changes are saved.")

"""The organisers' pages of calls: the list, a new call and its changes, the submissions with their reviews, and
the decision on each (organisers and admins; a scoped account sees the calls of its events)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery
from litestar.response import Template

from events_app.accounts.guards import current_organiser, requires_organiser
from events_app.accounts.schemas import CurrentOrganiser
from events_app.core.errors import DomainError
from events_app.core.params import PathId
from events_app.core.validation import FieldError, InvalidFields, check, errors_of
from events_app.hub.calls import forms, reviews, schemas, services, submissions
from events_app.hub.calls.dependencies import CALL, PathCall
from events_app.organiser.forms import form_values, local_input, with_notice

CALL_FIELDS = ("title", "kind", "event_id", "status", "opens_at", "closes_at", "description", "slug")
DECISION_WORDS = {"accept": "Accepted", "decline": "Declined", "wait": "Kept waiting"}


def _signed_in(request: Request[Any, Any, Any]) -> CurrentOrganiser:
    organiser = current_organiser(request)
    assert organiser is not None  # the guard let only organisers in
    return organiser


def _call_data(form: Mapping[str, str]) -> schemas.CallIn:
    """The posted call form as CallIn; a time box takes what a datetime-local input sends."""
    values: dict[str, Any] = {name: form.get(name, "") for name in ("title", "kind", "status", "description")}
    errors: list[FieldError] = []
    for name in ("opens_at", "closes_at"):
        text = form.get(name, "")
        if not text:
            values[name] = None
            continue
        try:
            values[name] = datetime.fromisoformat(text.replace(" ", "T"))
        except ValueError:
            errors.append(
                FieldError(name, f"{forms.FIELD_LABELS[name]}: please give a date and time, like 2031-03-01 09:00")
            )
    values["event_id"] = form.get("event_id") or None
    values["slug"] = form.get("slug") or None
    try:
        data = check(values, schemas.CallIn, forms.FIELD_LABELS, strict=False)
    except DomainError as exc:
        raise InvalidFields(errors + [e for e in errors_of(exc) if e.field not in {x.field for x in errors}]) from None
    if errors:
        raise InvalidFields(errors)
    return data


def _shown(call: schemas.Call) -> dict[str, str]:
    return {
        "title": call.title,
        "kind": call.kind,
        "event_id": str(call.event_id or ""),
        "status": call.status,
        "opens_at": local_input(call.opens_at, call.timezone),
        "closes_at": local_input(call.closes_at, call.timezone),
        "description": call.description,
        "slug": call.slug,
    }


async def _call_form(
    values: Mapping[str, str], errors: list[FieldError], call: schemas.Call | None = None, notice: str | None = None
) -> Template:
    return Template(
        "calls/organiser_call.html",
        context={
            "call": call,
            "values": values,
            "events": [(str(i), title) for i, title in await services.event_choices()],
            "kinds": list(schemas.KIND_LABELS.items()),
            "statuses": list(schemas.STATUS_LABELS.items()),
            "errors": errors,
            "field_errors": {e.field: e.message for e in reversed(errors)},
            "notice": notice,
        },
        status_code=400 if errors else 200,
    )


class OrganiserCallPages(Controller):
    path = "/organiser/calls"
    include_in_schema = False
    guards = [requires_organiser]

    @get("/", name="organiser-calls")
    async def list_calls(self, notice: FromQuery[str | None] = None) -> Template:
        return Template(
            "calls/organiser_list.html",
            context={
                "calls": await services.list_calls(),
                "counts": await services.submission_counts(),
                "kind_labels": schemas.KIND_LABELS,
                "status_labels": schemas.STATUS_LABELS,
                "notice": notice,
            },
        )

    @get("/new")
    async def new(self) -> Template:
        return await _call_form({"kind": "sessions", "status": "draft"}, [])

    @post("/", status_code=303)
    async def create(self, request: Request[Any, Any, Any]) -> Response[Any]:
        form = await form_values(request)
        try:
            made = await services.create_call(_call_data(form))
        except DomainError as exc:
            return await _call_form(form, errors_of(exc))
        return with_notice(
            f"/organiser/calls/{made.slug}/edit", f"'{made.title}' made. Add its own questions if it needs them."
        )


class OrganiserCallOfPages(Controller):
    path = "/organiser/calls/{slug:str}"
    include_in_schema = False
    guards = [requires_organiser]
    dependencies = CALL

    @get("/edit", name="organiser-call")
    async def edit(self, call: PathCall, notice: FromQuery[str | None] = None) -> Template:
        return await _call_form(_shown(call), [], call, notice)

    @post("/edit", status_code=303)
    async def save(self, request: Request[Any, Any, Any], call: PathCall) -> Response[Any]:
        form = await form_values(request)
        try:
            saved = await services.update_call(call.slug, _call_data(form))
        except DomainError as exc:
            return await _call_form(form, errors_of(exc), call)
        return with_notice(f"/organiser/calls/{saved.slug}/edit", f"'{saved.title}' saved")

    @get("/submissions", name="organiser-call-submissions")
    async def submissions_list(self, request: Request[Any, Any, Any], call: PathCall) -> Template:
        listed = await reviews.listed(call, _signed_in(request).user_id)
        return Template(
            "calls/organiser_submissions.html",
            context={"call": call, "submissions": listed, "status_labels": schemas.SUBMISSION_LABELS},
        )

    async def _submission_page(
        self,
        request: Request[Any, Any, Any],
        call: schemas.Call,
        submission_id: int,
        *,
        values: Mapping[str, str] | None = None,
        errors: list[FieldError] | None = None,
        notice: str | None = None,
        status_code: int | None = None,
    ) -> Template:
        submission = await submissions.get_submission(call, submission_id)
        errors = errors or []
        seen = await reviews.reviews_for(submission_id, _signed_in(request).user_id)
        return Template(
            "calls/organiser_submission.html",
            context={
                "call": call,
                "submission": submission,
                "questions": await services.list_questions(call.id, include_retired=True),
                "reviews": seen,
                "values": values
                or ({"score": str(seen.mine.score), "comment": seen.mine.comment} if seen.mine else {}),
                "status_labels": schemas.SUBMISSION_LABELS,
                "decidable": submission.status in reviews.DECIDABLE,
                "notice": notice,
                "errors": errors,
                "field_errors": {e.field: e.message for e in reversed(errors)},
            },
            status_code=status_code or (400 if errors else 200),
        )

    @get("/submissions/{submission_id:int}", name="organiser-call-submission")
    async def submission(
        self,
        request: Request[Any, Any, Any],
        call: PathCall,
        submission_id: PathId,
        notice: FromQuery[str | None] = None,
    ) -> Template:
        return await self._submission_page(request, call, submission_id, notice=notice)

    @post("/submissions/{submission_id:int}/review", status_code=303)
    async def review(self, request: Request[Any, Any, Any], call: PathCall, submission_id: PathId) -> Response[Any]:
        submission = await submissions.get_submission(call, submission_id)
        form = await form_values(request)
        try:
            data = check(
                {"score": form.get("score") or None, "comment": form.get("comment", "")},
                schemas.ReviewIn,
                forms.FIELD_LABELS,
                strict=False,
            )
            await reviews.review(submission, data, by=_signed_in(request))
        except DomainError as exc:
            return await self._submission_page(request, call, submission_id, values=form, errors=errors_of(exc))
        return with_notice(f"/organiser/calls/{call.slug}/submissions/{submission_id}", "Your review is saved")

    @post("/submissions/{submission_id:int}/decision", status_code=303)
    async def decision(self, request: Request[Any, Any, Any], call: PathCall, submission_id: PathId) -> Response[Any]:
        await submissions.get_submission(call, submission_id)
        form = await form_values(request)
        try:
            data = check({"decision": form.get("decision", "")}, schemas.DecisionIn, {"decision": "Decision"})
            decided = await reviews.decide(call, submission_id, data.decision, by=_signed_in(request))
        except DomainError as exc:
            errors = [FieldError("decision", e.message) for e in errors_of(exc)]
            return await self._submission_page(request, call, submission_id, errors=errors, status_code=exc.status_code)
        made = ""
        if decided.session_id is not None:
            made = " It is a draft session in the event's timetable, to be scheduled."
        elif decided.resource_id is not None:
            made = " It is a draft resource in the hub."
        notice = f"{DECISION_WORDS[data.decision]}: '{decided.title}'. {decided.name} is told by email.{made}"
        return with_notice(f"/organiser/calls/{call.slug}/submissions/{submission_id}", notice)

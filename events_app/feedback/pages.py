"""The feedback form page: mobile-first, accessible, no JavaScript; one response per delegate, editable
until the form closes; a plain thank-you; a closed or unknown form says so."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from events_app.accounts.guards import current_organiser, requires_organiser
from events_app.core.errors import DomainError
from events_app.core.params import PathId
from events_app.core.validation import check
from events_app.feedback import charts, cookies, forms, marks, moderation, requests, responses, results, schemas
from events_app.feedback.errors import AnsweredAlready, AnsweredFromThisBrowser, FormClosed, OpenLinkClosed
from events_app.feedback.pages_requests import open_link
from events_app.feedback.rows import FormRow
from events_app.people.services import list_groups
from events_app.programme.dependencies import EVENT, PathEvent
from events_app.programme.events import event_detail, event_row, get_event
from events_app.programme.rows import EventRow

PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
LABELS = {"answers": "Your answers", "stakeholder_group": "Who you are here for"}
FORM_LABELS = {"template": "Template", "opens_at": "Opens", "closes_at": "Closes"}


def _answers(form: FormMultiDict, questions: list[schemas.Question]) -> dict[str, schemas.AnswerOut]:
    """Form fields to answers: ratings as numbers, yes/no as true/false, several choices as a list."""
    answers: dict[str, schemas.AnswerOut] = {}
    for q in questions:
        name = f"q{q.id}"
        if q.kind == "multiple":
            answers[str(q.id)] = [str(v)[:200] for v in form.getall(name, [])][:20]
            continue
        raw = str(form.get(name, "") or "")[:6000]
        if q.kind == "rating":
            answers[str(q.id)] = int(raw) if raw.isascii() and raw.isdigit() else (raw or None)
        elif q.kind == "yes_no":
            answers[str(q.id)] = {"yes": True, "no": False}.get(raw, raw or None)
        else:
            answers[str(q.id)] = raw
    return answers


class FeedbackPages(Controller):
    include_in_schema = False

    async def _page(
        self,
        form: FormRow,
        event: EventRow,
        *,
        action: str,
        values: dict[str, schemas.AnswerOut],
        error: DomainError | None = None,
        open_link: bool = False,
        group: str | None = None,
        closed: str | None = None,
        status_code: int | None = None,
    ) -> Template:
        if closed is None and not forms.is_open(form):
            closed = responses._closed_message(form, event.timezone)
        return Template(
            "feedback/form.html",
            context={
                "form": form,
                "event": event,
                "questions": await forms.questions_of(form.id),
                "values": values,
                "action": action,
                "closed": closed,
                "closes": responses.closes_label(form, event.timezone),
                "error": error,
                "open_link": open_link,
                "groups": await list_groups() if open_link else [],
                "group": group,
            },
            status_code=status_code or (400 if error else 200),
            headers=PRIVATE,
        )

    @get("/feedback/{token:str}", name="feedback")
    async def form(self, request: Request[Any, Any, Any], token: FromPath[str]) -> Template:
        form, event, _ = await responses.from_link(token)
        values = await responses.existing_answers(token, cookies.edit_key(request, form.id))
        return await self._page(form, event, action=f"/feedback/{token}", values=values)

    @post("/feedback/{token:str}", status_code=200)
    async def submit(self, request: Request[Any, Any, Any], token: FromPath[str]) -> Response[Any]:
        form, event, _ = await responses.from_link(token)
        values = _answers(await request.form(), await forms.questions_of(form.id))
        try:
            saved = await responses.submit_linked(
                token, check({"answers": values}, schemas.ResponseIn, LABELS), cookies.edit_key(request, form.id)
            )
        except (AnsweredAlready, FormClosed) as refused:
            return await self._page(
                form,
                event,
                action=f"/feedback/{token}",
                values={},
                closed=refused.detail,
                status_code=refused.status_code,
            )
        except DomainError as exc:
            return await self._page(form, event, action=f"/feedback/{token}", values=values, error=exc)
        return Template(
            "feedback/thanks.html",
            context={
                "event": event,
                "message": saved.message,
                "closes": responses.closes_label(form, event.timezone),
                "edit": f"/feedback/{token}",
                "anonymous": form.anonymous,
            },
            headers=PRIVATE,
            cookies=cookies.after_linked(request, saved),
        )

    @get("/feedback/open/{open_token:str}", name="feedback-open")
    async def open_form(self, request: Request[Any, Any, Any], open_token: FromPath[str]) -> Template:
        form, event = await responses.from_open_link(open_token)
        closed = None
        if responses.open_link_closed(form):
            closed = OpenLinkClosed.message
        elif marks.answered_here(form.id, cookies.browser_mark(request, form.id)):
            closed = AnsweredFromThisBrowser.message
        return await self._page(
            form, event, action=f"/feedback/open/{open_token}", values={}, open_link=True, closed=closed
        )

    @post("/feedback/open/{open_token:str}", status_code=200)
    async def submit_open(self, request: Request[Any, Any, Any], open_token: FromPath[str]) -> Response[Any]:
        form, event = await responses.from_open_link(open_token)
        data = await request.form()
        values = _answers(data, await forms.questions_of(form.id))
        group = str(data.get("stakeholder_group", "") or "")[:80] or None
        try:
            saved = await responses.submit_open(
                open_token,
                check({"answers": values, "stakeholder_group": group}, schemas.ResponseIn, LABELS),
                cookies.browser_mark(request, form.id),
            )
        except (OpenLinkClosed, AnsweredFromThisBrowser, FormClosed) as refused:
            return await self._page(
                form,
                event,
                action=f"/feedback/open/{open_token}",
                values={},
                open_link=True,
                closed=refused.detail,
                status_code=refused.status_code,
            )
        except DomainError as error:
            return await self._page(
                form,
                event,
                action=f"/feedback/open/{open_token}",
                values=values,
                error=error,
                open_link=True,
                group=group,
            )
        return Template(
            "feedback/thanks.html",
            context={"event": event, "message": saved.message, "closes": "", "edit": None},
            headers=PRIVATE,
            cookies=cookies.after_open(request, saved),
        )


class FeedbackResultPages(Controller):
    path = "/organiser"
    include_in_schema = False
    guards = [requires_organiser]
    dependencies = EVENT  # for the pages about one event

    @get("/events/{slug:str}/feedback", name="feedback-results")
    async def event_results(
        self,
        event: PathEvent,
        notice: FromQuery[str | None] = None,
        without_open_link: FromQuery[bool] = False,
    ) -> Template:
        detail = await event_detail(event)
        if not await forms.has_form(event.id):
            sent = await requests.feedback_requests(event, None)
            return Template("feedback/create.html", context={"event": detail, "error": None, "requests": sent})
        form = await forms.form_of(event)
        data = await results.event_results(event, include_open_link=not without_open_link)
        return Template(
            "feedback/results.html",
            context={
                "r": data,
                "collaboration": await results.collaboration(event),
                "bars": charts.bars,
                "means": lambda q: [(g.name, g.mean) for g in q.by_group],
                "event": detail,
                "notice": notice,
                "requests": await requests.feedback_requests(event, form),
                "open_link": open_link(form.open_token),
                "open_link_open": form.open_link_closed_at is None,
                "texts": await moderation.text_answers(form, include_open_link=not without_open_link),
                "without_open_link": without_open_link,
            },
        )

    @post("/events/{slug:str}/feedback/open-link", status_code=303)
    async def open_link_state(self, request: Request[Any, Any, Any], event: PathEvent) -> Redirect:
        """Close the open link (it then takes no more answers and says so), or open it again."""
        wanted = (await request.form()).get("open") == "yes"
        await forms.update_form(event.slug, schemas.FormUpdate(open_link_open=wanted))
        notice = (
            "The open link takes answers again." if wanted else "The open link is closed: it takes no more answers."
        )
        return Redirect(f"/organiser/events/{event.slug}/feedback?{urlencode({'notice': notice})}", status_code=303)

    @post("/events/{slug:str}/feedback/answers/{answer_id:int}/delete", status_code=303)
    async def remove_answer(self, request: Request[Any, Any, Any], event: PathEvent, answer_id: PathId) -> Redirect:
        """Delete a written answer; the box must be ticked, as deleting cannot be undone."""
        if (await request.form()).get("confirm") != "yes":
            notice = "Nothing deleted: tick the box beside the answer to confirm you want it deleted."
        else:
            organiser = current_organiser(request)
            removed = await moderation.remove_text_answer(event, answer_id, organiser.user_id if organiser else None)
            notice = removed.message
        return Redirect(f"/organiser/events/{event.slug}/feedback?{urlencode({'notice': notice})}", status_code=303)

    @post("/events/{slug:str}/feedback", status_code=303)
    async def create(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Response[Any]:
        form = await request.form()
        values = {
            "template": str(form.get("template", "") or "") or None,
            "anonymous": form.get("anonymous") == "yes",
            "opens_at": str(form.get("opens_at", "") or "") or None,
            "closes_at": str(form.get("closes_at", "") or "") or None,
        }
        try:
            await forms.create_form(slug, check(values, schemas.FormCreate, FORM_LABELS))
        except DomainError as exc:
            event = await get_event(slug, include_drafts=True)
            sent = await requests.feedback_requests(await event_row(slug, include_drafts=True), None)
            return Template(
                "feedback/create.html",
                context={"event": event, "error": exc.detail, "requests": sent},
                status_code=400,
            )
        return Redirect(f"/organiser/events/{slug}/feedback", status_code=303)

    @get("/series/{slug:str}/feedback", name="series-feedback-results")
    async def series_results(self, slug: FromPath[str]) -> Template:
        data = await results.series_results(slug)
        return Template(
            "feedback/series_results.html",
            context={
                "r": data,
                "collaboration": await results.series_collaboration(slug),
                "bars": charts.bars,
                "trend": lambda label: [
                    (e.event.title, e.means.get(label, e.percent_yes.get(label))) for e in data.events
                ],
            },
        )

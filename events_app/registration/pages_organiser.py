"""Organisers' registration pages: who is coming (with approval), a message to registrants, and one
registration with its history and the changes an organiser can make."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from events_app.accounts.guards import current_organiser, requires_organiser
from events_app.core.errors import DomainError
from events_app.core.params import PathId, form_id
from events_app.core.timezones import in_zone
from events_app.core.validation import check
from events_app.people.feeds import turn_over
from events_app.people.services import list_groups
from events_app.programme.dependencies import EVENT, PathEvent
from events_app.programme.events import event_detail, event_row
from events_app.programme.rows import EventRow
from events_app.registration import (
    messages,
    organiser_changes,
    ownership,
    reports,
    views,
)
from events_app.registration.api import organiser_actor
from events_app.registration.attendance import MODE_WORDS
from events_app.registration.errors import UnknownAction, WaitlistNumberNeeded
from events_app.registration.pages_delegate import STATUS_LABELS

MESSAGE_LABELS = {"subject": "Subject", "body": "Message", "statuses": "Send to", "stakeholder_group": "Send to"}


class OrganiserRegistrationPages(Controller):
    path = "/organiser"
    include_in_schema = False
    guards = [requires_organiser]
    dependencies = EVENT

    @get("/events/{slug:str}/registrations", name="organiser-registrations")
    async def registrations(
        self,
        event: PathEvent,
        status: FromQuery[str | None] = None,
        group: FromQuery[str | None] = None,
        q: FromQuery[str | None] = None,
        notice: FromQuery[str | None] = None,
        attends: FromQuery[str | None] = None,
    ) -> Template:
        detail = await event_detail(event)
        status = status if status in STATUS_LABELS else None
        attends = attends if attends in MODE_WORDS else None
        filters = reports.RegistrationFilters(
            status=status, stakeholder_group=group or None, q=(q or "")[:200] or None, attendance_mode=attends
        )
        page = await reports.list_registrations(event, filters, limit=500, offset=0)
        return Template(
            "registration/organiser_list.html",
            context={
                "event": detail,
                "page": page,
                "counts": await reports.counts(event),
                "groups": await list_groups(),
                "held": {i: in_zone(t, event.timezone) for i, t in (await ownership.holds(event.id)).items()},
                "filters": filters,
                "labels": STATUS_LABELS,
                "notice": notice,
                "modes": MODE_WORDS if event.attendance_mode == "hybrid" else {},
                "csv_query": urlencode(
                    {k: v for k, v in (("status", status), ("group", group), ("attendance_mode", attends)) if v}
                ),
            },
        )

    @post("/events/{slug:str}/registrations/decide", status_code=303)
    async def decide(self, request: Request[Any, Any, Any], event: PathEvent) -> Redirect:
        form = await request.form()
        ids = [n for v in form.getall("ids", []) if (n := form_id(v))][:500]
        action = form.get("action")
        if ids and action in ("approve", "decline"):
            result = await (organiser_changes.approve if action == "approve" else organiser_changes.decline)(
                ids, organiser_actor(request)
            )
            notice = f"{len(result.changed)} {action}d" + (
                f", {len(result.skipped)} left as they were" if result.skipped else ""
            )
        else:
            notice = "Tick at least one pending registration first"
        query = urlencode({"notice": notice})
        return Redirect(f"/organiser/events/{event.slug}/registrations?{query}", status_code=303)

    @get("/events/{slug:str}/message", name="organiser-message")
    async def message_form(self, event: PathEvent) -> Template:
        return await self._message_page(event, {"statuses": ["confirmed"]}, None, None)

    async def _message_page(
        self, event: EventRow, values: Mapping[str, object], preview: messages.MessagePreview | None, error: str | None
    ) -> Template:
        return Template(
            "registration/organiser_message.html",
            context={
                "event": await event_detail(event),
                "groups": await list_groups(),
                "labels": {k: STATUS_LABELS[k] for k in ("confirmed", "waitlisted", "pending")},
                "values": values,
                "preview": preview,
                "error": error,
            },
            status_code=400 if error else 200,
        )

    @post("/events/{slug:str}/message", status_code=200)
    async def message(self, request: Request[Any, Any, Any], event: PathEvent) -> Response[Any]:
        form = await request.form()
        # Untyped on purpose: raw form values of mixed kinds before validation
        values: dict[str, Any] = {
            "subject": str(form.get("subject", "") or "")[:1000],
            "body": str(form.get("body", "") or "")[:30_000],
            "statuses": [str(v) for v in form.getall("statuses", [])][:3],
            "stakeholder_group": str(form.get("stakeholder_group", "") or "") or None,
        }
        organiser = current_organiser(request)
        sender = (organiser.name if organiser else "") or "The organisers"
        try:
            message = check(values, messages.OrganiserMessage, MESSAGE_LABELS)
            if form.get("action") == "send":
                assert organiser is not None
                sent = await messages.send(event, message, sender, organiser.user_id)
                notice = f"Message queued for {sent.queued} people" + (
                    f" ({sent.already_sent} had it already)" if sent.already_sent else ""
                )
                return Redirect(
                    f"/organiser/events/{event.slug}/registrations?{urlencode({'notice': notice})}", status_code=303
                )
            preview = await messages.preview(event, message, sender)
        except DomainError as exc:
            return await self._message_page(event, values, None, exc.detail)
        return await self._message_page(event, values, preview, None)

    @get("/registrations/{registration_id:int}", name="organiser-registration")
    async def registration(self, registration_id: PathId) -> Template:
        item = await views.registration(registration_id)
        event = await event_row(item.event.slug, include_drafts=True)
        return Template(
            "registration/organiser_registration.html",
            context={
                "r": item,
                "history": await views.history(registration_id),
                "labels": STATUS_LABELS,
                "tz": event.timezone,
                "in_zone": in_zone,
            },
        )

    @post("/registrations/{registration_id:int}/{action:str}", status_code=303)
    async def act(self, request: Request[Any, Any, Any], registration_id: PathId, action: FromPath[str]) -> Redirect:
        form = await request.form()
        actor = organiser_actor(request)
        if action == "cancel":
            await organiser_changes.cancel(registration_id, actor, str(form.get("reason", "") or "")[:500])
        elif action == "promote":
            await organiser_changes.promote_by_hand(registration_id, actor)
        elif action in ("approve", "decline"):
            result = await (organiser_changes.approve if action == "approve" else organiser_changes.decline)(
                [registration_id], actor
            )
            if result.skipped:
                raise DomainError(next(iter(result.skipped.values())))
        elif action == "calendar":
            registration = await views.registration(registration_id)
            await turn_over(registration.delegate_id)
        elif action == "move":
            position = form_id(form.get("position"))
            if position is None:
                raise WaitlistNumberNeeded()
            await organiser_changes.move_in_waitlist(registration_id, position, actor)
        else:
            raise UnknownAction(action=action)
        return Redirect(f"/organiser/registrations/{registration_id}", status_code=303)

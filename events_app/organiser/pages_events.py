"""Series and events: new, edit, publish, cancel (with who will be told before a change is saved)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, TypeVar

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Template

from events_app.accounts.guards import requires_organiser
from events_app.core.errors import DomainError
from events_app.core.timezones import DEFAULT_ZONE
from events_app.core.validation import FieldError, InvalidFields, check, errors_of
from events_app.organiser import event_changes
from events_app.organiser.event_changes import Telling
from events_app.organiser.event_form import (
    STATUS_LABELS,
    event_errors,
    read_event_form,
    values_of_event,
    values_of_form,
    zone_choices,
)
from events_app.organiser.forms import form_values, with_notice
from events_app.people.services import list_regions
from events_app.programme import events, schemas, series, venues
from events_app.programme.dependencies import EVENT, PathEvent
from events_app.programme.rows import EventRow

SERIES_LABELS = {"title": "Title", "region_id": "Region", "description": "Description"}
S = TypeVar("S", schemas.SeriesCreate, schemas.SeriesUpdate)


def _field_errors(errors: list[FieldError]) -> dict[str, str]:
    """The first message of each wrong field, shown next to it."""
    return {e.field: e.message for e in reversed(errors)}


async def _read_series(form: Mapping[str, str], schema: type[S]) -> S:
    """The series form as `schema`, or every wrong field at once (an unknown region among them)."""
    values: dict[str, object] = {
        "title": form.get("title", ""),
        "description": form.get("description", ""),
        "region_id": form.get("region_id") or None,
    }
    errors: list[FieldError] = []
    region = form.get("region_id")
    if region and region not in {str(r.id) for r in await list_regions()}:
        errors.append(FieldError("region_id", "Region: please choose one from the list"))
    try:
        data = check(values, schema, SERIES_LABELS, strict=False)
    except InvalidFields as exc:
        errors += [e for e in exc.errors if e.field != "region_id"]
    if errors:
        raise InvalidFields(
            sorted(errors, key=lambda e: list(SERIES_LABELS).index(e.field) if e.field in SERIES_LABELS else 9)
        )
    return data


def _edit_path(slug: str) -> str:
    return f"/organiser/events/{slug}/edit"


def _saved_notice(what: str, told: Telling | None) -> str:
    if told is None or told.told == 0:
        return f"{what}."
    return f"{what}; {told.told} {'person is' if told.told == 1 else 'people are'} told by email."


class OrganiserEventPages(Controller):
    path = "/organiser"
    include_in_schema = False
    guards = [requires_organiser]
    dependencies = EVENT

    # Series --------------------------------------------------------------------------------------------------

    async def _series_list(
        self, values: Mapping[str, object], errors: list[FieldError], notice: str | None = None
    ) -> Template:
        return Template(
            "organiser/series_list.html",
            context={
                "series": await series.list_series(),
                "regions": await list_regions(),
                "values": values,
                "errors": errors,
                "field_errors": _field_errors(errors),
                "notice": notice,
            },
            status_code=400 if errors else 200,
        )

    @get("/series", name="organiser-series")
    async def series_list(self, notice: FromQuery[str | None] = None) -> Template:
        return await self._series_list({}, [], notice)

    @post("/series", status_code=303)
    async def series_create(self, request: Request[Any, Any, Any]) -> Response[Any]:
        form = await form_values(request)
        try:
            made = await series.create_series(await _read_series(form, schemas.SeriesCreate))
        except DomainError as exc:
            return await self._series_list(form, errors_of(exc))
        return with_notice(f"/organiser/series/{made.slug}/edit", f"Series '{made.title}' created.")

    async def _series_edit(
        self, slug: str, values: Mapping[str, object] | None, errors: list[FieldError], notice: str | None = None
    ) -> Template:
        current = await series.get_series(slug)
        listed = await events.list_events(events.EventFilters(series=slug), include_drafts=True, limit=100)
        shown = (
            values
            if values is not None
            else {
                "title": current.title,
                "description": current.description,
                "region_id": str(current.region.id) if current.region else "",
            }
        )
        return Template(
            "organiser/series_edit.html",
            context={
                "series": current,
                "events": listed.items,
                "regions": await list_regions(),
                "values": shown,
                "errors": errors,
                "field_errors": _field_errors(errors),
                "notice": notice,
                "status_labels": STATUS_LABELS,
            },
            status_code=400 if errors else 200,
        )

    @get("/series/{slug:str}/edit", name="organiser-series-edit")
    async def series_edit(self, slug: FromPath[str], notice: FromQuery[str | None] = None) -> Template:
        return await self._series_edit(slug, None, [], notice)

    @post("/series/{slug:str}/edit", status_code=303)
    async def series_update(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Response[Any]:
        form = await form_values(request)
        await series.get_series(slug)  # a series that is not there is a 404, not a form to correct
        try:
            data = await _read_series(form, schemas.SeriesUpdate)
            changed = await series.update_series(slug, data)
        except DomainError as exc:
            return await self._series_edit(slug, form, errors_of(exc))
        return with_notice(f"/organiser/series/{changed.slug}/edit", "Saved.")

    # Events --------------------------------------------------------------------------------------------------

    async def _event_page(
        self,
        template: str,
        event: schemas.Event | None,
        values: Mapping[str, object],
        errors: list[FieldError],
        *,
        notice: str | None = None,
        told: Telling | None = None,
    ) -> Template:
        return Template(
            f"organiser/{template}",
            context={
                "event": event,
                "values": values,
                "errors": errors,
                "field_errors": _field_errors(errors),
                "notice": notice,
                "told": told,
                "series": await series.list_series(),
                "venues": await venues.list_venues(),
                "kind_labels": schemas.EVENT_KIND_LABELS,
                "attendance_labels": schemas.ATTENDANCE_MODE_LABELS,
                # A new event starts as a draft or published; cancelling is for an event that exists.
                "status_labels": STATUS_LABELS
                if event
                else {k: v for k, v in STATUS_LABELS.items() if k != "cancelled"},
                "zones": zone_choices(str(values.get("timezone") or "")),
            },
            status_code=400 if errors else 200,
        )

    @get("/events/new", name="organiser-event-new")
    async def event_new(self, series_slug: Annotated[str | None, QueryParameter(name="series")] = None) -> Template:
        values: dict[str, object] = {"status": "draft", "waitlist_enabled": True, "timezone": DEFAULT_ZONE}
        if series_slug:
            chosen = next((s for s in await series.list_series() if s.slug == series_slug), None)
            values["series_id"] = str(chosen.id) if chosen else ""
        return await self._event_page("event_new.html", None, values, [])

    @post("/events/new", status_code=303)
    async def event_create(self, request: Request[Any, Any, Any]) -> Response[Any]:
        form = await form_values(request)
        try:
            made = await event_changes.save_event(None, read_event_form(form, schemas.EventCreate))
        except DomainError as exc:
            errors = event_errors(exc)
            return await self._event_page("event_new.html", None, values_of_form(form), errors)
        state = "published" if made.status == "published" else "a draft"
        return with_notice(_edit_path(made.slug), f"'{made.title}' created as {state}.")

    @get("/events/{slug:str}/edit", name="organiser-event-edit")
    async def event_edit(self, event: PathEvent, notice: FromQuery[str | None] = None) -> Template:
        detail = await events.event_of(event, addresses=True)
        return await self._event_page("event_edit.html", detail, values_of_event(detail), [], notice=notice)

    @post("/events/{slug:str}/edit", status_code=303)
    async def event_update(self, request: Request[Any, Any, Any], event: PathEvent) -> Response[Any]:
        form = await form_values(request)
        told: Telling | None = None
        try:
            parsed = read_event_form(form, schemas.EventUpdate)
            (before,) = await events.events_from_rows([event])
            counts = await event_changes.registered(event)
            if counts.confirmed + counts.waitlisted + counts.pending:
                after = await event_changes.rehearse(event.slug, parsed)
                change = event_changes.digest(parsed)
                told = event_changes.telling(counts, before, after, change)
                if told.needs_confirming and form.get("confirm") != change:
                    return await self._event_page(
                        "event_edit.html",
                        await events.event_of(event, addresses=True),
                        values_of_form(form),
                        [],
                        told=told,
                    )
            saved = await event_changes.save_event(event.slug, parsed)
        except DomainError as exc:
            errors = event_errors(exc)
            detail = await events.event_of(event, addresses=True)
            return await self._event_page("event_edit.html", detail, values_of_form(form), errors)
        return with_notice(_edit_path(saved.slug), _saved_notice("Saved", told))

    @post("/events/{slug:str}/publish", status_code=303)
    async def event_publish(self, event: PathEvent) -> Response[Any]:
        try:
            saved = await events.update_event(event.slug, schemas.EventUpdate(status="published"))
        except DomainError as exc:
            detail = await events.event_of(event, addresses=True)
            errors = event_errors(exc)
            return await self._event_page("event_edit.html", detail, values_of_event(detail), errors)
        return with_notice(_edit_path(saved.slug), "Published: it is on the public pages now.")

    async def _cancel_page(self, event: EventRow, errors: list[FieldError]) -> Template:
        return Template(
            "organiser/event_cancel.html",
            context={
                "event": await events.event_of(event, addresses=True),
                "told": await event_changes.cancelling(event),
                "errors": errors,
            },
            status_code=400 if errors else 200,
        )

    @get("/events/{slug:str}/cancel", name="organiser-event-cancel")
    async def event_cancel_confirm(self, event: PathEvent) -> Template:
        return await self._cancel_page(event, [])

    @post("/events/{slug:str}/cancel", status_code=303)
    async def event_cancel(self, request: Request[Any, Any, Any], event: PathEvent) -> Response[Any]:
        form = await form_values(request)
        if event.status == "cancelled":
            return with_notice(_edit_path(event.slug), "This event was already cancelled.")
        if form.get("confirm") != "yes":
            words = "Press 'Cancel the event' to confirm: nothing has changed yet"
            return await self._cancel_page(event, [FieldError("confirm", words)])
        told = await event_changes.cancelling(event)
        try:
            await events.update_event(event.slug, schemas.EventUpdate(status="cancelled"))
        except DomainError as exc:
            return await self._cancel_page(event, errors_of(exc))
        return with_notice(_edit_path(event.slug), _saved_notice("The event is cancelled", told))

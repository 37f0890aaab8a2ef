"""A season of events: copy an event to a new date (next year's draft in one step), and repeat it as a run of
copies (weekly, monthly, listed dates, or one meeting per region), previewed before anything is made."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery
from litestar.response import Template

from events_app.accounts.guards import requires_organiser
from events_app.core.errors import DomainError
from events_app.core.rows import Row
from events_app.core.validation import FieldError, errors_of
from events_app.organiser.forms import form_list, form_values, with_notice
from events_app.organiser.season_form import (
    PATTERN_LABELS,
    WEEK_LABELS,
    WEEKDAY_LABELS,
    digest,
    read_copy_form,
    read_run_form,
    run_errors,
)
from events_app.programme import events, venues
from events_app.programme.dependencies import EVENT, PathEvent
from events_app.programme.schemas import EventDetail
from events_app.season import copies, runs
from events_app.season.schemas import Run

DEFAULT_PATTERN = {"seminar": "monthly", "community_meeting": "regions"}


def _field_errors(errors: list[FieldError]) -> dict[str, str]:
    return {e.field: e.message for e in reversed(errors)}


def _run_defaults(source: Row, choices: list[runs.RegionChoice]) -> dict[str, object]:
    week, weekday = runs.place_in_month(copies.first_day(source))
    values: dict[str, object] = {
        "pattern": DEFAULT_PATTERN.get(source["kind"], "weekly"),
        "count": "6",
        "every": "1",
        "week": week,
        "weekday": weekday,
    }
    for choice in choices:
        if choice.series is not None:
            values[f"region-{choice.slug}"] = True
            values[f"venue-{choice.slug}"] = str(choice.venue or "")
    return values


class OrganiserSeasonPages(Controller):
    path = "/organiser/events"
    include_in_schema = False
    guards = [requires_organiser]
    dependencies = EVENT

    # Copy -------------------------------------------------------------------------------------------------------

    async def _copy_page(
        self, event: EventDetail, source: Row, values: Mapping[str, object], errors: list[FieldError]
    ) -> Template:
        return Template(
            "organiser/season_copy.html",
            context={
                "event": event,
                "values": values,
                "errors": errors,
                "field_errors": _field_errors(errors),
                "contents": await copies.copy_contents(source),
                "notice": None,
            },
            status_code=400 if errors else 200,
        )

    @get("/{slug:str}/copy", name="organiser-event-copy")
    async def copy_form(self, event: PathEvent) -> Template:
        source = await copies.source_event(event.slug)
        day = copies.default_day(source)
        values = {
            "date": day.isoformat(),
            "title": copies.next_year_title(event.title, (day - copies.first_day(source)).days),
        }
        return await self._copy_page(await events.event_detail(event), source, values, [])

    @post("/{slug:str}/copy", status_code=303)
    async def copy(self, request: Request[Any, Any, Any], event: PathEvent) -> Response[Any]:
        form = await form_values(request)
        try:
            made = await copies.copy_event(event.slug, read_copy_form(form))
        except DomainError as exc:
            source = await copies.source_event(event.slug)
            return await self._copy_page(await events.event_detail(event), source, form, errors_of(exc))
        notice = f"Copied from '{event.title}' as a draft: check it, then publish it when it is ready."
        return with_notice(f"/organiser/events/{made.slug}/edit", notice)

    # Repeat -----------------------------------------------------------------------------------------------------

    async def _repeat_page(
        self,
        event: EventDetail,
        source: Row,
        values: Mapping[str, object],
        errors: list[FieldError],
        *,
        preview: Run | None = None,
        previewed: str = "",
        notice: str | None = None,
    ) -> Template:
        choices = await runs.round_choices(source)
        return Template(
            "organiser/season_repeat.html",
            context={
                "event": event,
                "values": values,
                "errors": errors,
                "field_errors": _field_errors(errors),
                "notice": notice,
                "preview": preview,
                "previewed": previewed,
                "patterns": PATTERN_LABELS,
                "weeks": WEEK_LABELS,
                "weekdays": WEEKDAY_LABELS,
                "choices": choices,
                "venue_options": [
                    (str(v.id), f"{v.name}, {v.city}" if v.city else v.name) for v in await venues.list_venues()
                ],
            },
            status_code=400 if errors else 200,
        )

    @get("/{slug:str}/repeat", name="organiser-event-repeat")
    async def repeat_form(self, event: PathEvent, notice: FromQuery[str | None] = None) -> Template:
        source = await copies.source_event(event.slug)
        values = _run_defaults(source, await runs.round_choices(source))
        return await self._repeat_page(await events.event_detail(event), source, values, [], notice=notice)

    @post("/{slug:str}/repeat", status_code=303)
    async def repeat(self, request: Request[Any, Any, Any], event: PathEvent) -> Response[Any]:
        form = await form_values(request)
        ticked = await form_list(request, "region", limit=20)
        values: dict[str, object] = {**form, **{f"region-{slug}": True for slug in ticked}}
        source = await copies.source_event(event.slug)
        detail = await events.event_detail(event)
        try:
            asked = read_run_form(form, ticked)
            if form.get("step") == "make" and form.get("previewed") == digest(asked):
                made = await runs.make_run(event.slug, msgspec.structs.replace(asked, preview=False))
            else:
                changed = form.get("step") == "make"
                return await self._repeat_page(
                    detail,
                    source,
                    values,
                    [],
                    preview=await runs.make_run(event.slug, msgspec.structs.replace(asked, preview=True)),
                    previewed=digest(asked),
                    notice="The choices changed since the preview: check the list again." if changed else None,
                )
        except DomainError as exc:
            return await self._repeat_page(detail, source, values, run_errors(exc, form, ticked))
        n = len(made.copies)
        notice = f"{n} {'copy' if n == 1 else 'copies'} of '{event.title}' made as drafts: check each, then publish it."
        series = {c.series.slug for c in made.copies if c.series is not None}
        if len(series) == 1 and all(c.series is not None for c in made.copies):
            return with_notice(f"/organiser/series/{series.pop()}/edit", notice)
        return with_notice("/organiser", notice)

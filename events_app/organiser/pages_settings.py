"""An event's own settings: when reminders go (or none), when feedback requests go, and a note for the
confirmation and reminder emails (access, parking, what to bring)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery
from litestar.response import Template

from events_app.accounts.guards import requires_organiser
from events_app.core.errors import DomainError
from events_app.core.settings import current_settings
from events_app.core.validation import FieldError, errors_of
from events_app.organiser.forms import form_values, with_notice
from events_app.organiser.settings_form import read_settings_form, site_words, values_of_event
from events_app.programme import events
from events_app.programme.dependencies import EVENT, PathEvent
from events_app.programme.rows import EventRow


class OrganiserSettingsPages(Controller):
    path = "/organiser"
    include_in_schema = False
    guards = [requires_organiser]
    dependencies = EVENT

    async def _page(
        self, event: EventRow, values: Mapping[str, str], errors: list[FieldError], notice: str | None = None
    ) -> Template:
        return Template(
            "organiser/event_settings.html",
            context={
                "event": (await events.events_from_rows([event]))[0],
                "values": values,
                "errors": errors,
                "field_errors": {e.field: e.message for e in reversed(errors)},
                "notice": notice,
                "site": site_words(current_settings().mail),
            },
            status_code=400 if errors else 200,
        )

    @get("/events/{slug:str}/settings", name="organiser-event-settings")
    async def settings_page(self, event: PathEvent, notice: FromQuery[str | None] = None) -> Template:
        return await self._page(event, values_of_event(event), [], notice)

    @post("/events/{slug:str}/settings", status_code=303)
    async def save_settings(self, request: Request[Any, Any, Any], event: PathEvent) -> Response[Any]:
        form = await form_values(request)
        try:
            await events.update_event(event.slug, read_settings_form(form))
        except DomainError as exc:
            return await self._page(event, form, errors_of(exc))
        return with_notice(f"/organiser/events/{event.slug}/settings", "Settings saved.")

"""The organiser's start page: each upcoming event's places, waiting list, approvals, check-ins and failed
emails, links to every page of the event and its series, and what needs attention."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.response import Template

from events_app.accounts.guards import current_organiser, requires_checkin
from events_app.programme import events
from events_app.programme.schemas import EVENT_KIND_LABELS


class OrganiserDashboard(Controller):
    path = "/organiser"
    include_in_schema = False

    @get("/", guards=[requires_checkin], name="organiser-home")
    async def dashboard(self, request: Request[Any, Any, Any]) -> Template:
        page = await events.list_events(events.EventFilters(), include_drafts=True, limit=100, offset=0)
        return Template(
            "organiser/dashboard.html",
            context={"organiser": current_organiser(request), "events": page.items, "kind_labels": EVENT_KIND_LABELS},
        )

"""The organiser's start page: each upcoming event's places, waiting list, approvals, check-ins and failed
emails, links to every page of the event and its series, and what needs attention."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromQuery
from litestar.response import Template

from events_app.accounts.guards import current_organiser, requires_checkin
from events_app.accounts.roles import Role
from events_app.organiser.dashboard import dashboard
from events_app.programme.schemas import EVENT_KIND_LABELS

NOTICE_LIMIT = 300


class OrganiserDashboard(Controller):
    path = "/organiser"
    include_in_schema = False

    @get("/", guards=[requires_checkin], name="organiser-home")
    async def dashboard(
        self,
        request: Request[Any, Any, Any],
        past: FromQuery[str | None] = None,
        notice: FromQuery[str | None] = None,
    ) -> Template:
        organiser = current_organiser(request)
        can_organise = organiser is not None and organiser.role.allows(Role.organiser)
        found = await dashboard(organiser=can_organise, all_past=past == "all")
        return Template(
            "organiser/dashboard.html",
            context={
                "organiser": organiser,
                "can_organise": can_organise,
                "dashboard": found,
                "all_past": past == "all",
                "kind_labels": EVENT_KIND_LABELS,
                "notice": (notice or "")[:NOTICE_LIMIT] or None,
            },
        )

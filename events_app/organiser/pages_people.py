"""Organisations and stakeholder groups."""

from __future__ import annotations

from litestar import Controller

from events_app.accounts.guards import requires_organiser


class OrganiserPeoplePages(Controller):
    path = "/organiser"
    include_in_schema = False
    guards = [requires_organiser]

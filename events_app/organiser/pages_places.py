"""Venues with their rooms, and speakers (organisation picked or created by name, a private contact email)."""

from __future__ import annotations

from litestar import Controller

from events_app.accounts.guards import requires_organiser


class OrganiserPlacePages(Controller):
    path = "/organiser"
    include_in_schema = False
    guards = [requires_organiser]

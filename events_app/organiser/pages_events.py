"""Series and events: new, edit, publish, cancel (with who will be told before a change is saved)."""

from __future__ import annotations

from litestar import Controller

from events_app.accounts.guards import requires_organiser


class OrganiserEventPages(Controller):
    path = "/organiser"
    include_in_schema = False
    guards = [requires_organiser]

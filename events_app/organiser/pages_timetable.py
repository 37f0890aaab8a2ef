"""An event's timetable as a grid (rooms or tracks across, time down; a list by time
on a phone): add, edit, move and delete sessions."""

from __future__ import annotations

from litestar import Controller

from events_app.accounts.guards import requires_organiser


class OrganiserTimetablePages(Controller):
    path = "/organiser"
    include_in_schema = False
    guards = [requires_organiser]

"""Refusals at the door, each with a stable code (a scan's own outcomes are results, not errors)."""

from __future__ import annotations

from events_app.core.errors import Conflict


class AlreadyUndone(Conflict):
    code = "already_undone"
    message = "This check-in was undone already"

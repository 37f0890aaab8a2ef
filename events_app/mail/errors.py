"""Refusals about the outbox, each with a stable code."""

from __future__ import annotations

from events_app.core.errors import Conflict


class AlreadySent(Conflict):
    code = "already_sent"
    message = "This message was delivered already; it is not sent twice"


class NotFailed(Conflict):
    code = "not_failed"
    message = "This message is still waiting to be sent"

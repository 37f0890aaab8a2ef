"""Refusals about network mailings, each with a stable code."""

from __future__ import annotations

from events_app.core.errors import InvalidInput


class MailingToNobody(InvalidInput):
    code = "mailing_to_nobody"
    message = "Nobody who is happy to be contacted matches these choices: widen them, or there is no one to send to"
    field = "filters"


class DatesTheWrongWayRound(InvalidInput):
    code = "mailing_dates_reversed"
    message = "The 'to' date is before the 'from' date: swap them"
    field = "filters.to_date"

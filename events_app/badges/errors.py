"""Refusals of badge printing, each with a stable code and words for the organiser."""

from __future__ import annotations

from events_app.core.errors import InvalidInput, NotFound


class UnknownLayout(InvalidInput):
    code = "unknown_layout"
    message = "Layout: please choose one of the badge sizes listed"
    field = "layout"


class UnknownBadgeFilter(InvalidInput):
    code = "unknown_badge_filter"
    message = "Which badges: please choose all confirmed places, those not yet printed, or one registration"
    field = "which"


class RegistrationNumberNeeded(InvalidInput):
    code = "registration_number_needed"
    message = "Registration number: please give the number of one registration (a whole number, like 42)"
    field = "registration"


class NoBadge(NotFound):
    code = "no_badge"
    message = "Registration {id} has no badge for this event: only confirmed places at this event have one"
    field = "registration"

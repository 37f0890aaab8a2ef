"""Refusals of calls for proposals and examples, each with a stable code."""

from __future__ import annotations

from events_app.core.errors import Conflict, InvalidInput, NotFound


class CallNotOpen(Conflict):
    code = "call_not_open"
    message = "This call is not taking submissions: {why}"


class CallClosedForEdits(Conflict):
    code = "call_closed"
    message = "This call has closed, so submissions can no longer change"


class SubmissionDecided(Conflict):
    code = "submission_decided"
    message = "This submission is already {status}, so it can no longer change"


class CallNeedsEvent(InvalidInput):
    code = "call_needs_event"
    message = "A call for session proposals needs the event its sessions are for"
    field = "event_id"


class CallTakesNoEvent(InvalidInput):
    code = "call_takes_no_event"
    message = "A call for good-practice examples is for the hub, not an event: leave the event empty"
    field = "event_id"


class ClosesBeforeOpens(InvalidInput):
    code = "closes_before_opens"
    message = "The call must close after it opens"
    field = "closes_at"


class SessionKindRequired(InvalidInput):
    code = "session_kind_required"
    message = "Choose what kind of session you propose"
    field = "session_kind"


class NotYetConfirmed(Conflict):
    code = "submission_unconfirmed"
    message = "The submitter has not yet confirmed their email address, so this cannot be decided yet"


class CannotDecide(Conflict):
    code = "cannot_decide"
    message = "This submission is already {status}"


class LinkInvalid(NotFound):
    code = "call_link_invalid"
    message = "This link does not work: it may be incomplete or too old. Use the latest email about your submission"


class ExamplesCallNeedsWholeNetwork(InvalidInput):
    code = "examples_call_outside_scope"
    message = (
        "A call for good-practice examples is for the whole network, and your account is limited to some series: "
        "ask an organiser without limits to make it"
    )
    field = "kind"

"""Whether an event takes registrations now, for the form page, the API and the check made when someone
registers: the one rule of programme.availability, with the confirmed places counted here (the programme
knows no registrations), and each refusal in the words of registration's errors."""

from __future__ import annotations

from datetime import datetime

from events_app.core.crud import not_found
from events_app.core.errors import DomainError
from events_app.core.timezones import in_zone, utc_now
from events_app.programme import availability
from events_app.programme.rows import EventRow
from events_app.registration import schemas
from events_app.registration.attendance import places_taken_for_button
from events_app.registration.errors import (
    EventFull,
    EventIsCancelled,
    EventIsPast,
    RegistrationClosed,
    RegistrationNotOpenYet,
)


def refusal(state: availability.Availability, event: EventRow) -> DomainError | None:
    """Why nobody can register in this state (None: they can)."""
    match state.state:
        case "draft":
            return not_found("event", event.slug)
        case "cancelled":
            return EventIsCancelled()
        case "past":
            return EventIsPast()
        case "not_yet_open":
            assert state.opens_at is not None
            return RegistrationNotOpenYet(when=availability.local_time(state.opens_at, event.timezone))
        case "closed":
            return RegistrationClosed()
        case "full":
            return EventFull()
    return None


def check_open(event: EventRow, now: datetime) -> None:
    """Refuse, with a reason a person understands, registration for an event that does not take it now
    (fullness is judged later, under the lock, by places)."""
    refused = refusal(availability.of_event(event, now, confirmed=None), event)
    if refused is not None:
        raise refused


async def registration_state(event: EventRow, now: datetime) -> availability.Availability:
    """The state of registration at an event, with its places counted."""
    confirmed = await places_taken_for_button(event) if event.capacity is not None else 0
    return availability.of_event(event, now, confirmed)


def message(state: availability.Availability, event: EventRow) -> str:
    """What a person is told: the refusal, or what happens if they go ahead."""
    refused = refusal(state, event)
    return refused.detail if refused is not None else state.note


async def registration_state_of(event: EventRow) -> schemas.RegistrationState:
    """The same, for the API, of the event the request resolved."""
    state = await registration_state(event, utc_now())
    opens_at = in_zone(state.opens_at, event.timezone) if state.opens_at else None
    return schemas.RegistrationState(
        state=state.state, message=message(state, event), label=state.label, opens_at=opens_at
    )

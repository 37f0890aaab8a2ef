"""Whether an event takes registrations now, and what its Register button says: one rule for the event page,
the registration form, the API and the check made when someone registers.

Pure: it takes the event's status, times, capacity and the number of confirmed places (which registration
counts and hands in; the programme knows no registrations). An unknown count (None) means "do not judge
fullness": the check made under the event lock counts for itself."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from events_app.core import templating
from events_app.core.timezones import in_zone
from events_app.programme import schemas
from events_app.programme.rows import EventRow

State = Literal["open", "not_yet_open", "closed", "waiting_list", "full", "draft", "cancelled", "past"]
PlacesState = Literal["open", "waiting_list", "full"]

# What the page says where someone can go ahead; each refusal's words live with registration's errors.
NOTES: dict[State, str] = {
    "open": "Places are available",
    "waiting_list": "This event is full: you can join its waiting list, and we email you if a place becomes free",
}

# Counts the confirmed places of an event (by id). Registration provides it; create_app hands it to the
# pages that show a Register button.
PlacesTaken = Callable[[int, str], Awaitable[int]]  # (event id, attendance mode) -> places the button counts


@dataclass(frozen=True, slots=True)
class Availability:
    state: State
    label: str  # what the Register button (or the words in its place) says; "" for nothing
    opens_at: datetime | None = None

    @property
    def takes_registrations(self) -> bool:
        """Someone who fills in the form now gets a place, a waiting-list number, or a wait for approval."""
        return self.state in ("open", "waiting_list")

    @property
    def note(self) -> str:
        return NOTES.get(self.state, "")


def places_state(capacity: int | None, waitlist_enabled: bool, confirmed: int) -> PlacesState:
    """A place for the next person, the waiting list, or nothing: the rule for an event and for a session."""
    if capacity is None or confirmed < capacity:
        return "open"
    return "waiting_list" if waitlist_enabled else "full"


def local_time(moment: datetime, timezone: str) -> str:
    """'Saturday 1 June 2030 at 09:00 (UK time (Europe/London, BST))': when registration opens, in full."""
    local = in_zone(moment, timezone)
    return f"{templating.longdate(local)} at {templating.hm(local)} ({templating.zonelabel(timezone, local)})"


def availability(
    *,
    status: str,
    ends_at: datetime,
    timezone: str,
    opens_at: datetime | None,
    closes_at: datetime | None,
    capacity: int | None,
    waitlist_enabled: bool,
    requires_approval: bool,
    confirmed: int | None,
    now: datetime,
) -> Availability:
    """The state of registration for an event at `now`, checked in the order a person would ask."""
    if status == "draft":
        return Availability("draft", "")
    if status == "cancelled":
        return Availability("cancelled", "")
    if ends_at <= now:
        return Availability("past", "")
    if opens_at is not None and now < opens_at:
        local = in_zone(opens_at, timezone)
        return Availability(
            "not_yet_open", f"Registration opens {local.day} {local:%B %Y} at {templating.hm(local)}", opens_at
        )
    if closes_at is not None and now >= closes_at:
        return Availability("closed", "Registration closed")
    # Places at an approval event are given by the organisers later: a request can always be made.
    if confirmed is not None and not requires_approval:
        places = places_state(capacity, waitlist_enabled, confirmed)
        if places == "waiting_list":
            return Availability("waiting_list", "Join the waiting list")
        if places == "full":
            return Availability("full", "Fully booked")
    return Availability("open", "Register")


def of_event(event: schemas.Event | EventRow, now: datetime, confirmed: int | None) -> Availability:
    """The rule for an event as the API shows it, or as its table row (the registration hot path holds one)."""
    return availability(
        status=event.status,
        ends_at=event.ends_at,
        timezone=event.timezone,
        opens_at=event.registration_opens_at,
        closes_at=event.registration_closes_at,
        capacity=event.capacity,
        waitlist_enabled=event.waitlist_enabled,
        requires_approval=event.requires_approval,
        confirmed=confirmed,
        now=now,
    )

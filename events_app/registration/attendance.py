"""Attendance modes: how a place is taken (in person or online), and whose places are counted apart.

A hybrid event has two sets of places: in person (`capacity`) and online (`online_capacity`, None: unlimited),
each with its own waiting list numbered 1..n. An in-person or online event has one set (`capacity`) and one
list, counted over all its registrations whatever their mode says (so a change of the event's mode never
splits a list). The rules here are pure or read-only; places.py takes places by them under the event lock."""

from __future__ import annotations

from dataclasses import dataclass

from piccolo.query.functions.aggregate import Count

from events_app.programme.rows import EventRow
from events_app.programme.tables import Event
from events_app.registration import waitlists
from events_app.registration.errors import AttendanceModeNeeded, AttendanceModeNotOffered
from events_app.registration.schemas import AttendanceMode
from events_app.registration.tables import Registration

MODE_WORDS: dict[AttendanceMode, str] = {"in_person": "in person", "online": "online"}
MODES: tuple[AttendanceMode, ...] = ("in_person", "online")


def other_mode(mode: AttendanceMode) -> AttendanceMode:
    return "online" if mode == "in_person" else "in_person"


def counted_mode(event: EventRow, mode: str) -> str | None:
    """The mode whose places are counted apart (hybrid events), else None: one count for the event."""
    return mode if event.attendance_mode == "hybrid" else None


def capacity_of(event: EventRow, mode: str) -> int | None:
    return event.online_capacity if counted_mode(event, mode) == "online" else event.capacity


def modes_of(event: EventRow) -> tuple[AttendanceMode, ...]:
    """The modes whose places are counted apart at this event: both at a hybrid event, else the event's own."""
    if event.attendance_mode == "hybrid":
        return MODES
    return ("online",) if event.attendance_mode == "online" else ("in_person",)


def chosen_mode(event: EventRow, chosen: str | None) -> AttendanceMode:
    """The mode a registration takes: the person's choice at a hybrid event (required), else the event's own
    (a different choice is refused, naming the field)."""
    if event.attendance_mode == "hybrid":
        if chosen is None:
            raise AttendanceModeNeeded()
        return mode_named(chosen)
    own = modes_of(event)[0]
    if chosen is not None and chosen != own:
        raise AttendanceModeNotOffered(offered=MODE_WORDS[own])
    return own


def mode_named(mode: str) -> AttendanceMode:
    """A stored mode as the Literal (anything but online is in person)."""
    return "online" if mode == "online" else "in_person"


@dataclass(frozen=True, slots=True)
class ModePlaces:
    """One mode's places at an event, as organisers and the registration form see them."""

    mode: AttendanceMode
    capacity: int | None
    confirmed: int
    waitlisted: int

    @property
    def left(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.confirmed)

    @property
    def words(self) -> str:
        return MODE_WORDS[self.mode]


async def places_by_mode(event: EventRow) -> list[ModePlaces]:
    """Each counted mode's places taken, left and waiting, in one query."""
    rows = (
        await Registration.select(Registration.attendance_mode, Registration.status, Count(alias="n"))
        .where((Registration.event == event.id) & Registration.status.is_in(["confirmed", "waitlisted"]))
        .group_by(Registration.attendance_mode, Registration.status)
    )
    counts: dict[tuple[str | None, str], int] = {}
    for row in rows:
        key = (counted_mode(event, row["attendance_mode"]), row["status"])
        counts[key] = counts.get(key, 0) + int(row["n"])
    return [
        ModePlaces(
            mode=mode,
            capacity=capacity_of(event, mode),
            confirmed=counts.get((counted_mode(event, mode), "confirmed"), 0),
            waitlisted=counts.get((counted_mode(event, mode), "waitlisted"), 0),
        )
        for mode in modes_of(event)
    ]


async def hybrid_places_by_event(event_ids: list[int]) -> dict[int, list[ModePlaces]]:
    """Each hybrid event's places by mode, for many events in two queries (the organisers' dashboard); other
    events are left out."""
    if not event_ids:
        return {}
    hybrid = {
        r["id"]: EventRow.of(r)
        for r in await Event.select().where(Event.id.is_in(event_ids) & (Event.attendance_mode == "hybrid"))
    }
    if not hybrid:
        return {}
    rows = (
        await Registration.select(
            Registration.event, Registration.attendance_mode, Registration.status, Count(alias="n")
        )
        .where(Registration.event.is_in(list(hybrid)) & Registration.status.is_in(["confirmed", "waitlisted"]))
        .group_by(Registration.event, Registration.attendance_mode, Registration.status)
    )
    counts = {(r["event"], mode_named(r["attendance_mode"]), r["status"]): int(r["n"]) for r in rows}
    return {
        event_id: [
            ModePlaces(
                mode=mode,
                capacity=capacity_of(event, mode),
                confirmed=counts.get((event_id, mode, "confirmed"), 0),
                waitlisted=counts.get((event_id, mode, "waitlisted"), 0),
            )
            for mode in MODES
        ]
        for event_id, event in hybrid.items()
    }


async def hybrid_places(event_id: int) -> list[ModePlaces]:
    """Each mode's places at a hybrid event (by its id); [] for any other event."""
    row = await Event.select().where(Event.id == event_id).first()
    event = EventRow.of(row) if row is not None else None
    return await places_by_mode(event) if event is not None and event.attendance_mode == "hybrid" else []


async def places_taken_for_button(event: EventRow) -> int:
    """Confirmed places as the Register button judges them against `capacity`: at a hybrid event, 0 while either
    mode has a free place (the form offers it), else the in-person count."""
    if event.attendance_mode != "hybrid":
        return await waitlists.confirmed(waitlists.of_event(event.id))
    return judged_taken(await places_by_mode(event), 0)


def judged_taken(modes: list[ModePlaces], confirmed: int) -> int:
    """The confirmed count the Register button judges (`confirmed` for an event with one count): at a hybrid
    event 0 while either mode has a free place, else the in-person count."""
    if not modes:
        return confirmed
    return 0 if any(m.left is None or m.left > 0 for m in modes) else modes[0].confirmed


async def places_taken(event_id: int, attendance_mode: str) -> int:
    """The same, by the event's id and mode: what the programme's pages are handed (availability.PlacesTaken).
    One count; a hybrid event's row is read for its two capacities."""
    if attendance_mode != "hybrid":
        return await waitlists.confirmed(waitlists.of_event(event_id))
    row = await Event.select().where(Event.id == event_id).first()
    return await places_taken_for_button(EventRow.of(row)) if row is not None else 0

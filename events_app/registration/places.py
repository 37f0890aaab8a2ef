"""Places: who gets one, who waits, and who moves up. Every function here runs inside the caller's
write transaction, after the event row is locked (`programme.locking.locked_event`): that lock is what
makes "count, then take a place" safe under any concurrency, for the event and for its sessions.

The waiting lists of the event and of its sessions are one implementation (waitlists.py), by scope."""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass
from typing import Any

from events_app.core.database import run_sql, value_rows
from events_app.core.timezones import utc_now
from events_app.programme.availability import places_state
from events_app.programme.errors import SessionNotAtEvent
from events_app.programme.rows import EventRow, SessionRow
from events_app.programme.tables import Session
from events_app.registration import waitlists
from events_app.registration.attendance import MODE_WORDS, capacity_of, counted_mode, mode_named, other_mode
from events_app.registration.errors import (
    EventFull,
    ModeFull,
    SessionClash,
    SessionFull,
    SessionIsCancelled,
    SessionNeedsNoBooking,
)
from events_app.registration.schemas import BookingStatus, RegistrationStatus
from events_app.registration.tables import Registration, SessionBooking

ACTIVE: tuple[RegistrationStatus, ...] = ("pending", "confirmed", "waitlisted")


@dataclass(frozen=True, slots=True)
class Actor:
    """Who made a change: an organiser (their user id), the delegate, or the system (automatic promotion)."""

    organiser_id: int | None = None
    delegate: bool = False

    @property
    def label(self) -> str:
        return "organiser" if self.organiser_id else "delegate" if self.delegate else "system"


SYSTEM = Actor()
DELEGATE = Actor(delegate=True)


async def record(registration_id: int, action: str, detail: str, actor: Actor) -> None:
    await record_many([(registration_id, action, detail, actor)])


async def record_many(changes: list[tuple[int, str, str, Actor]]) -> None:
    """`record` for several registrations, in one statement (a batch of registrations decided together)."""
    at = utc_now()
    values: list[object] = []
    for registration_id, action, detail, actor in changes:
        values += [registration_id, at, action, detail, actor.organiser_id, actor.delegate]
    await run_sql(
        "INSERT INTO registration_change (registration, at, action, detail, by_organiser, by_delegate) VALUES "  # noqa: S608 - placeholders only
        + value_rows(len(changes), 6),
        *values,
    )


# The event: its places, or at a hybrid event each mode's (attendance.py says which count applies) -----------


def _scope(event: EventRow, mode: str) -> waitlists.Scope:
    return waitlists.of_event(event.id, counted_mode(event, mode))


async def confirmed_count(event_id: int) -> int:
    return await waitlists.confirmed(waitlists.of_event(event_id))


@dataclass(frozen=True, slots=True)
class EventPlaces:
    confirmed: int
    last_position: int
    existing_id: int | None  # this delegate's registration at the event, if any


_EVENT_PLACES = (
    "SELECT SUM(CASE WHEN status = 'confirmed' THEN 1 ELSE 0 END) AS confirmed, "
    "MAX(CASE WHEN status = 'waitlisted' THEN waitlist_position END) AS last_position, "
    "MAX(CASE WHEN delegate = {} THEN id END) AS existing_id "
    "FROM registration WHERE event = {}"
)
_MODE_PLACES = (
    "SELECT SUM(CASE WHEN attendance_mode = {} AND status = 'confirmed' THEN 1 ELSE 0 END) AS confirmed, "
    "MAX(CASE WHEN attendance_mode = {} AND status = 'waitlisted' THEN waitlist_position END) AS last_position, "
    "MAX(CASE WHEN delegate = {} THEN id END) AS existing_id "
    "FROM registration WHERE event = {}"
)


async def event_places(event: EventRow, mode: str, delegate_id: int) -> EventPlaces:
    """Confirmed places and the last waiting-list number (of the mode, at a hybrid event) and the delegate's own
    registration, in one query."""
    counted = counted_mode(event, mode)
    if counted is None:
        rows = await Registration.raw(_EVENT_PLACES, delegate_id, event.id)
    else:
        rows = await Registration.raw(_MODE_PLACES, counted, counted, delegate_id, event.id)
    row = rows[0] if rows else {}
    return EventPlaces(
        confirmed=int(row.get("confirmed") or 0),
        last_position=int(row.get("last_position") or 0),
        existing_id=row.get("existing_id"),
    )


def taken(counted: EventPlaces, status: RegistrationStatus, position: int | None) -> EventPlaces:
    """The counts after one more registration took this status (registrations decided together, in order)."""
    if status == "confirmed":
        return dataclasses.replace(counted, confirmed=counted.confirmed + 1)
    if status == "waitlisted" and position is not None:
        return dataclasses.replace(counted, last_position=position)
    return counted


def _full(event: EventRow, mode: str) -> EventFull | ModeFull:
    if counted_mode(event, mode) is None:
        return EventFull()
    chosen = mode_named(mode)
    return ModeFull(mode=MODE_WORDS[chosen], other=MODE_WORDS[other_mode(chosen)])


def place_from(event: EventRow, mode: str, counted: EventPlaces) -> tuple[RegistrationStatus, int | None]:
    """The same rule as `place`, from counts already read under the lock."""
    places = places_state(capacity_of(event, mode), event.waitlist_enabled, counted.confirmed)
    if places == "full":
        raise _full(event, mode)
    return ("confirmed", None) if places == "open" else ("waitlisted", counted.last_position + 1)


async def has_free_place(event: EventRow, mode: str) -> bool:
    return await waitlists.has_free_place(_scope(event, mode), capacity_of(event, mode))


async def place(event: EventRow, mode: str) -> tuple[RegistrationStatus, int | None]:
    """A confirmed place if there is one; else the end of the waiting list; else a clear refusal."""
    taken = await waitlists.place(_scope(event, mode), capacity_of(event, mode), event.waitlist_enabled)
    if taken is None:
        raise _full(event, mode)
    return taken


async def leave_waitlist(event: EventRow, mode: str, position: int | None) -> None:
    """Close the gap a registration leaves in its waiting list."""
    await waitlists.close_gap(_scope(event, mode), position)


async def move_in_waitlist(event: EventRow, mode: str, registration_id: int, old: int, new: int) -> None:
    await waitlists.move(_scope(event, mode), registration_id, old, new)


async def set_status(registration_id: int, status: RegistrationStatus, position: int | None = None) -> None:
    now = utc_now()
    values: dict[Any, Any] = {
        Registration.status: status,
        Registration.waitlist_position: position,
        Registration.updated_at: now,
    }
    if status == "confirmed":
        values[Registration.confirmed_at] = now
    if status in ("cancelled", "declined"):
        values[Registration.cancelled_at] = now
    await Registration.update(values).where(Registration.id == registration_id)


async def promote_waitlist(event: EventRow, mode: str) -> list[int]:
    """Fill free places (of the mode, at a hybrid event) from the front of its waiting list; returns the
    registrations promoted, in order."""

    # Untyped on purpose: the Piccolo registration row the waiting list hands over
    async def take_place(row: dict[str, Any]) -> int:
        registration_id = int(row["id"])
        await set_status(registration_id, "confirmed")
        await confirm_requested_sessions(registration_id, event)
        await record(registration_id, "promoted", _promoted_words(event, mode), SYSTEM)
        return registration_id

    return await waitlists.promote(_scope(event, mode), capacity_of(event, mode), take_place)


def _promoted_words(event: EventRow, mode: str) -> str:
    counted = counted_mode(event, mode)
    return "A place became free" if counted is None else f"A place became free ({MODE_WORDS[mode_named(counted)]})"


# Sessions ----------------------------------------------------------------------------------------


async def bookable_sessions(event_id: int, session_ids: list[int]) -> list[SessionRow]:
    """The sessions asked for, checked: of this event, with places to book, not cancelled, not clashing."""
    if not session_ids:
        return []
    wanted = list(dict.fromkeys(session_ids))
    rows = await Session.select().where(Session.id.is_in(wanted) & (Session.event == event_id))
    by_id = {r["id"]: SessionRow.of(r) for r in rows}
    for session_id in wanted:
        row = by_id.get(session_id)
        if row is None or row.status == "draft":  # a draft session is not in the public timetable yet
            raise SessionNotAtEvent(id=session_id, field="session_ids")
        if row.capacity is None:
            raise SessionNeedsNoBooking(title=row.title)
        if row.status == "cancelled":
            raise SessionIsCancelled(title=row.title)
    chosen = sorted((by_id[i] for i in wanted), key=lambda r: r.starts_at)
    for earlier, later in itertools.pairwise(chosen):
        if later.starts_at < earlier.ends_at:
            raise SessionClash(earlier=earlier.title, later=later.title)
    return chosen


async def _session_place(session: SessionRow, event: EventRow, *, strict: bool) -> tuple[BookingStatus, int | None]:
    """The event's rule, for a session: its own capacity, the event's choice of a waiting list."""
    taken = await waitlists.place(waitlists.of_session(session.id), session.capacity, event.waitlist_enabled)
    if taken is None and strict:
        raise SessionFull(title=session.title)
    return taken or ("cancelled", None)


async def book_sessions(
    registration_id: int, event: EventRow, sessions: list[SessionRow], *, confirmed: bool
) -> list[tuple[BookingStatus, int | None]]:
    """Book sessions for a registration: a place or the session's waiting list when the registration is
    confirmed, else `requested` (booked when it is confirmed). A full session without a waiting list
    refuses the whole change."""
    now = utc_now()
    booked: list[tuple[BookingStatus, int | None]] = []
    for session in sessions:
        status, position = await _session_place(session, event, strict=True) if confirmed else ("requested", None)
        booked.append((status, position))
        await SessionBooking.insert(
            SessionBooking(
                registration=registration_id,
                session=session.id,
                status=status,
                waitlist_position=position,
                created_at=now,
                updated_at=now,
            )
        )
    return booked


async def confirm_requested_sessions(registration_id: int, event: EventRow) -> None:
    """When a registration is confirmed, its requested sessions are booked by the same rules; a session that
    filled up meanwhile (and has no waiting list) is dropped, and the change is recorded."""
    requested = await SessionBooking.select(SessionBooking.id, SessionBooking.session).where(
        (SessionBooking.registration == registration_id) & (SessionBooking.status == "requested")
    )
    for booking in requested:
        row = await Session.select().where(Session.id == booking["session"]).first()
        if row is None:
            continue
        session = SessionRow.of(row)
        status, position = await _session_place(session, event, strict=False)
        await SessionBooking.update(
            {
                SessionBooking.status: status,
                SessionBooking.waitlist_position: position,
                SessionBooking.updated_at: utc_now(),
            }
        ).where(SessionBooking.id == booking["id"])
        if status == "cancelled":
            await record(registration_id, "session_full", f"'{session.title}' was full", SYSTEM)


async def promote_session(session: SessionRow) -> list[int]:
    """Fill free places in a session from its waiting list; returns the registrations that moved up."""
    if session.capacity is None:
        return []

    # Untyped on purpose: the Piccolo session-booking row the waiting list hands over
    async def take_place(booking: dict[str, Any]) -> int:
        await SessionBooking.update(
            {
                SessionBooking.status: "confirmed",
                SessionBooking.waitlist_position: None,
                SessionBooking.updated_at: utc_now(),
            }
        ).where(SessionBooking.id == booking["id"])
        registration_id = int(booking["registration"])
        await record(registration_id, "session_promoted", f"A place in '{session.title}' became free", SYSTEM)
        return registration_id

    return await waitlists.promote(waitlists.of_session(session.id), session.capacity, take_place)


async def cancel_bookings(registration_id: int, session_ids: list[int] | None = None) -> list[int]:
    """Cancel a registration's bookings (all, or those sessions); free places go to each session's waiting
    list. Returns the registrations promoted in sessions."""
    condition = (SessionBooking.registration == registration_id) & SessionBooking.status.is_in(
        ["requested", "confirmed", "waitlisted"]
    )
    if session_ids is not None:
        if not session_ids:
            return []
        condition = condition & SessionBooking.session.is_in(session_ids)
    bookings = await SessionBooking.select().where(condition)
    promoted: list[int] = []
    for booking in bookings:
        await SessionBooking.update(
            {
                SessionBooking.status: "cancelled",
                SessionBooking.waitlist_position: None,
                SessionBooking.updated_at: utc_now(),
            }
        ).where(SessionBooking.id == booking["id"])
        if booking["status"] == "waitlisted":
            await waitlists.close_gap(waitlists.of_session(booking["session"]), booking["waitlist_position"])
        if booking["status"] == "confirmed":
            session = await Session.select().where(Session.id == booking["session"]).first()
            if session is not None:
                promoted += await promote_session(SessionRow.of(session))
    return promoted

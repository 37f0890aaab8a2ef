"""Registration's reactions to programme changes: cancel registrations when an event is cancelled, tell
delegates of a changed time or place, promote from the waiting list when a capacity rises."""

from __future__ import annotations

from events_app.core.rows import Row
from events_app.core.templating import hm
from events_app.core.timezones import in_zone
from events_app.mail.context import mail_event_by_id, when_label, where_label
from events_app.programme.events import events_from_rows
from events_app.programme.reactions import EventCancelled, EventChanged, Reactions, SessionChanged
from events_app.programme.rows import EventRow, SessionRow
from events_app.programme.tables import Event, Room
from events_app.registration import attendance, notify, places
from events_app.registration.errors import ModeStillHeld
from events_app.registration.organiser_changes import cancel_locked
from events_app.registration.places import ACTIVE
from events_app.registration.rows import RegistrationRow
from events_app.registration.tables import Registration, SessionBooking


async def _changes(before: Row, after: Row) -> list[str]:
    event = (await events_from_rows([EventRow.of(after)]))[0]
    changes = []
    if before["starts_at"] != after["starts_at"] or before["ends_at"] != after["ends_at"]:
        changes.append(f"It is now on {when_label(event)}.")
    # A new meeting address is not news: each delegate's own join link leads to whatever it is now.
    if before["venue"] != after["venue"] or before.get("attendance_mode") != after.get("attendance_mode"):
        changes.append(f"It is now at {where_label(event)}." if event.venue else "It is now held online only.")
    return changes


def _raised(before: int | None, after: int | None) -> bool:
    """More places than before (None: no limit)."""
    return after is None or (before is not None and after > before)


async def on_event_changed(before: Row, after: Row) -> None:
    """`before` and `after` are the event's columns as the programme's reactions registry hands them over."""
    event = EventRow.of(after)
    active = [
        RegistrationRow.of(r)
        for r in await Registration.select().where(
            (Registration.event == event.id) & Registration.status.is_in(list(ACTIVE))
        )
    ]
    if event.status == "cancelled" and before["status"] != "cancelled":
        mail_event = await mail_event_by_id(event.id)
        for registration in sorted(active, key=lambda r: -(r.waitlist_position or 0)):
            await cancel_locked(registration, event, places.SYSTEM, "The event is cancelled", tell=False)
            await notify.send("event_cancelled", registration.id, event=mail_event)
        return
    was = EventRow.of(before)
    _refuse_lost_mode(was, event, active)
    for mode in attendance.modes_of(event):  # at a hybrid event, each mode's places and list on their own
        if _raised(attendance.capacity_of(was, mode), attendance.capacity_of(event, mode)):
            for promoted in await places.promote_waitlist(event, mode):
                await notify.send("promoted", promoted)
    if event.status == "published" and (changes := await _changes(before, after)):
        mail_event = await mail_event_by_id(event.id)
        for registration in active:
            await notify.send("event_changed", registration.id, event=mail_event, extra={"changes": changes})


def _refuse_lost_mode(was: EventRow, event: EventRow, active: list[RegistrationRow]) -> None:
    """A hybrid event stops offering a mode only when nobody holds a place or waits in it: its places and waiting
    list cannot be merged into the other mode's (two lists numbered from 1) without someone losing their turn."""
    if was.attendance_mode != "hybrid" or event.attendance_mode == "hybrid":
        return
    kept = attendance.modes_of(event)[0]
    lost = attendance.other_mode(kept)
    count = sum(attendance.mode_named(r.attendance_mode) == lost for r in active)
    if count:
        raise ModeStillHeld(
            count=count,
            people="person" if count == 1 else "people",
            hold="holds" if count == 1 else "hold",
            wait="waits" if count == 1 else "wait",
            mode=attendance.MODE_WORDS[lost],
            other=attendance.MODE_WORDS[kept],
        )


async def on_session_changed(before: Row, after: Row) -> None:
    session = SessionRow.of({**before, **after})  # `after` holds what was written, not created_at
    if session.capacity is not None and (before["capacity"] is None or session.capacity > before["capacity"]):
        await places.promote_session(session)
    await _tell_holders(SessionRow.of(before), session)


async def _session_changes(before: SessionRow, after: SessionRow, timezone: str) -> list[str]:
    if after.status == "cancelled":
        return ["It is cancelled."] if before.status != "cancelled" else []
    changes = []
    if (before.starts_at, before.ends_at) != (after.starts_at, after.ends_at):
        start, end = in_zone(after.starts_at, timezone), in_zone(after.ends_at, timezone)
        changes.append(f"It now runs from {hm(start)} to {hm(end)} ({timezone}).")
    if before.room != after.room:
        room = await Room.select(Room.name).where(Room.id == after.room).first() if after.room is not None else None
        changes.append(f"It is now in {room['name']}." if room else "It no longer has a room.")
    return changes


async def _tell_holders(before: SessionRow, after: SessionRow) -> None:
    """People holding a place in a session that moved (time or room) or was cancelled hear of it, once each."""
    found = await Event.select().where(Event.id == after.event).first()
    if found is None or found["status"] != "published":
        return
    event = EventRow.of(found)
    changes = await _session_changes(before, after, event.timezone)
    if not changes:
        return
    holders = await SessionBooking.select(SessionBooking.registration).where(
        (SessionBooking.session == after.id)
        & (SessionBooking.status == "confirmed")
        & (SessionBooking.registration.status == "confirmed")
    )
    mail_event = await mail_event_by_id(event.id)
    for holder in holders:
        await notify.send(
            "session_changed",
            holder["registration"],
            event=mail_event,
            extra={"session_title": after.title, "changes": changes},
        )


async def event_changed(change: EventChanged | EventCancelled) -> None:
    await on_event_changed(change.before.as_values(), change.after.as_values())


async def session_changed(change: SessionChanged) -> None:
    await on_session_changed(change.before.as_values(), change.after.as_values())


def register(registry: Reactions) -> None:
    registry.on(EventCancelled, event_changed)
    registry.on(EventChanged, event_changed)
    registry.on(SessionChanged, session_changed)

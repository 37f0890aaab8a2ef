"""A delegate's change of how they attend a hybrid event (in person or online), from their own page.

The same rules as registering: the other mode's places are counted under the event lock. A confirmed place moves
only when the other mode has a free one (else nothing changes and the refusal says so: the place is kept); a
waiting delegate moves to the other mode's list (or straight to a free place there). The place left behind goes to
the front of its own mode's waiting list. Each change is a line in the registration's history."""

from __future__ import annotations

from events_app.core.database import write_transaction
from events_app.core.timezones import utc_now
from events_app.mail import outbox
from events_app.programme.locking import locked_event
from events_app.programme.rows import EventRow
from events_app.registration import attendance, notify, places, schemas, views
from events_app.registration.attendance import MODE_WORDS
from events_app.registration.errors import AlreadyThatMode, NotActive, NotHybrid, RegistrationsLocked, SwitchFull
from events_app.registration.my_changes import own_registration
from events_app.registration.places import ACTIVE, Actor
from events_app.registration.rows import RegistrationRow
from events_app.registration.schemas import AttendanceMode
from events_app.registration.tables import Registration


async def switch_attendance_mode(
    delegate_id: int, registration_id: int, mode: AttendanceMode, actor: Actor = places.DELEGATE
) -> schemas.Registration:
    """Move the delegate's registration at a hybrid event to `mode`, under the same capacity rules."""
    current = await own_registration(delegate_id, registration_id)
    async with write_transaction():
        event = await locked_event(event_id=current.event)
        registration = await own_registration(delegate_id, registration_id)  # again, under the lock
        await _switch_locked(registration, event, mode, actor)
    outbox.wake_sender()
    return await views.registration(registration_id)


async def _switch_locked(registration: RegistrationRow, event: EventRow, mode: AttendanceMode, actor: Actor) -> None:
    if event.attendance_mode != "hybrid":
        raise NotHybrid(offered=MODE_WORDS[attendance.modes_of(event)[0]])
    if registration.status not in ACTIVE:
        raise NotActive(status=registration.status)
    if event.ends_at <= utc_now():
        raise RegistrationsLocked()
    was = attendance.mode_named(registration.attendance_mode)
    if was == mode:
        raise AlreadyThatMode(mode=MODE_WORDS[mode])
    status, position = registration.status, None
    if status == "confirmed" and not await places.has_free_place(event, mode):
        raise SwitchFull(mode=MODE_WORDS[mode], current=MODE_WORDS[was])
    if status == "waitlisted":
        status, position = await places.place(event, mode)  # refused (nothing changed) when full with no list
        await places.leave_waitlist(event, was, registration.waitlist_position)
    await Registration.update({Registration.attendance_mode: mode}).where(Registration.id == registration.id)
    await places.set_status(registration.id, status, position)
    if status == "confirmed" and registration.status == "waitlisted":
        await places.confirm_requested_sessions(registration.id, event)
    detail = f"{MODE_WORDS[was]} to {MODE_WORDS[mode]}"
    if status == "waitlisted":
        detail += f", waiting list number {position}"
    await places.record(registration.id, "attendance_changed", detail, actor)
    if status in ("confirmed", "waitlisted"):  # the place or the number, as it now is, with the mode
        await notify.send(notify.STATUS_MESSAGES[status], registration.id)
    if registration.status == "confirmed":  # the place left behind goes to the next person waiting for it
        for promoted in await places.promote_waitlist(event, was):
            await notify.send("promoted", promoted)

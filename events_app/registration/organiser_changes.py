"""Organisers' changes to registrations: cancelling, approving and declining, promotion and moves by hand.
Each runs in one write transaction that first locks the event row (see places.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from events_app.accounts import scopes
from events_app.core.crud import not_found
from events_app.core.database import write_transaction
from events_app.core.errors import Conflict
from events_app.mail import outbox
from events_app.programme.locking import locked_event
from events_app.programme.rows import EventRow
from events_app.registration import notify, places, schemas, scoped, views
from events_app.registration.errors import (
    NotActive,
    NotOnWaitlist,
    OnlyPendingApproved,
    OnlyPendingDeclined,
    OnlyWaitlistedPromoted,
)
from events_app.registration.places import ACTIVE, Actor
from events_app.registration.register import STATUS_WORDS
from events_app.registration.rows import RegistrationRow
from events_app.registration.tables import Registration

# Cancelling ---------------------------------------------------------------------------------------


async def registration_row(registration_id: int) -> RegistrationRow:
    query = scopes.where(Registration.select(), scoped.registrations())
    row = await query.where(Registration.id == registration_id).first()
    if row is None:
        raise not_found("registration", registration_id)
    return RegistrationRow.of(row)


async def cancel_locked(
    registration: RegistrationRow, event: EventRow, actor: Actor, reason: str, *, tell: bool = True
) -> None:
    was = registration.status
    if was not in ACTIVE:
        raise NotActive(status=was)
    await places.set_status(registration.id, "cancelled")
    if was == "waitlisted":
        await places.leave_waitlist(event, registration.attendance_mode, registration.waitlist_position)
    await places.cancel_bookings(registration.id)
    await places.record(registration.id, "cancelled", reason, actor)
    if tell:
        await notify.send(
            "registration_cancelled",
            registration.id,
            extra={"by_organiser": actor.organiser_id is not None, "reason": reason},
        )
    if was == "confirmed":
        for promoted in await places.promote_waitlist(event, registration.attendance_mode):
            await notify.send("promoted", promoted)


async def cancel(registration_id: int, actor: Actor, reason: str = "") -> schemas.Registration:
    current = await registration_row(registration_id)
    async with write_transaction():
        event = await locked_event(event_id=current.event)
        registration = await registration_row(registration_id)  # read again under the lock
        await cancel_locked(registration, event, actor, reason.strip())
    outbox.wake_sender()
    return await views.registration(registration_id)


# Organisers: approval, promotion and moves by hand ------------------------------------------------


Change = Callable[[RegistrationRow, EventRow, Actor], Awaitable[None]]


async def _bulk(ids: list[int], actor: Actor, change: Change) -> schemas.BulkResult:
    changed: list[int] = []
    skipped: dict[str, str] = {}
    query = scopes.where(Registration.select(Registration.id, Registration.event), scoped.registrations())
    rows = await query.where(Registration.id.is_in(ids))
    found = {r["id"]: r["event"] for r in rows}
    for missing in set(ids) - set(found):
        skipped[str(missing)] = "There is no such registration"
    for event_id in sorted(set(found.values())):
        async with write_transaction():
            event = await locked_event(event_id=event_id)
            for registration_id in sorted(i for i, e in found.items() if e == event_id):
                registration = await registration_row(registration_id)
                try:
                    await change(registration, event, actor)
                except Conflict as refusal:
                    skipped[str(registration_id)] = refusal.detail
                else:
                    changed.append(registration_id)
    outbox.wake_sender()
    return schemas.BulkResult(changed=changed, skipped=skipped)


async def _approve(registration: RegistrationRow, event: EventRow, actor: Actor) -> None:
    if registration.status != "pending":
        raise OnlyPendingApproved(status=registration.status)
    status, position = await places.place(event, registration.attendance_mode)
    await places.set_status(registration.id, status, position)
    if status == "confirmed":
        await places.confirm_requested_sessions(registration.id, event)
    await places.record(registration.id, "approved", STATUS_WORDS[status], actor)
    await notify.send("approved", registration.id)


async def _decline(registration: RegistrationRow, event: EventRow, actor: Actor) -> None:
    if registration.status != "pending":
        raise OnlyPendingDeclined(status=registration.status)
    await places.set_status(registration.id, "declined")
    await places.cancel_bookings(registration.id)
    await places.record(registration.id, "declined", "", actor)
    await notify.send("declined", registration.id)


async def approve(ids: list[int], actor: Actor) -> schemas.BulkResult:
    return await _bulk(ids, actor, _approve)


async def decline(ids: list[int], actor: Actor) -> schemas.BulkResult:
    return await _bulk(ids, actor, _decline)


async def promote_by_hand(registration_id: int, actor: Actor) -> schemas.Registration:
    """An organiser gives a waiting delegate a place now, even beyond the capacity (recorded as such)."""
    current = await registration_row(registration_id)
    async with write_transaction():
        event = await locked_event(event_id=current.event)
        registration = await registration_row(registration_id)
        if registration.status != "waitlisted":
            raise OnlyWaitlistedPromoted(status=registration.status)
        over = not await places.has_free_place(event, registration.attendance_mode)
        await places.set_status(registration_id, "confirmed")
        await places.leave_waitlist(event, registration.attendance_mode, registration.waitlist_position)
        await places.confirm_requested_sessions(registration_id, event)
        await places.record(registration_id, "promoted", "by hand, beyond the capacity" if over else "by hand", actor)
        await notify.send("promoted", registration_id)
    outbox.wake_sender()
    return await views.registration(registration_id)


async def move_in_waitlist(registration_id: int, position: int, actor: Actor) -> schemas.Registration:
    current = await registration_row(registration_id)
    async with write_transaction():
        event = await locked_event(event_id=current.event)
        registration = await registration_row(registration_id)
        if registration.status != "waitlisted":
            raise NotOnWaitlist(status=registration.status)
        assert registration.waitlist_position is not None  # waiting means numbered
        await places.move_in_waitlist(
            event, registration.attendance_mode, registration_id, registration.waitlist_position, position
        )
        moved = await registration_row(registration_id)
        await places.record(
            registration_id,
            "moved",
            f"waiting list number {registration.waitlist_position} to {moved.waitlist_position}",
            actor,
        )
    return await views.registration(registration_id)

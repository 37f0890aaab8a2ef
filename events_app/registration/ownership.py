"""The owner of an address answers a registration someone made with it (issue 17): "this wasn't me" releases the
place; "confirm your place" keeps a place the event holds for an email confirmation; a hold that is never
confirmed is released by the scheduler. The links are signed and name one registration (notify.py makes them);
each opens a page whose button posts here, so a mail scanner following links changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from events_app.core import tokens
from events_app.core.database import write_transaction
from events_app.core.timezones import utc_now
from events_app.mail import outbox
from events_app.programme.locking import locked_event
from events_app.programme.rows import EventRow
from events_app.programme.tables import Event
from events_app.registration import notify, places
from events_app.registration.errors import ConfirmationLinkInvalid, HoldLapsed, NotConfirmedByEmail
from events_app.registration.organiser_changes import cancel_locked
from events_app.registration.places import ACTIVE, DELEGATE, SYSTEM
from events_app.registration.rows import RegistrationRow
from events_app.registration.tables import Registration

NOT_ME_REASON = "this wasn't me: released by the owner of the email address"
NOT_CONFIRMED_REASON = "not confirmed by email"


@dataclass(frozen=True, slots=True)
class LinkedRegistration:
    """What the owner's page shows about the registration a link names."""

    registration: RegistrationRow
    event: EventRow

    @property
    def active(self) -> bool:
        return self.registration.status in ACTIVE


def _registration_id(purpose: str, token: str, max_age_seconds: int) -> int:
    try:
        return int(tokens.unsign(purpose, token, max_age_seconds=max_age_seconds))
    except (tokens.InvalidToken, TypeError, ValueError):
        raise ConfirmationLinkInvalid() from None


async def _read(registration_id: int) -> LinkedRegistration:
    row = await Registration.select().where(Registration.id == registration_id).first()
    if row is None:
        raise ConfirmationLinkInvalid()
    event = await Event.select().where(Event.id == row["event"]).first()
    if event is None:
        raise ConfirmationLinkInvalid()
    return LinkedRegistration(RegistrationRow.of(row), EventRow.of(event))


async def not_me_link(token: str) -> LinkedRegistration:
    return await _read(_registration_id(notify.NOT_ME, token, notify.MANAGE_MAX_AGE))


async def confirm_link(token: str) -> LinkedRegistration:
    return await _read(_registration_id(notify.CONFIRM_PLACE, token, notify.CONFIRM_MAX_AGE))


async def release(token: str) -> LinkedRegistration:
    """'This wasn't me': the place is cancelled (and the waiting list moves up), with a line in its history.
    Nothing else changes: the delegate's record stays as its owner left it. A second click changes nothing."""
    registration_id = _registration_id(notify.NOT_ME, token, notify.MANAGE_MAX_AGE)
    current = await _read(registration_id)
    async with write_transaction():
        event = await locked_event(event_id=current.event.id)
        found = await _read(registration_id)  # again, under the lock
        if found.active:
            await cancel_locked(found.registration, event, DELEGATE, NOT_ME_REASON, tell=False)
    outbox.wake_sender()
    return await _read(registration_id)


async def confirm(token: str) -> LinkedRegistration:
    """The owner keeps a held place: the hold ends, and the usual message goes (with the ticket, for a place).
    A second click changes nothing; a hold that lapsed cannot be confirmed (its place went to someone else)."""
    registration_id = _registration_id(notify.CONFIRM_PLACE, token, notify.CONFIRM_MAX_AGE)
    current = await _read(registration_id)
    async with write_transaction():
        await locked_event(event_id=current.event.id)
        found = await _read(registration_id)
        now = utc_now()
        if found.registration.email_confirmed_at is None:
            hold = found.registration.hold_expires_at
            if not found.active or hold is None or hold <= now:
                raise HoldLapsed()
            await Registration.update(
                {Registration.email_confirmed_at: now, Registration.hold_expires_at: None, Registration.updated_at: now}
            ).where(Registration.id == registration_id)
            await places.record(registration_id, "email_confirmed", "confirmed by email", DELEGATE)
            await notify.send(notify.STATUS_MESSAGES[found.registration.status], registration_id)
    outbox.wake_sender()
    return await _read(registration_id)


async def expire_holds(now: datetime | None = None) -> int:
    """Release the places whose owners never confirmed them (scheduled): each is cancelled with the history line
    "not confirmed by email", and the waiting list moves up. Returns how many were released."""
    now = now or utc_now()
    due = await Registration.select(Registration.id, Registration.event).where(
        Registration.hold_expires_at.is_not_null()
        & (Registration.hold_expires_at <= now)
        & Registration.status.is_in(list(ACTIVE))
    )
    released = 0
    for event_id in sorted({r["event"] for r in due}):
        async with write_transaction():
            event = await locked_event(event_id=event_id)
            rows = await Registration.select().where(
                (Registration.event == event_id)
                & Registration.hold_expires_at.is_not_null()
                & (Registration.hold_expires_at <= now)
                & Registration.status.is_in(list(ACTIVE))
            )
            # The waiting list's back first, so each release sees the numbers the one before left.
            for row in sorted(map(RegistrationRow.of, rows), key=lambda r: -(r.waitlist_position or 0)):
                fresh = await Registration.select().where(Registration.id == row.id).first()
                if fresh is None or fresh["status"] not in ACTIVE:
                    continue
                await cancel_locked(RegistrationRow.of(fresh), event, SYSTEM, NOT_CONFIRMED_REASON, tell=False)
                released += 1
    if released:
        outbox.wake_sender()
    return released


async def refuse_unconfirmed_ticket(registration_id: int) -> None:
    """No ticket for a place still held for its owner's confirmation."""
    row = await Registration.select(Registration.hold_expires_at).where(Registration.id == registration_id).first()
    if row is not None and row["hold_expires_at"] is not None:
        raise NotConfirmedByEmail()


async def holds(event_id: int) -> dict[int, datetime]:
    """The event's places still held for their owners to confirm by email: registration id -> until when."""
    rows = await Registration.select(Registration.id, Registration.hold_expires_at).where(
        (Registration.event == event_id)
        & Registration.hold_expires_at.is_not_null()
        & Registration.status.is_in(list(ACTIVE))
    )
    return {r["id"]: r["hold_expires_at"] for r in rows}


async def held_places_of(delegate_id: int) -> set[int]:
    """A delegate's registrations still held for a confirmation by email (their manage page shows no ticket)."""
    rows = await Registration.select(Registration.id).where(
        (Registration.delegate == delegate_id)
        & Registration.hold_expires_at.is_not_null()
        & Registration.status.is_in(list(ACTIVE))
    )
    return {r["id"] for r in rows}

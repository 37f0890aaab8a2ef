"""Registering: a delegate (or an organiser for them) takes a place, waits, or asks for approval. The event row
is locked for as short a time as possible (see places.py); the email is written to the outbox in the same
transaction, and the sender is woken after the commit."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import msgspec

from events_app.core.crud import not_found
from events_app.core.database import is_postgres, write_transaction
from events_app.core.email_address import RESERVED_DOMAIN
from events_app.core.errors import FieldError, InvalidFields, UnknownReference
from events_app.core.schema import person_name
from events_app.core.timezones import utc_now
from events_app.mail import outbox
from events_app.mail.context import MailEvent, mail_event_from_row
from events_app.people.errors import UnknownRegion, UnknownStakeholderGroup
from events_app.people.schemas import GroupRef
from events_app.people.tables import Delegate, Organisation, Region, StakeholderGroup
from events_app.programme.locking import locked_event
from events_app.programme.rows import EventRow, SessionRow
from events_app.registration import attendance, notify, opening, places, schemas
from events_app.registration.errors import (
    EventIsCancelled,
    OrganisationRequired,
)
from events_app.registration.places import DELEGATE, Actor
from events_app.registration.questions import checked_answers, list_questions
from events_app.registration.rows import Recipient, RegistrationRow
from events_app.registration.schemas import BookingStatus, RegistrationStatus
from events_app.registration.tables import Registration

# Every refusal a delegate can meet, in one place.
STATUS_WORDS: dict[RegistrationStatus, str] = {
    "pending": "waiting for the organisers' approval",
    "confirmed": "confirmed",
    "waitlisted": "on the waiting list",
    "declined": "declined",
    "cancelled": "cancelled",
}


async def _group(slug: str) -> GroupRef:
    row = (
        await StakeholderGroup.select(StakeholderGroup.id, StakeholderGroup.slug, StakeholderGroup.name)
        .where(StakeholderGroup.slug == slug)
        .first()
    )
    if row is None:
        raise UnknownStakeholderGroup(slug=slug)
    return GroupRef(id=row["id"], slug=row["slug"], name=row["name"])


# (organisation id or None, the name typed when it is not on the list, the name to show, the listed one's region)
CheckedOrganisation = tuple[int | None, str, str, int | None]


async def _checked_organisation(data: schemas.RegistrationCreate) -> CheckedOrganisation:
    name = " ".join(data.organisation_name.split())
    if data.organisation_id is not None:
        row = (
            await Organisation.select(Organisation.name, Organisation.region)
            .where(Organisation.id == data.organisation_id)
            .first()
        )
        if row is None:
            raise UnknownReference(what="organisation", id=data.organisation_id, field="organisation_id")
        return data.organisation_id, "", row["name"], row["region"]
    if not name:
        raise OrganisationRequired()
    known = await Organisation.select(Organisation.id, Organisation.region).where(Organisation.name == name).first()
    if known is None:
        return None, name, name, None
    return int(known["id"]), "", name, known["region"]  # a typed name on the list is linked


async def _region_of(chosen: str | None, organisation_region: int | None) -> int | None:
    """The region the person chose (where they are based), else their listed organisation's region, else none."""
    if not chosen:
        return organisation_region
    found = await Region.select(Region.id).where(Region.slug == chosen).first()
    if found is None:
        raise UnknownRegion(slug=chosen)
    return int(found["id"])


async def _delegate_for(
    data: schemas.RegistrationCreate, group_id: int, organisation: CheckedOrganisation, now: datetime
) -> tuple[Recipient, bool]:
    """The delegate with this address, and their consent to be contacted as held. A new address gets a delegate
    made from what was typed; a known one is never changed by a registration, whoever makes it: only its owner
    changes what is held about them (issue 17), and what was typed is kept on the registration alone. One insert
    that does nothing on a known address, then a read: two first registrations at once are safe."""
    email = data.email.strip().lower()
    name = " ".join(data.name.split())
    inserted = await (
        Delegate.insert(
            Delegate(
                email=email,
                name=name,
                organisation=organisation[0],
                organisation_name=organisation[1],
                stakeholder_group=group_id,
                consent_to_contact=data.consent_to_contact,
                created_at=now,
                updated_at=now,
            )
        )
        .on_conflict(target=Delegate.email, action="DO NOTHING")
        .returning(Delegate.id, Delegate.token_version, Delegate.erased_at)
    )
    if inserted:
        return Recipient(email=email, name=name, **inserted[0]), data.consent_to_contact
    known = await (
        Delegate.select(
            Delegate.id,
            Delegate.name,
            Delegate.email,
            Delegate.token_version,
            Delegate.erased_at,
            Delegate.consent_to_contact,
        )
        .where(Delegate.email == email)
        .first()
    )
    if known is None or known["erased_at"] is not None:  # erased addresses are refused as addresses already
        raise InvalidFields([FieldError("email", f"Email address: {RESERVED_DOMAIN}")])
    return Recipient.of(known), bool(known["consent_to_contact"])


CHECK_INBOX = (
    "Thank you. Please check your inbox: we have emailed the address you gave about this registration, with what "
    "to do next. If nothing arrives within a few minutes, look in your spam folder."
)


async def register(
    event: EventRow, data: schemas.RegistrationCreate, *, actor: Actor = DELEGATE
) -> schemas.RegistrationResult:
    """Register a delegate. Everything that needs no lock is read and checked first; the event row is then
    locked for as short a time as possible: one query counts places (and finds this delegate's registration),
    then the registration, its history line and its email are written, and the transaction commits.

    The full answer is for organisers; whoever typed an address learns only CHECK_INBOX (the callers decide):
    the place, its ticket and its manage link go to the inbox of the address."""
    now = utc_now()
    data = msgspec.structs.replace(data, name=person_name(data.name))
    try:
        return await _register_locked(event, data, actor, now)
    except _AlreadyRegistered as already:
        existing = already.registration
    async with write_transaction():
        await notify.send_manage_link(existing.delegate, dedupe_key=f"manage-link:{existing.delegate}:{now:%Y%m%d%H}")
    outbox.wake_sender()
    return schemas.RegistrationResult(
        created=False,
        status=existing.status,
        waitlist_position=existing.waitlist_position,
        message=(
            f"This email address is already registered for this event ({STATUS_WORDS[existing.status]}). "
            "We have emailed a link to manage the registration to that address."
        ),
    )


class _AlreadyRegistered(Exception):
    def __init__(self, registration: RegistrationRow) -> None:
        super().__init__("already registered")
        self.registration = registration


def registered_as(name: str, organisation: str, group: str) -> str:
    """Who a registration says it is, as its emails quote it to the owner of the address."""
    return f"{name}, {organisation} ({group})"


async def _register_locked(
    event: EventRow, data: schemas.RegistrationCreate, actor: Actor, now: datetime
) -> schemas.RegistrationResult:
    if event.status == "draft" and actor.organiser_id is None:
        raise not_found("event", event.slug)  # a draft takes registrations only from organisers
    async with write_transaction():
        # Reads and checks first, on this transaction's one connection; nothing is locked yet (PostgreSQL).
        group = await _group(data.stakeholder_group)
        organisation = await _checked_organisation(data)
        region = await _region_of(data.region, organisation[3])
        answers = checked_answers(await list_questions(event.id), data.answers)
        sessions = await places.bookable_sessions(event.id, data.session_ids)
        mail_event = await mail_event_from_row(event)
        delegate, consent = await _delegate_for(data, group.id, organisation, now)
        ahead = await _mail_ahead(event, data, actor, now, delegate, mail_event, organisation[2], group.name, sessions)
        event = await locked_event(event_id=event.id)
        if actor.organiser_id is None:
            opening.check_open(event, now)
        elif event.status == "cancelled":
            raise EventIsCancelled()
        mode = attendance.chosen_mode(event, data.attendance_mode)
        counted = await places.event_places(event, mode, delegate.id)
        found = (
            await Registration.select().where(Registration.id == counted.existing_id).first()
            if counted.existing_id
            else None
        )
        existing = RegistrationRow.of(found) if found is not None else None
        if existing is not None and existing.status != "cancelled":
            raise _AlreadyRegistered(existing)  # roll back: a second attempt changes nothing of the first
        pending = event.requires_approval and actor.organiser_id is None
        status, position = ("pending", None) if pending else places.place_from(event, mode, counted)
        anonymous = actor.organiser_id is None
        hold = _hold_until(event, actor, now)
        access_needs, dietary_needs = data.access_needs.strip(), data.dietary_needs.strip()
        typed_name = " ".join(data.name.split())
        values: dict[Any, Any] = {
            # What this registration is made as, kept as it was: reports read these.
            "name": typed_name,
            "organisation": organisation[0],
            "organisation_name": organisation[2],
            "stakeholder_group": group.id,
            "region": region,
            "status": status,
            "waitlist_position": position,
            "access_needs": access_needs,
            "dietary_needs": dietary_needs,
            "answers": json.dumps(answers),
            "updated_at": now,
            "confirmed_at": now if status == "confirmed" else None,
            "cancelled_at": None,
            "hold_expires_at": hold,
            "email_confirmed_at": None,
            "attendance_mode": mode,
        }
        if existing is None:
            ahead_id: dict[str, Any] = {"id": ahead.registration_id} if ahead is not None else {}
            inserted = await Registration.insert(
                Registration(event=event.id, delegate=delegate.id, created_at=now, **ahead_id, **values)
            ).returning(Registration.id)
            registration_id = int(inserted[0]["id"])
        else:  # registering again after cancelling: the same row, so its history stays in one place
            registration_id = existing.id
            await Registration.update(values).where(Registration.id == registration_id)
        booked = await places.book_sessions(registration_id, event, sessions, confirmed=status == "confirmed")
        done = (registration_id, "registered", STATUS_WORDS[status], actor)
        mail_args = _mail_args(
            event,
            mode,
            status,
            hold,
            registration_id,
            anonymous,
            typed_name,
            organisation[2],
            group.name,
            sessions,
            booked,
            delegate,
            mail_event,
        )
        await _write_email(ahead, event, registration_id, mail_args, position, done)
        _likely_status[event.id] = status
        outcome = schemas.RegistrationResult(
            created=True,
            status=status,
            waitlist_position=position,
            message=_result_message(status, position, attendance.counted_mode(event, mode)),
            registration=schemas.Registration(
                id=registration_id,
                event=schemas.EventRef(
                    id=event.id,
                    slug=event.slug,
                    title=event.title,
                    url=f"/events/{event.slug}",
                    starts_at=event.starts_at,
                ),
                status=status,
                waitlist_position=position,
                name=typed_name,
                email=delegate.email,
                organisation_id=organisation[0],
                organisation=organisation[2],
                stakeholder_group=group.slug,
                stakeholder_group_name=group.name,
                access_needs=access_needs,
                dietary_needs=dietary_needs,
                consent_to_contact=consent,  # as held: the owner's own choice
                answers=answers,
                sessions=[
                    schemas.Booking(
                        session_id=s.id,
                        title=s.title,
                        starts_at=s.starts_at,
                        ends_at=s.ends_at,
                        status=b[0],
                        waitlist_position=b[1],
                    )
                    for s, b in zip(sessions, booked, strict=True)
                ],
                created_at=existing.created_at if existing else now,
                updated_at=now,
                delegate_id=delegate.id,
                attendance_mode=mode,
            ),
        )
    outbox.wake_sender()
    return outcome


def _hold_until(event: EventRow, actor: Actor, now: datetime) -> datetime | None:
    """Made by whoever typed the address: held until its owner confirms, when the event asks for that."""
    anonymous = actor.organiser_id is None
    return now + timedelta(hours=event.confirm_email_hours) if anonymous and event.confirm_email_hours else None


def _mail_args(
    event: EventRow,
    mode: str,
    status: RegistrationStatus,
    hold: datetime | None,
    registration_id: int,
    anonymous: bool,
    typed_name: str,
    organisation_name: str,
    group_name: str,
    sessions: list[SessionRow],
    booked: list[tuple[BookingStatus, int | None]],
    delegate: Recipient,
    mail_event: MailEvent,
) -> dict[str, Any]:
    """The registration email's arguments to notify.queue, but its waiting-list number."""
    # The email greets the owner by their own record's name; it quotes what was typed, and offers the owner
    # a way out when someone else typed their address.
    extra: dict[str, object] = (
        {
            "registered_as": registered_as(typed_name, organisation_name, group_name),
            "not_me_url": notify.not_me_url(registration_id),
        }
        if anonymous
        else {}
    )
    if hold is not None:
        extra |= {
            "confirm_url": notify.confirm_url(registration_id),
            "hold_until": notify.moment_words(hold, event.timezone),
            "status_words": STATUS_WORDS[status],
        }
    extra |= notify.attendance_words(event, mode)
    ticket = registration_id if status == "confirmed" and hold is None else None
    return {
        "kind": "confirm_place" if hold is not None else notify.STATUS_MESSAGES[status],
        "event": event,
        "delegate": delegate,
        "mail_event": mail_event,
        "sessions": notify.session_lines(sessions, booked, event.timezone, ticket),
        "ticket_for": ticket,
        "place_mode": mode,
        "extra": extra,
    }


# The status the last registration for each event (in this process) was given: a rush's next one most likely gets
# the same, and its email is rendered for it before the event is locked.
_likely_status: dict[int, RegistrationStatus] = {}


@dataclass(frozen=True, slots=True)
class _Ahead:
    """A registration's id taken before the lock, and its email rendered for the likely decision."""

    registration_id: int
    event: EventRow
    args: dict[str, Any]
    prepared: notify.Prepared | None

    def fits(self, event: EventRow, registration_id: int, args: dict[str, Any]) -> bool:
        """Whether the locked decision is the one the email was rendered for (the same event row as well)."""
        return self.registration_id == registration_id and self.event == event and self.args == args


async def _mail_ahead(
    event: EventRow,
    data: schemas.RegistrationCreate,
    actor: Actor,
    now: datetime,
    delegate: Recipient,
    mail_event: MailEvent,
    organisation_name: str,
    group_name: str,
    sessions: list[SessionRow],
) -> _Ahead | None:
    """On PostgreSQL, the new registration's id from its sequence, and its email (with its ticket and invitation)
    rendered for the likely status: the work that needs no lock done before the event's row is locked. None on
    SQLite (no sequence to take an id from) and when sessions are chosen (their places are decided locked)."""
    if sessions or not is_postgres():
        return None
    rows = await Registration.raw("SELECT nextval(pg_get_serial_sequence('registration', 'id')) AS id")
    registration_id = int(rows[0]["id"])
    pending = event.requires_approval and actor.organiser_id is None
    status: RegistrationStatus = "pending" if pending else _likely_status.get(event.id, "confirmed")
    mode = attendance.chosen_mode(event, data.attendance_mode)
    args = _mail_args(
        event,
        mode,
        status,
        _hold_until(event, actor, now),
        registration_id,
        actor.organiser_id is None,
        " ".join(data.name.split()),
        organisation_name,
        group_name,
        sessions,
        [],
        delegate,
        mail_event,
    )
    position = notify.POSITION if status == "waitlisted" else None
    return _Ahead(registration_id, event, args, notify.prepare(position=position, **args))


async def _write_email(
    ahead: _Ahead | None,
    event: EventRow,
    registration_id: int,
    mail_args: dict[str, Any],
    position: int | None,
    done: tuple[int, str, str, Actor],
) -> None:
    """The registration's history line and its email: the one rendered before the lock when it was rendered for
    this decision (both in one statement), else one rendered now."""
    if ahead is not None and ahead.fits(event, registration_id, mail_args):
        if ahead.prepared is not None:  # the history line and the email in one statement
            ready = ahead.prepared.with_position(position) if position is not None else ahead.prepared
            await notify.enqueue_prepared(ready, together=places.change_row(*done))
        else:
            await places.record(*done)
    else:
        await places.record(*done)
        await notify.queue(position=position, **mail_args)


def _result_message(status: RegistrationStatus, position: int | None, mode: str | None = None) -> str:
    """What the organiser is told; `mode` names the places at a hybrid event."""
    words = attendance.MODE_WORDS[attendance.mode_named(mode)] if mode is not None else ""
    places_words = f" ({words})" if words else ""
    if status == "confirmed":
        return (
            f"Your place{places_words} is confirmed. We have emailed you the details and a link to manage your "
            "registration."
        )
    if status == "waitlisted":
        full = f"The {words} places are full" if words else "The event is full"
        return (
            f"{full}, so you are on the waiting list at number {position}. If a place frees up it is "
            "yours automatically, and we will email you."
        )
    return "Thank you. This event needs the organisers' approval; we will email you when they have decided."

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
from events_app.core.database import read_rows, run_sql, value_list, value_rows, write_transaction
from events_app.core.email_address import RESERVED_DOMAIN
from events_app.core.errors import DomainError, FieldError, InvalidFields, UnknownReference
from events_app.core.group_commit import GroupCommit
from events_app.core.schema import person_name
from events_app.core.timezones import utc_now
from events_app.mail import outbox
from events_app.mail.context import mail_event_from_row
from events_app.people.errors import UnknownRegion, UnknownStakeholderGroup
from events_app.people.schemas import GroupRef
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
from events_app.registration.schemas import AttendanceMode, BookingStatus, RegistrationStatus
from events_app.registration.tables import Registration

# Every refusal a delegate can meet, in one place.
STATUS_WORDS: dict[RegistrationStatus, str] = {
    "pending": "waiting for the organisers' approval",
    "confirmed": "confirmed",
    "waitlisted": "on the waiting list",
    "declined": "declined",
    "cancelled": "cancelled",
}


# (organisation id or None, the name typed when it is not on the list, the name to show, the listed one's region)
CheckedOrganisation = tuple[int | None, str, str, int | None]


# The form's references, read in SQL written out: every batch of a rush reads them.
_ORGANISATION = "SELECT id, name, region FROM organisation WHERE "


class _Lookups:
    """The form's references (stakeholder group, organisation, region), each read once per transaction: the
    registrations of a rush decided together name the same few."""

    def __init__(self) -> None:
        self._groups: dict[str, GroupRef] = {}
        self._organisations: dict[tuple[int | None, str], CheckedOrganisation] = {}
        self._regions: dict[str, int] = {}

    async def group(self, slug: str) -> GroupRef:
        if slug not in self._groups:
            rows = await read_rows("SELECT id, slug, name FROM stakeholder_group WHERE slug = {}", slug)
            if not rows:
                raise UnknownStakeholderGroup(slug=slug)
            self._groups[slug] = GroupRef(id=rows[0]["id"], slug=rows[0]["slug"], name=rows[0]["name"])
        return self._groups[slug]

    async def organisation(self, data: schemas.RegistrationCreate) -> CheckedOrganisation:
        key = (data.organisation_id, " ".join(data.organisation_name.split()))
        if key not in self._organisations:
            self._organisations[key] = await self._organisation(*key)
        return self._organisations[key]

    @staticmethod
    async def _organisation(organisation_id: int | None, name: str) -> CheckedOrganisation:
        if organisation_id is not None:
            rows = await read_rows(_ORGANISATION + "id = {}", organisation_id)
            if not rows:
                raise UnknownReference(what="organisation", id=organisation_id, field="organisation_id")
            return organisation_id, "", rows[0]["name"], rows[0]["region"]
        if not name:
            raise OrganisationRequired()
        known = await read_rows(_ORGANISATION + "name = {} ORDER BY id LIMIT 1", name)
        if not known:
            return None, name, name, None
        return int(known[0]["id"]), "", name, known[0]["region"]  # a typed name on the list is linked

    async def region(self, chosen: str | None, organisation_region: int | None) -> int | None:
        """The region the person chose (where they are based), else their listed organisation's region, else none."""
        if not chosen:
            return organisation_region
        if chosen not in self._regions:
            found = await read_rows("SELECT id FROM region WHERE slug = {}", chosen)
            if not found:
                raise UnknownRegion(slug=chosen)
            self._regions[chosen] = int(found[0]["id"])
        return self._regions[chosen]


@dataclass(frozen=True, slots=True)
class _Checked:
    """What a registration is made as, read and checked before anything is written or counted."""

    group: GroupRef
    organisation: CheckedOrganisation
    region: int | None
    answers: dict[str, Any]


async def _check(data: schemas.RegistrationCreate, questions: list[schemas.Question], lookups: _Lookups) -> _Checked:
    group = await lookups.group(data.stakeholder_group)
    organisation = await lookups.organisation(data)
    region = await lookups.region(data.region, organisation[3])
    return _Checked(group, organisation, region, checked_answers(questions, data.answers))


def _address(data: schemas.RegistrationCreate) -> str:
    return data.email.strip().lower()


def _erased() -> InvalidFields:
    """Erased addresses are refused as addresses already are: the answer never tells which."""
    return InvalidFields([FieldError("email", f"Email address: {RESERVED_DOMAIN}")])


async def _delegate_for(data: schemas.RegistrationCreate, checked: _Checked, now: datetime) -> tuple[Recipient, bool]:
    """The delegate with this address, and their consent to be contacted as held. A new address gets a delegate
    made from what was typed; a known one is never changed by a registration, whoever makes it: only its owner
    changes what is held about them (issue 17), and what was typed is kept on the registration alone. One insert
    that does nothing on a known address, then a read: two first registrations at once are safe."""
    delegate, consent = (await _make_delegates([(_Arrival(data, now), checked)]))[_address(data)]
    if delegate.erased_at is not None:
        raise _erased()
    return delegate, consent


_DELEGATE = "SELECT id, name, email, token_version, erased_at, consent_to_contact FROM delegate WHERE email IN "


async def _known_delegates(emails: list[str]) -> dict[str, dict[str, Any]]:
    """The delegates of these addresses, by address."""
    if not emails:
        return {}
    rows = await read_rows(_DELEGATE + value_list(len(emails)), *emails)
    return {row["email"]: row for row in rows}


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

    A delegate's own registration without workshop sessions (a rush is made of these) joins the event's group
    commit: those arriving while the event's last batch is being decided are decided together, in the order
    they came, in one transaction (`_decide_together`); each still gets its own answer.

    The full answer is for organisers; whoever typed an address learns only CHECK_INBOX (the callers decide):
    the place, its ticket and its manage link go to the inbox of the address."""
    now = utc_now()
    data = msgspec.structs.replace(data, name=person_name(data.name))
    if event.status == "draft" and actor.organiser_id is None:
        raise not_found("event", event.slug)  # a draft takes registrations only from organisers
    try:
        if actor.organiser_id is None and not data.session_ids:
            together = await _together.submit(event.id, _Arrival(data, now))
            if together is not None:
                return together
        return await _register_alone(event, data, actor, now)
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


def _values(
    data: schemas.RegistrationCreate,
    checked: _Checked,
    status: RegistrationStatus,
    position: int | None,
    mode: str,
    hold: datetime | None,
    now: datetime,
) -> dict[Any, Any]:
    """The registration's columns as this registration makes them (but its event, delegate and created_at)."""
    return {
        # What this registration is made as, kept as it was: reports read these.
        "name": " ".join(data.name.split()),
        "organisation": checked.organisation[0],
        "organisation_name": checked.organisation[2],
        "stakeholder_group": checked.group.id,
        "region": checked.region,
        "status": status,
        "waitlist_position": position,
        "access_needs": data.access_needs.strip(),
        "dietary_needs": data.dietary_needs.strip(),
        "answers": json.dumps(checked.answers),
        "updated_at": now,
        "confirmed_at": now if status == "confirmed" else None,
        "cancelled_at": None,
        "hold_expires_at": hold,
        "email_confirmed_at": None,
        "attendance_mode": mode,
    }


async def _register_alone(
    event: EventRow, data: schemas.RegistrationCreate, actor: Actor, now: datetime
) -> schemas.RegistrationResult:
    async with write_transaction():
        # Reads and checks first, on this transaction's one connection; nothing is locked yet (PostgreSQL).
        checked = await _check(data, await list_questions(event.id), _Lookups())
        sessions = await places.bookable_sessions(event.id, data.session_ids)
        mail_event = await mail_event_from_row(event)
        delegate, consent = await _delegate_for(data, checked, now)
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
        hold = _hold_until(event, actor, now)
        values = _values(data, checked, status, position, mode, hold, now)
        if existing is None:
            inserted = await Registration.insert(
                Registration(event=event.id, delegate=delegate.id, created_at=now, **values)
            ).returning(Registration.id)
            registration_id = int(inserted[0]["id"])
        else:  # registering again after cancelling: the same row, so its history stays in one place
            registration_id = existing.id
            await Registration.update(values).where(Registration.id == registration_id)
        booked = await places.book_sessions(registration_id, event, sessions, confirmed=status == "confirmed")
        await places.record(registration_id, "registered", STATUS_WORDS[status], actor)
        args = _mail_args(event, mode, status, hold, registration_id, actor, data, checked, sessions, booked, delegate)
        await notify.queue(position=position, mail_event=mail_event, **args)
    outbox.wake_sender()
    made = existing.created_at if existing else now
    return _outcome(event, registration_id, data, checked, values, delegate, consent, sessions, booked, made)


def _outcome(
    event: EventRow,
    registration_id: int,
    data: schemas.RegistrationCreate,
    checked: _Checked,
    values: dict[str, Any],
    delegate: Recipient,
    consent: bool,
    sessions: list[SessionRow],
    booked: list[tuple[BookingStatus, int | None]],
    created_at: datetime,
) -> schemas.RegistrationResult:
    """The answer to a registration just made (the organisers' full one)."""
    status, position, mode = values["status"], values["waitlist_position"], values["attendance_mode"]
    return schemas.RegistrationResult(
        created=True,
        status=status,
        waitlist_position=position,
        message=_result_message(status, position, attendance.counted_mode(event, mode)),
        registration=schemas.Registration(
            id=registration_id,
            event=schemas.EventRef(
                id=event.id, slug=event.slug, title=event.title, url=f"/events/{event.slug}", starts_at=event.starts_at
            ),
            status=status,
            waitlist_position=position,
            name=values["name"],
            email=delegate.email,
            organisation_id=checked.organisation[0],
            organisation=checked.organisation[2],
            stakeholder_group=checked.group.slug,
            stakeholder_group_name=checked.group.name,
            access_needs=values["access_needs"],
            dietary_needs=values["dietary_needs"],
            consent_to_contact=consent,  # as held: the owner's own choice
            answers=checked.answers,
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
            created_at=created_at,
            updated_at=values["updated_at"],
            delegate_id=delegate.id,
            attendance_mode=mode,
        ),
    )


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
    actor: Actor,
    data: schemas.RegistrationCreate,
    checked: _Checked,
    sessions: list[SessionRow],
    booked: list[tuple[BookingStatus, int | None]],
    delegate: Recipient,
) -> dict[str, Any]:
    """The registration email's arguments to notify.queue and notify.prepare, but its waiting-list number and the
    event as emails show it."""
    # The email greets the owner by their own record's name; it quotes what was typed, and offers the owner
    # a way out when someone else typed their address.
    typed_name = " ".join(data.name.split())
    extra: dict[str, object] = (
        {
            "registered_as": registered_as(typed_name, checked.organisation[2], checked.group.name),
            "not_me_url": notify.not_me_url(registration_id),
        }
        if actor.organiser_id is None
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
        "sessions": notify.session_lines(sessions, booked, event.timezone, ticket),
        "ticket_for": ticket,
        "place_mode": mode,
        "extra": extra,
    }


# Registrations decided together (group commit) ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Arrival:
    data: schemas.RegistrationCreate
    now: datetime


# What a registration decided in a batch gets: its answer, its refusal, or None: decide it alone, after the batch
# (registering again after cancelling reuses the old row; the same address twice in one batch).
_Answer = schemas.RegistrationResult | None

# Registrations in one batch: SQLite's oldest builds take 999 bound values a statement (a registration row has 19).
MOST_TOGETHER = 40


async def _decide_together(event_id: int, arrivals: list[_Arrival]) -> list[_Answer | BaseException]:
    """Decide a batch of a delegate's own registrations (no workshop sessions) for one event, in the order they
    arrived, in one transaction: the event is locked and its places counted once; the delegates, registrations,
    history lines and emails are each written in one statement. Each arrival's refusal is its own."""
    answers: list[_Answer | BaseException] = [None] * len(arrivals)
    async with write_transaction():
        event = await locked_event(event_id=event_id)
        questions = await list_questions(event.id)
        lookups = _Lookups()
        checked: dict[int, tuple[_Checked, AttendanceMode]] = {}
        for i, arrival in enumerate(arrivals):
            try:
                if event.status == "draft":
                    raise not_found("event", event.slug)
                opening.check_open(event, arrival.now)
                mode = attendance.chosen_mode(event, arrival.data.attendance_mode)
                checked[i] = (await _check(arrival.data, questions, lookups), mode)
            except DomainError as refusal:
                answers[i] = refusal
        known = await _known_delegates(sorted({_address(arrivals[i].data) for i in checked}))
        existing = await _registrations_at(event.id, [int(row["id"]) for row in known.values()])
        counts = {mode: await places.event_places(event, mode, 0) for mode in {m for _, m in checked.values()}}
        taking: list[tuple[int, RegistrationStatus, int | None]] = []
        addresses: set[str] = set()
        for i, (_, mode) in checked.items():
            email = _address(arrivals[i].data)
            person = known.get(email)
            if email in addresses:
                continue  # decided alone after this batch, where it finds the first
            if person is not None and person["erased_at"] is not None:
                answers[i] = _erased()
                continue
            found = existing.get(int(person["id"])) if person is not None else None
            if found is not None:
                if found.status != "cancelled":
                    answers[i] = _AlreadyRegistered(found)  # nothing written for it
                continue  # registering again after cancelling: alone, on the same row
            try:
                status, position = (
                    ("pending", None) if event.requires_approval else places.place_from(event, mode, counts[mode])
                )
            except DomainError as refusal:
                answers[i] = refusal
                continue
            counts[mode] = places.taken(counts[mode], status, position)
            addresses.add(email)
            taking.append((i, status, position))
        if taking:
            answers = await _write_together(event, arrivals, checked, known, taking, answers)
    outbox.wake_sender()
    return answers


async def _write_together(
    event: EventRow,
    arrivals: list[_Arrival],
    checked: dict[int, tuple[_Checked, AttendanceMode]],
    known: dict[str, dict[str, Any]],
    taking: list[tuple[int, RegistrationStatus, int | None]],
    answers: list[_Answer | BaseException],
) -> list[_Answer | BaseException]:
    """The batch's writes, in one statement each: new delegates, registrations, history lines, emails."""
    new = [i for i, _, _ in taking if _address(arrivals[i].data) not in known]
    people = {e: (Recipient.of(row), bool(row["consent_to_contact"])) for e, row in known.items()}
    people |= await _make_delegates([(arrivals[i], checked[i][0]) for i in new])
    rows: list[tuple[int, dict[str, Any]]] = []
    for i, status, position in taking:
        arrival, (this, mode) = arrivals[i], checked[i]
        delegate = people[_address(arrival.data)][0]
        values = _values(
            arrival.data, this, status, position, mode, _hold_until(event, DELEGATE, arrival.now), arrival.now
        )
        rows.append((delegate.id, {"event": event.id, "delegate": delegate.id, "created_at": arrival.now, **values}))
    columns = list(rows[0][1])
    inserted = await run_sql(
        f"INSERT INTO registration ({', '.join(columns)}) VALUES {value_rows(len(rows), len(columns))} "  # noqa: S608 - our own column names
        "RETURNING id, delegate",
        *[row[c] for _, row in rows for c in columns],
    )
    ids = {int(r["delegate"]): int(r["id"]) for r in inserted}
    await places.record_many([(ids[d], "registered", STATUS_WORDS[row["status"]], DELEGATE) for d, row in rows])
    mail_event = await mail_event_from_row(event)
    messages = []
    for (i, status, position), (delegate_id, row) in zip(taking, rows, strict=True):
        arrival, (this, mode) = arrivals[i], checked[i]
        delegate, consent = people[_address(arrival.data)]
        hold = row["hold_expires_at"]
        args = _mail_args(event, mode, status, hold, ids[delegate_id], DELEGATE, arrival.data, this, [], [], delegate)
        prepared = notify.prepare(position=position, mail_event=mail_event, **args)
        if prepared is not None:
            messages.append(prepared)
        answers[i] = _outcome(event, ids[delegate_id], arrival.data, this, row, delegate, consent, [], [], arrival.now)
    await outbox.enqueue_many(messages)
    return answers


async def _make_delegates(made: list[tuple[_Arrival, _Checked]]) -> dict[str, tuple[Recipient, bool]]:
    """Delegates made from what was typed, in one statement, and their consent as held; an address already known
    (or taken by another registration meanwhile) is read, never changed."""
    if not made:
        return {}
    values: list[object] = []
    for arrival, checked in made:
        data = arrival.data
        values += [
            _address(data),
            " ".join(data.name.split()),
            checked.organisation[0],
            checked.organisation[1],
            checked.group.id,
            data.consent_to_contact,
            1,
            arrival.now,
            arrival.now,
        ]
    inserted = await run_sql(
        "INSERT INTO delegate (email, name, organisation, organisation_name, stakeholder_group, consent_to_contact, "  # noqa: S608 - placeholders only
        f"token_version, created_at, updated_at) VALUES {value_rows(len(made), 9)} "
        "ON CONFLICT (email) DO NOTHING RETURNING id, name, email, token_version, erased_at, consent_to_contact",
        *values,
    )
    rows = {row["email"]: row for row in inserted}
    rows |= await _known_delegates(sorted({_address(a.data) for a, _ in made} - set(rows)))
    return {email: (Recipient.of(row), bool(row["consent_to_contact"])) for email, row in rows.items()}


async def _registrations_at(event_id: int, delegate_ids: list[int]) -> dict[int, RegistrationRow]:
    """These delegates' registrations at the event, by delegate."""
    if not delegate_ids:
        return {}
    rows = await Registration.select().where(
        (Registration.event == event_id) & Registration.delegate.is_in(delegate_ids)
    )
    return {int(row["delegate"]): RegistrationRow.of(row) for row in rows}


_together: GroupCommit[_Arrival, _Answer] = GroupCommit(_decide_together, most=MOST_TOGETHER)


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

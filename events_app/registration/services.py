"""Registering, changing and cancelling; approval; promotion by hand; erasure. Every change that touches
places runs in one write transaction that first locks the event row (see places.py), writes its emails
to the outbox in that same transaction, and wakes the sender after the commit."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import msgspec

from events_app.core import templating, tokens
from events_app.core.crud import not_found
from events_app.core.database import write_transaction
from events_app.core.errors import Conflict, UnknownReference
from events_app.core.schema import person_name
from events_app.core.timezones import in_zone, utc_now
from events_app.mail import outbox
from events_app.mail.context import mail_event_by_id, mail_event_from_row, when_label, where_label
from events_app.people.errors import UnknownStakeholderGroup
from events_app.people.tables import Delegate, DelegateFeed, Organisation, StakeholderGroup
from events_app.programme.events import event_row, events_from_rows
from events_app.programme.locking import locked_event
from events_app.programme.rows import EventRow
from events_app.registration import notify, places, schemas, views
from events_app.registration.errors import (
    EventIsCancelled,
    EventIsPast,
    ManageLinkInvalid,
    NotActive,
    NotOnWaitlist,
    OnlyPendingApproved,
    OnlyPendingDeclined,
    OnlyWaitlistedPromoted,
    OrganisationRequired,
    RegistrationClosed,
    RegistrationNotOpenYet,
    RegistrationsLocked,
)
from events_app.registration.places import ACTIVE, DELEGATE, Actor
from events_app.registration.questions import checked_answers, list_questions
from events_app.registration.tables import Registration

# Every refusal a delegate can meet, in one place.
STATUS_WORDS = {
    "pending": "waiting for the organisers' approval",
    "confirmed": "confirmed",
    "waitlisted": "on the waiting list",
    "declined": "declined",
    "cancelled": "cancelled",
}


def _local(moment: datetime, timezone: str) -> str:
    local = in_zone(moment, timezone)
    return f"{templating.longdate(local)} at {templating.hm(local)} ({templating.zonelabel(timezone, local)})"


def check_open(event: EventRow, now: datetime) -> None:
    """Refuse, with a reason a person understands, registration for an event that does not take it now."""
    if event.status == "draft":
        raise not_found("event", event.slug)
    if event.status == "cancelled":
        raise EventIsCancelled()
    if event.ends_at <= now:
        raise EventIsPast()
    opens, closes = event.registration_opens_at, event.registration_closes_at
    if opens is not None and now < opens:
        raise RegistrationNotOpenYet(when=_local(opens, event.timezone))
    if closes is not None and now >= closes:
        raise RegistrationClosed()


async def _group(slug: str) -> dict[str, Any]:
    row = (
        await StakeholderGroup.select(StakeholderGroup.id, StakeholderGroup.slug, StakeholderGroup.name)
        .where(StakeholderGroup.slug == slug)
        .first()
    )
    if row is None:
        raise UnknownStakeholderGroup(slug=slug)
    return dict(row)


async def _checked_organisation(data: schemas.RegistrationCreate) -> tuple[int | None, str, str]:
    """(organisation id or None, the name typed when it is not on the list, the name to show)."""
    name = " ".join(data.organisation_name.split())
    if data.organisation_id is not None:
        row = await Organisation.select(Organisation.name).where(Organisation.id == data.organisation_id).first()
        if row is None:
            raise UnknownReference(what="organisation", id=data.organisation_id, field="organisation_id")
        return data.organisation_id, "", row["name"]
    if not name:
        raise OrganisationRequired()
    known = await Organisation.select(Organisation.id).where(Organisation.name == name).first()
    return (int(known["id"]), "", name) if known else (None, name, name)  # a typed name on the list is linked


async def _upsert_delegate(
    data: schemas.RegistrationCreate, group_id: int, organisation: tuple[int | None, str, str], now: datetime
) -> dict[str, Any]:
    """The delegate with this address, created on first registration; later ones bring the details up to date.
    One statement either way (INSERT ... ON CONFLICT DO UPDATE), so two first registrations at once are safe."""
    email = data.email.strip().lower()
    row = Delegate(
        email=email,
        name=" ".join(data.name.split()),
        organisation=organisation[0],
        organisation_name=organisation[1],
        stakeholder_group=group_id,
        consent_to_contact=data.consent_to_contact,
        created_at=now,
        updated_at=now,
    )
    returned = await (
        Delegate.insert(row)
        .on_conflict(
            target=Delegate.email,
            action="DO UPDATE",
            values=[
                Delegate.name,
                Delegate.organisation,
                Delegate.organisation_name,
                Delegate.stakeholder_group,
                Delegate.consent_to_contact,
                Delegate.updated_at,
            ],
        )
        .returning(Delegate.id, Delegate.token_version, Delegate.erased_at)
    )
    return {"email": email, "name": row.name, **returned[0]}


async def register(
    event_slug: str, data: schemas.RegistrationCreate, *, actor: Actor = DELEGATE
) -> schemas.RegistrationResult:
    """Register a delegate. Everything that needs no lock is read and checked first; the event row is then
    locked for as short a time as possible: one query counts places (and finds this delegate's registration),
    then the registration, its history line and its email are written, and the transaction commits."""
    now = utc_now()
    data = msgspec.structs.replace(data, name=person_name(data.name))
    try:
        return await _register_locked(event_slug, data, actor, now)
    except _AlreadyRegistered as already:
        existing = already.registration
    async with write_transaction():
        await notify.send_manage_link(
            existing["delegate"], dedupe_key=f"manage-link:{existing['delegate']}:{now:%Y%m%d%H}"
        )
    outbox.wake_sender()
    return schemas.RegistrationResult(
        created=False,
        status=existing["status"],
        waitlist_position=existing["waitlist_position"],
        message=(
            f"This email address is already registered for this event ({STATUS_WORDS[existing['status']]}). "
            "We have emailed a link to manage the registration to that address."
        ),
    )


class _AlreadyRegistered(Exception):
    def __init__(self, registration: dict[str, Any]) -> None:
        super().__init__("already registered")
        self.registration = registration


async def _register_locked(
    event_slug: str, data: schemas.RegistrationCreate, actor: Actor, now: datetime
) -> schemas.RegistrationResult:
    async with write_transaction():
        # Reads and checks first, on this transaction's one connection; nothing is locked yet (PostgreSQL).
        event = await event_row(event_slug, include_drafts=actor.organiser_id is not None)
        group = await _group(data.stakeholder_group)
        organisation = await _checked_organisation(data)
        answers = checked_answers(await list_questions(event.id), data.answers)
        sessions = await places.bookable_sessions(event.id, data.session_ids)
        mail_event = await mail_event_from_row(event)
        delegate = await _upsert_delegate(data, group["id"], organisation, now)
        event = await locked_event(event_id=event.id)
        if actor.organiser_id is None:
            check_open(event, now)
        elif event.status == "cancelled":
            raise EventIsCancelled()
        counted = await places.event_places(event.id, delegate["id"])
        existing = (
            await Registration.select().where(Registration.id == counted.existing_id).first()
            if counted.existing_id
            else None
        )
        if existing is not None and existing["status"] != "cancelled":
            raise _AlreadyRegistered(existing)  # roll back: a second attempt changes nothing of the first
        pending = event.requires_approval and actor.organiser_id is None
        status, position = ("pending", None) if pending else places.place_from(event, counted)
        values: dict[Any, Any] = {
            "status": status,
            "waitlist_position": position,
            "access_needs": data.access_needs.strip(),
            "dietary_needs": data.dietary_needs.strip(),
            "answers": json.dumps(answers),
            "updated_at": now,
            "confirmed_at": now if status == "confirmed" else None,
            "cancelled_at": None,
        }
        if existing is None:
            inserted = await Registration.insert(
                Registration(event=event.id, delegate=delegate["id"], created_at=now, **values)
            ).returning(Registration.id)
            registration_id = int(inserted[0]["id"])
        else:  # registering again after cancelling: the same row, so its history stays in one place
            registration_id = int(existing["id"])
            await Registration.update(values).where(Registration.id == registration_id)
        booked = await places.book_sessions(registration_id, event, sessions, confirmed=status == "confirmed")
        await places.record(registration_id, "registered", STATUS_WORDS[status], actor)
        await notify.queue(
            notify.STATUS_MESSAGES[status],
            event=event,
            delegate=delegate,
            mail_event=mail_event,
            sessions=notify.session_lines(sessions, booked, event.timezone),
            position=position,
            ticket_for=registration_id if status == "confirmed" else None,
        )
        outcome = schemas.RegistrationResult(
            created=True,
            status=status,  # type: ignore[arg-type]
            waitlist_position=position,
            message=_result_message(status, position),
            registration=schemas.Registration(
                id=registration_id,
                event=schemas.EventRef(
                    id=event.id,
                    slug=event.slug,
                    title=event.title,
                    url=f"/events/{event.slug}",
                    starts_at=event.starts_at,
                ),
                status=status,  # type: ignore[arg-type]
                waitlist_position=position,
                name=delegate["name"],
                email=delegate["email"],
                organisation_id=organisation[0],
                organisation=organisation[2],
                stakeholder_group=group["slug"],
                stakeholder_group_name=group["name"],
                access_needs=values["access_needs"],
                dietary_needs=values["dietary_needs"],
                consent_to_contact=data.consent_to_contact,
                answers=answers,
                sessions=[
                    schemas.Booking(
                        session_id=s["id"],
                        title=s["title"],
                        starts_at=s["starts_at"],
                        ends_at=s["ends_at"],
                        status=b[0],  # type: ignore[arg-type]
                        waitlist_position=b[1],
                    )
                    for s, b in zip(sessions, booked, strict=True)
                ],
                created_at=existing["created_at"] if existing else now,
                updated_at=now,
                delegate_id=delegate["id"],
            ),
        )
    outbox.wake_sender()
    return outcome


def _result_message(status: str, position: int | None) -> str:
    if status == "confirmed":
        return "Your place is confirmed. We have emailed you the details and a link to manage your registration."
    if status == "waitlisted":
        return (
            f"The event is full, so you are on the waiting list at number {position}. If a place frees up it is "
            "yours automatically, and we will email you."
        )
    return "Thank you. This event needs the organisers' approval; we will email you when they have decided."


# Cancelling ---------------------------------------------------------------------------------------


async def _registration_row(registration_id: int) -> dict[str, Any]:
    row = await Registration.select().where(Registration.id == registration_id).first()
    if row is None:
        raise not_found("registration", registration_id)
    return dict(row)


async def _cancel_locked(
    registration: dict[str, Any], event: EventRow, actor: Actor, reason: str, *, tell: bool = True
) -> None:
    was = registration["status"]
    if was not in ACTIVE:
        raise NotActive(status=was)
    await places.set_status(registration["id"], "cancelled")
    if was == "waitlisted":
        await places.leave_waitlist(event.id, registration["waitlist_position"])
    await places.cancel_bookings(registration["id"])
    await places.record(registration["id"], "cancelled", reason, actor)
    if tell:
        await notify.send(
            "registration_cancelled",
            registration["id"],
            extra={"by_organiser": actor.organiser_id is not None, "reason": reason},
        )
    if was == "confirmed":
        for promoted in await places.promote_waitlist(event):
            await notify.send("promoted", promoted)


async def cancel(registration_id: int, actor: Actor, reason: str = "") -> schemas.Registration:
    current = await _registration_row(registration_id)
    async with write_transaction():
        event = await locked_event(event_id=current["event"])
        registration = await _registration_row(registration_id)  # read again under the lock
        await _cancel_locked(registration, event, actor, reason.strip())
    outbox.wake_sender()
    return await views.registration(registration_id)


# Organisers: approval, promotion and moves by hand ------------------------------------------------


async def _bulk(ids: list[int], actor: Actor, change: Any) -> schemas.BulkResult:
    changed: list[int] = []
    skipped: dict[str, str] = {}
    rows = await Registration.select(Registration.id, Registration.event).where(Registration.id.is_in(ids))
    found = {r["id"]: r["event"] for r in rows}
    for missing in set(ids) - set(found):
        skipped[str(missing)] = "There is no such registration"
    for event_id in sorted(set(found.values())):
        async with write_transaction():
            event = await locked_event(event_id=event_id)
            for registration_id in sorted(i for i, e in found.items() if e == event_id):
                registration = await _registration_row(registration_id)
                try:
                    await change(registration, event, actor)
                except Conflict as refusal:
                    skipped[str(registration_id)] = refusal.detail
                else:
                    changed.append(registration_id)
    outbox.wake_sender()
    return schemas.BulkResult(changed=changed, skipped=skipped)


async def _approve(registration: dict[str, Any], event: EventRow, actor: Actor) -> None:
    if registration["status"] != "pending":
        raise OnlyPendingApproved(status=registration["status"])
    status, position = await places.place(event)
    await places.set_status(registration["id"], status, position)
    if status == "confirmed":
        await places.confirm_requested_sessions(registration["id"], event)
    await places.record(registration["id"], "approved", STATUS_WORDS[status], actor)
    await notify.send("approved", registration["id"])


async def _decline(registration: dict[str, Any], event: dict[str, Any], actor: Actor) -> None:
    if registration["status"] != "pending":
        raise OnlyPendingDeclined(status=registration["status"])
    await places.set_status(registration["id"], "declined")
    await places.cancel_bookings(registration["id"])
    await places.record(registration["id"], "declined", "", actor)
    await notify.send("declined", registration["id"])


async def approve(ids: list[int], actor: Actor) -> schemas.BulkResult:
    return await _bulk(ids, actor, _approve)


async def decline(ids: list[int], actor: Actor) -> schemas.BulkResult:
    return await _bulk(ids, actor, _decline)


async def promote_by_hand(registration_id: int, actor: Actor) -> schemas.Registration:
    """An organiser gives a waiting delegate a place now, even beyond the capacity (recorded as such)."""
    current = await _registration_row(registration_id)
    async with write_transaction():
        event = await locked_event(event_id=current["event"])
        registration = await _registration_row(registration_id)
        if registration["status"] != "waitlisted":
            raise OnlyWaitlistedPromoted(status=registration["status"])
        over = not await places.has_free_place(event)
        await places.set_status(registration_id, "confirmed")
        await places.leave_waitlist(event.id, registration["waitlist_position"])
        await places.confirm_requested_sessions(registration_id, event)
        await places.record(registration_id, "promoted", "by hand, beyond the capacity" if over else "by hand", actor)
        await notify.send("promoted", registration_id)
    outbox.wake_sender()
    return await views.registration(registration_id)


async def move_in_waitlist(registration_id: int, position: int, actor: Actor) -> schemas.Registration:
    current = await _registration_row(registration_id)
    async with write_transaction():
        event = await locked_event(event_id=current["event"])
        registration = await _registration_row(registration_id)
        if registration["status"] != "waitlisted":
            raise NotOnWaitlist(status=registration["status"])
        await places.move_in_waitlist(event.id, registration_id, registration["waitlist_position"], position)
        moved = await _registration_row(registration_id)
        await places.record(
            registration_id,
            "moved",
            f"waiting list number {registration['waitlist_position']} to {moved['waitlist_position']}",
            actor,
        )
    return await views.registration(registration_id)


# The delegate's own changes -----------------------------------------------------------------------


async def delegate_from_token(token: str) -> dict[str, Any]:
    """The delegate a manage link is for; a forged, altered, expired or revoked link is a plain 404."""
    gone = ManageLinkInvalid()
    try:
        delegate_id, version = tokens.unsign(notify.MANAGE, token, max_age_seconds=notify.MANAGE_MAX_AGE)
    except (tokens.InvalidToken, ValueError, TypeError):
        raise gone from None
    row = await Delegate.select().where(Delegate.id == delegate_id).first()
    if row is None or row["token_version"] != version or row["erased_at"] is not None:
        raise gone
    return dict(row)


async def my_registrations(delegate_id: int) -> list[schemas.Registration]:
    rows = await Registration.select().where(Registration.delegate == delegate_id).order_by(Registration.id)
    return await views.registrations_from_rows(rows)


async def _mine(delegate_id: int, registration_id: int) -> dict[str, Any]:
    row = (
        await Registration.select()
        .where((Registration.id == registration_id) & (Registration.delegate == delegate_id))
        .first()
    )
    if row is None:
        raise not_found("registration", registration_id)
    return dict(row)


async def update_my_registration(
    delegate_id: int, registration_id: int, data: schemas.RegistrationUpdate
) -> schemas.Registration:
    current = await _mine(delegate_id, registration_id)
    async with write_transaction():
        event = await locked_event(event_id=current["event"])
        registration = await _mine(delegate_id, registration_id)
        if registration["status"] not in ACTIVE:
            raise NotActive(status=registration["status"])
        if event.ends_at <= utc_now():
            raise RegistrationsLocked()
        values: dict[Any, Any] = {Registration.updated_at: utc_now()}
        changed: list[str] = []
        # The history names what differs from before, not every field the form happened to send.
        for field in ("access_needs", "dietary_needs"):
            value = getattr(data, field)
            if isinstance(value, str) and value.strip() != (registration[field] or ""):
                values[Registration._meta.get_column_by_name(field)] = value.strip()
                changed.append(field.replace("_", " "))
        if isinstance(data.answers, dict):
            answers = checked_answers(await list_questions(event.id), data.answers)
            before = registration["answers"]
            if answers != (json.loads(before or "{}") if isinstance(before, str) else before):
                values[Registration.answers] = json.dumps(answers)
                changed.append("answers")
        await Registration.update(values).where(Registration.id == registration_id)
        if isinstance(data.consent_to_contact, bool):
            consent = await Delegate.select(Delegate.consent_to_contact).where(Delegate.id == delegate_id).first()
            if consent is None or consent["consent_to_contact"] != data.consent_to_contact:
                await Delegate.update({Delegate.consent_to_contact: data.consent_to_contact}).where(
                    Delegate.id == delegate_id
                )
                changed.append("consent to be contacted")
        if isinstance(data.session_ids, list):
            changed += await _change_sessions(registration, event, data.session_ids)
        if changed:
            await places.record(registration_id, "updated", "; ".join(changed), DELEGATE)
    outbox.wake_sender()
    return await views.registration(registration_id)


async def _change_sessions(registration: dict[str, Any], event: EventRow, session_ids: list[int]) -> list[str]:
    from events_app.programme.tables import Session
    from events_app.registration.tables import SessionBooking

    wanted = await places.bookable_sessions(event.id, session_ids)
    held = {
        b["session"]
        for b in await SessionBooking.select(SessionBooking.session).where(
            (SessionBooking.registration == registration["id"])
            & SessionBooking.status.is_in(["requested", "confirmed", "waitlisted"])
        )
    }
    wanted_ids = {s["id"] for s in wanted}
    dropped = sorted(held - wanted_ids)
    added = [s for s in wanted if s["id"] not in held]
    await places.cancel_bookings(registration["id"], dropped)
    await places.book_sessions(registration["id"], event, added, confirmed=registration["status"] == "confirmed")
    titles = (
        {s["id"]: s["title"] for s in await Session.select(Session.id, Session.title).where(Session.id.is_in(dropped))}
        if dropped
        else {}
    )
    changes = [f"added {', '.join(repr(s['title']) for s in added)}"] if added else []
    changes += [f"dropped {', '.join(repr(titles[i]) for i in dropped)}"] if dropped else []
    return [f"sessions: {' and '.join(changes)}"] if changes else []


async def cancel_my_registration(delegate_id: int, registration_id: int) -> schemas.Registration:
    await _mine(delegate_id, registration_id)
    return await cancel(registration_id, DELEGATE, "")


async def erase_delegate(delegate_id: int, actor: Actor) -> None:
    """Clear a person's data: name, email, organisation, needs and answers. Their places stay, as anonymous
    counts by stakeholder group, and every manage link stops working."""
    async with write_transaction():
        row = await Delegate.select().where(Delegate.id == delegate_id).first()
        if row is None:
            raise not_found("delegate", delegate_id)
        if row["erased_at"] is not None:
            return
        now = utc_now()
        await Delegate.update(
            {
                Delegate.name: "(erased)",
                Delegate.email: f"erased-{delegate_id}@erased.invalid",
                Delegate.organisation: None,
                Delegate.organisation_name: "",
                Delegate.consent_to_contact: False,
                Delegate.token_version: row["token_version"] + 1,
                Delegate.erased_at: now,
                Delegate.updated_at: now,
            }
        ).where(Delegate.id == delegate_id)
        await DelegateFeed.update({DelegateFeed.revoked_at: now}).where(
            (DelegateFeed.delegate == delegate_id) & DelegateFeed.revoked_at.is_null()
        )
        registrations = await Registration.select(Registration.id).where(Registration.delegate == delegate_id)
        await Registration.update(
            {
                Registration.access_needs: "",
                Registration.dietary_needs: "",
                Registration.answers: "{}",
                Registration.updated_at: now,
            }
        ).where(Registration.delegate == delegate_id)
        for registration in registrations:
            await places.record(registration["id"], "erased", "personal data erased", actor)


async def request_manage_link(email: str) -> None:
    """Email the manage link to this address if it has registrations; say nothing either way."""
    row = await Delegate.select(Delegate.id).where(Delegate.email == email.strip().lower()).first()
    if row is None:
        return
    async with write_transaction():
        await notify.send_manage_link(row["id"], dedupe_key=f"manage-link:{row['id']}:{utc_now():%Y%m%d%H%M}")
    outbox.wake_sender()


# When the programme changes --------------------------------------------------------------------


async def _changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    event = (await events_from_rows([EventRow.of(after)]))[0]
    changes = []
    if before["starts_at"] != after["starts_at"] or before["ends_at"] != after["ends_at"]:
        changes.append(f"It is now on {when_label(event)}.")
    if before["venue"] != after["venue"]:
        changes.append(f"It is now at {where_label(event)}.")
    if before["online_url"] != after["online_url"]:
        changes.append("The online link has changed." if after["online_url"] else "It is no longer online.")
    return changes


async def on_event_changed(before: dict[str, Any], after: dict[str, Any]) -> None:
    active = await Registration.select().where(
        (Registration.event == after["id"]) & Registration.status.is_in(list(ACTIVE))
    )
    if after["status"] == "cancelled" and before["status"] != "cancelled":
        mail_event = await mail_event_by_id(after["id"])
        for registration in sorted(active, key=lambda r: -(r["waitlist_position"] or 0)):
            await _cancel_locked(
                dict(registration), EventRow.of(after), places.SYSTEM, "The event is cancelled", tell=False
            )
            await notify.send("event_cancelled", registration["id"], event=mail_event)
        return
    before_capacity, after_capacity = before["capacity"], after["capacity"]
    if after_capacity is None or (before_capacity is not None and after_capacity > before_capacity):
        for promoted in await places.promote_waitlist(EventRow.of(after)):
            await notify.send("promoted", promoted)
    if after["status"] == "published" and (changes := await _changes(before, after)):
        mail_event = await mail_event_by_id(after["id"])
        for registration in active:
            await notify.send("event_changed", registration["id"], event=mail_event, extra={"changes": changes})


async def on_session_changed(before: dict[str, Any], after: dict[str, Any]) -> None:
    if after["capacity"] is not None and (before["capacity"] is None or after["capacity"] > before["capacity"]):
        await places.promote_session(after)

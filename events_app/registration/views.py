"""Registrations as API values, loaded in a few queries however many there are. A registration shows the name,
organisation and stakeholder group it was made as (kept on it), so what an organiser reads of a past event does
not change when the person registers again or their organisation is renamed."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from events_app.accounts import scopes
from events_app.core.crud import not_found
from events_app.core.rows import Row
from events_app.people.tables import Delegate, StakeholderGroup
from events_app.programme.rows import EventRow
from events_app.programme.tables import Event, Session
from events_app.registration import schemas, scoped
from events_app.registration.errors import NoTicket
from events_app.registration.rows import DelegateRow, RegistrationRow
from events_app.registration.tables import Registration, RegistrationChange, SessionBooking
from events_app.tickets import codes


def _answers(value: str) -> dict[str, str | list[str]]:
    loaded = json.loads(value or "{}")
    return loaded if isinstance(loaded, dict) else {}


def _ref(event_id: int, slug: str, title: str, starts_at: datetime) -> schemas.EventRef:
    return schemas.EventRef(id=event_id, slug=slug, title=title, url=f"/events/{slug}", starts_at=starts_at)


async def registrations_from_rows(found: Sequence[Row], *, event: EventRow | None = None) -> list[schemas.Registration]:
    """Rows of the registration table (as Piccolo gives them, from any domain's query) as API values; give
    the `event` when they all belong to one already read, and it is not read again."""
    if not found:
        return []
    rows = [RegistrationRow.of(r) for r in found]
    ids = [r.id for r in rows]
    delegates = {
        d["id"]: DelegateRow.of(d)
        for d in await Delegate.select().where(Delegate.id.is_in(list({r.delegate for r in rows})))
    }
    event_ids = {r.event for r in rows}
    if event is not None and event_ids == {event.id}:
        refs = {event.id: _ref(event.id, event.slug, event.title, event.starts_at)}
    else:
        refs = {
            e["id"]: _ref(e["id"], e["slug"], e["title"], e["starts_at"])
            for e in await Event.select(Event.id, Event.slug, Event.title, Event.starts_at).where(
                Event.id.is_in(list(event_ids))
            )
        }
    groups = {
        g["id"]: g
        for g in await StakeholderGroup.select(StakeholderGroup.id, StakeholderGroup.slug, StakeholderGroup.name)
    }
    bookings: dict[int, list[schemas.Booking]] = {i: [] for i in ids}
    booking_rows = await SessionBooking.select().where(
        SessionBooking.registration.is_in(ids) & (SessionBooking.status != "cancelled")
    )
    if booking_rows:
        sessions = {
            s["id"]: s
            for s in await Session.select(Session.id, Session.title, Session.starts_at, Session.ends_at).where(
                Session.id.is_in(list({b["session"] for b in booking_rows}))
            )
        }
        for b in sorted(booking_rows, key=lambda b: sessions[b["session"]]["starts_at"]):
            s = sessions[b["session"]]
            bookings[b["registration"]].append(
                schemas.Booking(
                    session_id=s["id"],
                    title=s["title"],
                    starts_at=s["starts_at"],
                    ends_at=s["ends_at"],
                    status=b["status"],
                    waitlist_position=b["waitlist_position"],
                )
            )
    result = []
    for r in rows:
        # Who the registration was made as (name, organisation, group): never the delegate's record of today.
        # Only the email and consent are the person's own now (the address is where messages go); an erased
        # person's name and typed organisation are not shown, whatever a registration still holds.
        d = delegates[r.delegate]
        erased = d.erased_at is not None
        g = groups.get(r.stakeholder_group or 0, {"slug": "", "name": ""})
        result.append(
            schemas.Registration(
                id=r.id,
                event=refs[r.event],
                status=r.status,
                waitlist_position=r.waitlist_position,
                name=d.name if erased else r.name,
                email="" if erased else d.email,
                organisation_id=r.organisation,
                organisation="" if erased and r.organisation is None else r.organisation_name,
                stakeholder_group=g["slug"],
                stakeholder_group_name=g["name"],
                access_needs=r.access_needs,
                dietary_needs=r.dietary_needs,
                consent_to_contact=d.consent_to_contact,
                answers=_answers(r.answers),
                sessions=bookings[r.id],
                created_at=r.created_at,
                updated_at=r.updated_at,
                delegate_id=d.id,
                attendance_mode="online" if r.attendance_mode == "online" else "in_person",
            )
        )
    return result


async def registration(registration_id: int) -> schemas.Registration:
    rows = await scopes.where(Registration.select(), scoped.registrations()).where(Registration.id == registration_id)
    if not rows:
        raise not_found("registration", registration_id)
    return (await registrations_from_rows(rows))[0]


async def history(registration_id: int) -> list[schemas.RegistrationChange]:
    if (condition := scoped.registrations()) is not None and not await Registration.exists().where(
        (Registration.id == registration_id) & condition
    ):
        raise not_found("registration", registration_id)
    rows = (
        await RegistrationChange.select(
            RegistrationChange.at,
            RegistrationChange.action,
            RegistrationChange.detail,
            RegistrationChange.by_delegate,
            RegistrationChange.by_organiser.email.as_alias("organiser_email"),
        )
        .where(RegistrationChange.registration == registration_id)
        .order_by(RegistrationChange.id)
    )
    return [
        schemas.RegistrationChange(
            at=r["at"],
            action=r["action"],
            detail=r["detail"],
            by=r["organiser_email"] or ("delegate" if r["by_delegate"] else "system"),
        )
        for r in rows
    ]


async def ticket_code(registration_id: int, *, delegate_id: int | None = None) -> str:
    """The ticket of a confirmed registration (of this delegate, when given); anything else is a plain 404."""
    query = Registration.select(Registration.event, Registration.status).where(Registration.id == registration_id)
    if delegate_id is not None:
        query = query.where(Registration.delegate == delegate_id)
    row = await query.first()
    if row is None or row["status"] != "confirmed":
        raise NoTicket()
    return codes.issue(row["event"], registration_id)

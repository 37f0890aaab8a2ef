"""The delegate's own changes, behind the emailed manage link: their needs, answers, sessions and consent;
cancelling; erasing their data; asking for the link again."""

from __future__ import annotations

import json
from typing import Any

from events_app.core import tokens
from events_app.core.crud import not_found
from events_app.core.database import write_transaction
from events_app.core.timezones import utc_now
from events_app.mail import outbox
from events_app.people.tables import Delegate, DelegateFeed
from events_app.programme.locking import locked_event
from events_app.programme.rows import EventRow
from events_app.registration import notify, places, schemas, scoped, views
from events_app.registration.errors import (
    ManageLinkInvalid,
    NotActive,
    RegistrationsLocked,
)
from events_app.registration.organiser_changes import cancel
from events_app.registration.places import ACTIVE, DELEGATE, Actor
from events_app.registration.questions import checked_answers, kept_answers, list_questions
from events_app.registration.rows import DelegateRow, RegistrationRow
from events_app.registration.tables import Registration


async def delegate_from_token(token: str) -> DelegateRow:
    """The delegate a manage link is for; a forged, altered, expired or revoked link is a plain 404."""
    gone = ManageLinkInvalid()
    try:
        delegate_id, version = tokens.unsign(notify.MANAGE, token, max_age_seconds=notify.MANAGE_MAX_AGE)
    except (tokens.InvalidToken, ValueError, TypeError):
        raise gone from None
    row = await Delegate.select().where(Delegate.id == delegate_id).first()
    delegate = DelegateRow.of(row) if row is not None else None
    if delegate is None or delegate.token_version != version or delegate.erased_at is not None:
        raise gone
    return delegate


async def my_registrations(delegate_id: int) -> list[schemas.Registration]:
    rows = await Registration.select().where(Registration.delegate == delegate_id).order_by(Registration.id)
    return await views.registrations_from_rows(rows)


async def _mine(delegate_id: int, registration_id: int) -> RegistrationRow:
    row = (
        await Registration.select()
        .where((Registration.id == registration_id) & (Registration.delegate == delegate_id))
        .first()
    )
    if row is None:
        raise not_found("registration", registration_id)
    return RegistrationRow.of(row)


async def update_my_registration(
    delegate_id: int, registration_id: int, data: schemas.RegistrationUpdate
) -> schemas.Registration:
    current = await _mine(delegate_id, registration_id)
    async with write_transaction():
        event = await locked_event(event_id=current.event)
        registration = await _mine(delegate_id, registration_id)
        if registration.status not in ACTIVE:
            raise NotActive(status=registration.status)
        if event.ends_at <= utc_now():
            raise RegistrationsLocked()
        values: dict[Any, Any] = {Registration.updated_at: utc_now()}
        changed: list[str] = []
        # The history names what differs from before, not every field the form happened to send.
        for field in ("access_needs", "dietary_needs"):
            value = getattr(data, field)
            if isinstance(value, str) and value.strip() != (getattr(registration, field) or ""):
                values[Registration._meta.get_column_by_name(field)] = value.strip()
                changed.append(field.replace("_", " "))
        if isinstance(data.answers, dict):
            asked = await list_questions(event.id)
            before = registration.answers
            answers = kept_answers(before, asked) | checked_answers(asked, data.answers)
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


async def _change_sessions(registration: RegistrationRow, event: EventRow, session_ids: list[int]) -> list[str]:
    from events_app.programme.tables import Session
    from events_app.registration.tables import SessionBooking

    wanted = await places.bookable_sessions(event.id, session_ids)
    held = {
        b["session"]
        for b in await SessionBooking.select(SessionBooking.session).where(
            (SessionBooking.registration == registration.id)
            & SessionBooking.status.is_in(["requested", "confirmed", "waitlisted"])
        )
    }
    wanted_ids = {s.id for s in wanted}
    dropped = sorted(held - wanted_ids)
    added = [s for s in wanted if s.id not in held]
    await places.cancel_bookings(registration.id, dropped)
    await places.book_sessions(registration.id, event, added, confirmed=registration.status == "confirmed")
    titles = (
        {s["id"]: s["title"] for s in await Session.select(Session.id, Session.title).where(Session.id.is_in(dropped))}
        if dropped
        else {}
    )
    changes = [f"added {', '.join(repr(s.title) for s in added)}"] if added else []
    changes += [f"dropped {', '.join(repr(titles[i]) for i in dropped)}"] if dropped else []
    return [f"sessions: {' and '.join(changes)}"] if changes else []


async def cancel_my_registration(delegate_id: int, registration_id: int) -> schemas.Registration:
    await _mine(delegate_id, registration_id)
    return await cancel(registration_id, DELEGATE, "")


async def erase_delegate(delegate_id: int, actor: Actor) -> None:
    """Clear a person's data: name, email, organisation, needs and answers (on their registrations too). Their
    places stay, as anonymous counts by the group and organisation they registered as, and every manage link
    stops working."""
    await scoped.require_delegate(delegate_id, every_event=True)
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
                Registration.name: "(erased)",
                Registration.access_needs: "",
                Registration.dietary_needs: "",
                Registration.answers: "{}",
                Registration.updated_at: now,
            }
        ).where(Registration.delegate == delegate_id)
        # A typed organisation may name the person; one from the list (kept, with its group) does not.
        await Registration.update({Registration.organisation_name: ""}).where(
            (Registration.delegate == delegate_id) & Registration.organisation.is_null()
        )
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

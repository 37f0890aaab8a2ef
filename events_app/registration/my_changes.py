"""The delegate's own changes, behind the emailed manage link: their needs, answers, sessions and consent;
cancelling; erasing their data; asking for the link again."""

from __future__ import annotations

import json
import secrets
from datetime import datetime
from typing import Any

from events_app.core import tokens
from events_app.core.crud import not_found
from events_app.core.database import write_transaction
from events_app.core.timezones import utc_now
from events_app.mail import erasure as mail_erasure
from events_app.mail import outbox
from events_app.people.tables import Delegate, DelegateFeed
from events_app.programme.locking import locked_event
from events_app.programme.rows import EventRow
from events_app.programme.tables import Event
from events_app.registration import erasure, notify, places, schemas, scoped, views
from events_app.registration.errors import (
    ManageLinkInvalid,
    NotActive,
    RegistrationsLocked,
)
from events_app.registration.organiser_changes import cancel, cancel_locked
from events_app.registration.places import ACTIVE, DELEGATE, Actor
from events_app.registration.questions import checked_answers, kept_answers, list_questions
from events_app.registration.rows import DelegateRow, RegistrationRow
from events_app.registration.tables import Registration, RegistrationChange


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


async def own_registration(delegate_id: int, registration_id: int) -> RegistrationRow:
    """The delegate's own registration; anyone else's is a plain 404."""
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
    current = await own_registration(delegate_id, registration_id)
    async with write_transaction():
        event = await locked_event(event_id=current.event)
        registration = await own_registration(delegate_id, registration_id)
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
    await own_registration(delegate_id, registration_id)
    return await cancel(registration_id, DELEGATE, "")


# A name shorter than this would match organisations that merely contain those letters ("Al" in "Alliance").
SHORTEST_NAME = 3


async def _forget_typed_organisations(delegate_id: int, words: tuple[str, ...]) -> None:
    """An organisation typed on the form stays (it counts among the organisations of past reports, and names no
    one), unless it names the person: "Jo Bloggs Tutoring" is blanked. Compared in Python, ignoring case in any
    script (SQLite's LIKE ignores the case of ASCII letters only)."""
    wanted = [w.strip().casefold() for w in words if len(w.strip()) >= SHORTEST_NAME]
    typed = await Registration.select(Registration.id, Registration.organisation_name).where(
        (Registration.delegate == delegate_id) & Registration.organisation.is_null()
    )
    naming = [r["id"] for r in typed if any(w in r["organisation_name"].casefold() for w in wanted)]
    if naming:
        await Registration.update({Registration.organisation_name: ""}).where(Registration.id.is_in(naming))


async def erase_delegate(delegate_id: int, actor: Actor) -> None:
    """Erase a person (by themselves, or by an organiser on their request). Their places at events still to come
    go to the waiting list (the next person is promoted and told); past registrations stay as anonymous records,
    keeping what they were made as (group, organisation, region) so that past figures do not move. Their name,
    needs and answers go; their address becomes a random one nobody can guess or register with; every manage,
    feedback and calendar link stops working; the outbox keeps only counts of what was sent to them (mail not sent
    is dropped, .eml files and attachments deleted); feedback detaches their responses and blanks free text that
    names them (the steps registered in registration/erasure.py)."""
    await scoped.require_delegate(delegate_id, every_event=True)
    if not erasure.registry.registered():
        raise RuntimeError("No erasure steps are registered: call events_app.reactions.register_reactions first")
    async with write_transaction():
        row = await Delegate.select().where(Delegate.id == delegate_id).first()
        if row is None:
            raise not_found("delegate", delegate_id)
        if row["erased_at"] is not None:
            return
        now = utc_now()
        await _release_places(delegate_id, actor, now)
        registrations = await Registration.select(Registration.id, Registration.name).where(
            Registration.delegate == delegate_id
        )
        names = tuple(sorted({n.strip() for n in [row["name"], *(r["name"] for r in registrations)] if n.strip()}))
        ids = tuple(r["id"] for r in registrations)
        await Delegate.update(
            {
                Delegate.name: "(erased)",
                Delegate.email: f"erased-{secrets.token_hex(16)}@erased.invalid",
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
        # What each registration was made as (group, organisation, region) stays: past figures read it.
        await Registration.update(
            {
                Registration.name: "(erased)",
                Registration.access_needs: "",
                Registration.dietary_needs: "",
                Registration.answers: "{}",
                Registration.updated_at: now,
            }
        ).where(Registration.delegate == delegate_id)
        await _forget_typed_organisations(delegate_id, (row["email"], *names))
        await _forget_in_history(ids, (row["email"], *names))
        for registration_id in ids:
            await places.record(registration_id, "erased", "personal data erased", actor)
        forgotten = await mail_erasure.forget_recipient(row["email"])
        await erasure.registry.announce(
            erasure.DelegateErased(delegate_id=delegate_id, email=row["email"], names=names, registration_ids=ids)
        )
    await mail_erasure.delete_files(forgotten)
    outbox.wake_sender()


async def _release_places(delegate_id: int, actor: Actor, now: datetime) -> None:
    """Cancel the person's places at events that have not ended, through the one cancelling rule (which promotes
    from the waiting list and tells the promoted); they are not written to, since they are being erased."""
    active = await Registration.select(Registration.id, Registration.event).where(
        (Registration.delegate == delegate_id)
        & Registration.status.is_in(list(ACTIVE))
        & Registration.event.is_in(Event.select(Event.id).where(Event.ends_at > now))
    )
    for found in sorted(active, key=lambda r: (r["event"], r["id"])):
        event = await locked_event(event_id=found["event"])
        current = await Registration.select().where(Registration.id == found["id"]).first()
        assert current is not None
        await cancel_locked(RegistrationRow.of(current), event, actor, "personal data erased", tell=False)


async def _forget_in_history(registration_ids: tuple[int, ...], words: tuple[str, ...]) -> None:
    """The history of the person's registrations keeps what happened and when; a detail that names them (a reason
    an organiser typed) is replaced."""
    if not registration_ids:
        return
    changes = await RegistrationChange.select(RegistrationChange.id, RegistrationChange.detail).where(
        RegistrationChange.registration.is_in(list(registration_ids))
    )
    lowered = [w.lower() for w in words if w]
    named = [c["id"] for c in changes if any(w in c["detail"].lower() for w in lowered)]
    if named:
        await RegistrationChange.update({RegistrationChange.detail: "(erased)"}).where(
            RegistrationChange.id.is_in(named)
        )


async def request_manage_link(email: str) -> None:
    """Email the manage link to this address if it has registrations; say nothing either way."""
    row = await Delegate.select(Delegate.id).where(Delegate.email == email.strip().lower()).first()
    if row is None:
        return
    async with write_transaction():
        await notify.send_manage_link(row["id"], dedupe_key=f"manage-link:{row['id']}:{utc_now():%Y%m%d%H%M}")
    outbox.wake_sender()

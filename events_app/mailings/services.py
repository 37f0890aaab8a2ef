"""Network mailings: an organiser writes to past delegates across events, by region, sector or group, series and
dates, and only those who said they are happy to be contacted receive it.

Who matches is read from the registrations as they were made (their region and stakeholder group), so a person
who moved sector is reached by what they were at the events chosen. Erased people are never reached. An organiser
limited to series or regions (accounts/scopes.py) reaches only people from events in their scope. The preview says
how many will receive it and how many are left out for want of consent; the send queues one outbox message per
person with a signed unsubscribe link (people/consent.py), once per preview key, so a double click sends once."""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
from piccolo.custom_types import Combinable

from events_app.accounts import scopes
from events_app.core.database import write_transaction
from events_app.core.errors import FieldError, InvalidFields
from events_app.core.timezones import DEFAULT_ZONE, utc_now
from events_app.mail import outbox
from events_app.mail.render import RenderedMail, render
from events_app.mailings import schemas
from events_app.mailings.errors import DatesTheWrongWayRound, MailingToNobody
from events_app.mailings.tables import Mailing
from events_app.people.consent import unsubscribe_url
from events_app.people.sectors import SECTOR_LABELS
from events_app.people.tables import Region, StakeholderGroup
from events_app.programme.tables import Series
from events_app.registration.tables import Registration

KIND = "network_mailing"
LIST_LIMIT = 200


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    name: str
    email: str


@dataclass(frozen=True, slots=True)
class Audience:
    people: list[Person]  # happy to be contacted: they receive it
    left_out: int  # matching, not erased, but not happy to be contacted


@dataclass(frozen=True, slots=True)
class _Chosen:
    """The filters with their slugs looked up: ids to query by, names to describe the mailing in words."""

    filters: schemas.MailingFilters
    region_ids: list[int]
    group_ids: list[int]
    series_ids: list[int]
    names: dict[str, list[str]]


async def _look_up(table: Any, label_column: Any, slugs: Sequence[str], field: str) -> tuple[list[int], list[str]]:
    if not slugs:
        return [], []
    rows = await table.select(table.id, table.slug, label_column.as_alias("label")).where(table.slug.is_in(list(slugs)))
    found = {r["slug"]: r for r in rows}
    unknown = [s for s in slugs if s not in found]
    if unknown:
        what = {"regions": "region", "groups": "stakeholder group", "series": "series"}[field]
        raise InvalidFields(
            [FieldError(f"filters.{field}", f"There is no {what} '{unknown[0]}': choose from the list")]
        )
    return [found[s]["id"] for s in slugs], [found[s]["label"] for s in slugs]


async def _choose(filters: schemas.MailingFilters) -> _Chosen:
    errors: list[FieldError] = []
    looked_up: dict[str, tuple[list[int], list[str]]] = {}
    for field, table, label in (
        ("regions", Region, Region.name),
        ("groups", StakeholderGroup, StakeholderGroup.name),
        ("series", Series, Series.title),
    ):
        try:
            looked_up[field] = await _look_up(table, label, getattr(filters, field), field)
        except InvalidFields as exc:
            errors += exc.errors
    if errors:
        raise InvalidFields(errors)
    if filters.from_date and filters.to_date and filters.to_date < filters.from_date:
        raise DatesTheWrongWayRound()
    names = {field: names for field, (_, names) in looked_up.items()}
    names["sectors"] = [SECTOR_LABELS[s] for s in filters.sectors]
    return _Chosen(filters, looked_up["regions"][0], looked_up["groups"][0], looked_up["series"][0], names)


def _midnight(day: date) -> datetime:
    """The start of a day in the network's zone (Europe/London), in UTC."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(DEFAULT_ZONE)).astimezone(UTC)


def _condition(chosen: _Chosen) -> Combinable:
    f = chosen.filters
    condition: Combinable = Registration.delegate.erased_at.is_null()
    if chosen.region_ids:
        condition &= Registration.region.is_in(chosen.region_ids)
    if f.sectors and chosen.group_ids:  # who people speak for: a sector, or a group, either matches
        condition &= Registration.stakeholder_group.sector_role.is_in(list(f.sectors)) | (
            Registration.stakeholder_group.is_in(chosen.group_ids)
        )
    elif f.sectors:
        condition &= Registration.stakeholder_group.sector_role.is_in(list(f.sectors))
    elif chosen.group_ids:
        condition &= Registration.stakeholder_group.is_in(chosen.group_ids)
    if chosen.series_ids:
        condition &= Registration.event.series.is_in(chosen.series_ids)
    if f.from_date:
        condition &= Registration.event.starts_at >= _midnight(f.from_date)
    if f.to_date:
        condition &= Registration.event.starts_at < _midnight(f.to_date + timedelta(days=1))
    in_scope = scopes.active().owns(Registration.event)
    return condition if in_scope is None else condition & in_scope


async def _audience(chosen: _Chosen) -> Audience:
    rows = await Registration.select(
        Registration.delegate.id.as_alias("id"),
        Registration.delegate.name.as_alias("name"),
        Registration.delegate.email.as_alias("email"),
        Registration.delegate.consent_to_contact.as_alias("consent"),
    ).where(_condition(chosen))
    people: dict[int, Person] = {}
    without_consent: set[int] = set()
    for row in sorted(rows, key=lambda r: r["id"]):
        if row["consent"]:
            people[row["id"]] = Person(row["id"], row["name"], row["email"])
        else:
            without_consent.add(row["id"])
    return Audience(list(people.values()), len(without_consent))


def describe(names: dict[str, list[str]], filters: schemas.MailingFilters) -> str:
    """The filters in words, as the list of mailings shows them."""
    parts = [
        f"{title}: {', '.join(names[field])}"
        for field, title in (("regions", "Regions"), ("sectors", "Sectors"), ("groups", "Groups"), ("series", "Series"))
        if names.get(field)
    ]
    if filters.from_date or filters.to_date:
        since = f" from {filters.from_date:%-d %B %Y}" if filters.from_date else ""
        until = f" to {filters.to_date:%-d %B %Y}" if filters.to_date else ""
        parts.append(f"Events{since}{until}")
    return "; ".join(parts) or "Everyone who registered for any event"


def _mail(draft: schemas.MailingDraft, sender_name: str, name: str, link: str) -> RenderedMail:
    return render(
        KIND,
        {
            "subject": " ".join(draft.subject.split()),
            "body": draft.body.strip(),
            "sender_name": sender_name,
            "recipient_name": name,
            "unsubscribe_url": link,
        },
    )


async def preview(draft: schemas.MailingDraft, sender_name: str) -> schemas.MailingPreview:
    """How many will receive it, how many are left out for want of consent, and the message as it will arrive."""
    chosen = await _choose(draft.filters)
    audience = await _audience(chosen)
    sample = audience.people[0] if audience.people else Person(0, "Delegate name", "")
    mail = _mail(draft, sender_name, sample.name, "(their own unsubscribe link)")
    return schemas.MailingPreview(
        recipients=len(audience.people),
        left_out=audience.left_out,
        subject=mail.subject,
        text=mail.text,
        html=mail.html,
        key=draft.key or secrets.token_hex(16),
        description=describe(chosen.names, draft.filters),
    )


async def send(draft: schemas.MailingDraft, sender_name: str, organiser_id: int | None) -> schemas.MailingSent:
    """Queue one message per person who is happy to be contacted, in one transaction with the mailing's record.
    A key sent before (a double click, a retried request) sends nothing and answers with that mailing."""
    key = draft.key or secrets.token_hex(16)
    chosen = await _choose(draft.filters)
    audience = await _audience(chosen)
    if not audience.people:
        raise MailingToNobody()
    # Rendered before the transaction: the locked part only writes rows.
    mails = {p.id: _mail(draft, sender_name, p.name, unsubscribe_url(p.id)) for p in audience.people}
    now = utc_now()
    async with write_transaction():
        inserted = (
            await Mailing.insert(
                Mailing(
                    key=key,
                    subject=" ".join(draft.subject.split()),
                    body=draft.body.strip(),
                    filters=msgspec.json.encode(
                        {**msgspec.to_builtins(draft.filters), "description": describe(chosen.names, draft.filters)}
                    ).decode(),
                    scope=msgspec.json.encode(scopes.active()).decode(),
                    created_by=organiser_id,
                    created_by_name=sender_name,
                    created_at=now,
                )
            )
            .on_conflict(target=Mailing.key, action="DO NOTHING")
            .returning(Mailing.id)
        )
        if not inserted:
            earlier = await Mailing.select(Mailing.id, Mailing.left_out).where(Mailing.key == key).first()
            assert earlier is not None
            return schemas.MailingSent(id=earlier["id"], queued=0, left_out=earlier["left_out"], already_sent=True)
        mailing_id = int(inserted[0]["id"])
        # Read again under the lock: someone who unsubscribed a moment ago is not written to.
        now_consenting = await _audience(chosen)
        queued = 0
        for person in now_consenting.people:
            mail = mails.get(person.id) or _mail(draft, sender_name, person.name, unsubscribe_url(person.id))
            queued += bool(
                await outbox.enqueue(
                    to_email=person.email,
                    to_name=person.name,
                    mail=mail,
                    created_by=organiser_id,
                    dedupe_key=f"mailing:{key}:{person.id}",
                    list_unsubscribe=unsubscribe_url(person.id),
                )
            )
        await Mailing.update({Mailing.recipients: queued, Mailing.left_out: now_consenting.left_out}).where(
            Mailing.id == mailing_id
        )
    outbox.wake_sender()
    return schemas.MailingSent(id=mailing_id, queued=queued, left_out=now_consenting.left_out, already_sent=False)


def _scope_of(text: Any) -> scopes.Scope:
    return msgspec.convert(json.loads(text) if isinstance(text, str) else text or {}, scopes.Scope)


async def list_mailings() -> list[schemas.Mailing]:
    """The mailings sent, newest first. An account limited to series or regions sees those sent within its scope."""
    viewer = scopes.active()
    rows = (
        await Mailing.select()
        .order_by(Mailing.created_at, ascending=False)
        .order_by(Mailing.id, ascending=False)
        .limit(LIST_LIMIT)
    )
    found = []
    for row in rows:
        if viewer.limited and not await _scope_of(row["scope"]).within(viewer):
            continue
        filters = json.loads(row["filters"]) if isinstance(row["filters"], str) else dict(row["filters"])
        description = str(filters.pop("description", ""))
        found.append(
            schemas.Mailing(
                id=row["id"],
                subject=row["subject"],
                body=row["body"],
                description=description,
                filters=msgspec.convert(filters, schemas.MailingFilters),
                created_by=row["created_by_name"],
                created_at=row["created_at"],
                recipients=row["recipients"],
                left_out=row["left_out"],
            )
        )
    return found

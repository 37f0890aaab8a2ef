"""What organisers read: who is coming (filtered), counts by stakeholder group and status, a CSV for
Excel, and everything held about one delegate. Filters and counts read what each registration was made as
(its own name, organisation and group), so a past event's figures never move with the delegate's record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from piccolo.query.functions.aggregate import Count

from events_app.accounts import scopes
from events_app.core.crud import not_found
from events_app.core.csv_export import csv_bytes
from events_app.core.database import contains_text
from events_app.core.schema import Page
from events_app.core.timezones import in_zone
from events_app.people.tables import Delegate, StakeholderGroup
from events_app.programme.rows import EventRow
from events_app.registration import attendance, schemas, scoped, views
from events_app.registration.questions import list_questions
from events_app.registration.tables import Registration, SessionBooking


@dataclass(frozen=True, slots=True)
class RegistrationFilters:
    status: str | None = None
    stakeholder_group: str | None = None
    organisation_id: int | None = None
    session_id: int | None = None
    q: str | None = None
    attendance_mode: str | None = None  # in_person or online (a hybrid event's two kinds of place)


async def _filtered(event_id: int, filters: RegistrationFilters) -> Any:
    conditions: list[Any] = [Registration.event == event_id]
    if filters.status:
        conditions.append(Registration.status == filters.status)
    if filters.stakeholder_group:
        group = (
            await StakeholderGroup.select(StakeholderGroup.id)
            .where(StakeholderGroup.slug == filters.stakeholder_group)
            .first()
        )
        conditions.append(Registration.stakeholder_group == (group["id"] if group else 0))
    if filters.organisation_id:
        conditions.append(Registration.organisation == filters.organisation_id)
    if filters.session_id:
        booked = await SessionBooking.select(SessionBooking.registration).where(
            (SessionBooking.session == filters.session_id) & SessionBooking.status.is_in(["confirmed", "waitlisted"])
        )
        conditions.append(Registration.id.is_in([b["registration"] for b in booked] or [0]))
    if filters.attendance_mode:
        conditions.append(Registration.attendance_mode == filters.attendance_mode)
    if filters.q:
        conditions.append(contains_text(filters.q, Registration.name, Registration.delegate.email))
    combined = conditions[0]
    for condition in conditions[1:]:
        combined = combined & condition
    return combined


def _order(query: Any) -> Any:
    return query.order_by(Registration.status).order_by(Registration.waitlist_position).order_by(Registration.id)


async def list_registrations(
    event: EventRow, filters: RegistrationFilters, *, limit: int, offset: int
) -> Page[schemas.Registration]:
    where = await _filtered(event.id, filters)
    rows = await _order(Registration.select().where(where)).limit(limit).offset(offset)
    total = await Registration.count().where(where)
    return Page(items=await views.registrations_from_rows(rows, event=event), total=total, limit=limit, offset=offset)


def places_left(capacity: int | None, confirmed: int) -> int | None:
    """Places still free (None: no limit); never below 0, though a capacity lowered under the confirmed count
    leaves more people than places."""
    return None if capacity is None else max(0, capacity - confirmed)


async def counts_by_event(event_ids: list[int]) -> dict[int, schemas.StatusCounts]:
    """Registrations by status for many events in one query (the organisers' dashboard)."""
    if not event_ids:
        return {}
    rows = (
        await Registration.select(Registration.event, Registration.status, Count(Registration.id, alias="n"))
        .where(Registration.event.is_in(event_ids))
        .group_by(Registration.event, Registration.status)
    )
    found: dict[int, dict[str, int]] = {}
    for row in rows:
        found.setdefault(int(row["event"]), {})[row["status"]] = int(row["n"])
    return {event_id: schemas.StatusCounts(**found.get(event_id, {})) for event_id in event_ids}


async def counts(event: EventRow) -> schemas.RegistrationCounts:
    rows = (
        await Registration.select(
            Registration.status,
            Registration.stakeholder_group.as_alias("group_id"),
            Count(Registration.id, alias="n"),
        )
        .where(Registration.event == event.id)
        .group_by(Registration.status, Registration.stakeholder_group)
    )
    groups = await StakeholderGroup.select().order_by(StakeholderGroup.position).order_by(StakeholderGroup.name)
    by_status: dict[str, int] = {}
    by_group: dict[int, dict[str, int]] = {}
    for row in rows:
        by_status[row["status"]] = by_status.get(row["status"], 0) + row["n"]
        by_group.setdefault(row["group_id"], {})[row["status"]] = row["n"]
    capacity = event.capacity
    by_mode = (
        [
            schemas.ModeCounts(
                attendance_mode=m.mode,
                capacity=m.capacity,
                confirmed=m.confirmed,
                places_left=m.left,
                waitlisted=m.waitlisted,
            )
            for m in await attendance.places_by_mode(event)
        ]
        if event.attendance_mode == "hybrid"
        else []
    )
    return schemas.RegistrationCounts(
        by_mode=by_mode,
        capacity=capacity,
        places_left=places_left(capacity, by_status.get("confirmed", 0)),
        by_status=schemas.StatusCounts(**by_status),
        by_group=[
            schemas.GroupCounts(
                stakeholder_group=g["slug"], name=g["name"], counts=schemas.StatusCounts(**by_group.get(g["id"], {}))
            )
            for g in groups
        ],
    )


async def export_csv(event: EventRow, filters: RegistrationFilters) -> tuple[str, bytes]:
    """(filename, the CSV document): one row per registration, one column per question."""
    questions = await list_questions(event.id, include_retired=True)
    where = await _filtered(event.id, filters)
    registrations = await views.registrations_from_rows(await _order(Registration.select().where(where)), event=event)
    header = [
        "Registration",
        "Status",
        "Waiting list number",
        "Name",
        "Email",
        "Organisation",
        "Stakeholder group",
        "Access needs",
        "Dietary needs",
        "Consent to be contacted",
        "Sessions",
        "Registered at",
        "Attends",  # in person or online
        *[f"{q.label} (retired)" if q.retired_at is not None else q.label for q in questions],
    ]
    rows = []
    for r in registrations:
        sessions = "; ".join(
            b.title if b.status == "confirmed" else f"{b.title} ({b.status} {b.waitlist_position or ''})".strip()
            for b in r.sessions
        )
        answers = [r.answers.get(str(q.id), "") for q in questions]
        rows.append(
            (
                r.id,
                r.status,
                r.waitlist_position or "",
                r.name,
                r.email,
                r.organisation,
                r.stakeholder_group_name,
                r.access_needs,
                r.dietary_needs,
                "yes" if r.consent_to_contact else "no",
                sessions,
                in_zone(r.created_at, event.timezone).strftime("%Y-%m-%d %H:%M"),
                attendance.MODE_WORDS[r.attendance_mode],
                *["; ".join(a) if isinstance(a, list) else a for a in answers],
            )
        )
    return f"registrations-{event.slug}.csv", csv_bytes(header, rows)


async def export_delegate(delegate_id: int) -> schemas.DelegateExport:
    """Everything held about a delegate: their record as it is now, and each registration as it was made (the
    name, organisation and group it was made as); for a limited organiser, their registrations in its scope only."""
    await scoped.require_delegate(delegate_id)
    row = (
        await Delegate.select(
            *Delegate.all_columns(),
            Delegate.stakeholder_group.name.as_alias("group_name"),
            Delegate.organisation.name.as_alias("listed_organisation"),
        )
        .where(Delegate.id == delegate_id)
        .first()
    )
    if row is None:
        raise not_found("delegate", delegate_id)
    registrations = await views.registrations_from_rows(
        await scopes.where(Registration.select(), scoped.registrations())
        .where(Registration.delegate == delegate_id)
        .order_by(Registration.id)
    )
    return schemas.DelegateExport(
        id=row["id"],
        email=row["email"],
        name=row["name"],
        organisation=row["listed_organisation"] or row["organisation_name"],
        stakeholder_group=row["group_name"],
        consent_to_contact=row["consent_to_contact"],
        created_at=row["created_at"],
        erased_at=row["erased_at"],
        registrations=registrations,
        history={str(r.id): await views.history(r.id) for r in registrations},
    )

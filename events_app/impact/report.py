"""The network's impact over a range: a handful of set-based queries for the whole range (events, their
registrations, door check-ins, earlier registrations, sessions, who was in each room, collaboration answers),
then counting in memory. No query per event.

Every figure reads what a registration was made as (its stakeholder group's sector role, organisation and
region: registration/tables.py), never the delegate's record of today, so past figures do not move.

Definitions (the page shows them in these words):
- events held: published (not cancelled, not drafts), ended within the range and by now; a region filter
  keeps the events of series in that region, as an account's scope does;
- registrations: places at those events that were confirmed, even if cancelled later;
- attendance: those registrations that attended (checkin/attended.py): in person, checked in at the event's door
  (an undone check-in does not count); online, joined the event or one of its sessions online; and either way,
  each registration once;
- people: delegates with a registration; each counts once, in the sector and region of their latest
  registration in the range; organisations likewise, by the organisation on the list, else the name typed
  (case and spaces aside);
- first-timers and returners: a returner also had a registration at an earlier event within the same
  filters (ended before the range starts); everyone else is a first-timer;
- sessions together: sessions (not breaks, not cancelled) where a university and a civil-society
  organisation were both in the room, by who was present (checked in at its door or joined it online) where
  that was recorded, else its confirmed places."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from piccolo.custom_types import Combinable

from events_app.accounts import scopes
from events_app.checkin.attended import present_at_sessions, who_attended
from events_app.feedback.results import percent
from events_app.feedback.tables import FeedbackAnswer
from events_app.impact import periods
from events_app.impact.filters import Resolved
from events_app.impact.schemas import (
    Attendance,
    CollaborationAnswer,
    EventLine,
    Figures,
    ImpactReport,
    Newcomers,
    Row,
    SectorAnswer,
    SessionsTogether,
    TrendPoint,
)
from events_app.people.sectors import SECTOR_LABELS, SECTOR_ROLES, SectorRole, sector_role
from events_app.people.tables import Region
from events_app.programme.tables import Event, Series, Session
from events_app.registration.tables import Registration, SessionBooking

NOT_KNOWN = "Not known"
TOGETHER: frozenset[str] = frozenset({"university", "civil_society"})


def _events_where(found: Resolved, *, before: datetime | None = None) -> Combinable:
    """Published events within the filters and the account's scope: ended in the range (and by now), or, with
    `before`, ended before that instant."""
    query = found.query
    condition: Combinable = Event.status == "published"
    if query.kind is not None:
        condition = condition & (Event.kind == query.kind)
    if found.series_id is not None:
        condition = condition & (Event.series == found.series_id)
    if found.region_id is not None:
        condition = condition & Event.series.is_in(Series.select(Series.id).where(Series.region == found.region_id))
    if (in_scope := scopes.active().event_filter()) is not None:
        condition = condition & in_scope
    return condition if before is None else condition & (Event.ends_at < before)


def normalised_name(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass(slots=True)
class _Tally:
    """Counts for one row of a table, as the registrations are read."""

    registrations: int = 0
    attended: int = 0  # in person or online
    in_person: int = 0
    online: int = 0
    people: set[int] = field(default_factory=set)
    people_attended: set[int] = field(default_factory=set)
    organisations: set[tuple[str, object]] = field(default_factory=set)

    def add(self, r: _Registration) -> None:
        self.registrations += 1
        self.attended += r.attended
        self.in_person += r.in_person
        self.online += r.online

    def attendance(self) -> Attendance:
        return Attendance(in_person=self.in_person, online=self.online, either=self.attended)

    def figures(self) -> Figures:
        return Figures(
            registrations=self.registrations,
            attendance=self.attendance(),
            people=len(self.people),
            people_attended=len(self.people_attended),
            organisations=len(self.organisations),
        )


@dataclass(frozen=True, slots=True)
class _Registration:
    id: int
    event: int
    delegate: int
    ended: datetime
    sector: SectorRole
    region: int | None
    organisation: tuple[str, object] | None
    in_person: bool
    online: bool

    @property
    def attended(self) -> bool:
        return self.in_person or self.online


async def _registrations(events: Combinable) -> list[_Registration]:
    rows = await Registration.select(
        Registration.id,
        Registration.event,
        Registration.delegate,
        Registration.organisation,
        Registration.organisation_name,
        Registration.region,
        Registration.event.ends_at.as_alias("ended"),
        Registration.stakeholder_group.sector_role.as_alias("sector"),
    ).where(Registration.event.is_in(Event.select(Event.id).where(events)) & Registration.confirmed_at.is_not_null())
    came = await who_attended(Event.select(Event.id).where(events))
    found = []
    for r in rows:
        organisation: tuple[str, object] | None = None
        if r["organisation"] is not None:
            organisation = ("id", r["organisation"])
        elif name := normalised_name(r["organisation_name"] or ""):
            organisation = ("name", name)
        found.append(
            _Registration(
                id=r["id"],
                event=r["event"],
                delegate=r["delegate"],
                ended=r["ended"],
                sector=sector_role(r["sector"]),
                region=r["region"],
                organisation=organisation,
                in_person=r["id"] in came.in_person,
                online=r["id"] in came.online,
            )
        )
    return found


def _latest(registrations: Iterable[_Registration], key: Any) -> dict[Any, _Registration]:
    """For each key (a person, an organisation), its latest registration: the last event to end, then the last
    made."""
    latest: dict[Any, _Registration] = {}
    for r in sorted(registrations, key=lambda r: (r.ended, r.id)):
        if (k := key(r)) is not None:
            latest[k] = r
    return latest


def _tables(
    registrations: list[_Registration],
) -> tuple[_Tally, dict[SectorRole, _Tally], dict[int | None, _Tally]]:
    total = _Tally()
    by_sector: dict[SectorRole, _Tally] = {role: _Tally() for role in SECTOR_ROLES}
    by_region: dict[int | None, _Tally] = defaultdict(_Tally)
    for r in registrations:
        for tally in (total, by_sector[r.sector], by_region[r.region]):
            tally.add(r)
    attended_people = {r.delegate for r in registrations if r.attended}
    for person, r in _latest(registrations, lambda r: r.delegate).items():
        for tally in (total, by_sector[r.sector], by_region[r.region]):
            tally.people.add(person)
            if person in attended_people:
                tally.people_attended.add(person)
    for organisation, r in _latest(registrations, lambda r: r.organisation).items():
        for tally in (total, by_sector[r.sector], by_region[r.region]):
            tally.organisations.add(organisation)
    return total, by_sector, by_region


async def _returners(found: Resolved, first: datetime, held: Combinable) -> set[int]:
    """The people of the range who also had a registration at an earlier event within the same filters."""
    in_range = Registration.select(Registration.delegate).where(
        Registration.event.is_in(Event.select(Event.id).where(held)) & Registration.confirmed_at.is_not_null()
    )
    earlier = Event.select(Event.id).where(_events_where(found, before=first))
    rows = await (
        Registration.select(Registration.delegate)
        .where(
            Registration.delegate.is_in(in_range)
            & Registration.confirmed_at.is_not_null()
            & Registration.event.is_in(earlier)
        )
        .distinct()
    )
    return {r["delegate"] for r in rows}


async def _sessions_together(events: Combinable) -> SessionsTogether:
    in_range = Event.select(Event.id).where(events)
    sessions = await Session.select(Session.id).where(
        Session.event.is_in(in_range) & (Session.kind != "break") & (Session.status != "cancelled")
    )
    present_ids = await present_at_sessions(in_range)
    sector_of = {
        r["id"]: sector_role(r["sector"])
        for r in await Registration.select(
            Registration.id, Registration.stakeholder_group._.sector_role.as_alias("sector")
        ).where(Registration.id.is_in([i for ids in present_ids.values() for i in ids] or [0]))
    }
    places = await SessionBooking.select(
        SessionBooking.session, SessionBooking.registration._.stakeholder_group._.sector_role.as_alias("sector")
    ).where(
        SessionBooking.session.is_in(Session.select(Session.id).where(Session.event.is_in(in_range)))
        & (SessionBooking.status == "confirmed")
    )
    present: dict[int, set[str]] = {session: {sector_of[i] for i in ids} for session, ids in present_ids.items()}
    booked: dict[int, set[str]] = defaultdict(set)
    for row in places:
        booked[row["session"]].add(sector_role(row["sector"]))
    ids = [s["id"] for s in sessions]
    in_room = [present.get(i) or booked.get(i) or set() for i in ids]
    together = sum(1 for sectors in in_room if sectors >= TOGETHER)
    return SessionsTogether(
        sessions=len(ids),
        recorded=sum(1 for sectors in in_room if sectors),
        together=together,
        share=round(together / len(ids), 3) if ids else None,
    )


async def _collaboration(events: Combinable) -> list[CollaborationAnswer]:
    """The answers to collaboration questions, by each question's wording and kind, by the sector of the
    registration answered for (else the sector the respondent gave, on an open or anonymous form)."""
    rows = await FeedbackAnswer.select(
        FeedbackAnswer.number,
        FeedbackAnswer.question.label.as_alias("label"),
        FeedbackAnswer.question.kind.as_alias("kind"),
        FeedbackAnswer.question._.form._.event.as_alias("event"),
        FeedbackAnswer.response._.registration._.stakeholder_group._.sector_role.as_alias("registered_as"),
        FeedbackAnswer.response._.stakeholder_group._.sector_role.as_alias("answered_as"),
    ).where(
        (FeedbackAnswer.question.topic == "collaboration")
        & FeedbackAnswer.question._.form._.event.is_in(Event.select(Event.id).where(events))
    )
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[(row["label"], row["kind"])].append(row)
    answers = []
    for (label, kind), found in sorted(grouped.items()):
        by_sector: dict[SectorRole, list[int | None]] = defaultdict(list)
        for row in found:
            by_sector[sector_role(row["registered_as"] or row["answered_as"])].append(row["number"])
        answers.append(
            CollaborationAnswer(
                label=label,
                kind=kind,
                events=len({row["event"] for row in found}),
                count=len(found),
                by_sector=[_sector_answer(role, kind, by_sector[role]) for role in SECTOR_ROLES if by_sector[role]],
            )
        )
    return answers


def _sector_answer(role: SectorRole, kind: str, numbers: list[int | None]) -> SectorAnswer:
    given = [n for n in numbers if n is not None]
    mean = round(sum(given) / len(given), 2) if kind == "rating" and given else None
    yes = percent(sum(given), len(given)) if kind == "yes_no" and given else None
    return SectorAnswer(sector=role, label=SECTOR_LABELS[role], count=len(numbers), mean=mean, percent_yes=yes)


def _trend(found: Resolved, events: list[dict[str, Any]], registrations: list[_Registration]) -> list[TrendPoint]:
    query = found.query
    key_of_event = {e["id"]: periods.bucket(periods.uk_day(e["ends_at"]), query.by).key for e in events}
    events_in: dict[str, int] = defaultdict(int)
    for key in key_of_event.values():
        events_in[key] += 1
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    for r in registrations:
        tally = tallies[key_of_event[r.event]]
        tally.add(r)
        tally.people.add(r.delegate)
    return [
        TrendPoint(
            key=b.key,
            label=b.label,
            short=b.short,
            start=max(b.first, query.start),
            end=min(b.last, query.end),
            events=events_in.get(b.key, 0),
            registrations=tallies[b.key].registrations,
            attendance=tallies[b.key].attendance(),
            people=len(tallies[b.key].people),
        )
        for b in periods.buckets(query.start, query.end, query.by)
    ]


async def impact_report(found: Resolved, now: datetime) -> ImpactReport:
    """The report for the range and filters, within the account's scope."""
    query = found.query
    first, after = periods.utc_bounds(query.start, query.end)
    held = _events_where(found) & (Event.ends_at >= first) & (Event.ends_at < min(after, now))
    events = await Event.select(
        Event.id, Event.slug, Event.title, Event.kind, Event.ends_at, Event.series.title.as_alias("series_title")
    ).where(held)
    registrations = await _registrations(held)
    total, by_sector, by_region = _tables(registrations)
    regions = await Region.select(Region.id, Region.slug, Region.name).order_by(Region.name)
    returners = await _returners(found, first, held)
    per_event: dict[int, _Tally] = defaultdict(_Tally)
    for r in registrations:
        per_event[r.event].add(r)
    region_rows = [Row(r["slug"], r["name"], by_region[r["id"]].figures()) for r in regions if r["id"] in by_region]
    if None in by_region:
        region_rows.append(Row("", NOT_KNOWN, by_region[None].figures()))
    return ImpactReport(
        query=query,
        events=len(events),
        totals=total.figures(),
        newcomers=Newcomers(first_timers=len(total.people - returners), returners=len(total.people & returners)),
        by_sector=[Row(role, SECTOR_LABELS[role], by_sector[role].figures()) for role in SECTOR_ROLES],
        by_region=region_rows,
        sessions=await _sessions_together(held),
        collaboration=await _collaboration(held),
        trend=_trend(found, events, registrations),
        online_recorded=True,
        event_lines=[
            EventLine(
                slug=e["slug"],
                title=e["title"],
                kind=e["kind"],
                series=e["series_title"],
                ended=periods.uk_day(e["ends_at"]),
                registrations=per_event[e["id"]].registrations,
                attendance=per_event[e["id"]].attendance(),
            )
            for e in sorted(events, key=lambda e: (e["ends_at"], e["id"]))
        ],
    )

"""What the door and the organisers read about check-in: the search for someone without a ticket, live
counts, the list a scanner keeps for working offline, and attendance after the event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from piccolo.query.functions.aggregate import Count

from events_app.checkin.attended import OnlineJoin, who_attended
from events_app.checkin.errors import NoSuchSessionHere
from events_app.checkin.refusals import REASONS
from events_app.checkin.schemas import Counts, GroupCount, OfflineList, OfflinePerson, Person
from events_app.checkin.services import scan_window
from events_app.checkin.tables import CheckIn, DoorMovement, RefusedScan
from events_app.core.database import contains_text
from events_app.core.timezones import in_zone, utc_now
from events_app.programme.rows import EventRow
from events_app.programme.tables import Session
from events_app.registration.schemas import Registration as RegistrationOut
from events_app.registration.tables import Registration, SessionBooking
from events_app.registration.views import registrations_from_rows
from events_app.tickets import codes

UNKNOWN_GROUP = "Unknown"


async def search(event: EventRow, text: str, limit: int = 20) -> list[Person]:
    """Confirmed delegates whose name or organisation contains the text, for someone without a ticket."""
    matches = contains_text(text, Registration.name, Registration.organisation_name)  # as registered
    rows = await (
        Registration.select()
        .where((Registration.event == event.id) & (Registration.status == "confirmed") & matches)
        .order_by(Registration.name)
        .limit(limit)
    )
    people = await registrations_from_rows(list(rows), event=event)
    ids = [p.id for p in people]
    checked = {
        c["registration"]: c["at"]
        for c in (
            await CheckIn.select(CheckIn.registration, CheckIn.at).where(
                CheckIn.registration.is_in(ids) & CheckIn.session.is_null() & CheckIn.undone_at.is_null()
            )
            if ids
            else []
        )
    }
    return [
        Person(
            registration_id=p.id,
            name=p.name,
            organisation=p.organisation,
            stakeholder_group=p.stakeholder_group_name,
            checked_in_at=checked.get(p.id),
            email_domain=p.email.rpartition("@")[2],
        )
        for p in people
    ]


async def counts(event: EventRow, session_id: int | None = None) -> Counts:
    if session_id is None:
        expected = await Registration.count().where(
            (Registration.event == event.id) & (Registration.status == "confirmed")
        )
    else:
        expected = await SessionBooking.count().where(
            (SessionBooking.session == session_id) & (SessionBooking.status == "confirmed")
        )
    checked_in = await CheckIn.count().where(
        (CheckIn.event == event.id)
        & CheckIn.undone_at.is_null()
        & (CheckIn.session == session_id if session_id is not None else CheckIn.session.is_null())
    )
    return Counts(
        expected=expected,
        checked_in=checked_in,
        inside=await inside(event, session_id) if event.check_out else None,
        by_group=await counts_by_group(event, session_id),
    )


async def counts_by_group(event: EventRow, session_id: int | None = None) -> list[GroupCount]:
    """Checked in and expected at a door by stakeholder group, as each registration was made (its snapshot)."""
    if session_id is None:
        expected_rows = (
            await Registration.select(Registration.stakeholder_group.name.as_alias("group"), Count(alias="n"))
            .where((Registration.event == event.id) & (Registration.status == "confirmed"))
            .group_by(Registration.stakeholder_group.name)
        )
    else:
        expected_rows = (
            await SessionBooking.select(
                SessionBooking.registration._.stakeholder_group._.name.as_alias("group"), Count(alias="n")
            )
            .where((SessionBooking.session == session_id) & (SessionBooking.status == "confirmed"))
            .group_by(SessionBooking.registration._.stakeholder_group._.name)
        )
    checked_rows = (
        await CheckIn.select(CheckIn.registration._.stakeholder_group._.name.as_alias("group"), Count(alias="n"))
        .where(
            (CheckIn.event == event.id)
            & CheckIn.undone_at.is_null()
            & (CheckIn.session == session_id if session_id is not None else CheckIn.session.is_null())
        )
        .group_by(CheckIn.registration._.stakeholder_group._.name)
    )
    expected = {r["group"] or UNKNOWN_GROUP: int(r["n"]) for r in expected_rows}
    checked = {r["group"] or UNKNOWN_GROUP: int(r["n"]) for r in checked_rows}
    return [
        GroupCount(stakeholder_group=name, expected=expected.get(name, 0), checked_in=checked.get(name, 0))
        for name in sorted(expected.keys() | checked.keys())
    ]


async def inside(event: EventRow, session_id: int | None = None) -> int:
    """People inside now at a door: checked in (not undone), and not gone out since their last return."""
    door = CheckIn.session == session_id if session_id is not None else CheckIn.session.is_null()
    entered = {
        r["registration"]
        for r in await CheckIn.select(CheckIn.registration).where(
            (CheckIn.event == event.id) & CheckIn.undone_at.is_null() & door
        )
    }
    last: dict[int, str] = {}
    movements = (
        await DoorMovement.select(DoorMovement.registration, DoorMovement.direction)
        .where(
            (DoorMovement.event == event.id)
            & (DoorMovement.session == session_id if session_id is not None else DoorMovement.session.is_null())
        )
        .order_by(DoorMovement.at)
        .order_by(DoorMovement.id)
    )
    for movement in movements:
        last[movement["registration"]] = movement["direction"]
    return sum(last.get(r) != "out" for r in entered)


async def checked_in_by_event(event_ids: list[int]) -> dict[int, int]:
    """People checked in at the door (undone check-ins left out) of many events in one query, as `counts` counts
    one event's."""
    if not event_ids:
        return {}
    rows = (
        await CheckIn.select(CheckIn.event, Count(CheckIn.id, alias="n"))
        .where(CheckIn.event.is_in(event_ids) & CheckIn.session.is_null() & CheckIn.undone_at.is_null())
        .group_by(CheckIn.event)
    )
    found = {int(r["event"]): int(r["n"]) for r in rows}
    return {event_id: found.get(event_id, 0) for event_id in event_ids}


async def offline_list(event: EventRow) -> OfflineList:
    """What a scanner needs to go on without the network: the public key that checks codes, and every
    registration of the event with its status (a cancelled one is refused offline too) and who it is: only
    the name and organisation, since the list stays on a device at the door (access needs come online)."""
    rows = await Registration.select().where(Registration.event == event.id)
    people = {p.id: p for p in await registrations_from_rows(list(rows), event=event)}
    checked = {
        c["registration"]
        for c in await CheckIn.select(CheckIn.registration).where(
            (CheckIn.event == event.id) & CheckIn.session.is_null() & CheckIn.undone_at.is_null()
        )
    }
    window = scan_window(event)
    return OfflineList(
        event_id=event.id,
        opens_at=window.opens.isoformat(),
        closes_at=window.closes.isoformat(),
        algorithm="Ed25519",
        public_key=codes.public_key_b64(),
        generated_at=utc_now().isoformat(),
        registrations={
            str(p.id): OfflinePerson(
                status=p.status, name=p.name, organisation=p.organisation, checked_in=p.id in checked
            )
            for p in people.values()
        },
        check_out=event.check_out,
    )


@dataclass(slots=True)
class GroupAttendance:
    expected: int = 0
    checked_in: int = 0  # in person
    online: int = 0
    attended: int = 0  # either way, each person once


@dataclass(frozen=True, slots=True)
class SessionChoice:
    id: int
    title: str


@dataclass(frozen=True, slots=True)
class Attendance:
    """Who attended an event, or one of its sessions: in person, online, and either way (checkin/attended.py)."""

    event: EventRow
    session: SessionChoice | None  # the session read, or None for the event as a whole
    sessions: list[SessionChoice]  # the event's sessions, to choose from
    expected: int
    checked_in: int  # in person
    online: int
    attended: int  # either way, each person once
    both: int  # came in person and joined online too
    arrivals: dict[str, int]  # "HH:MM" (15-minute steps in the event's zone) -> arrivals at the door
    by_group: dict[str, GroupAttendance]
    no_shows: list[RegistrationOut]
    people: list[RegistrationOut]
    arrived_at: dict[int, datetime]  # registration id -> when checked in
    joined: dict[int, OnlineJoin]  # registration id -> how they joined online


async def _expected(event: EventRow, session_id: int | None, came: set[int]) -> list[RegistrationOut]:
    """Who was expected: the event's confirmed places; for a session, those with a confirmed place in it (or, when
    nobody books it, every confirmed place), and anyone who attended it without one."""
    confirmed = (Registration.event == event.id) & (Registration.status == "confirmed")
    if session_id is not None:
        booked = [
            r["registration"]
            for r in await SessionBooking.select(SessionBooking.registration).where(
                (SessionBooking.session == session_id) & (SessionBooking.status == "confirmed")
            )
        ]
        if booked:
            confirmed &= Registration.id.is_in(list({*booked, *came}))
    return await registrations_from_rows(list(await Registration.select().where(confirmed)), event=event)


async def session_choices(event: EventRow) -> list[SessionChoice]:
    """The event's sessions (not breaks), in time order, to read attendance of or record it for."""
    return [
        SessionChoice(r["id"], r["title"])
        for r in await Session.select(Session.id, Session.title)
        .where((Session.event == event.id) & (Session.kind != "break"))
        .order_by(Session.starts_at)
        .order_by(Session.id)
    ]


async def attendance(event: EventRow, session_id: int | None = None) -> Attendance:
    """Arrivals over time (15-minute steps, in the event's zone), online joins, no-shows, and attendance by group,
    for the event or one of its sessions."""
    sessions = await session_choices(event)
    chosen = next((s for s in sessions if s.id == session_id), None)
    if session_id is not None and chosen is None:
        raise NoSuchSessionHere(event=event.title, session=session_id)
    came = await who_attended(event.id, session_id)
    confirmed = await _expected(event, session_id, came.either)
    arrivals = came.in_person
    steps: dict[str, int] = {}
    for moment in sorted(arrivals.values()):
        local = in_zone(moment, event.timezone)
        step = local.replace(minute=local.minute - local.minute % 15, second=0, microsecond=0)
        key = step.strftime("%H:%M")
        steps[key] = steps.get(key, 0) + 1
    groups: dict[str, GroupAttendance] = {}
    attended = came.either
    for person in confirmed:
        group = groups.setdefault(person.stakeholder_group_name or UNKNOWN_GROUP, GroupAttendance())
        group.expected += 1
        group.checked_in += person.id in arrivals
        group.online += person.id in came.online
        group.attended += person.id in attended
    ids = {p.id for p in confirmed}
    return Attendance(
        event=event,
        session=chosen,
        sessions=sessions,
        expected=len(confirmed),
        checked_in=len(ids & set(arrivals)),
        online=len(ids & set(came.online)),
        attended=len(ids & attended),
        both=len(ids & came.both),
        arrivals=steps,
        by_group=groups,
        no_shows=[p for p in confirmed if p.id not in attended],
        people=confirmed,
        arrived_at=arrivals,
        joined=came.online,
    )


@dataclass(frozen=True, slots=True)
class OnlinePerson:
    name: str
    first_joined_at: datetime  # in the event's zone
    joins: int
    source: str  # in words
    in_person: bool


SOURCE_WORDS = {"link": "their join link", "import": "the platform's list", "link and import": "both"}


def online_people(data: Attendance) -> list[OnlinePerson]:
    """Who joined online, first join first, for the attendance page."""
    people = [
        OnlinePerson(
            p.name,
            in_zone(join.first_joined_at, data.event.timezone),
            join.joins,
            SOURCE_WORDS.get(join.source, join.source),
            p.id in data.arrived_at,
        )
        for p in data.people
        if (join := data.joined.get(p.id)) is not None
    ]
    return sorted(people, key=lambda p: (p.first_joined_at, p.name))


ATTENDANCE_HEADER = [
    "Registration",
    "Name",
    "Email",
    "Organisation",
    "Stakeholder group",
    "Checked in at",
    "Joined online first at",
    "Online joins",
    "Online source",
    "Online minutes",
    "Attended",
]
ATTENDED_WORDS = {(True, False): "in person", (False, True): "online", (True, True): "in person and online"}


def attendance_rows(data: Attendance) -> list[tuple[object, ...]]:
    """The attendance CSV's rows, one per person expected (times in the event's zone)."""
    timezone = data.event.timezone
    rows: list[tuple[object, ...]] = []
    for person in data.people:
        arrived, joined = data.arrived_at.get(person.id), data.joined.get(person.id)
        rows.append(
            (
                person.id,
                person.name,
                person.email,
                person.organisation,
                person.stakeholder_group_name,
                in_zone(arrived, timezone).strftime("%Y-%m-%d %H:%M") if arrived else "did not come",
                in_zone(joined.first_joined_at, timezone).strftime("%Y-%m-%d %H:%M") if joined else "",
                joined.joins if joined else "",
                joined.source if joined else "",
                joined.minutes if joined and joined.minutes is not None else "",
                ATTENDED_WORDS.get((arrived is not None, joined is not None), "no"),
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class RefusedLine:
    at: datetime  # in the event's zone
    door: str
    reason: str  # in words (REASONS)
    by: str
    name: str  # the registration's name, when the code named someone of this event


@dataclass(frozen=True, slots=True)
class RefusedScans:
    total: int
    by_reason: dict[str, int]  # reason in words -> scans, most first
    latest: list[RefusedLine]


async def refused_scans(event: EventRow, limit: int = 200) -> RefusedScans:
    """The scans the door refused at this event: how many for each reason, and the latest ones."""
    counted = (
        await RefusedScan.select(RefusedScan.reason, Count(alias="n"))
        .where(RefusedScan.event == event.id)
        .group_by(RefusedScan.reason)
    )
    by_reason: dict[str, int] = {}
    for row in counted:
        words = REASONS.get(row["reason"], row["reason"])
        by_reason[words] = by_reason.get(words, 0) + int(row["n"])
    rows = (
        await RefusedScan.select(
            RefusedScan.at,
            RefusedScan.door,
            RefusedScan.reason,
            RefusedScan.by._.first_name.as_alias("by_name"),
            RefusedScan.by._.email.as_alias("by_email"),
            RefusedScan.registration._.name.as_alias("name"),
        )
        .where(RefusedScan.event == event.id)
        .order_by(RefusedScan.at, ascending=False)
        .order_by(RefusedScan.id, ascending=False)
        .limit(limit)
    )
    return RefusedScans(
        total=sum(by_reason.values()),
        by_reason=dict(sorted(by_reason.items(), key=lambda item: (-item[1], item[0]))),
        latest=[
            RefusedLine(
                at=in_zone(row["at"], event.timezone),
                door=row["door"],
                reason=REASONS.get(row["reason"], row["reason"]),
                by=row["by_name"] or row["by_email"] or "someone",
                name=row["name"] or "",
            )
            for row in rows
        ],
    )

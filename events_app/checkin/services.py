"""Scanning tickets at the door. The shape follows pretix's check-in: each rule in order, a typed answer
with a stable code; the registration row is locked so that two doors scanning one ticket at the same
moment make one check-in; an offline scan carries its scanner's id, so syncing it twice counts once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from piccolo.apps.user.tables import BaseUser

from events_app.accounts import scopes
from events_app.checkin import movements, refusals
from events_app.checkin.errors import AlreadyUndone
from events_app.checkin.schemas import CheckInMethod, Direction, OfflineRefusal, ScanCode, ScanResult
from events_app.checkin.tables import CheckIn, DoorMovement
from events_app.core.crud import not_found
from events_app.core.database import for_update_of, read_rows, run_sql, value_list, write_transaction
from events_app.core.group_commit import GroupCommit
from events_app.core.timezones import in_zone, utc_now
from events_app.programme import remembered as remembered_events
from events_app.programme.errors import SessionNotAtEvent
from events_app.programme.events import event_row
from events_app.programme.rows import EventRow
from events_app.programme.tables import Event, Session
from events_app.registration.schemas import RegistrationStatus
from events_app.registration.tables import Registration, SessionBooking
from events_app.tickets import codes

# Every answer a scanner can give, in one place: a stable code, a colour, and words for people.
ANSWERS: dict[ScanCode, tuple[str, str]] = {
    "checked_in": ("green", "Welcome, {name}"),
    "already_checked_in": ("amber", "{name} was already checked in at {time} by {by}"),
    "not_confirmed": ("red", "{name} has no confirmed place: the registration is {status}"),
    "not_booked": ("red", "{name} has no place in {session}"),
    "other_event": ("red", "This ticket is for another event: {event}"),
    "too_early": ("red", "{event} has not started: check-in opens {opens}. An organiser can check {name} in anyway"),
    "event_over": ("red", "{event} is over: check-in closed {closes}. An organiser can check {name} in anyway"),
    "invalid": ("red", "This is not a valid ticket"),
    "back_in": ("green", "Welcome back, {name}"),
    "checked_out": ("green", "Goodbye, {name}: checked out"),
    "already_checked_out": ("amber", "{name} was already checked out at {time} by {by}"),
    "not_checked_in": ("red", "{name} was not checked in, so cannot be checked out"),
    "no_check_out": ("red", "{event} does not record exits: an organiser can turn check-out on in its settings"),
}

# A ticket is checked in on the event's own days (in its zone), or from DOORS_OPEN before an early start
# until LATE_CLOSE after a late end; a scan two months early would make everyone a no-show on the day.
DOORS_OPEN = timedelta(hours=3)
LATE_CLOSE = timedelta(hours=3)


@dataclass(frozen=True, slots=True)
class ScanWindow:
    opens: datetime
    closes: datetime


def scan_window(event: EventRow) -> ScanWindow:
    """When the door takes tickets: from midnight of the first day to midnight after the last (in the event's
    zone, so multi-day events take the whole span), widened by DOORS_OPEN and LATE_CLOSE around the times."""
    zone = ZoneInfo(event.timezone)
    first = in_zone(event.starts_at, event.timezone).date()
    last = in_zone(event.ends_at, event.timezone).date()
    day_opens = datetime.combine(first, time(0), tzinfo=zone).astimezone(UTC)
    day_closes = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return ScanWindow(
        opens=min(day_opens, event.starts_at - DOORS_OPEN), closes=max(day_closes, event.ends_at + LATE_CLOSE)
    )


def _moment(moment: datetime, timezone: str) -> str:
    local = in_zone(moment, timezone)
    return f"{local:%A %-d %B %Y at %H:%M} ({timezone})"


def _answer(code: ScanCode, **values: Any) -> ScanResult:  # Any: the words' placeholders and result fields
    colour, words = ANSWERS[code]
    fields = {k: v for k, v in values.items() if k in ScanResult.__struct_fields__}
    return ScanResult(result=code, colour=colour, message=words.format(**values), **fields)  # type: ignore[arg-type]


# Who the registration was made as (kept on it), as every list of the event shows them.
_REGISTRATION_AT_THE_DOOR = (
    "SELECT r.id AS registration_id, r.event, r.status, r.access_needs, r.name, "
    "r.organisation_name AS organisation, COALESCE(g.name, '') AS stakeholder_group "
    "FROM registration r "
    "LEFT JOIN stakeholder_group g ON g.id = r.stakeholder_group "
    "WHERE r.id = {}"
)


@dataclass(frozen=True, slots=True)
class AtTheDoor:
    """A registration as the door sees it: whose it is, and what the scanner shows about them."""

    registration_id: int
    event: int
    status: RegistrationStatus
    name: str
    organisation: str
    stakeholder_group: str
    access_needs: str

    def person(self) -> dict[str, object]:
        """The fields every answer about this person carries (keyword arguments of `_answer`)."""
        return {
            "registration_id": self.registration_id,
            "name": self.name,
            "organisation": self.organisation,
            "stakeholder_group": self.stakeholder_group,
            "access_needs": self.access_needs,
        }


async def _locked_registration(registration_id: int) -> AtTheDoor | None:
    """The registration and who it is, in one query; on PostgreSQL the registration row is locked, so two
    doors scanning one ticket at the same moment take turns (SQLite's write transaction already does)."""
    sql = _REGISTRATION_AT_THE_DOOR + for_update_of("r")
    rows = await Registration.raw(sql, registration_id)
    return AtTheDoor(**rows[0]) if rows else None


async def _event(slug: str, *, fresh: bool = False) -> EventRow:
    """The event a scanner works at, remembered for a few seconds (programme/remembered.py): a door sends a scan
    a second."""
    generation, remembered = await remembered_events.recall(slug, fresh=fresh)
    if remembered is not None:
        if not await scopes.active().allows_event_id(remembered.id):  # remembered for anyone, not for all
            raise not_found("event", slug)
        return remembered
    event = await event_row(slug, include_drafts=True)
    await remembered_events.remember(generation, event)
    return event


async def _by(user_id: int | None) -> str:
    if user_id is None:
        return "someone"
    row = await BaseUser.select(BaseUser.first_name, BaseUser.email).where(BaseUser.id == user_id).first()
    return (row["first_name"] or row["email"]) if row else "someone"


def _time(moment: datetime, timezone: str) -> str:
    return in_zone(moment, timezone).strftime("%H:%M")


async def scan(
    event_slug: str,
    code: str,
    *,
    staff_id: int | None,
    session_id: int | None = None,
    client_id: str | None = None,
    at: datetime | None = None,
    method: CheckInMethod = "scan",
    override: bool = False,
    direction: Direction = "in",
) -> ScanResult:
    """Check a ticket in at the door of the event (or of one of its sessions), or out where the event records
    exits. `override` (an organiser's decision) checks it in outside the event's days. A refused scan is kept."""
    event = await _event(event_slug)  # first: an event outside the staff member's scope is not found (404)
    try:
        ticket = codes.read(code)  # forged, altered or truncated codes stop here, before the database
    except codes.InvalidTicket:
        # Kept under the event as it is now: the door's memory may name one deleted and made again under its slug.
        event = await _event(event_slug, fresh=True)
        refusal = refusals.Refusal(event.id, session_id, staff_id, at, method, client_id, direction)
        return await refusals.keep(_answer("invalid", client_id=client_id), refusal)
    if ticket.event_id != event.id:
        event = await _event(event_slug, fresh=True)  # what was remembered may be out of date
    if ticket.event_id != event.id:
        other = await scopes.where(Event.select(Event.title), scopes.active().event_filter()).where(
            Event.id == ticket.event_id
        )
        # Outside the staff member's scope the other event is not named.
        answer = _answer("other_event", event=other[0]["title"] if other else "unknown", client_id=client_id)
        return await refusals.keep(
            answer, refusals.Refusal(event.id, session_id, staff_id, at, method, client_id, direction)
        )
    return await check_in(
        event,
        ticket.registration_id,
        staff_id=staff_id,
        session_id=session_id,
        client_id=client_id,
        at=at,
        method=method,
        override=override,
        direction=direction,
    )


async def refused_offline(
    event_slug: str,
    code: str,
    reason: OfflineRefusal,
    *,
    staff_id: int | None,
    session_id: int | None = None,
    client_id: str | None = None,
    at: datetime | None = None,
    direction: Direction = "in",
) -> ScanResult:
    """Keep a scan the scanner refused with no network, as what the door saw then (`reason`, from its offline
    list). It never lets anyone in: the person was turned away, whatever their registration is by now. The
    registration is named when the code is a genuine ticket of this event; sent twice, it is kept once."""
    event = await _event(event_slug, fresh=True)  # kept under the event as it is now (see `scan`)
    registration_id = None
    try:
        ticket = codes.read(code)
    except codes.InvalidTicket:
        ticket = None
    if ticket is not None and ticket.event_id == event.id:
        mine = (Registration.id == ticket.registration_id) & (Registration.event == event.id)
        registration_id = ticket.registration_id if await Registration.exists().where(mine) else None
    answer = ScanResult(
        result=reason,
        colour="red",
        message=f"On record: {refusals.REASONS[refusals.OFFLINE + reason]}",
        registration_id=registration_id,
        client_id=client_id,
    )
    refusal = refusals.Refusal(event.id, session_id, staff_id, at, "offline", client_id, direction)
    return await refusals.keep(answer, refusal, reason=refusals.OFFLINE + reason)


# The door's own statements, written out: a scan is the busiest request of an event's day, and building these
# through the query builder cost more than running them (issue 20's profile). Both engines take this SQL.
_STANDING = (  # check-ins not undone, with who made them; the caller adds which
    "SELECT c.id, c.registration, c.at, c.by, u.first_name, u.email FROM check_in c "
    "LEFT JOIN piccolo_user u ON u.id = c.by WHERE c.undone_at IS NULL AND "
)
_ACTIVE_CHECK_IN = _STANDING + "c.registration = {} AND "
_INSERT_CHECK_INS = (
    "INSERT INTO check_in (event, registration, session, at, by, method, client_id, undone_at, undone_by) VALUES "
)
_CHECK_IN_ROW = "({}, {}, {}, {}, {}, {}, {}, NULL, NULL)"
_RECORD_CHECK_IN = _INSERT_CHECK_INS + _CHECK_IN_ROW


async def _active_check_in(registration_id: int, session_id: int | None) -> dict[str, Any] | None:
    """The check-in that stands for this registration at this door (id, at, by, and by's name as the door
    says it), read after the registration's lock is held, in its own statement: it then sees a check-in
    committed by a door that held the lock just before."""
    if session_id is None:
        rows = await read_rows(_ACTIVE_CHECK_IN + "c.session IS NULL LIMIT 1", registration_id)
    else:
        rows = await read_rows(_ACTIVE_CHECK_IN + "c.session = {} LIMIT 1", registration_id, session_id)
    return _named(rows[0]) if rows else None


def _named(row: dict[str, Any]) -> dict[str, Any]:
    """A check-in row with `by_name`: who made it, as the door says it (as `_by`)."""
    return {**row, "by_name": (row["first_name"] or row["email"]) if row["email"] is not None else "someone"}


async def _record(
    event: int,
    registration: int,
    session: int | None,
    at: datetime,
    by: int | None,
    method: CheckInMethod,
    client_id: str | None,
) -> int:
    """Write a check-in. Two doors may send one new client_id with two different tickets at the same moment
    (each holds only its own registration's lock): the second then meets the id's unique constraint, and its
    scan is recorded on its own, as it would have been had the first been written before it looked."""
    values = (event, registration, session, at, by, method, client_id)
    inserted = await CheckIn.raw(_RECORD_CHECK_IN + " ON CONFLICT DO NOTHING RETURNING id", *values)
    if not inserted:
        inserted = await CheckIn.raw(_RECORD_CHECK_IN + " RETURNING id", *values[:-1], None)
    return int(inserted[0]["id"])


async def check_in(
    event: EventRow,
    registration_id: int,
    *,
    staff_id: int | None,
    session_id: int | None = None,
    client_id: str | None = None,
    at: datetime | None = None,
    method: CheckInMethod = "scan",
    override: bool = False,
    direction: Direction = "in",
) -> ScanResult:
    """Let a delegate in (or, where the event records exits, out) at the door of the event or of a session; a
    refused scan is kept with who, when, which door and why. A plain scan at the event's entrance, made now,
    joins the door's group commit: scans arriving while the last batch is decided are decided together."""
    plain = session_id is None and client_id is None and at is None and not override and direction == "in"
    answer = (
        await _door.submit(event.id, _Scan(event, registration_id, staff_id, method))
        if plain and not event.check_out
        else None
    )
    if answer is None:  # not plain, or to be decided alone (the same ticket twice in one batch)
        answer = await _through_the_door(
            event,
            registration_id,
            staff_id=staff_id,
            session_id=session_id,
            client_id=client_id,
            at=at,
            method=method,
            override=override,
            direction=direction,
        )
    return await refusals.keep(
        answer, refusals.Refusal(event.id, session_id, staff_id, at, method, client_id, direction)
    )


async def _through_the_door(
    event: EventRow,
    registration_id: int,
    *,
    staff_id: int | None,
    session_id: int | None,
    client_id: str | None,
    at: datetime | None,
    method: CheckInMethod,
    override: bool,
    direction: Direction,
) -> ScanResult:
    now = utc_now()
    offline = at is not None  # only a scan made earlier, offline, can come before one already recorded
    at = min(at or now, now)  # a scanner's clock may be ahead; nobody is checked in in the future
    async with write_transaction():
        registration = await _locked_registration(registration_id)
        if registration is None or registration.event != event.id:
            return _answer("invalid", client_id=client_id)
        person = registration.person()
        replayed, recorded_client_id = await _synced_again(client_id, event.id, registration_id, session_id, person)
        if replayed is not None:  # the same scan synced again: the same answer, nothing new
            return replayed
        if direction == "out":
            return await _way_out(event, registration_id, person, session_id, staff_id, at, method, client_id)
        refused = _refused(event, registration, at, override, client_id)
        if refused is not None:
            return refused
        session_title = ""
        if session_id is not None:
            session = (
                await Session.select(Session.title, Session.event, Session.capacity, Session.status)
                .where(Session.id == session_id)
                .first()
            )
            if session is None or session["event"] != event.id or session["status"] == "draft":
                raise SessionNotAtEvent(id=session_id, field="session_id")
            session_title = session["title"]
            if session["capacity"] is not None:
                booked = await SessionBooking.exists().where(
                    (SessionBooking.registration == registration_id)
                    & (SessionBooking.session == session_id)
                    & (SessionBooking.status == "confirmed")
                )
                if not booked:
                    return _answer("not_booked", **person, session=session_title, client_id=client_id)
        existing = await _active_check_in(registration_id, session_id)
        if existing is not None and event.check_out and await movements.is_out(registration_id, session_id):
            await movements.record_movement(
                event.id, registration_id, session_id, "in", at, staff_id, method, recorded_client_id
            )
            return _answer("back_in", **person, check_in_id=existing["id"], client_id=client_id)
        if existing is not None and (not offline or at >= existing["at"]):
            return _already_in(event, person, existing, client_id)
        if existing is not None:  # an offline scan from earlier: the earliest scan stands, the later is set aside
            await CheckIn.update({CheckIn.undone_at: now, CheckIn.undone_by: None}).where(CheckIn.id == existing["id"])

        check_in_id = await _record(event.id, registration_id, session_id, at, staff_id, method, recorded_client_id)
        return _answer(
            "checked_in",
            **person,
            check_in_id=check_in_id,
            checked_in_at=at,
            client_id=client_id,
            conflict=existing is not None,
        )


def _refused(
    event: EventRow, registration: AtTheDoor, at: datetime, override: bool, client_id: str | None
) -> ScanResult | None:
    """Why the door refuses this registration now (no confirmed place, not the event's days), or None."""
    if registration.status != "confirmed":
        return _answer("not_confirmed", **registration.person(), status=registration.status, client_id=client_id)
    window = scan_window(event)
    if not override and not window.opens <= at < window.closes:  # an offline scan counts when it was made
        return _answer(
            "too_early" if at < window.opens else "event_over",
            **registration.person(),
            event=event.title,
            opens=_moment(window.opens, event.timezone),
            closes=_moment(window.closes, event.timezone),
            client_id=client_id,
        )
    return None


def _already_in(
    event: EventRow, person: dict[str, object], existing: dict[str, Any], client_id: str | None
) -> ScanResult:
    return _answer(
        "already_checked_in",
        **person,
        check_in_id=existing["id"],
        checked_in_at=existing["at"],
        checked_in_by=existing["by_name"],
        time=_time(existing["at"], event.timezone),
        by=existing["by_name"],
        client_id=client_id,
        conflict=client_id is not None,
    )


# Scans decided together (group commit) -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Scan:
    event: EventRow  # as the door remembers it
    registration_id: int
    staff_id: int | None
    method: CheckInMethod


async def _let_in_together(event_id: int, scans: list[_Scan]) -> list[ScanResult | BaseException | None]:
    """Plain scans at one event's entrance, in one transaction: their registrations locked in one statement (in
    the order of their ids, as every door locks them), then their standing check-ins read in one, then the new
    check-ins written in one. Each answer is the one `_through_the_door` gives; None: decide it alone (the same
    ticket twice in one batch)."""
    now = utc_now()
    ids = sorted({scan.registration_id for scan in scans})
    answers: list[ScanResult | BaseException | None] = [None] * len(scans)
    async with write_transaction():
        held = await run_sql(_REGISTRATIONS_AT_THE_DOOR % value_list(len(ids)) + for_update_of("r"), *ids)
        registrations = {int(row["registration_id"]): AtTheDoor(**row) for row in held}
        standing = await run_sql(_STANDING_AT_THE_ENTRANCE % value_list(len(ids)), *ids)
        existing = {int(row["registration"]): _named(row) for row in standing}
        entering: list[int] = []
        seen: set[int] = set()
        for index, scan in enumerate(scans):
            registration = registrations.get(scan.registration_id)
            if scan.registration_id in seen:
                continue  # alone, after this batch: it then meets the check-in this batch made
            seen.add(scan.registration_id)
            if registration is None or registration.event != event_id:
                answers[index] = _answer("invalid", client_id=None)
            elif (refused := _refused(scan.event, registration, now, False, None)) is not None:
                answers[index] = refused
            elif (found := existing.get(scan.registration_id)) is not None:
                answers[index] = _already_in(scan.event, registration.person(), found, None)
            else:
                entering.append(index)
        if entering:
            values: list[object] = []
            for index in entering:
                scan = scans[index]
                values += [event_id, scan.registration_id, None, now, scan.staff_id, scan.method, None]
            rows = ", ".join([_CHECK_IN_ROW] * len(entering))
            made = await run_sql(_INSERT_CHECK_INS + rows + " RETURNING id, registration", *values)
            made_for = {int(row["registration"]): int(row["id"]) for row in made}
            for index in entering:
                scan = scans[index]
                answers[index] = _answer(
                    "checked_in",
                    **registrations[scan.registration_id].person(),
                    check_in_id=made_for[scan.registration_id],
                    checked_in_at=now,
                    client_id=None,
                    conflict=False,
                )
    return answers


_REGISTRATIONS_AT_THE_DOOR = _REGISTRATION_AT_THE_DOOR.replace("WHERE r.id = {}", "WHERE r.id IN %s ORDER BY r.id")
_STANDING_AT_THE_ENTRANCE = _STANDING + "c.session IS NULL AND c.registration IN %s ORDER BY c.id"
MOST_TOGETHER = 50  # scans in one batch: 7 values each, within SQLite's oldest limit of 999
_door: GroupCommit[_Scan, ScanResult | None] = GroupCommit(_let_in_together, most=MOST_TOGETHER)


async def _synced_again(
    client_id: str | None, event_id: int, registration_id: int, session_id: int | None, person: dict[str, object]
) -> tuple[ScanResult | None, str | None]:
    """The answer a scan already recorded under this scanner's id gave (a check-in, an exit or a return synced
    again), and the id to record a new scan with: none when the scanner used it before for another ticket."""
    if client_id is None:
        return None, None
    door = (event_id, registration_id, session_id)
    replay = await CheckIn.select().where(CheckIn.client_id == client_id).first()
    if replay is not None and (replay["event"], replay["registration"], replay["session"]) == door:
        answer = _answer(
            "checked_in", **person, check_in_id=replay["id"], checked_in_at=replay["at"], client_id=client_id
        )
        return answer, client_id
    moved = await DoorMovement.select().where(DoorMovement.client_id == client_id).first()
    if moved is not None and (moved["event"], moved["registration"], moved["session"]) == door:
        code: ScanCode = "checked_out" if moved["direction"] == "out" else "back_in"
        return _answer(code, **person, client_id=client_id), client_id
    return None, None if replay is not None else client_id


async def _way_out(
    event: EventRow,
    registration_id: int,
    person: dict[str, object],
    session_id: int | None,
    staff_id: int | None,
    at: datetime | None,
    method: CheckInMethod,
    client_id: str | None,
) -> ScanResult:
    """An exit scan (inside the registration's lock): only someone checked in and inside goes out."""
    if not event.check_out:
        event = await _event(event.slug, fresh=True)  # the door's memory of the event may predate the switch
    if not event.check_out:
        return _answer("no_check_out", **person, event=event.title, client_id=client_id)
    if session_id is not None:
        session = await Session.select(Session.event).where(Session.id == session_id).first()
        if session is None or session["event"] != event.id:
            raise SessionNotAtEvent(id=session_id, field="session_id")
    entry = await (
        CheckIn.select(CheckIn.id)
        .where(
            (CheckIn.registration == registration_id)
            & CheckIn.undone_at.is_null()
            & (CheckIn.session == session_id if session_id is not None else CheckIn.session.is_null())
        )
        .first()
    )
    if entry is None:
        return _answer("not_checked_in", **person, client_id=client_id)
    last = await movements.last_movement(registration_id, session_id)
    if last is not None and last["direction"] == "out":
        by = await _by(last["by"])
        return _answer(
            "already_checked_out", **person, time=_time(last["at"], event.timezone), by=by, client_id=client_id
        )
    now = utc_now()
    await movements.record_movement(
        event.id, registration_id, session_id, "out", min(at or now, now), staff_id, method, client_id
    )
    return _answer("checked_out", **person, check_in_id=entry["id"], client_id=client_id)


async def undo(check_in_id: int, staff_id: int) -> None:
    """Take a check-in back (it stays recorded, with who undid it and when)."""
    async with write_transaction():
        query = scopes.where(CheckIn.select(CheckIn.undone_at), scopes.active().owns(CheckIn.event))
        row = await query.where(CheckIn.id == check_in_id).first()
        if row is None:
            raise not_found("check-in", check_in_id)
        if row["undone_at"] is not None:
            raise AlreadyUndone()
        await CheckIn.update({CheckIn.undone_at: utc_now(), CheckIn.undone_by: staff_id}).where(
            CheckIn.id == check_in_id
        )

"""Recording online attendance from a meeting platform's attendance export: each row is matched to a registration
of the event by its email address exactly (case aside, through the registration's delegate), and recorded through
the one rule (online.record_online_attendance, source "import"). Nothing is guessed: a row that names nobody
registered, a place that is not confirmed, or a time that cannot be read is listed with its reason, and not
recorded. A person whose joins in the file all fall within what is recorded for them already (the same export
imported again) is left as it is, so importing twice does not count joins twice."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from events_app.checkin import schemas
from events_app.checkin.errors import AttendanceFileMissing, NoSuchSessionHere
from events_app.checkin.online import record_online_attendance
from events_app.checkin.online_csv import (
    LONGEST_MINUTES,
    DateOrder,
    ExportRow,
    UnreadableTime,
    date_order_of,
    read_export,
    read_minutes,
    read_time,
)
from events_app.checkin.services import scan_window
from events_app.checkin.tables import OnlineAttendance
from events_app.core.database import write_transaction
from events_app.core.email_address import comparable_email
from events_app.core.timezones import in_zone
from events_app.programme.rows import EventRow
from events_app.programme.tables import Session
from events_app.registration.tables import Registration

MAX_IMPORT_BYTES = 2_000_000  # the import's own body limit (the site's is smaller)
LIMIT_WORDS = "2 MB"

# Why a row was not recorded, in the words of the result page (and the API's `reason`).
REASONS = {
    "no_email": "No email address in this row",
    "no_registration": "No registration at this event with this address",
    "not_confirmed": "The registration is not confirmed",
    "unreadable_time": "The join time could not be read",
    "outside_event": "The join time is not on the event's days",
}


@dataclass(frozen=True, slots=True)
class Unmatched:
    line: int
    email: str
    joined: str
    reason: str  # a key of REASONS
    detail: str = ""  # more words where they help (the status of the place, what is wrong with the time)

    @property
    def words(self) -> str:
        return REASONS[self.reason] + (f" ({self.detail})" if self.detail else "")


@dataclass(frozen=True, slots=True)
class Recorded:
    registration_id: int
    name: str
    email: str
    joins: int  # rows of the file for this person
    first_joined_at: datetime  # in the event's zone
    new: bool  # their first recorded join of this event or session


@dataclass(slots=True)
class ImportResult:
    platform: str
    columns: tuple[str, str, str | None, str | None]
    timezone: str
    session_title: str | None
    date_order: DateOrder | None
    rows: int = 0
    recorded: list[Recorded] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # names whose joins in the file were recorded before
    unmatched: list[Unmatched] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Row:
    source: ExportRow
    at: datetime
    minutes: int | None


async def _registrations(event_id: int, emails: set[str]) -> dict[str, dict[str, object]]:
    """address -> the registration at this event (a confirmed one where there are several)."""
    rows = await Registration.select(
        Registration.id, Registration.status, Registration.name, Registration.delegate.email.as_alias("email")
    ).where((Registration.event == event_id) & Registration.delegate.email.is_in(list(emails) or [""]))
    found: dict[str, dict[str, object]] = {}
    for row in sorted(rows, key=lambda r: (r["status"] == "confirmed", r["id"])):
        found[str(row["email"]).lower()] = row
    return found


async def import_online_attendance(
    event: EventRow,
    data: bytes,
    *,
    by: int | None,
    session_id: int | None = None,
    date_order: DateOrder | None = None,
) -> ImportResult:
    """Read the export, match its rows, record the matched ones (all in one transaction) and list the rest."""
    if not data.strip():
        raise AttendanceFileMissing()
    session_title = None
    if session_id is not None:
        session = (
            await Session.select(Session.title).where((Session.id == session_id) & (Session.event == event.id)).first()
        )
        if session is None:
            raise NoSuchSessionHere(event=event.title, session=session_id)
        session_title = session["title"]
    export = read_export(data)
    order = date_order or date_order_of(export.rows)
    result = ImportResult(export.platform, export.columns, event.timezone, session_title, order, rows=len(export.rows))
    window = scan_window(event)
    registrations = await _registrations(event.id, {comparable_email(r.email) for r in export.rows if r.email})
    matched: dict[int, list[_Row]] = defaultdict(list)
    for row in export.rows:
        address = comparable_email(row.email) if row.email else ""
        if "@" not in address:
            result.unmatched.append(Unmatched(row.line, row.email, row.joined, "no_email"))
            continue
        registration = registrations.get(address)
        if registration is None:
            result.unmatched.append(Unmatched(row.line, row.email, row.joined, "no_registration"))
            continue
        if registration["status"] != "confirmed":
            detail = str(registration["status"])
            result.unmatched.append(Unmatched(row.line, row.email, row.joined, "not_confirmed", detail))
            continue
        try:
            at = read_time(row.joined, event.timezone, order)
        except UnreadableTime as why:
            result.unmatched.append(Unmatched(row.line, row.email, row.joined, "unreadable_time", str(why)))
            continue
        if not window.opens <= at < window.closes:
            result.unmatched.append(Unmatched(row.line, row.email, row.joined, "outside_event"))
            continue
        minutes = read_minutes(row.duration, at, row.left, event.timezone, order)
        matched[int(str(registration["id"]))].append(_Row(row, at, minutes))
    await _record(event, session_id, matched, registrations, by, result)
    return result


async def _record(
    event: EventRow,
    session_id: int | None,
    matched: dict[int, list[_Row]],
    registrations: dict[str, dict[str, object]],
    by: int | None,
    result: ImportResult,
) -> None:
    names = {int(str(r["id"])): (str(r["name"]), email) for email, r in registrations.items()}
    door = OnlineAttendance.session == session_id if session_id is not None else OnlineAttendance.session.is_null()
    theirs = OnlineAttendance.registration.is_in(list(matched) or [0])
    async with write_transaction():
        before = {
            r["registration"]: r
            for r in await OnlineAttendance.select(
                OnlineAttendance.registration, OnlineAttendance.first_joined_at, OnlineAttendance.last_joined_at
            ).where((OnlineAttendance.event == event.id) & door & theirs)
        }
        for registration_id, rows in matched.items():
            name, email = names[registration_id]
            joins = sorted({(r.at, r.minutes) for r in rows}, key=lambda r: r[0])  # a repeated row counts once
            earlier = before.get(registration_id)
            if earlier and earlier["first_joined_at"] <= joins[0][0] and joins[-1][0] <= earlier["last_joined_at"]:
                result.already.append(name)
                continue
            known = [m for _, m in joins if m is not None]
            total = min(sum(known), LONGEST_MINUTES) if known else None  # over all their joins, given with the last
            firsts = [
                await record_online_attendance(
                    event_id=event.id,
                    registration_id=registration_id,
                    session_id=session_id,
                    at=at,
                    source="import",
                    minutes=total if n == len(joins) - 1 else None,
                    by=by,
                )
                for n, (at, _) in enumerate(joins)
            ]
            result.recorded.append(
                Recorded(registration_id, name, email, len(joins), in_zone(joins[0][0], event.timezone), any(firsts))
            )
    result.recorded.sort(key=lambda r: r.name.lower())


def result_out(result: ImportResult) -> schemas.OnlineImportResult:
    """The result as the API gives it."""
    return schemas.OnlineImportResult(
        platform=result.platform,
        timezone=result.timezone,
        rows=result.rows,
        recorded=[
            schemas.ImportedPerson(r.registration_id, r.name, r.email, r.joins, r.first_joined_at, r.new)
            for r in result.recorded
        ],
        already_recorded=result.already,
        unmatched=[schemas.UnmatchedRow(u.line, u.email, u.joined, u.reason, u.detail) for u in result.unmatched],
    )

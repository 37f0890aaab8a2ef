"""Reading a meeting platform's attendance export (pure: text in, rows out; nothing is looked up or written).

The header row is found by its names, anywhere in the first rows (Zoom and Teams put a summary above it):
- email: "User Email" (Zoom), "Email" (Teams, Google Meet), "Email address", "email";
- join time: "Join Time" (Zoom), "First Join" or "Join time" (Teams), "Time joined" (Google Meet), "joined_at";
- optional leave time: "Leave Time", "Last Leave", "Time exited", "left_at";
- optional duration: "Duration (Minutes)" (Zoom), "In-Meeting Duration" or "Duration" ("1h 5m 3s", "45 min").
Times carry no zone in these exports: they are read as the event's local time unless they say otherwise (ISO
with an offset or Z). Dates written with slashes are read day first or month first as the file shows (a day over
12 settles it) or as the organiser says; a date that could be either is not guessed: its row is listed."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from events_app.checkin.errors import AttendanceColumnsMissing, AttendanceFileUnreadable

DateOrder = Literal["day_first", "month_first"]

EMAIL = ("user email", "email", "email address", "e mail", "attendee email", "participant email", "guest email")
JOINED = ("join time", "first join", "joined at", "time joined", "joined", "first joined", "join")
LEFT = ("leave time", "last leave", "left at", "time exited", "left", "leave", "last left")
DURATION = ("duration (minutes)", "in meeting duration", "duration", "minutes", "attendance duration")
HEADER_SEARCH_ROWS = 60
LONGEST_MINUTES = 14 * 24 * 60

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$")
_SLASHED = re.compile(
    r"^(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp]\.?[Mm]\.?)?$"
)
_DURATION_PART = re.compile(r"(\d+)\s*(h|hr|hrs|hour|hours|m|min|mins|minute|minutes|s|sec|secs|second|seconds)\b")


@dataclass(frozen=True, slots=True)
class ExportRow:
    line: int  # the row's line in the file, as a spreadsheet numbers it
    email: str
    joined: str  # as written
    left: str
    duration: str


@dataclass(frozen=True, slots=True)
class Export:
    platform: str  # Zoom, Microsoft Teams, Google Meet, or "CSV"
    columns: tuple[str, str, str | None, str | None]  # the email, join, leave and duration columns as named
    rows: list[ExportRow]


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Teams writes UTF-16
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AttendanceFileUnreadable(why="its characters are in an encoding this service does not read")


def _name(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").replace("_", " ").replace("-", " ").strip().lower().split())


def _find(names: list[str], wanted: tuple[str, ...]) -> int | None:
    for option in wanted:  # the most specific name first
        if option in names:
            return names.index(option)
    return None


def _platform(names: list[str]) -> str:
    if "user email" in names or "duration (minutes)" in names:
        return "Zoom"
    if "first join" in names or "last leave" in names or "in meeting duration" in names:
        return "Microsoft Teams"
    if "time joined" in names or "time exited" in names:
        return "Google Meet"
    return "CSV"


def read_export(data: bytes) -> Export:
    """The rows of an attendance export, or a refusal naming what is wrong with the file."""
    text = _decode(data).replace("\x00", "")
    first: list[str] = []
    for delimiter in (",", "\t", ";"):
        try:
            rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        except csv.Error as error:
            raise AttendanceFileUnreadable(why=str(error)) from None
        first = first or (rows[0] if rows else [])
        if (found := _from_header(rows)) is not None:
            return found
    raise AttendanceColumnsMissing(found=", ".join(c.strip() for c in first[:8])[:300] or "empty")


def _from_header(rows: list[list[str]]) -> Export | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = [_name(c) for c in row]
        email, joined = _find(names, EMAIL), _find(names, JOINED)
        if email is None or joined is None:
            continue
        left, duration = _find(names, LEFT), _find(names, DURATION)

        def cell(cells: list[str], at: int | None) -> str:
            return cells[at].strip() if at is not None and at < len(cells) else ""

        return Export(
            platform=_platform(names),
            columns=(row[email].strip(), row[joined].strip(), cell(row, left) or None, cell(row, duration) or None),
            rows=[
                ExportRow(line, cell(cells, email), cell(cells, joined), cell(cells, left), cell(cells, duration))
                for line, cells in enumerate(rows[index + 1 :], start=index + 2)
                if any(c.strip() for c in cells)
            ],
        )
    return None


def date_order_of(rows: list[ExportRow]) -> DateOrder | None:
    """What the file's slashed dates settle: day first when some first number is over 12, month first when some
    second number is; None when none does, or the file says both."""
    day_first = month_first = False
    for row in rows:
        for value in (row.joined, row.left):
            if match := _SLASHED.match(value):
                a, b = int(match[1]), int(match[2])
                day_first |= a > 12
                month_first |= b > 12
    if day_first == month_first:
        return None
    return "day_first" if day_first else "month_first"


class UnreadableTime(ValueError):
    """A time this reader will not guess."""


def read_time(value: str, timezone: str, order: DateOrder | None) -> datetime:
    """A time as the export wrote it, in UTC: local to the event's zone unless it carries its own offset."""
    value = value.strip()
    if match := _ISO.match(value):
        year, month, day, hour, minute = (int(match[n]) for n in range(1, 6))
        second = int(match[6] or 0)
        zone = match[7]
        try:
            if zone:
                iso = value.replace(" ", "T", 1).replace("Z", "+00:00")
                return datetime.fromisoformat(iso).astimezone(ZoneInfo("UTC"))
            return datetime(year, month, day, hour, minute, second, tzinfo=ZoneInfo(timezone)).astimezone(
                ZoneInfo("UTC")
            )
        except (ValueError, OverflowError):
            raise UnreadableTime("not a date and time that exists") from None
    if match := _SLASHED.match(value):
        a, b = int(match[1]), int(match[2])
        if a != b and a <= 12 and b <= 12 and order is None:
            raise UnreadableTime("the day and month could be either way round: say which comes first")
        day, month = (a, b) if order == "day_first" or a > 12 else (b, a)
        year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
        hour, minute, second = int(match[4]), int(match[5]), int(match[6] or 0)
        if meridiem := (match[7] or "").replace(".", "").lower():
            if not 1 <= hour <= 12:
                raise UnreadableTime("an hour of the clock with AM or PM runs from 1 to 12")
            hour = hour % 12 + (12 if meridiem == "pm" else 0)
        try:
            return datetime(year, month, day, hour, minute, second, tzinfo=ZoneInfo(timezone)).astimezone(
                ZoneInfo("UTC")
            )
        except (ValueError, OverflowError):
            raise UnreadableTime("not a date and time that exists") from None
    raise UnreadableTime("not a date and time this service reads (such as 2027-03-15 10:02 or 15/03/2027 10:02)")


def read_minutes(duration: str, joined: datetime, left: str, timezone: str, order: DateOrder | None) -> int | None:
    """Minutes attended: the duration column where it reads, else from the leave time; None when neither does (or
    it says more than a fortnight, which no meeting lasts)."""
    text = duration.strip().lower()
    minutes: int | None = None
    if text.isascii() and text.isdigit() and len(text) < 9:
        minutes = int(text)
    elif text and (parts := _DURATION_PART.findall(text[:200])):
        seconds = sum(
            int(number[:9]) * (3600 if unit.startswith("h") else 60 if unit.startswith("m") else 1)
            for number, unit in parts
        )
        minutes = round(seconds / 60)
    elif left:
        try:
            gone = read_time(left, timezone, order)
        except UnreadableTime:
            return None
        if gone >= joined:
            minutes = round((gone - joined) / timedelta(minutes=1))
    return minutes if minutes is not None and minutes <= LONGEST_MINUTES else None

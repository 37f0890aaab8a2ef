"""Ranges and buckets of the impact report, in UK time: the default range (the last 12 months, to today), the
academic year (1 August to 31 July), and the months or terms a trend is counted in.

Terms: autumn 1 September to 31 December, spring 1 January to 31 March, summer 1 April to 31 August (the
summer term takes in the long vacation, so every day of the year is in one term)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from events_app.core.timezones import DEFAULT_ZONE
from events_app.impact.schemas import TrendBy

UK = ZoneInfo(DEFAULT_ZONE)
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
LONGEST_RANGE_DAYS = 10 * 366


def last_twelve_months(today: date) -> tuple[date, date]:
    """The 12 months to today, today included: 7 December 2025 to 6 December 2026."""
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = today.replace(year=today.year - 1, day=28)
    return year_ago + timedelta(days=1), today


def academic_year(today: date) -> tuple[date, date]:
    """The academic year today falls in: 1 August to 31 July."""
    first = today.year if today.month >= 8 else today.year - 1
    return date(first, 8, 1), date(first + 1, 7, 31)


def academic_year_label(start: date) -> str:
    return f"{start.year}–{str(start.year + 1)[2:]}"


def utc_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The range as UTC instants: from midnight UK time at the start to midnight after the end (excluded)."""
    first = datetime.combine(start, time(), tzinfo=UK).astimezone(UTC)
    after = datetime.combine(end + timedelta(days=1), time(), tzinfo=UK).astimezone(UTC)
    return first, after


def uk_day(moment: datetime) -> date:
    return moment.astimezone(UK).date()


@dataclass(frozen=True, slots=True)
class Bucket:
    """A month or a term: `key` sorts in time order; `short` fits under a chart's column."""

    key: str
    label: str
    short: str
    first: date
    last: date


def _term_of(day: date) -> Bucket:
    year = day.year
    if day.month >= 9:
        return Bucket(f"{year}-3-autumn", f"Autumn term {year}", f"Aut {year}", date(year, 9, 1), date(year, 12, 31))
    if day.month <= 3:
        return Bucket(f"{year}-1-spring", f"Spring term {year}", f"Spr {year}", date(year, 1, 1), date(year, 3, 31))
    return Bucket(f"{year}-2-summer", f"Summer term {year}", f"Sum {year}", date(year, 4, 1), date(year, 8, 31))


def _month_of(day: date) -> Bucket:
    following = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    name = MONTHS[day.month - 1]
    last = following - timedelta(days=1)
    return Bucket(f"{day:%Y-%m}", f"{name} {day.year}", f"{name[:3]} {day.year}", day.replace(day=1), last)


def bucket(day: date, by: TrendBy) -> Bucket:
    """The month or term `day` is in."""
    return _term_of(day) if by == "term" else _month_of(day)


def buckets(start: date, end: date, by: TrendBy) -> list[Bucket]:
    """Every month or term the range touches, in order, empty ones too (the first and last may be partial)."""
    found: list[Bucket] = []
    day = start
    while day <= end:
        found.append(bucket(day, by))
        day = found[-1].last + timedelta(days=1)
    return found

"""Runs of copies of one event: weekly (every N weeks), monthly ("the second Tuesday"), on listed dates, or one
per region for a community-of-practice round (each in its region's series, at a venue of its own). A preview
lists the copies and makes nothing; making a run is one transaction: every copy, or none."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from events_app.core.crud import require
from events_app.core.database import write_transaction
from events_app.core.errors import DomainError, FieldError, InvalidFields
from events_app.core.rows import Row
from events_app.core.timezones import in_zone
from events_app.core.validation import errors_of
from events_app.people.services import list_regions
from events_app.programme import schemas as programme
from events_app.programme.series import list_series
from events_app.programme.tables import Event, Venue
from events_app.season.copies import Made, Target, checked_day, copy_into, first_day, shift_to, source_event
from events_app.season.errors import (
    RegionHasNoSeries,
    RegionListedTwice,
    RoundNeedsDate,
    RoundNeedsRegions,
    RunDatesRepeated,
    RunNeedsDates,
    SeriesNotInRegion,
    UnknownRegion,
)
from events_app.season.schemas import (
    WEEKDAYS,
    WEEKS,
    PlannedCopy,
    RegionCopy,
    Run,
    RunRequest,
    VenueRef,
    Weekday,
    WeekOfMonth,
)

MAX_TITLE = 200  # the event's title column


@dataclass(frozen=True, slots=True)
class Planned:
    target: Target
    series: programme.SeriesRef | None
    venue: VenueRef | None


# Dates ----------------------------------------------------------------------------------------------------


def nth_weekday(year: int, month: int, week: WeekOfMonth, weekday: Weekday) -> date:
    """The second Tuesday (or the last Friday ...) of a month."""
    day_index = WEEKDAYS.index(weekday)
    if week == "last":
        last = date(year, month, calendar.monthrange(year, month)[1])
        return last - timedelta(days=(last.weekday() - day_index) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(day_index - first.weekday()) % 7, weeks=WEEKS.index(week))


def place_in_month(day: date) -> tuple[WeekOfMonth, Weekday]:
    """Which weekday of its month a day is: 2030-06-11 is the second Tuesday; a fifth one counts as the last."""
    n = (day.day - 1) // 7
    return (WEEKS[n] if n < 4 else "last"), WEEKDAYS[day.weekday()]


def weekly_days(start: date, request: RunRequest) -> list[date]:
    first = checked_day(request.first, "first") if request.first else start + timedelta(weeks=request.every)
    return [first + timedelta(weeks=request.every * n) for n in range(request.count)]


def monthly_days(start: date, request: RunRequest) -> list[date]:
    """`count` days, one a month, from the month of `first` (from the month after the event's when not given)."""
    week, weekday = place_in_month(start)
    week, weekday = request.week or week, request.weekday or weekday
    anchor = checked_day(request.first, "first") if request.first else start + timedelta(days=1)
    year, month = anchor.year, anchor.month
    days: list[date] = []
    while len(days) < request.count:
        day = nth_weekday(year, month, week, weekday)
        if day >= anchor:
            days.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


def listed_days(request: RunRequest) -> list[date]:
    if not request.dates:
        raise RunNeedsDates()
    seen: set[date] = set()
    for day in request.dates:
        checked_day(day, "dates")
        if day in seen:
            raise RunDatesRepeated(date=day.isoformat())
        seen.add(day)
    return sorted(request.dates)


# A round: one meeting per region ---------------------------------------------------------------------------


def retitled(title: str, before: list[str], after: list[str]) -> str:
    """The source's title for another region: its series' title, else its region's name, swapped for the new one;
    a title naming neither gets the region's name added."""
    for old, new in zip(before, after, strict=True):
        if old and old in title:
            return title.replace(old, new)[:MAX_TITLE]
    return f"{title}: {after[-1]}"[:MAX_TITLE]


async def _usual_venue(series_id: int) -> int | None:
    """Where a series last met (its latest event with a venue)."""
    row = await (
        Event.select(Event.venue)
        .where((Event.series == series_id) & Event.venue.is_not_null())
        .order_by(Event.starts_at, ascending=False)
        .first()
    )
    return int(row["venue"]) if row else None


async def _kinds_by_series(kind: str) -> set[int]:
    rows = await Event.select(Event.series).where((Event.kind == kind) & Event.series.is_not_null()).distinct()
    return {int(r["series"]) for r in rows}


async def _round(source: Row, request: RunRequest) -> list[Target]:
    if not request.regions:
        raise RoundNeedsRegions()
    if request.date is None and any(item.date is None for item in request.regions):
        raise RoundNeedsDate()
    if request.date is not None:
        checked_day(request.date, "date")
    regions = {r.slug: r for r in await list_regions()}
    all_series = await list_series()
    same_kind = await _kinds_by_series(source["kind"])
    own = next((s for s in all_series if s.id == source["series"]), None)
    before = [own.title if own else "", own.region.name if own and own.region else ""]
    targets: list[Target] = []
    errors: list[FieldError] = []
    seen: set[str] = set()
    for n, item in enumerate(request.regions):
        try:
            targets.append(await _meeting(source, item, n, regions, all_series, same_kind, before, seen, request))
        except DomainError as exc:
            errors += errors_of(exc)
    if errors:
        raise InvalidFields(errors, status_code=422)
    return targets


def _in_region(all_series: list[programme.Series], region: str) -> list[programme.Series]:
    return [s for s in all_series if s.region is not None and s.region.slug == region]


def _best(in_region: list[programme.Series], source: Row, same_kind: set[int]) -> programme.Series:
    """The source's own series where it is the region's; else the one holding events of the source's kind."""
    return sorted(in_region, key=lambda s: (s.id != source["series"], s.id not in same_kind, s.title))[0]


async def _meeting(
    source: Row,
    item: RegionCopy,
    n: int,
    regions: Mapping[str, object],
    all_series: list[programme.Series],
    same_kind: set[int],
    before: list[str],
    seen: set[str],
    request: RunRequest,
) -> Target:
    where = f"regions.{n}"
    if item.region not in regions:
        raise UnknownRegion(region=item.region, field=f"{where}.region")
    if item.region in seen:
        raise RegionListedTwice(region=item.region, field=f"{where}.region")
    seen.add(item.region)
    in_region = _in_region(all_series, item.region)
    if item.series is not None:
        chosen = next((s for s in in_region if s.slug == item.series), None)
        if chosen is None:
            raise SeriesNotInRegion(series=item.series, region=item.region, field=f"{where}.series")
    elif not in_region:
        raise RegionHasNoSeries(region=item.region, field=f"{where}.region")
    else:
        chosen = _best(in_region, source, same_kind)
    await require(Venue, item.venue_id, field=f"{where}.venue_id", what="venue")
    venue = item.venue_id if item.venue_id is not None else await _usual_venue(chosen.id)
    if chosen.id == source["series"] and item.venue_id is None:
        venue = source["venue"]
    assert chosen.region is not None
    title = retitled(source["title"], before, [chosen.title, chosen.region.name])
    day = checked_day(item.date, f"{where}.date") if item.date else request.date
    assert day is not None
    return Target(day=day, title=title, slug=None, series=chosen.id, venue=venue, slug_base=f"{title} {day}")


# Planning and making --------------------------------------------------------------------------------------


async def _targets(source: Row, request: RunRequest) -> list[Target]:
    if request.pattern == "regions":
        return await _round(source, request)
    start = first_day(source)
    if request.pattern == "weekly":
        days = weekly_days(start, request)
    elif request.pattern == "monthly":
        days = monthly_days(start, request)
    else:
        days = listed_days(request)
    title = source["title"]
    return [
        Target(day=d, title=title, slug=None, series=source["series"], venue=source["venue"], slug_base=f"{title} {d}")
        for d in days
    ]


async def _planned(targets: list[Target]) -> list[Planned]:
    series = {s.id: programme.SeriesRef(id=s.id, slug=s.slug, title=s.title) for s in await list_series()}
    venue_ids = list({t.venue for t in targets if t.venue is not None})
    venues = (
        {
            r["id"]: VenueRef(id=r["id"], name=r["name"])
            for r in await Venue.select(Venue.id, Venue.name).where(Venue.id.is_in(venue_ids))
        }
        if venue_ids
        else {}
    )
    return [
        Planned(
            target=t,
            series=series.get(t.series) if t.series is not None else None,
            venue=venues.get(t.venue) if t.venue is not None else None,
        )
        for t in targets
    ]


def _view(source: Row, planned: Planned, made: Made | None) -> PlannedCopy:
    shift = shift_to(source, planned.target.day)
    starts, ends = shift.moved(source["starts_at"]), shift.moved(source["ends_at"])
    tz = source["timezone"]
    return PlannedCopy(
        title=planned.target.title,
        starts_at=in_zone(starts, tz),
        ends_at=in_zone(ends, tz),
        series=planned.series,
        venue=planned.venue,
        slug=made.slug if made else None,
        url=f"/organiser/events/{made.slug}/edit" if made else None,
    )


async def make_run(slug: str, request: RunRequest) -> Run:
    """The run's copies: listed (a preview), or made, every one of them in one transaction."""
    source = await source_event(slug)
    planned = await _planned(await _targets(source, request))
    if request.preview:
        return Run(preview=True, pattern=request.pattern, copies=[_view(source, p, None) for p in planned])
    async with write_transaction():
        made = [await copy_into(source, p.target) for p in planned]
    copies = [_view(source, p, m) for p, m in zip(planned, made, strict=True)]
    return Run(preview=False, pattern=request.pattern, copies=copies)


@dataclass(frozen=True, slots=True)
class RegionChoice:
    """A row of the round's form: a region, the series its meeting goes into, and where that series last met."""

    slug: str
    name: str
    series: programme.SeriesRef | None
    venue: int | None


async def round_choices(source: Row) -> list[RegionChoice]:
    all_series = await list_series()
    same_kind = await _kinds_by_series(source["kind"])
    choices: list[RegionChoice] = []
    for region in await list_regions():
        in_region = _in_region(all_series, region.slug)
        chosen = _best(in_region, source, same_kind) if in_region else None
        venue = None
        if chosen is not None:
            venue = source["venue"] if chosen.id == source["series"] else await _usual_venue(chosen.id)
        ref = programme.SeriesRef(id=chosen.id, slug=chosen.slug, title=chosen.title) if chosen else None
        choices.append(RegionChoice(slug=region.slug, name=region.name, series=ref, venue=venue))
    return choices

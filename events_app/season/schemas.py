"""What copies and runs take in and give out. Dates are days in the source event's own time zone."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from events_app.core.schema import Id, Name, ShortSlug, Slug
from events_app.programme.schemas import SeriesRef

Pattern = Literal["weekly", "monthly", "dates", "regions"]
WeekOfMonth = Literal["first", "second", "third", "fourth", "last"]
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKS: tuple[WeekOfMonth, ...] = ("first", "second", "third", "fourth", "last")
WEEKDAYS: tuple[Weekday, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MAX_COPIES = 52
Count = Annotated[int, Meta(ge=1, le=MAX_COPIES)]
EveryWeeks = Annotated[int, Meta(ge=1, le=12)]


class CopyRequest(msgspec.Struct, forbid_unknown_fields=True):
    """A copy of an event: its first day (in the event's zone), and optionally its slug and title."""

    date: date
    slug: Slug | None = None
    title: Name | None = None


class RegionCopy(msgspec.Struct, forbid_unknown_fields=True):
    """One meeting of a round: the region (its series is the region's own), the venue, a day of its own."""

    region: ShortSlug
    venue_id: Id | None = None
    series: Slug | None = None  # only where a region has several series
    date: date | None = None  # the round's date when not given


class RunRequest(msgspec.Struct, forbid_unknown_fields=True):
    """A run of copies: weekly (every N weeks), monthly (the second Tuesday ...), on listed dates, or one per
    region. `preview` (the default) lists the copies and makes nothing."""

    pattern: Pattern
    preview: bool = True
    count: Count = 6
    every: EveryWeeks = 1
    week: WeekOfMonth | None = None
    weekday: Weekday | None = None
    first: date | None = None
    dates: Annotated[list[date], Meta(max_length=MAX_COPIES)] = []
    date: date | None = None
    regions: Annotated[list[RegionCopy], Meta(max_length=20)] = []


class VenueRef(msgspec.Struct):
    id: int
    name: str


class PlannedCopy(msgspec.Struct):
    """One copy of a run: as it will be (preview) or as it was made (then with its slug and link)."""

    title: str
    starts_at: datetime
    ends_at: datetime
    series: SeriesRef | None
    venue: VenueRef | None
    slug: str | None = None
    url: str | None = None


class Run(msgspec.Struct):
    preview: bool
    pattern: Pattern
    copies: list[PlannedCopy]

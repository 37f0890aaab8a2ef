"""What the impact report says, as plain values: the JSON answer of /api/impact, the page and the CSV read the
same Struct. Attendance is a Struct of its own (in person, online) so that online attendance, once recorded
(issue 18), is one more field and not a new shape."""

from __future__ import annotations

from datetime import date
from typing import Literal

import msgspec

from events_app.people.sectors import SectorRole
from events_app.programme.schemas import EventKind

TrendBy = Literal["month", "term"]


class ImpactQuery(msgspec.Struct, frozen=True):
    """The range (both days included, in UK time) and the filters: region and series by slug, kind by name."""

    start: date
    end: date
    region: str | None = None
    series: str | None = None
    kind: EventKind | None = None
    by: TrendBy = "month"


class Attendance(msgspec.Struct, frozen=True):
    """Registrations that attended: in person (checked in at the door), online (joined), and either way (each
    registration once, so `either` can be less than the sum). `online` None: not recorded (reports from before
    online attendance was recorded)."""

    in_person: int
    online: int | None = None
    either: int | None = None


class Figures(msgspec.Struct, frozen=True):
    """One row of a table: registrations (confirmed, even if cancelled later), attendance, unique people who
    registered and who came, unique organisations (of those who registered)."""

    registrations: int
    attendance: Attendance
    people: int
    people_attended: int
    organisations: int


class Row(msgspec.Struct, frozen=True):
    """A row of the sector or region table: `key` is the sector role or the region's slug ("" not known)."""

    key: str
    label: str
    figures: Figures


class Newcomers(msgspec.Struct, frozen=True):
    first_timers: int
    returners: int


class SessionsTogether(msgspec.Struct, frozen=True):
    """Sessions held (breaks and cancelled sessions left out); those with a record of who was in the room (door
    check-ins at the session, else confirmed places); those where a university and a civil-society
    organisation were both in the room."""

    sessions: int
    recorded: int
    together: int
    share: float | None  # together over sessions, 0..1; None without sessions


class SectorAnswer(msgspec.Struct, frozen=True):
    sector: SectorRole
    label: str
    count: int
    mean: float | None  # a rating's mean (1 to 5)
    percent_yes: int | None  # a yes-or-no question's share of yes, in whole percent


class CollaborationAnswer(msgspec.Struct, frozen=True):
    """A collaboration question (topic "collaboration"), by its wording across the range's events."""

    label: str
    kind: str
    events: int
    count: int
    by_sector: list[SectorAnswer]


class TrendPoint(msgspec.Struct, frozen=True):
    key: str  # 2026-09, or 2026-autumn
    label: str  # September 2026, or Autumn term 2026
    short: str  # Sep 2026, or Aut 2026
    start: date
    end: date
    events: int
    registrations: int
    attendance: Attendance
    people: int


class EventLine(msgspec.Struct, frozen=True):
    slug: str
    title: str
    kind: EventKind
    series: str | None
    ended: date
    registrations: int
    attendance: Attendance


class Choice(msgspec.Struct, frozen=True):
    value: str
    label: str


class ImpactReport(msgspec.Struct, frozen=True):
    query: ImpactQuery
    events: int
    totals: Figures
    newcomers: Newcomers
    by_sector: list[Row]
    by_region: list[Row]
    sessions: SessionsTogether
    collaboration: list[CollaborationAnswer]
    trend: list[TrendPoint]
    event_lines: list[EventLine]
    online_recorded: bool = False


class PublicCell(msgspec.Struct, frozen=True):
    """A figure on the public page: `value` is None where it is suppressed (fewer than 5, or withheld so that
    a suppressed figure cannot be worked out from the total)."""

    value: int | None

    @property
    def shown(self) -> str:
        return "fewer than 5" if self.value is None else str(self.value)


class PublicRow(msgspec.Struct, frozen=True):
    label: str
    registrations: PublicCell
    attendance: PublicCell
    people: PublicCell
    organisations: PublicCell


class PublicImpact(msgspec.Struct, frozen=True):
    start: date
    end: date
    events: int
    totals: PublicRow
    by_sector: list[PublicRow]
    by_region: list[PublicRow]

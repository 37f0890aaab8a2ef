"""The programme's stored values as typed, read-only rows: what services pass each other.

Built from a Piccolo row in one place (`EventRow.of(row)`), so a misspelt column is a mypy error in
the caller rather than a KeyError at run time. Times are UTC, as stored."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from events_app.core.rows import Row, Values
from events_app.programme.schemas import EventKind, EventStatus, SessionKind, SessionStatus

PUBLIC_STATUSES: tuple[EventStatus, ...] = ("published", "cancelled")


@dataclass(frozen=True, slots=True)
class EventRow:
    id: int
    slug: str
    title: str
    kind: EventKind
    status: EventStatus
    summary: str
    description: str
    timezone: str
    starts_at: datetime
    ends_at: datetime
    venue: int | None
    online_url: str
    series: int | None
    capacity: int | None
    waitlist_enabled: bool
    requires_approval: bool
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    sequence: int
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    cancelled_at: datetime | None
    reminder_offsets: str | None = None  # None: the site's setting; "": no reminders
    feedback_after: int | None = None  # minutes after the end; None: the site's setting
    email_note: str = ""
    confirm_email_hours: int | None = None  # None: places are not held for an email confirmation
    check_out: bool = False  # the door records exits and re-entries
    certificates_enabled: bool = False  # delegates who attended download a certificate of attendance
    attendance_mode: str = "in_person"  # in_person, online, hybrid (online_url: reached only through /join)
    online_capacity: int | None = None  # hybrid: places online (None: unlimited), with their own waiting list

    @classmethod
    def of(cls, row: Row) -> EventRow:
        return cls(**row)

    def as_values(self) -> Values:
        """The columns by name, for a Piccolo update."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class SessionRow:
    id: int
    event: int
    title: str
    kind: SessionKind
    status: SessionStatus
    description: str
    starts_at: datetime
    ends_at: datetime
    room: int | None
    track: int | None
    capacity: int | None
    sequence: int
    created_at: datetime
    updated_at: datetime
    join_url: str = ""  # the session's own meeting address (never public)

    @classmethod
    def of(cls, row: Row) -> SessionRow:
        return cls(**row)

    def as_values(self) -> Values:
        return asdict(self)

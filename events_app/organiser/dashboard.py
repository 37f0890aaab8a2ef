"""What the organisers' start page reads: each upcoming event's figures, what needs attention, recent past events.

Light on the database whatever the number of events: the events (with their venues and series), then one query
grouped by event for each figure (registrations by status, check-ins, failed emails, timetable sizes), each
asked of the domain that owns the table."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

import msgspec

from events_app.checkin import attended as attended_rule
from events_app.checkin import views as checkin_views
from events_app.core.timezones import utc_now
from events_app.mail import services as mail
from events_app.programme import availability, events, schemas, sessions
from events_app.registration import attendance, reports
from events_app.registration.schemas import StatusCounts

UPCOMING_LIMIT = 100
PAST_SHORT = 5
PAST_ALL = 100
OPENS_SOON = timedelta(days=14)  # an event whose registration opens within this needs its timetable now

AttentionKind = Literal["pending", "failed", "no_timetable"]


@dataclass(frozen=True, slots=True)
class EventFigures:
    """One upcoming event as the dashboard shows it."""

    event: schemas.Event
    counts: StatusCounts
    places_left: int | None  # None: no limit
    checked_in: int  # at the door
    failed_emails: int
    sessions: int
    registration: str  # where its registration stands, in words
    modes: list[attendance.ModePlaces] = field(default_factory=list)  # a hybrid event: in person and online apart
    joined_online: int = 0  # attended online (own join link or a platform's export), by checkin/attended.py

    @property
    def online(self) -> bool:
        """Whether people join online (online or hybrid): the joined-online figure means something."""
        return self.event.attendance_mode != "in_person"

    @property
    def slug(self) -> str:
        return self.event.slug


@dataclass(frozen=True, slots=True)
class Attention:
    """Something an organiser should look at, with the page where it is done."""

    kind: AttentionKind
    text: str
    link: str


@dataclass(frozen=True, slots=True)
class Dashboard:
    upcoming: list[EventFigures]
    upcoming_total: int
    attention: list[Attention] = field(default_factory=list)
    past: list[schemas.Event] = field(default_factory=list)
    past_total: int = 0
    failed_emails: int = 0  # every failed message, of any event or none


def registration_words(event: schemas.Event, now: datetime, confirmed: int) -> str:
    """Where an event's registration stands, by the one rule the event page and the form use."""
    found = availability.of_event(event, now, confirmed)
    if found.state == "not_yet_open":
        return found.label
    return {
        "open": "Registration open",
        "waiting_list": "Full: taking a waiting list",
        "full": "Fully booked",
        "closed": "Registration closed",
        "draft": "Draft: not published",
        "cancelled": "Cancelled",
        "past": "Over",
    }[found.state]


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def timetable_needed(event: schemas.Event, now: datetime) -> str | None:
    """Why an event without a timetable needs one soon (its registration is open, or opens within 14 days),
    or None. A draft is judged as if it were published now: its registration opens the moment it is."""
    if event.status == "cancelled":
        return None
    found = availability.of_event(msgspec.structs.replace(event, status="published"), now, None)
    if found.state == "open":
        return "registration opens when it is published" if event.status == "draft" else "registration is open"
    if found.state == "not_yet_open" and found.opens_at is not None and found.opens_at <= now + OPENS_SOON:
        return found.label[0].lower() + found.label[1:]
    return None


def _attention(figures: list[EventFigures], failed: dict[int | None, int], now: datetime) -> list[Attention]:
    items: list[Attention] = []
    for f in figures:
        if f.counts.pending:
            items.append(
                Attention(
                    "pending",
                    f"{f.event.title}: {_plural(f.counts.pending, 'request waits', 'requests wait')} for approval",
                    f"/organiser/events/{f.slug}/registrations?status=pending",
                )
            )
    upcoming_ids = {f.event.id for f in figures}
    for f in figures:
        if f.failed_emails:
            items.append(
                Attention(
                    "failed",
                    f"{f.event.title}: {_plural(f.failed_emails, 'email', 'emails')} could not be delivered",
                    "/organiser/outbox?status=failed",
                )
            )
    others = sum(n for event_id, n in failed.items() if event_id not in upcoming_ids)
    if others:
        items.append(
            Attention(
                "failed",
                f"{_plural(others, 'other email', 'other emails')} (past events, links sent to delegates) "
                "could not be delivered",
                "/organiser/outbox?status=failed",
            )
        )
    for f in figures:
        if f.sessions == 0 and (why := timetable_needed(f.event, now)):
            items.append(
                Attention(
                    "no_timetable",
                    f"{f.event.title}: no timetable yet, and {why}",
                    f"/organiser/events/{f.slug}/timetable",
                )
            )
    return items


async def dashboard(*, organiser: bool, all_past: bool = False) -> Dashboard:
    """The start page's figures. Check-in staff (`organiser=False`) get the upcoming events and their
    check-in figures only: no failed mail, no attention list, no past events."""
    now = utc_now()
    upcoming = await events.list_events(
        events.EventFilters(when="upcoming"), include_drafts=True, limit=UPCOMING_LIMIT, offset=0
    )
    ids = [e.id for e in upcoming.items]
    by_status = await reports.counts_by_event(ids)
    checked_in = await checkin_views.checked_in_by_event(ids)
    joined_online = await attended_rule.joined_online_by_event(ids)
    failed = await mail.failed_by_event() if organiser else {}
    sizes = await sessions.timetable_sizes(ids)
    hybrid = await attendance.hybrid_places_by_event(ids)
    figures = [
        EventFigures(
            event=e,
            counts=by_status[e.id],
            places_left=reports.places_left(e.capacity, by_status[e.id].confirmed),
            checked_in=checked_in[e.id],
            failed_emails=failed.get(e.id, 0),
            sessions=sizes[e.id],
            registration=registration_words(
                e, now, attendance.judged_taken(hybrid.get(e.id, []), by_status[e.id].confirmed)
            ),
            modes=hybrid.get(e.id, []),
            joined_online=joined_online[e.id],
        )
        for e in upcoming.items
    ]
    if not organiser:
        return Dashboard(upcoming=figures, upcoming_total=upcoming.total)
    past = await events.list_events(
        events.EventFilters(when="past"), include_drafts=True, limit=PAST_ALL if all_past else PAST_SHORT, offset=0
    )
    return Dashboard(
        upcoming=figures,
        upcoming_total=upcoming.total,
        attention=_attention(figures, failed, now),
        past=past.items,
        past_total=past.total,
        failed_emails=sum(failed.values()),
    )

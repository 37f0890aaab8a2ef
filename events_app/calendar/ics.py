"""iCalendar (RFC 5545) documents from plain values, with the icalendar package.

Times are written in the event's own zone (with its VTIMEZONE) so calendars show them right across the
clocks-change weekend; a wall time that happens twice (the repeated hour in autumn) is written in UTC
instead, because TZID cannot say which of the two it is. UIDs are stable, SEQUENCE rises with every change
of time or place, and cancelled items stay in feeds with STATUS:CANCELLED so calendars remove them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vDuration, vText

PRODID = "-//HE STEM Access Network//events_app//EN"


def event_uid(event_id: int, domain: str) -> str:
    """The same UID in feeds and invitations, so calendars see one event, updated, never two."""
    return f"event-{event_id}@{domain}"


def session_uid(session_id: int, domain: str) -> str:
    return f"session-{session_id}@{domain}"


@dataclass(frozen=True, slots=True)
class Attachment:
    """A material on an entry (RFC 5545 ATTACH by URI): slides, a document, a recording's page. `uri` is
    absolute; `media_type` is the file's type where it is known (FMTTYPE), empty for a link."""

    title: str
    uri: str
    media_type: str = ""


@dataclass(frozen=True, slots=True)
class Entry:
    """One VEVENT: an event, or one session of an event's timetable."""

    uid: str
    summary: str
    starts_at: datetime  # aware
    ends_at: datetime  # aware
    timezone: str
    sequence: int
    last_modified: datetime
    created: datetime
    cancelled: bool = False
    location: str = ""
    geo: tuple[float, float] | None = None
    url: str = ""
    description: str = ""
    categories: tuple[str, ...] = field(default_factory=tuple)
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class EventFacts:
    """What a calendar entry says about an event, whoever holds it: the feeds read it from the programme,
    the emailed invitation from the event row it already has. `event_entry` makes the VEVENT from it for
    both, so an invitation and a feed never disagree about the same UID."""

    id: int
    title: str
    summary: str
    status: str
    starts_at: datetime  # aware
    ends_at: datetime  # aware
    timezone: str
    sequence: int
    created: datetime
    updated: datetime
    where: str  # programme.location.where_label
    geo: tuple[float, float] | None
    url: str  # the event's page, absolute
    join_url: str = ""  # the holder's own join link (a delegate's feed or invitation); never in public feeds


class ProgrammeEvent(Protocol):
    """What both holders of an event (the API's value and the table's row) say alike."""

    @property
    def id(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def starts_at(self) -> datetime: ...
    @property
    def ends_at(self) -> datetime: ...
    @property
    def timezone(self) -> str: ...


def facts_of(
    event: ProgrammeEvent,
    *,
    sequence: int,
    created: datetime,
    updated: datetime,
    where: str,
    geo: tuple[float, float] | None,
    url: str,
    join_url: str = "",
) -> EventFacts:
    """The facts of an event, from whichever holder the caller has, with what only the caller knows."""
    return EventFacts(
        id=event.id,
        title=event.title,
        summary=event.summary,
        status=event.status,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        timezone=event.timezone,
        sequence=sequence,
        created=created,
        updated=updated,
        where=where,
        geo=geo,
        url=url,
        join_url=join_url,
    )


def description(
    text: str, join_url: str, url: str, speakers: Sequence[str] = (), attachments: Sequence[Attachment] = ()
) -> str:
    """The DESCRIPTION of an entry: what it is about, who speaks, how to join online (the holder's own join
    link, in their own feed or invitation only), where to read more, and its materials by title (many calendar
    apps show DESCRIPTION but not ATTACH)."""
    lines = [text] if text else []
    if speakers:
        lines.append("Speakers: " + "; ".join(speakers))
    if join_url:
        lines.append(f"Join online: {join_url}")
    lines.append(f"Details: {url}")
    if attachments:
        lines.append("Materials:\n" + "\n".join(f"{a.title}: {a.uri}" for a in attachments))
    return "\n\n".join(lines)


def event_entry(
    facts: EventFacts,
    domain: str,
    *,
    withdrawn: bool = False,
    last_modified: datetime | None = None,
    attachments: Sequence[Attachment] = (),
) -> Entry:
    """The event's VEVENT. `withdrawn`: the person's place is gone (a cancelled registration): the entry is
    cancelled for them, one SEQUENCE past the event's own; an event cancelled in itself keeps its SEQUENCE
    (the programme raised it when it cancelled), so feeds and the CANCEL invitation agree."""
    return Entry(
        uid=event_uid(facts.id, domain),
        summary=facts.title,
        starts_at=facts.starts_at,
        ends_at=facts.ends_at,
        timezone=facts.timezone,
        sequence=facts.sequence + (1 if withdrawn and facts.status != "cancelled" else 0),
        last_modified=last_modified or facts.updated,
        created=facts.created,
        cancelled=withdrawn or facts.status == "cancelled",
        location=f"{facts.where}: {facts.join_url}" if facts.join_url else facts.where,
        geo=facts.geo,
        url=facts.url,
        description=description(facts.summary, facts.join_url, facts.url, attachments=attachments),
        attachments=tuple(attachments),
    )


@dataclass(frozen=True, slots=True)
class Invitation:
    """What makes a calendar an invitation (METHOD:REQUEST) or its withdrawal (METHOD:CANCEL)."""

    method: str  # "REQUEST" or "CANCEL"
    organizer_email: str
    organizer_name: str
    attendee_email: str
    attendee_name: str


def _local(moment: datetime, timezone: str) -> datetime:
    """The moment in its zone, or in UTC when that wall time is ambiguous (it occurs twice)."""
    zone = ZoneInfo(timezone)
    local = moment.astimezone(zone)
    other = local.replace(fold=1 - local.fold)
    if other.utcoffset() != local.utcoffset():
        return moment.astimezone(UTC)
    return local


def _vevent(entry: Entry, invitation: Invitation | None) -> Event:
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", entry.last_modified.astimezone(UTC))
    event.add("created", entry.created.astimezone(UTC))
    event.add("last-modified", entry.last_modified.astimezone(UTC))
    event.add("sequence", entry.sequence)
    event.add("summary", entry.summary)
    event.add("dtstart", _local(entry.starts_at, entry.timezone))
    event.add("dtend", _local(entry.ends_at, entry.timezone))
    cancelled = entry.cancelled or (invitation is not None and invitation.method == "CANCEL")
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if entry.location:
        event.add("location", entry.location)
    if entry.geo is not None:
        event.add("geo", entry.geo)
    if entry.url:
        event.add("url", entry.url)
    if entry.description:
        event.add("description", entry.description)
    if entry.categories:
        event.add("categories", list(entry.categories))
    for attachment in entry.attachments:
        event.add(
            "attach", attachment.uri, parameters={"FMTTYPE": attachment.media_type} if attachment.media_type else {}
        )
    if invitation is not None:
        organizer = vCalAddress(f"mailto:{invitation.organizer_email}")
        organizer.params["cn"] = vText(invitation.organizer_name)
        event.add("organizer", organizer)
        attendee = vCalAddress(f"mailto:{invitation.attendee_email}")
        attendee.params["cn"] = vText(invitation.attendee_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("ACCEPTED" if invitation.method == "REQUEST" else "DECLINED")
        attendee.params["rsvp"] = vText("FALSE")
        event.add("attendee", attendee)
    return event


def calendar(
    name: str,
    entries: Sequence[Entry],
    *,
    invitation: Invitation | None = None,
    refresh: timedelta = timedelta(hours=6),
    timezone: str = "Europe/London",
) -> bytes:
    """A whole VCALENDAR as UTF-8 bytes, lines folded and text escaped by icalendar."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if invitation is not None:
        cal.add("method", invitation.method)
    else:
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", timezone)
        cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", vDuration(refresh))
    for entry in entries:
        cal.add_component(_vevent(entry, invitation))
    if entries:
        # Zone rules only for the years the entries span (a year either side): compact, and still right.
        first = min(e.starts_at for e in entries).date().replace(month=1, day=1)
        last = max(e.ends_at for e in entries).date().replace(month=12, day=31)
        cal.add_missing_timezones(first_date=first - timedelta(days=366), last_date=last + timedelta(days=366))
    return bytes(cal.to_ical())

"""Plain values that message templates show about an event: built from the programme, never from a table row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from events_app.core import templating
from events_app.core.database import read_rows
from events_app.core.settings import current_settings
from events_app.core.timezones import in_zone
from events_app.programme import location, schemas
from events_app.programme.events import events_from_rows
from events_app.programme.rows import EventRow
from events_app.programme.tables import Event
from events_app.programme.venues import map_url


@dataclass(frozen=True, slots=True)
class MailEvent:
    id: int
    title: str
    when: str
    where: str
    url: str
    map_url: str
    geo: tuple[float, float] | None = None  # the venue's coordinates, for the invitation's GEO
    online: bool = False  # held online (or hybrid): where says so, never the meeting's address
    join_url: str = ""  # the recipient's own join link (registration/join_links.py), set per message


def when_label(event: schemas.Event) -> str:
    """'Tuesday 9 June 2026, 10:00 to 16:00 UK time (Europe/London, BST)', the zone always named."""
    return _when(event.starts_at, event.ends_at, event.timezone)


def _when(starts_at: datetime, ends_at: datetime, timezone: str) -> str:
    start, end = in_zone(starts_at, timezone), in_zone(ends_at, timezone)
    zone = templating.zonelabel(timezone, start)
    if start.date() == end.date():
        return f"{templating.longdate(start)}, {templating.hm(start)} to {templating.hm(end)} {zone}"
    return (
        f"{templating.longdate(start)}, {templating.hm(start)} to "
        f"{templating.longdate(end)}, {templating.hm(end)} {zone}"
    )


def where_label(event: schemas.Event) -> str:
    """The one location label (programme.location), as every email, invitation and feed shows it."""
    return location.event_where(event)


def mail_event(event: schemas.Event) -> MailEvent:
    return MailEvent(
        id=event.id,
        title=event.title,
        when=when_label(event),
        where=where_label(event),
        url=current_settings().base_url + event.url,
        map_url=event.venue.map_url if event.venue is not None else "",
        geo=location.event_geo(event),
        online=event.attendance_mode != "in_person",
    )


_VENUE = "SELECT name, address, city, postcode, latitude, longitude FROM venue WHERE id = {}"


async def mail_event_from_row(row: EventRow) -> MailEvent:
    """The same values from an event table row, with one query for its venue (the registration hot path)."""
    found = await read_rows(_VENUE, row.venue) if row.venue is not None else []
    venue = found[0] if found else None
    return MailEvent(
        id=row.id,
        title=row.title,
        when=_when(row.starts_at, row.ends_at, row.timezone),
        where=location.where_label(
            venue_name=venue["name"] if venue else None,
            address=venue["address"] if venue else "",
            city=venue["city"] if venue else "",
            postcode=venue["postcode"] if venue else "",
            online=row.attendance_mode in ("online", "hybrid"),
        ),
        url=f"{current_settings().base_url}/events/{row.slug}",
        map_url=map_url(venue) if venue else "",
        geo=(venue["latitude"], venue["longitude"])
        if venue and venue["latitude"] is not None and venue["longitude"] is not None
        else None,
        online=row.attendance_mode in ("online", "hybrid"),
    )


async def mail_event_by_id(event_id: int) -> MailEvent:
    rows = await Event.select().where(Event.id == event_id)
    if not rows:
        raise LookupError(f"No event with id {event_id}")
    return mail_event((await events_from_rows([EventRow.of(rows[0])]))[0])

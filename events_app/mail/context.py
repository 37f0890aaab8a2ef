"""Plain values that message templates show about an event: built from the programme, never from a table row."""

from __future__ import annotations

from dataclasses import dataclass

from events_app.core import templating
from events_app.core.settings import get_settings
from events_app.programme import schemas
from events_app.programme.events import events_from_rows
from events_app.programme.tables import Event


@dataclass(frozen=True, slots=True)
class MailEvent:
    id: int
    title: str
    when: str
    where: str
    online_url: str
    url: str
    map_url: str


def when_label(event: schemas.Event) -> str:
    """'Tuesday 9 June 2026, 10:00 to 16:00 UK time (Europe/London, BST)', the zone always named."""
    start, end = event.starts_at, event.ends_at
    zone = templating.zonelabel(event.timezone, start)
    if start.date() == end.date():
        return f"{templating.longdate(start)}, {templating.hm(start)} to {templating.hm(end)} {zone}"
    return (
        f"{templating.longdate(start)}, {templating.hm(start)} to "
        f"{templating.longdate(end)}, {templating.hm(end)} {zone}"
    )


def where_label(event: schemas.Event) -> str:
    parts: list[str] = []
    if event.venue is not None:
        address = ", ".join(p for p in (event.venue.address.replace("\n", ", "), event.venue.postcode) if p)
        parts.append(f"{event.venue.name}, {address}" if address else event.venue.name)
    if event.online_url:
        parts.append("Online")
    return " and ".join(parts) if parts else "To be announced"


def mail_event(event: schemas.Event) -> MailEvent:
    return MailEvent(
        id=event.id,
        title=event.title,
        when=when_label(event),
        where=where_label(event),
        online_url=event.online_url,
        url=get_settings().base_url + event.url,
        map_url=event.venue.map_url if event.venue is not None else "",
    )


async def mail_event_by_id(event_id: int) -> MailEvent:
    rows = await Event.select().where(Event.id == event_id)
    if not rows:
        raise LookupError(f"No event with id {event_id}")
    return mail_event((await events_from_rows(rows))[0])

"""Where an event (or one of its sessions) takes place, as one line of text. The event page, every email,
every invitation (LOCATION) and every calendar feed (LOCATION) show this same line, so a calendar that got
the place from an email shows the same place after its feed refreshes. It says "online", never the meeting's
address: delegates reach that through their own join link (registration/join_links.py)."""

from __future__ import annotations

from events_app.programme import schemas

TO_BE_ANNOUNCED = "To be announced"


def where_label(
    *,
    venue_name: str | None,
    address: str = "",
    city: str = "",
    postcode: str = "",
    online: bool = False,
    room: str | None = None,
) -> str:
    """'Main Hall, Kingsgate Centre, 1 Kingsgate Square, London, WC1H 0AA and online': the room (for a session),
    the venue, its address, town and postcode, then whether it is also online ('Online' alone)."""
    parts: list[str] = []
    if venue_name is not None:
        lines = (room, venue_name, *address.splitlines(), city, postcode)
        parts.append(", ".join(p.strip() for p in lines if p and p.strip()))
    if online:
        parts.append("online" if parts else "Online")
    return " and ".join(parts) if parts else TO_BE_ANNOUNCED


def event_where(event: schemas.Event, room: str | None = None) -> str:
    """The label of a programme event (and of one of its sessions, given the session's room)."""
    venue = event.venue
    online = event.attendance_mode != "in_person"
    if venue is None:
        return where_label(venue_name=None, online=online)
    return where_label(
        venue_name=venue.name,
        address=venue.address,
        city=venue.city,
        postcode=venue.postcode,
        online=online,
        room=room,
    )


def event_geo(event: schemas.Event) -> tuple[float, float] | None:
    """The venue's coordinates, where known: calendars put a pin on a map with them."""
    venue = event.venue
    if venue is None or venue.latitude is None or venue.longitude is None:
        return None
    return (venue.latitude, venue.longitude)

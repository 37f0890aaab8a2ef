"""Venues and their rooms."""

from __future__ import annotations

from urllib.parse import quote_plus

from events_app.core.crud import changes_of, constraint_guard, not_found
from events_app.core.database import write_transaction
from events_app.core.rows import Row
from events_app.programme import schemas
from events_app.programme.errors import RoomInUse, RoomNamesRepeated, RoomNameTaken, RoomSmallerThanSession, VenueInUse
from events_app.programme.tables import Event, Room, Session, Venue


def map_url(row: Row) -> str:
    """An OpenStreetMap link: by coordinates where known, else a search for the address."""
    if row["latitude"] is not None and row["longitude"] is not None:
        lat, lon = row["latitude"], row["longitude"]
        return f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=17/{lat:.5f}/{lon:.5f}"
    query = ", ".join(p for p in (row["name"], row["address"], row["city"], row["postcode"]) if p)
    return f"https://www.openstreetmap.org/search?query={quote_plus(query)}"


def _room(row: Row) -> schemas.Room:
    return schemas.Room(id=row["id"], name=row["name"], capacity=row["capacity"], accessibility=row["accessibility"])


async def venues_by_id(ids: set[int]) -> dict[int, schemas.Venue]:
    """Venues with their rooms, two queries whatever the number."""
    if not ids:
        return {}
    venues = await Venue.select().where(Venue.id.is_in(list(ids)))
    rooms = await Room.select().where(Room.venue.is_in(list(ids))).order_by(Room.name)
    by_venue: dict[int, list[schemas.Room]] = {}
    for room in rooms:
        by_venue.setdefault(room["venue"], []).append(_room(room))
    return {
        v["id"]: schemas.Venue(
            id=v["id"],
            name=v["name"],
            address=v["address"],
            city=v["city"],
            postcode=v["postcode"],
            latitude=v["latitude"],
            longitude=v["longitude"],
            accessibility=v["accessibility"],
            map_url=map_url(v),
            rooms=by_venue.get(v["id"], []),
        )
        for v in venues
    }


async def get_venue(venue_id: int) -> schemas.Venue:
    venues = await venues_by_id({venue_id})
    if venue_id not in venues:
        raise not_found("venue", venue_id)
    return venues[venue_id]


async def list_venues() -> list[schemas.Venue]:
    ids = {r["id"] for r in await Venue.select(Venue.id)}
    return sorted((await venues_by_id(ids)).values(), key=lambda v: v.name)


async def create_venue(data: schemas.VenueCreate) -> schemas.Venue:
    names = [r.name for r in data.rooms]
    if len(set(names)) != len(names):
        raise RoomNamesRepeated()
    async with write_transaction():
        venue = Venue(
            name=data.name,
            address=data.address,
            city=data.city,
            postcode=data.postcode,
            latitude=data.latitude,
            longitude=data.longitude,
            accessibility=data.accessibility,
        )
        await venue.save()
        for room in data.rooms:
            await Room(venue=venue.id, name=room.name, capacity=room.capacity, accessibility=room.accessibility).save()
    return await get_venue(venue.id)


async def update_venue(venue_id: int, data: schemas.VenueUpdate) -> schemas.Venue:
    await get_venue(venue_id)
    changes = changes_of(data)
    if changes:
        await Venue.update(changes).where(Venue.id == venue_id)
        await Event.update({Event.sequence: Event.sequence + 1}).where(Event.venue == venue_id)
    return await get_venue(venue_id)


async def delete_venue(venue_id: int) -> None:
    venue = await get_venue(venue_id)
    if await Event.exists().where(Event.venue == venue_id):
        raise VenueInUse(venue=venue.name)
    await constraint_guard(
        Venue.delete().where(Venue.id == venue_id).run(),
        field="venue_id",
        unique_message="",
        in_use_message=f"Events are held at {venue.name}",
    )


async def _room_name_free(venue_id: int, name: str, exclude_id: int | None = None) -> None:
    query = Room.exists().where((Room.venue == venue_id) & (Room.name == name))
    if exclude_id is not None:
        query = query.where(Room.id != exclude_id)
    if await query:
        raise RoomNameTaken(name=name)


async def add_room(venue_id: int, data: schemas.RoomCreate) -> schemas.Room:
    await get_venue(venue_id)
    await _room_name_free(venue_id, data.name)
    room = Room(venue=venue_id, name=data.name, capacity=data.capacity, accessibility=data.accessibility)
    await room.save()
    return await get_room(room.id)


async def get_room(room_id: int) -> schemas.Room:
    row = await Room.select().where(Room.id == room_id).first()
    if row is None:
        raise not_found("room", room_id)
    return _room(row)


async def update_room(room_id: int, data: schemas.RoomUpdate) -> schemas.Room:
    row = await Room.select().where(Room.id == room_id).first()
    if row is None:
        raise not_found("room", room_id)
    changes = changes_of(data)
    if "name" in changes:
        await _room_name_free(row["venue"], changes["name"], exclude_id=room_id)
    if changes.get("capacity") is not None:
        await _sessions_fit(room_id, str(changes.get("name", row["name"])), changes["capacity"])
    if changes:
        await Room.update(changes).where(Room.id == room_id)
    return await get_room(room_id)


async def _sessions_fit(room_id: int, room_name: str, capacity: int) -> None:
    """A room made smaller must still hold the places of the sessions in it (the rule a session's own capacity
    meets when it is given the room), or a workshop would offer more seats than the room has."""
    larger = (
        await Session.select(Session.title, Session.capacity)
        .where((Session.room == room_id) & (Session.status != "cancelled") & (Session.capacity > capacity))
        .order_by(Session.capacity, ascending=False)
        .first()
    )
    if larger is not None:
        raise RoomSmallerThanSession(title=larger["title"], room=room_name, capacity=larger["capacity"])


async def delete_room(room_id: int) -> None:
    room = await get_room(room_id)
    if await Session.exists().where(Session.room == room_id):
        raise RoomInUse(room=room.name)
    await Room.delete().where(Room.id == room_id)

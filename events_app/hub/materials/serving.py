"""Who may open a material's file, and the file itself as it is served.

Who sees what: `public` materials of a published event (or a published hub resource) are anyone's; `registered`
ones are for a delegate with a confirmed place at the event, who proves it with a key made for them
(`access_key`, put on their /my page and their own calendar feed), and for organisers; `organisers` ones are for
signed-in organisers whose scope holds the event. Anything else answers 404, so nobody learns what exists."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from events_app.accounts import scopes
from events_app.accounts.roles import Role
from events_app.accounts.schemas import CurrentOrganiser
from events_app.core import tokens
from events_app.core.settings import current_settings
from events_app.hub.materials import content, storage
from events_app.hub.materials.errors import MaterialNotFound
from events_app.hub.materials.tables import Material as MaterialRow
from events_app.hub.tables import Resource
from events_app.programme.tables import Event, Session
from events_app.registration.tables import Registration

PUBLIC_EVENTS = ("published", "cancelled")
ACCESS_PURPOSE = "material-access"


async def event_of(row: dict[str, Any]) -> int | None:
    """The event a material belongs to, itself or through its session (None: a hub resource's)."""
    if row["event"] is not None:
        return int(row["event"])
    if row["session"] is not None:
        found = await Session.select(Session.event).where(Session.id == row["session"]).first()
        return int(found["event"]) if found else None
    return None


def _access_mac(material_id: int, registration_id: int) -> str:
    secret = tokens.derived_key(current_settings().secret_key, ACCESS_PURPOSE.encode(), b"material-access-v2")
    message = f"{material_id}:{registration_id}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


def access_key(material_id: int, registration_id: int) -> str:
    """A delegate's key to one material: their place's id and an HMAC (128 bits, SECRET_KEY-derived) of the
    material and that place. The same key every time, so a calendar feed carrying it stays the same between
    polls (its ETag answers 304); the place is checked again at every download, so a cancelled one opens
    nothing."""
    return f"{registration_id}.{_access_mac(material_id, registration_id)}"


@dataclass(frozen=True, slots=True)
class Served:
    filename: str
    content_type: str
    size: int
    inline: bool
    chunks: AsyncIterator[bytes]


async def _may_see(row: dict[str, Any], organiser: CurrentOrganiser | None, key: str | None) -> bool:
    event_id = await event_of(row)
    organiser_here = organiser is not None and organiser.role.allows(Role.organiser)
    if organiser_here and (row["resource"] is not None or await scopes.for_drafts().allows_event_id(event_id)):
        return True
    if row["resource"] is not None:
        published = await Resource.exists().where((Resource.id == row["resource"]) & (Resource.status == "published"))
        return published and row["visibility"] == "public"
    public = await Event.exists().where((Event.id == event_id) & Event.status.is_in(list(PUBLIC_EVENTS)))
    if not public:
        return False
    if row["visibility"] == "public":
        return True
    if row["visibility"] == "registered" and key:
        return await _key_opens(key, row["id"], event_id)
    return False


async def _key_opens(key: str, material_id: int, event_id: int | None) -> bool:
    place, _, mac = key.partition(".")
    if not (place.isascii() and place.isdigit() and mac.isascii()) or len(place) > 18 or not mac:
        return False
    registration_id = int(place)
    if not hmac.compare_digest(mac, _access_mac(material_id, registration_id)):
        return False
    return bool(
        await Registration.exists().where(
            (Registration.id == registration_id)
            & (Registration.event == event_id)
            & (Registration.status == "confirmed")
        )
    )


async def _primed(chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    """The stream with its first chunk already read, so a missing object is known before the answer starts."""
    first = await anext(chunks, b"")

    async def rest() -> AsyncIterator[bytes]:
        if first:
            yield first
        async for chunk in chunks:
            yield chunk

    return rest()


async def file_to_serve(
    material_id: int, filename: str, *, organiser: CurrentOrganiser | None, key: str | None
) -> Served:
    """The file, if the asker may see it and the name in the address is its name; otherwise 404."""
    row = await MaterialRow.select().where(MaterialRow.id == material_id).first()
    if row is None or row["kind"] != "file" or row["filename"] != filename or not await _may_see(row, organiser, key):
        raise MaterialNotFound()
    kind = content.ALLOWED.get(row["content_type"])
    try:
        chunks = await _primed(storage.store().stream(row["storage_key"]))
    except storage.StoredObjectMissing:
        raise MaterialNotFound() from None
    return Served(
        filename=row["filename"],
        content_type=row["content_type"],
        size=row["size"],
        inline=kind is not None and kind.inline,
        chunks=chunks,
    )

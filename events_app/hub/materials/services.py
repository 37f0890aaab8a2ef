"""Materials: the rules for adding, changing and listing them, and what other domains are handed (feeds,
counts, stored files to remove). Who may open a file, and serving it, are in `serving`."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from piccolo.custom_types import Combinable
from piccolo.query.functions.aggregate import Max

from events_app.accounts import scopes
from events_app.calendar.feeds import FeedMaterial, FeedMaterials
from events_app.core.database import write_transaction
from events_app.core.settings import current_settings
from events_app.core.timezones import utc_now
from events_app.core.validation import check
from events_app.hub.materials import content, storage
from events_app.hub.materials.errors import (
    FileMissing,
    FileTooLarge,
    FileTypeRefused,
    MaterialNotFound,
    RegisteredWithoutEvent,
)
from events_app.hub.materials.schemas import (
    Audience,
    EventMaterials,
    FileFields,
    Material,
    MaterialLinkCreate,
    MaterialUpdate,
)
from events_app.hub.materials.serving import PUBLIC_EVENTS, access_key, event_of
from events_app.hub.materials.tables import Material as MaterialRow
from events_app.hub.tables import Resource
from events_app.programme.sessions import DRAFT
from events_app.programme.tables import Event, Session
from events_app.registration.tables import Registration

log = logging.getLogger(__name__)
SEEN_BY: dict[str, tuple[str, ...]] = {
    "public": ("public",),
    "registered": ("public", "registered"),
    "organisers": ("public", "registered", "organisers"),
}
LABELS = {"title": "Title", "url": "Address (URL)", "visibility": "Who can see it", "file": "File"}


@dataclass(frozen=True, slots=True)
class Target:
    """What a material belongs to: exactly one of these is set (`event_id` is also set for a session)."""

    event_id: int | None = None
    session_id: int | None = None
    resource_id: int | None = None

    def columns(self) -> dict[str, Any]:
        return {
            "event": self.event_id if self.session_id is None else None,
            "session": self.session_id,
            "resource": self.resource_id,
        }


# Finding what a material belongs to -------------------------------------------------------------------------


async def event_target(event_id: int) -> Target:
    return Target(event_id=event_id)


async def session_target(session_id: int) -> Target:
    """A session in the organiser's scope (on organiser routes), else 404."""
    query = scopes.where(Session.select(Session.id, Session.event), scopes.active().owns(Session.event))
    row = await query.where(Session.id == session_id).first()
    if row is None:
        raise MaterialNotFound(f"There is no session {session_id}", code="not_found")
    return Target(event_id=row["event"], session_id=session_id)


async def resource_target(resource_id: int) -> Target:
    if not await Resource.exists().where(Resource.id == resource_id):
        raise MaterialNotFound(f"There is no resource {resource_id}", code="not_found")
    return Target(resource_id=resource_id)


def _condition(target: Target) -> Any:
    if target.session_id is not None:
        return MaterialRow.session == target.session_id
    if target.resource_id is not None:
        return MaterialRow.resource == target.resource_id
    return MaterialRow.event == target.event_id


async def refuse_unpublished(target: Target) -> None:
    """For the public: the materials of a draft event are not there (404)."""
    if not await Event.exists().where((Event.id == target.event_id) & Event.status.is_in(list(PUBLIC_EVENTS))):
        raise MaterialNotFound(f"There is no session {target.session_id}", code="not_found")


# Reading ---------------------------------------------------------------------------------------------------


def _file_path(row: dict[str, Any]) -> str:
    return f"/materials/{row['id']}/{row['filename']}"


def _material(row: dict[str, Any], *, key: str | None = None) -> Material:
    href = row["url"] if row["kind"] == "link" else _file_path(row) + (f"?key={key}" if key else "")
    return Material(
        id=row["id"],
        kind=row["kind"],
        title=row["title"],
        href=href,
        visibility=row["visibility"],
        position=row["position"],
        event_id=row["event"],
        session_id=row["session"],
        resource_id=row["resource"],
        filename=row["filename"],
        content_type=row["content_type"],
        size=row["size"],
        from_speaker=row["added_by_speaker"] is not None,
        created_at=row["created_at"],
    )


def _ordered(query: Any) -> Any:
    return query.order_by(MaterialRow.position).order_by(MaterialRow.id)


async def list_materials(target: Target, audience: Audience) -> list[Material]:
    rows = await _ordered(
        MaterialRow.select().where(_condition(target) & MaterialRow.visibility.is_in(list(SEEN_BY[audience])))
    )
    return [_material(r) for r in rows]


async def materials_for(*, resource_id: int, audience: Audience = "public") -> list[Material]:
    """A hub resource's materials for this audience (the hub's pages call this)."""
    return await list_materials(Target(resource_id=resource_id), audience)


async def _event_rows(event_id: int, audience: Audience) -> list[dict[str, Any]]:
    """The event's own materials and its sessions', in order, that this audience sees (a draft session's only
    by organisers: until it is scheduled it is on no public page or feed)."""
    sessions = Session.select(Session.id).where(Session.event == event_id)
    if audience != "organisers":
        sessions = sessions.where(Session.status != DRAFT)
    return list(
        await _ordered(
            MaterialRow.select().where(
                ((MaterialRow.event == event_id) | MaterialRow.session.is_in(sessions))
                & MaterialRow.visibility.is_in(list(SEEN_BY[audience]))
            )
        )
    )


def _keyed(row: dict[str, Any], registration_id: int | None) -> Material:
    """With `registration_id` (a delegate's confirmed place), a file's link carries that delegate's access
    key, so a `registered` file opens for them."""
    key = access_key(row["id"], registration_id) if registration_id and row["visibility"] != "public" else None
    return _material(row, key=key)


async def event_materials(event_id: int, audience: Audience, *, registration_id: int | None = None) -> EventMaterials:
    """The event's own materials and each of its sessions' (file links keyed to `registration_id`)."""
    found = EventMaterials(event=[], sessions={})
    for row in await _event_rows(event_id, audience):
        material = _keyed(row, registration_id)
        if row["session"] is None:
            found.event.append(material)
        else:
            found.sessions.setdefault(row["session"], []).append(material)
    return found


async def _places_rows(places: Sequence[tuple[int, int]]) -> dict[int, list[dict[str, Any]]]:
    """For confirmed places [(registration id, event id)]: the public and registered materials of each place's
    event and its scheduled sessions, in order, by event id. One query however many places."""
    event_ids = sorted({event_id for _, event_id in places})
    if not event_ids:
        return {}
    sessions = Session.select(Session.id).where(Session.event.is_in(event_ids) & (Session.status != DRAFT))
    rows = await _ordered(
        MaterialRow.select(*MaterialRow.all_columns(), MaterialRow.session.event.as_alias("session_event")).where(
            (MaterialRow.event.is_in(event_ids) | MaterialRow.session.is_in(sessions))
            & MaterialRow.visibility.is_in(list(SEEN_BY["registered"]))
        )
    )
    found: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        found.setdefault(row["event"] or row["session_event"], []).append(row)
    return found


async def _confirmed_places(delegate_id: int) -> list[tuple[int, int]]:
    rows = await Registration.select(Registration.id, Registration.event).where(
        (Registration.delegate == delegate_id) & (Registration.status == "confirmed")
    )
    return [(int(r["id"]), int(r["event"])) for r in rows]


async def delegate_materials(delegate_id: int) -> dict[int, EventMaterials]:
    """For each event where the delegate holds a confirmed place: its public and registered materials, file
    links keyed for them (their /my page and their own calendar feed show these). Two queries in all."""
    places = await _confirmed_places(delegate_id)
    by_event = await _places_rows(places)
    found = {}
    for registration_id, event_id in places:
        materials = EventMaterials(event=[], sessions={})
        for row in by_event.get(event_id, ()):
            material = _keyed(row, registration_id)
            if row["session"] is None:
                materials.event.append(material)
            else:
                materials.sessions.setdefault(row["session"], []).append(material)
        if materials.any:
            found[event_id] = materials
    return found


def _feed_material(row: dict[str, Any], registration_id: int | None) -> FeedMaterial:
    material = _keyed(row, registration_id)
    return FeedMaterial(
        session_id=material.session_id,
        title=material.title,
        href=material.href,
        media_type=material.content_type,
        updated_at=row["updated_at"],
    )


async def _event_feed_materials(event_id: int) -> list[FeedMaterial]:
    """What an event's public feed attaches: its public materials. Never organisers' ones."""
    return [_feed_material(row, None) for row in await _event_rows(event_id, "public")]


async def _places_feed_materials(places: Sequence[tuple[int, int]]) -> dict[int, list[FeedMaterial]]:
    """What a delegate's own feed attaches for each confirmed place [(registration id, event id)]: the public
    and registered materials, through links keyed to that place, by registration id. One query."""
    by_event = await _places_rows(places)
    return {
        registration_id: [_feed_material(row, registration_id) for row in by_event.get(event_id, ())]
        for registration_id, event_id in places
    }


# What a feed's version reads of the materials it would attach: how many and the latest change, as one value
# "count/last change" (an added, changed, moved or removed material changes it), a column of the feed's own
# version statement, so an unchanged feed stays one statement and its materials are read only when it is built.
_SHOWN_SESSIONS = "SELECT s.id FROM event_session s WHERE s.status <> 'draft' AND s.event"  # DRAFT's are not shown
_PUBLIC_OF_EVENT = (
    f"FROM material m WHERE m.visibility = 'public' AND (m.event = e.id OR m.session IN ({_SHOWN_SESSIONS} = e.id))"
)
_PLACES = "SELECT r.event FROM registration r WHERE r.delegate = {} AND r.status = 'confirmed'"
_REGISTERED_OF_PLACES = (
    "FROM material m WHERE m.visibility IN ('public', 'registered') "
    f"AND (m.event IN ({_PLACES}) OR m.session IN ({_SHOWN_SESSIONS} IN ({_PLACES})))"
)

FEED_MATERIALS = FeedMaterials(
    of_event=_event_feed_materials,
    of_places=_places_feed_materials,
    event_version=f"(SELECT COUNT(*) || '/' || MAX(m.updated_at) {_PUBLIC_OF_EVENT}) AS materials",
    personal_version=f"(SELECT COUNT(*) || '/' || MAX(m.updated_at) {_REGISTERED_OF_PLACES}) AS materials",
)


async def material_counts(event_id: int) -> dict[int | None, int]:
    """How many materials the event has (all of them, for organisers): by session id, the event's own under None."""
    found: dict[int | None, int] = {}
    for row in await _event_rows(event_id, "organisers"):
        found[row["session"]] = found.get(row["session"], 0) + 1
    return found


async def get_material(material_id: int) -> Material:
    """One material, for organisers: 404 outside their scope."""
    return _material(await _row_in_scope(material_id))


async def _row_in_scope(material_id: int) -> dict[str, Any]:
    row = await MaterialRow.select().where(MaterialRow.id == material_id).first()
    if row is None:
        raise MaterialNotFound()
    if row["resource"] is None and not await scopes.active().allows_event_id(await event_of(row)):
        raise MaterialNotFound()
    return dict(row)


# Writing ---------------------------------------------------------------------------------------------------


def max_megabytes() -> int:
    return current_settings().materials.max_bytes // (1024 * 1024)


def _size_label(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


async def _next_position(target: Target) -> int:
    rows = await MaterialRow.select(Max(MaterialRow.position, alias="last")).where(_condition(target))
    last = rows[0]["last"] if rows else None
    return 0 if last is None else int(last) + 1


async def add_file(
    target: Target,
    fields: dict[str, Any],
    *,
    upload_name: str,
    data: bytes | None,
    added_by: int | None = None,
    speaker_id: int | None = None,
) -> Material:
    """Check the fields and the file (size, then kind by content), store the bytes under a random key, then
    record the material; if recording fails, the stored bytes go too."""
    values = check(fields, FileFields, LABELS)
    _check_visibility(target.resource_id, values.visibility)
    if not data:
        raise FileMissing()
    limit = current_settings().materials.max_bytes
    if len(data) > limit:
        raise FileTooLarge(size=_size_label(len(data)), limit=_size_label(limit))
    kind = content.kind_of(data)
    if kind is None:
        raise FileTypeRefused()
    key = storage.new_key()
    store = storage.store()
    await store.put(key, data, kind.content_type)
    try:
        async with write_transaction():
            row = MaterialRow(
                **target.columns(),
                kind="file",
                title=values.title.strip() or "Untitled",
                storage_key=key,
                filename=content.safe_filename(upload_name, kind),
                content_type=kind.content_type,
                size=len(data),
                visibility=values.visibility,
                position=await _next_position(target),
                added_by=added_by,
                added_by_speaker=speaker_id,
                created_at=utc_now(),
                updated_at=utc_now(),
            )
            await MaterialRow.insert(row)  # sets row.id
    except BaseException:
        await store.delete(key)
        raise
    return await _read(row.id)


async def add_link(
    target: Target, data: MaterialLinkCreate, *, added_by: int | None = None, speaker_id: int | None = None
) -> Material:
    _check_visibility(target.resource_id, data.visibility)
    async with write_transaction():
        row = MaterialRow(
            **target.columns(),
            kind="link",
            title=data.title.strip(),
            url=data.url,
            visibility=data.visibility,
            position=await _next_position(target),
            added_by=added_by,
            added_by_speaker=speaker_id,
            created_at=utc_now(),
            updated_at=utc_now(),
        )
        await MaterialRow.insert(row)  # sets row.id
    return await _read(row.id)


def parse_link(values: dict[str, Any]) -> MaterialLinkCreate:
    return check(values, MaterialLinkCreate, LABELS)


def parse_update(values: dict[str, Any]) -> MaterialUpdate:
    return check(values, MaterialUpdate, LABELS)


async def _read(material_id: int) -> Material:
    row = await MaterialRow.select().where(MaterialRow.id == material_id).first()
    if row is None:
        raise MaterialNotFound()
    return _material(row)


async def update_material(material_id: int, data: MaterialUpdate) -> Material:
    row = await _row_in_scope(material_id)
    _check_visibility(row["resource"], data.visibility)
    changes: dict[Any, Any] = {MaterialRow.updated_at: utc_now()}
    if data.title is not None:
        changes[MaterialRow.title] = data.title.strip()
    if data.visibility is not None:
        changes[MaterialRow.visibility] = data.visibility
    if data.url is not None and row["kind"] == "link":
        changes[MaterialRow.url] = data.url
    async with write_transaction():
        await MaterialRow.update(changes).where(MaterialRow.id == material_id)
    return await _read(material_id)


def _check_visibility(resource_id: int | None, visibility: str | None) -> None:
    """A hub resource has no event and so no registered delegates: its materials are public or organisers'."""
    if resource_id is not None and visibility == "registered":
        raise RegisteredWithoutEvent()


async def belongs_to_resource(material_id: int, resource_id: int) -> None:
    """On a resource's page, a material of anything else is not there (404)."""
    row = await _row_in_scope(material_id)
    if row["resource"] != resource_id:
        raise MaterialNotFound()


async def belongs_to_event(material_id: int, event_id: int) -> None:
    """On an event's pages, a material of another event is not there (404)."""
    row = await _row_in_scope(material_id)
    if await event_of(row) != event_id:
        raise MaterialNotFound()


async def move_material(material_id: int, *, up: bool) -> Material:
    """Swap places with the neighbour above (or below) among the materials of the same event, session or
    resource."""
    row = await _row_in_scope(material_id)
    target = Target(row["event"], row["session"], row["resource"])
    async with write_transaction():
        siblings = await _ordered(MaterialRow.select(MaterialRow.id).where(_condition(target)))
        ids = [s["id"] for s in siblings]
        index = ids.index(material_id)
        other = index - 1 if up else index + 1
        if 0 <= other < len(ids):
            ids[index], ids[other] = ids[other], ids[index]
        for position, each in enumerate(ids):
            await MaterialRow.update({MaterialRow.position: position}).where(MaterialRow.id == each)
    return await _read(material_id)


async def remove_material(material_id: int, *, speaker_id: int | None = None) -> None:
    """The row, then the stored bytes (a file never outlives its material). With `speaker_id`: only a material
    that speaker added."""
    row = await _row_in_scope(material_id)
    if speaker_id is not None and row["added_by_speaker"] != speaker_id:
        raise MaterialNotFound()
    async with write_transaction():
        await MaterialRow.delete().where(MaterialRow.id == material_id)
    if row["kind"] == "file" and row["storage_key"]:
        await storage.store().delete(row["storage_key"])


async def stored_keys(
    *, event_id: int | None = None, session_id: int | None = None, resource_id: int | None = None
) -> list[str]:
    """The stored files' keys of an event's materials and its sessions' (or of one session's, or of a hub
    resource's)."""
    where: Combinable
    if resource_id is not None:
        where = MaterialRow.resource == resource_id
    elif session_id is not None:
        where = MaterialRow.session == session_id
    else:
        sessions = Session.select(Session.id).where(Session.event == event_id)
        where = (MaterialRow.event == event_id) | MaterialRow.session.is_in(sessions)
    rows = await MaterialRow.select(MaterialRow.storage_key).where(where & (MaterialRow.kind == "file"))
    return [r["storage_key"] for r in rows if r["storage_key"]]


async def delete_stored(keys: list[str]) -> None:
    """Remove stored files whose materials are gone (after the deletion committed); one the store fails to
    remove is logged and the others still go."""
    store = storage.store()
    for key in keys:
        try:
            await store.delete(key)
        except Exception:
            log.exception("could not remove the stored file %s of a deleted material", key)

"""Sessions: slots in an event's timetable, with their rooms, tracks and speakers in order."""

from __future__ import annotations

from datetime import datetime, timedelta

from piccolo.custom_types import Combinable
from piccolo.query.functions.aggregate import Count

from events_app.accounts import scopes
from events_app.core.crud import changes_of, constraint_guard, not_found
from events_app.core.database import write_transaction
from events_app.core.rows import Values
from events_app.core.timezones import in_zone, to_utc, utc_now, zone
from events_app.programme import schemas
from events_app.programme.errors import (
    CapacityOverRoom,
    RoomClash,
    RoomNotAtVenue,
    SessionEndsAfterEvent,
    SessionEndsBeforeStart,
    SessionStartsBeforeEvent,
    SpeakerListedTwice,
    UnknownSpeaker,
    UnknownTrack,
)
from events_app.programme.locking import locked_event
from events_app.programme.reactions import SessionChanged, SessionDeleting, registry
from events_app.programme.rows import PUBLIC_STATUSES, EventRow, SessionRow
from events_app.programme.tables import Event, Room, Session, SessionSpeaker, Speaker, Track

DRAFT = "draft"  # a session only organisers see, until they schedule it


def _hm(value: datetime, tz: str) -> str:
    return in_zone(value, tz).strftime("%H:%M")


async def sessions_for_event(
    event: EventRow, tracks: list[schemas.Track], *, addresses: bool = False, include_draft_sessions: bool = False
) -> list[schemas.Session]:
    """An event's timetable in order, with rooms and speakers loaded in one query each; the sessions' own meeting
    addresses only for an organiser's read (`addresses`). Draft sessions (accepted proposals not yet scheduled)
    only on the organisers' timetable: never on a public page, feed or answer."""
    query = Session.select().where(Session.event == event.id)
    if not include_draft_sessions:
        query = query.where(Session.status != DRAFT)
    rows = await query.order_by(Session.starts_at).order_by(Session.id)
    return await _sessions_from_rows([SessionRow.of(r) for r in rows], event, tracks, addresses=addresses)


async def timetable_sizes(event_ids: list[int]) -> dict[int, int]:
    """How many sessions (cancelled ones left out) each event's timetable holds, in one query: 0 is no timetable."""
    if not event_ids:
        return {}
    rows = (
        await Session.select(Session.event, Count(Session.id, alias="n"))
        .where(Session.event.is_in(event_ids) & (Session.status != "cancelled"))
        .group_by(Session.event)
    )
    found = {int(r["event"]): int(r["n"]) for r in rows}
    return {event_id: found.get(event_id, 0) for event_id in event_ids}


async def _sessions_from_rows(
    rows: list[SessionRow], event: EventRow, tracks: list[schemas.Track], *, addresses: bool = False
) -> list[schemas.Session]:
    room_ids = list({r.room for r in rows if r.room is not None})
    rooms = (
        {
            r["id"]: schemas.RoomRef(id=r["id"], name=r["name"])
            for r in await Room.select(Room.id, Room.name).where(Room.id.is_in(room_ids))
        }
        if room_ids
        else {}
    )
    speakers = await _speakers_by_session([r.id for r in rows])
    track_by_id = {t.id: t for t in tracks}
    tz = event.timezone
    return [
        schemas.Session(
            id=r.id,
            event=event.slug,
            title=r.title,
            kind=r.kind,
            status=r.status,
            description=r.description,
            starts_at=in_zone(r.starts_at, tz),
            ends_at=in_zone(r.ends_at, tz),
            room=rooms.get(r.room) if r.room is not None else None,
            track=track_by_id.get(r.track) if r.track is not None else None,
            capacity=r.capacity,
            speakers=speakers.get(r.id, []),
            online=bool(r.join_url),
            join_url=r.join_url if addresses else "",
        )
        for r in rows
    ]


async def _speakers_by_session(session_ids: list[int]) -> dict[int, list[schemas.SessionSpeaker]]:
    if not session_ids:
        return {}
    rows = (
        await SessionSpeaker.select(
            SessionSpeaker.session,
            SessionSpeaker.role,
            SessionSpeaker.speaker.id.as_alias("speaker_id"),
            SessionSpeaker.speaker.slug.as_alias("slug"),
            SessionSpeaker.speaker.name.as_alias("name"),
            SessionSpeaker.speaker.job_title.as_alias("job_title"),
            SessionSpeaker.speaker._.organisation._.name.as_alias("organisation"),
        )
        .where(SessionSpeaker.session.is_in(session_ids))
        .order_by(SessionSpeaker.position)
        .order_by(SessionSpeaker.id)
    )
    result: dict[int, list[schemas.SessionSpeaker]] = {}
    for r in rows:
        result.setdefault(r["session"], []).append(
            schemas.SessionSpeaker(
                id=r["speaker_id"],
                slug=r["slug"],
                name=r["name"],
                job_title=r["job_title"],
                organisation=r["organisation"],
                role=r["role"],
            )
        )
    return result


async def speaker_sessions(speaker_id: int, *, include_drafts: bool) -> list[tuple[EventRow, schemas.Session]]:
    """(event row, session) pairs a speaker presents, soonest first."""
    session_ids = [
        r["session"]
        for r in await SessionSpeaker.select(SessionSpeaker.session).where(SessionSpeaker.speaker == speaker_id)
    ]
    if not session_ids:
        return []
    if not include_drafts:
        drafts = Session.select(Session.id).where(Session.id.is_in(session_ids) & (Session.status == DRAFT))
        session_ids = [i for i in session_ids if i not in {r["id"] for r in await drafts}]
        if not session_ids:
            return []
    query = Event.select().where(Event.id.is_in(Session.select(Session.event).where(Session.id.is_in(session_ids))))
    if not include_drafts:
        query = query.where(Event.status.is_in(list(PUBLIC_STATUSES)))
    pairs: list[tuple[EventRow, schemas.Session]] = []
    for event in [EventRow.of(r) for r in await query.order_by(Event.starts_at)]:
        rows = (
            await Session.select()
            .where((Session.event == event.id) & Session.id.is_in(session_ids))
            .order_by(Session.starts_at)
        )
        tracks = [
            schemas.Track(id=t["id"], name=t["name"], description=t["description"], position=t["position"])
            for t in await Track.select().where(Track.event == event.id)
        ]
        pairs.extend((event, s) for s in await _sessions_from_rows([SessionRow.of(r) for r in rows], event, tracks))
    return pairs


async def _session_row(session_id: int) -> SessionRow:
    query = scopes.where(Session.select(), scopes.active().owns(Session.event))
    row = await query.where(Session.id == session_id).first()
    if row is None:
        raise not_found("session", session_id)
    return SessionRow.of(row)


async def _checked(event: EventRow, values: Values, exclude_id: int | None = None) -> Values:
    tz_name = event.timezone
    tz = zone(tz_name)
    values["starts_at"] = to_utc(values["starts_at"], tz, field="starts_at")
    values["ends_at"] = to_utc(values["ends_at"], tz, field="ends_at")
    starts, ends = values["starts_at"], values["ends_at"]
    window = f"{_hm(event.starts_at, tz_name)}–{_hm(event.ends_at, tz_name)} {tz_name}"
    if ends <= starts:
        raise SessionEndsBeforeStart()
    if starts < event.starts_at:
        raise SessionStartsBeforeEvent(window=window)
    if ends > event.ends_at:
        raise SessionEndsAfterEvent(window=window)
    if values.get("track") is not None and not await Track.exists().where(
        (Track.id == values["track"]) & (Track.event == event.id)
    ):
        raise UnknownTrack(track=values["track"])
    if values.get("room") is not None:
        await _check_room(event, values, exclude_id)
    return values


async def _check_room(event: EventRow, values: Values, exclude_id: int | None) -> None:
    room = await Room.select().where(Room.id == values["room"]).first()
    if room is None or room["venue"] != event.venue:
        raise RoomNotAtVenue(room=values["room"])
    if values.get("capacity") and room["capacity"] and values["capacity"] > room["capacity"]:
        raise CapacityOverRoom(room=room["name"], capacity=room["capacity"])
    if values.get("status", "scheduled") == "cancelled":
        return
    clash = Session.select(Session.id, Session.title, Session.starts_at, Session.ends_at).where(
        (Session.room == values["room"])
        & (Session.status == "scheduled")
        & (Session.starts_at < values["ends_at"])
        & (Session.ends_at > values["starts_at"])
    )
    if exclude_id is not None:
        clash = clash.where(Session.id != exclude_id)
    other = await clash.first()
    if other is not None:
        tz = event.timezone
        refusal = RoomClash(
            room=room["name"], title=other["title"], starts=_hm(other["starts_at"], tz), ends=_hm(other["ends_at"], tz)
        )
        refusal.session_id = other["id"]
        raise refusal


async def _check_speakers(speakers: list[schemas.SessionSpeakerIn]) -> None:
    ids = [s.speaker_id for s in speakers]
    if len(set(ids)) != len(ids):
        raise SpeakerListedTwice()
    if ids:
        known = {r["id"] for r in await Speaker.select(Speaker.id).where(Speaker.id.is_in(ids))}
        missing = [i for i in ids if i not in known]
        if missing:
            raise UnknownSpeaker(id=missing[0])


async def _set_speakers(session_id: int, speakers: list[schemas.SessionSpeakerIn]) -> None:
    await SessionSpeaker.delete().where(SessionSpeaker.session == session_id)
    if speakers:
        await SessionSpeaker.insert(
            *[
                SessionSpeaker(session=session_id, speaker=s.speaker_id, role=s.role, position=i)
                for i, s in enumerate(speakers)
            ]
        )


def _renamed(changes: Values) -> Values:
    for field in ("room", "track"):
        if f"{field}_id" in changes:
            changes[field] = changes.pop(f"{field}_id")
    return changes


async def _get(session_id: int, *, addresses: bool = False) -> schemas.Session:
    row = await _session_row(session_id)
    found = await Event.select().where(Event.id == row.event).first()
    if found is None:  # deleted with its event since the session was read
        raise not_found("session", session_id)
    event = EventRow.of(found)
    tracks = [
        schemas.Track(id=t["id"], name=t["name"], description=t["description"], position=t["position"])
        for t in await Track.select().where(Track.event == row.event)
    ]
    (session,) = await _sessions_from_rows([row], event, tracks, addresses=addresses)
    return session


async def get_session(session_id: int, *, include_drafts: bool) -> schemas.Session:
    row = await _session_row(session_id)
    public = Event.status.is_in(list(PUBLIC_STATUSES))
    visible: Combinable | None = None if include_drafts else public
    if include_drafts and (drafts_of := scopes.for_drafts().event_filter()) is not None:
        visible = public | drafts_of  # an organiser limited to some series sees only their drafts
    if visible is not None and not await Event.exists().where((Event.id == row.event) & visible):
        raise not_found("session", session_id)
    if row.status == DRAFT and not include_drafts:
        raise not_found("session", session_id)
    # Its meeting address: for organisers of its event only (the one rule: programme.events, scopes).
    addresses = include_drafts and await scopes.for_drafts().allows_event_id(row.event)
    return await _get(session_id, addresses=addresses)


async def create_session(event_slug: str, data: schemas.SessionCreate) -> schemas.Session:
    await _check_speakers(data.speakers)
    async with write_transaction():
        event = await locked_event(slug=event_slug)
        values = _renamed(changes_of(data))
        speakers = values.pop("speakers")
        values = await _checked(event, values)
        session = Session(event=event.id, **values)
        await session.save()
        await _set_speakers(session.id, speakers)
    return await _get(session.id, addresses=True)  # the organiser who wrote it


async def update_session(session_id: int, data: schemas.SessionUpdate) -> schemas.Session:
    changes = _renamed(changes_of(data))
    speakers = changes.pop("speakers", None)
    if speakers is not None:
        await _check_speakers(speakers)
    async with write_transaction():
        current = await _session_row(session_id)
        event = await locked_event(event_id=current.event)
        before = current.as_values()
        values = await _checked(event, {**before, **changes}, exclude_id=session_id)
        moved = any(values[f] != before[f] for f in ("starts_at", "ends_at", "room", "status"))
        values["sequence"] = current.sequence + 1 if moved else current.sequence
        values["updated_at"] = utc_now()
        for key in ("id", "event", "created_at"):
            values.pop(key)
        await Session.update(values).where(Session.id == session_id)
        if speakers is not None:
            await _set_speakers(session_id, speakers)
        after = SessionRow.of({**values, "id": session_id, "event": current.event, "created_at": current.created_at})
        await registry.announce(SessionChanged(current, after))
    return await _get(session_id, addresses=True)  # the organiser who wrote it


async def shift_timetable(event: EventRow, shift: timedelta) -> None:
    """Move every session of an event by `shift` with the event, in the caller's transaction (the event row is
    locked). Each session's SEQUENCE rises so calendars holding it update; no one is told per session: the
    event's own change tells its delegates once. A room another event holds at the new time refuses the move."""
    rows = [SessionRow.of(r) for r in await Session.select().where(Session.event == event.id)]
    tz = event.timezone
    for row in rows:
        if row.room is None or row.status != "scheduled":
            continue
        starts, ends = row.starts_at + shift, row.ends_at + shift
        other = await (
            Session.select(Session.title, Session.starts_at, Session.ends_at, Session.room.name.as_alias("room"))
            .where(
                (Session.room == row.room)
                & (Session.event != event.id)
                & (Session.status == "scheduled")
                & (Session.starts_at < ends)
                & (Session.ends_at > starts)
            )
            .first()
        )
        if other is not None:
            raise RoomClash(
                room=other["room"],
                title=other["title"],
                starts=_hm(other["starts_at"], tz),
                ends=_hm(other["ends_at"], tz),
                field="starts_at",
            )
    now = utc_now()
    for row in rows:  # a few dozen at most; date arithmetic in SQL differs between the engines
        await Session.update(
            {
                Session.starts_at: row.starts_at + shift,
                Session.ends_at: row.ends_at + shift,
                Session.sequence: row.sequence + 1,
                Session.updated_at: now,
            }
        ).where(Session.id == row.id)


async def delete_session(session_id: int) -> None:
    """The session and what hangs on it; what other domains keep outside the database for it (materials'
    stored files) goes once the deletion has committed."""
    deleting = SessionDeleting(session=await _session_row(session_id))
    async with write_transaction():
        await registry.announce(deleting)
        await constraint_guard(
            Session.delete().where(Session.id == session_id).run(),
            field="session_id",
            unique_message="",
            in_use_message="Delegates have booked this session: cancel it instead of deleting it",
        )
    await deleting.committed()

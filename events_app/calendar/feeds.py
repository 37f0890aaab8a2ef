"""The calendar feeds: one event (its sessions as entries where it has a timetable), one series, every
public event, and a delegate's own feed at a secret URL holding exactly what they are confirmed for."""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from piccolo.query.functions.aggregate import Count, Max

from events_app.calendar import ics
from events_app.core import calendar_links
from events_app.core.crud import not_found
from events_app.core.database import read_rows
from events_app.core.rows import Row
from events_app.core.templating import SITE_NAME
from events_app.mail.outbox import sender_domain
from events_app.people.feeds import delegate_for_token
from events_app.people.tables import Delegate
from events_app.programme import location, schemas
from events_app.programme.events import events_from_rows, get_event
from events_app.programme.rows import EventRow
from events_app.programme.series import get_series
from events_app.programme.tables import Event, Session
from events_app.registration.join_links import join_url, joins_online
from events_app.registration.tables import Registration, SessionBooking

PUBLIC = ("published", "cancelled")  # cancelled events stay in feeds, marked so, until they are deleted
QUIET_KINDS = ("break",)  # not worth a calendar entry of their own


@dataclass(frozen=True, slots=True)
class Feed:
    body: bytes
    filename: str
    last_modified: datetime
    private: bool = False
    # Hashed once, when the feed is built: an unchanged feed is asked for again and again (hashing a 500-session
    # feed on each conditional GET was 14% of its time in issue 20's profile).
    etag: str = field(init=False)
    last_modified_header: str = field(init=False)  # written once too (HTTP's date format)

    def __post_init__(self) -> None:
        object.__setattr__(self, "etag", '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"')
        stamp = format_datetime(self.last_modified.replace(microsecond=0), usegmt=True)
        object.__setattr__(self, "last_modified_header", stamp)


@dataclass(frozen=True, slots=True)
class FeedMaterial:
    """A material as the feeds show it. Whoever keeps materials (the hub) hands these over through a
    `FeedMaterials` that create_app provides, so the calendar reads no table above it."""

    session_id: int | None  # None: the event's own
    title: str
    href: str  # absolute, or a path on this site (a file, with a delegate's key where it needs one)
    media_type: str  # a file's type; empty for a link
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class FeedMaterials:
    """What the feeds take from whoever keeps materials (the hub; create_app hands it over), so the calendar
    reads no table above it.

    - `of_event(event id)`: what anyone may open of an event, in order;
    - `of_places([(registration id, event id)])`: for a delegate's confirmed places, what each place opens (files
      through links keyed to it), by registration id, in one query;
    - `event_version`, `personal_version`: select-list columns (how many, the latest change) added to a feed's
      own version statement, so an unchanged feed is still one statement and its materials are read only when
      it is built again. The event's refer to the event row `e`; the personal one takes the delegate's id at
      each `{}`."""

    of_event: Callable[[int], Awaitable[Sequence[FeedMaterial]]]
    of_places: Callable[[Sequence[tuple[int, int]]], Awaitable[Mapping[int, Sequence[FeedMaterial]]]]
    event_version: str
    personal_version: str


def _attachment(material: FeedMaterial, prefix: str = "") -> ics.Attachment:
    href = (
        material.href
        if material.href.startswith(("https://", "http://"))
        else calendar_links.site_url() + material.href
    )
    return ics.Attachment(title=prefix + material.title, uri=href, media_type=material.media_type)


def _latest(stamp: Stamp, materials: Sequence[FeedMaterial]) -> Stamp:
    """An entry whose materials changed was modified then (LAST-MODIFIED, and the feed's Last-Modified)."""
    return stamp.changed_at(max(m.updated_at for m in materials)) if materials else stamp


def event_uid(event_id: int) -> str:
    return ics.event_uid(event_id, sender_domain())


def session_uid(session_id: int) -> str:
    return ics.session_uid(session_id, sender_domain())


@dataclass(frozen=True, slots=True)
class Stamp:
    """What a calendar compares to know an entry changed: the row's sequence and its times."""

    sequence: int
    created_at: datetime
    updated_at: datetime

    def changed_at(self, moment: datetime) -> Stamp:
        """The same entry, last changed at `moment` if that is later (a place given up after the event moved)."""
        return replace(self, updated_at=max(self.updated_at, moment))


def _stamp(row: Row) -> Stamp:
    return Stamp(sequence=row["sequence"], created_at=row["created_at"], updated_at=row["updated_at"])


async def _stamps(table: type[Event] | type[Session], ids: list[int]) -> dict[int, Stamp]:
    if not ids:
        return {}
    rows = await table.select(table.id, table.sequence, table.created_at, table.updated_at).where(table.id.is_in(ids))
    return {r["id"]: _stamp(r) for r in rows}


def event_facts(event: schemas.Event, stamp: Stamp, join_url: str = "") -> ics.EventFacts:
    """What the feeds say about an event: the programme's values, with the location label every page,
    email and invitation shows; in a delegate's own feed, their join link (never in a public feed)."""
    return ics.facts_of(
        event,
        sequence=stamp.sequence,
        created=stamp.created_at,
        updated=stamp.updated_at,
        where=location.event_where(event),
        geo=location.event_geo(event),
        url=f"{calendar_links.site_url()}{event.url}",
        join_url=join_url,
    )


def event_entry(
    event: schemas.Event,
    stamp: Stamp,
    *,
    withdrawn: bool = False,
    join_url: str = "",
    attachments: Sequence[ics.Attachment] = (),
) -> ics.Entry:
    facts = event_facts(event, stamp, join_url)
    return ics.event_entry(facts, sender_domain(), withdrawn=withdrawn, attachments=attachments)


def session_entry(
    event: schemas.Event,
    session: schemas.Session,
    stamp: Stamp,
    *,
    cancelled: bool = False,
    bump: int = 0,
    join_url: str = "",
    attachments: Sequence[ics.Attachment] = (),
) -> ics.Entry:
    page = f"{calendar_links.site_url()}{event.url}"
    speakers = [f"{s.name}{', ' + s.organisation if s.organisation else ''}" for s in session.speakers]
    where = location.event_where(event, session.room.name if session.room else None)
    return ics.Entry(
        uid=session_uid(session.id),
        summary=f"{session.title} ({event.title})",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        timezone=event.timezone,
        sequence=stamp.sequence + bump,
        last_modified=stamp.updated_at,
        created=stamp.created_at,
        cancelled=cancelled or session.status == "cancelled" or event.status == "cancelled",
        location=f"{where}: {join_url}" if join_url else where,
        geo=location.event_geo(event),
        url=f"{page}#session-{session.id}",
        description=ics.description(session.description, join_url, page, speakers, attachments),
        categories=(session.kind,),
        attachments=tuple(attachments),
    )


def _feed(name: str, filename: str, entries: list[ics.Entry], *, private: bool = False) -> Feed:
    entries.sort(key=lambda e: (e.starts_at, e.uid))
    last = max((e.last_modified for e in entries), default=datetime(2020, 1, 1, tzinfo=UTC))
    return Feed(body=ics.calendar(name, entries), filename=filename, last_modified=last, private=private)


# Built feeds, kept while nothing they show has changed. The version is read with a query or two (times
# and counts of the rows a feed is made of); what has no timestamp of its own (a venue's address, a
# speaker's organisation) is picked up when the entry expires, after CACHE_SECONDS.
CACHE_SECONDS = 60.0
CACHE_SIZE = 512
_cache: OrderedDict[tuple[str, str], tuple[float, tuple[Any, ...], Feed]] = OrderedDict()


async def _cached(key: tuple[str, str], version: tuple[Any, ...], build: Callable[[], Awaitable[Feed]]) -> Feed:
    version = (calendar_links.site_url(), *version)  # a feed's links name the address it was asked at
    hit = _cache.get(key)
    if hit is not None and hit[1] == version and time.monotonic() - hit[0] < CACHE_SECONDS:
        _cache.move_to_end(key)
        return hit[2]
    feed = await build()
    _cache[key] = (time.monotonic(), version, feed)
    _cache.move_to_end(key)
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return feed


# An unchanged feed is the most frequent answer (calendar apps poll): its version is one statement, written out.
_EVENT_VERSION = (
    "SELECT e.id, e.status, e.updated_at, "
    "(SELECT COUNT(*) || '/' || MAX(s.updated_at) FROM event_session s WHERE s.event = e.id) AS sessions{} "
    'FROM "event" e WHERE e.slug = {{}}'
)


async def _event_version(slug: str, materials: FeedMaterials | None) -> tuple[int, tuple[Any, ...]]:
    """The event's id, and what its feed depends on: the event's status and last change, its sessions' count
    and last change, and its materials' (each one subquery, written "count/last change"). Compared only with
    itself (the cache's key), so its values may be text on SQLite."""
    rows = await read_rows(_EVENT_VERSION.format(", " + materials.event_version if materials else ""), slug)
    if not rows or rows[0]["status"] not in PUBLIC:
        raise not_found("event", slug)
    row = rows[0]
    return int(row["id"]), tuple(v for k, v in row.items() if k != "id")


async def _events_version(condition: Any) -> tuple[Any, ...]:
    rows = await Event.select(Max(Event.updated_at, alias="last"), Count(Event.id, alias="n")).where(condition)
    return (rows[0]["last"], rows[0]["n"]) if rows else ()


async def event_feed(slug: str, materials: FeedMaterials | None = None) -> Feed:
    """The event's public feed; with `materials`, entries carry the public materials (ATTACH). The materials are
    part of the cache's version, so one added, changed or removed shows at once."""
    event_id, version = await _event_version(slug, materials)

    async def build() -> Feed:
        return await _build_event_feed(slug, await materials.of_event(event_id) if materials else ())

    return await _cached(("event", slug), version, build)


async def _build_event_feed(slug: str, materials: Sequence[FeedMaterial] = ()) -> Feed:
    """Sessions as entries, each with its own materials and the event's; an event without a timetable is one
    entry with all of them."""
    event = await get_event(slug, include_drafts=False)
    sessions = [s for s in event.sessions if s.kind not in QUIET_KINDS]
    own = [m for m in materials if m.session_id is None]
    if sessions:
        stamps = await _stamps(Session, [s.id for s in sessions])
        entries = []
        for session in sessions:
            found = [m for m in materials if m.session_id == session.id] + own
            attachments = [_attachment(m) for m in found]
            entries.append(session_entry(event, session, _latest(stamps[session.id], found), attachments=attachments))
    else:
        titles = {s.id: s.title for s in event.sessions}
        attachments = [_attachment(m, _prefix(m, titles)) for m in materials]
        stamp = _latest((await _stamps(Event, [event.id]))[event.id], materials)
        entries = [event_entry(event, stamp, attachments=attachments)]
    return _feed(event.title, f"{event.slug}.ics", entries)


async def _session_titles(event_ids: list[int]) -> dict[int, str]:
    if not event_ids:
        return {}
    rows = await Session.select(Session.id, Session.title).where(Session.event.is_in(event_ids))
    return {r["id"]: r["title"] for r in rows}


def _prefix(material: FeedMaterial, titles: dict[int, str]) -> str:
    """On the event's entry, a session's material says which session it is from."""
    title = titles.get(material.session_id) if material.session_id is not None else None
    return f"{title}: " if title else ""


async def _events_feed(name: str, filename: str, rows: list[EventRow]) -> Feed:
    events = await events_from_rows(rows)
    stamps = {r.id: Stamp(sequence=r.sequence, created_at=r.created_at, updated_at=r.updated_at) for r in rows}
    return _feed(name, filename, [event_entry(e, stamps[e.id]) for e in events])


async def series_feed(slug: str) -> Feed:
    series = await get_series(slug)
    condition = (Event.series == series.id) & Event.status.is_in(list(PUBLIC))

    async def build() -> Feed:
        rows = await Event.select().where(condition)
        return await _events_feed(f"{series.title}", f"{series.slug}.ics", [EventRow.of(r) for r in rows])

    return await _cached(("series", slug), (series.title, *await _events_version(condition)), build)


async def all_events_feed() -> Feed:
    condition = Event.status.is_in(list(PUBLIC))

    async def build() -> Feed:
        rows = await Event.select().where(condition)
        return await _events_feed(f"{SITE_NAME}: all events", "events.ics", [EventRow.of(r) for r in rows])

    return await _cached(("all", ""), await _events_version(condition), build)


def _session_join(event: schemas.Event, session: schemas.Session, registration: Row) -> str:
    """A booked session's way in, in the delegate's own feed: its own meeting, or else the event's (online)."""
    if session.online:
        return join_url(registration["id"], session.id, base=calendar_links.site_url())
    if joins_online(event.attendance_mode, registration["attendance_mode"]):
        return join_url(registration["id"], base=calendar_links.site_url())
    return ""


# What a delegate's feed depends on, in one statement (it was five, each built through Piccolo): their
# registrations (last change, count, newest event), their bookings (last change, count), and the last change of
# the events and the booked sessions (a session moved in time or room: the feed follows).
_PERSONAL_VERSION = (
    "SELECT (SELECT MAX(r.updated_at) FROM registration r WHERE r.delegate = {}) AS registrations_last, "
    "(SELECT COUNT(*) FROM registration r WHERE r.delegate = {}) AS registrations, "
    "(SELECT MAX(r.event) FROM registration r WHERE r.delegate = {}) AS newest_event, "
    "(SELECT MAX(b.updated_at) FROM session_booking b WHERE b.registration IN "
    "(SELECT r.id FROM registration r WHERE r.delegate = {})) AS bookings_last, "
    "(SELECT COUNT(*) FROM session_booking b WHERE b.registration IN "
    "(SELECT r.id FROM registration r WHERE r.delegate = {})) AS bookings, "
    '(SELECT MAX(e.updated_at) FROM "event" e WHERE e.id IN (SELECT r.event FROM registration r '
    "WHERE r.delegate = {})) AS events_last, "
    "(SELECT MAX(s.updated_at) FROM event_session s WHERE s.id IN (SELECT b.session FROM session_booking b "
    "WHERE b.registration IN (SELECT r.id FROM registration r WHERE r.delegate = {}))) AS sessions_last"
)


async def _personal_version(delegate_id: int, materials: FeedMaterials | None) -> tuple[Any, ...]:
    """Compared only with itself (the cache's key), so its values may be text on SQLite."""
    statement = _PERSONAL_VERSION + (", " + materials.personal_version if materials else "")
    rows = await read_rows(statement, *[delegate_id] * statement.count("{}"))
    return tuple(rows[0].values())


async def personal_feed(token: str, materials: FeedMaterials | None = None) -> Feed:
    """The events a delegate is confirmed for and the sessions they hold a place in; places they gave up
    stay, cancelled, so their calendar removes them. An unknown or revoked token is a plain 404. With
    `materials`, entries carry the materials a confirmed place opens (public and registered ones, files
    through links keyed to that place), never organisers' ones."""
    delegate_id = await delegate_for_token(token)
    if delegate_id is None:
        raise not_found("calendar", "feed")
    version = await _personal_version(delegate_id, materials)

    async def build() -> Feed:
        return await _build_personal_feed(delegate_id, materials)

    return await _cached(("personal", token), version, build)


async def _build_personal_feed(delegate_id: int, source: FeedMaterials | None = None) -> Feed:
    """A booked session's entry carries that session's materials; the event's entry carries the event's own
    and those of every session without an entry here, each named by its session. Each confirmed place's
    materials (public and registered, through links keyed to it) are read in one query."""
    registrations = await Registration.select().where(
        (Registration.delegate == delegate_id) & Registration.status.is_in(["confirmed", "cancelled"])
    )
    confirmed = [(r["id"], r["event"]) for r in registrations if r["status"] == "confirmed"]
    materials: Mapping[int, Sequence[FeedMaterial]] = await source.of_places(confirmed) if source and confirmed else {}
    event_rows = (
        await Event.select().where(
            Event.id.is_in([r["event"] for r in registrations]) & Event.status.is_in(list(PUBLIC))
        )
        if registrations
        else []
    )
    events = {e.id: e for e in await events_from_rows([EventRow.of(r) for r in event_rows])}
    stamps = {r["id"]: _stamp(r) for r in event_rows}
    entries: list[ics.Entry] = []
    bookings = (
        await SessionBooking.select().where(
            SessionBooking.registration.is_in([r["id"] for r in registrations])
            & SessionBooking.status.is_in(["confirmed", "cancelled"])
        )
        if registrations
        else []
    )
    booked = {(b["registration"], b["session"]) for b in bookings if b["status"] == "confirmed"}
    titles = await _session_titles([r["event"] for r in registrations if materials.get(r["id"])])
    for registration in registrations:
        event = events.get(registration["event"])
        if event is None:
            continue
        gone = registration["status"] == "cancelled"
        found = [
            m
            for m in materials.get(registration["id"], ())
            if m.session_id is None or (registration["id"], m.session_id) not in booked
        ]
        stamp = _latest(stamps[event.id].changed_at(registration["updated_at"]), found)
        attachments = [_attachment(m, _prefix(m, titles)) for m in found]
        online = not gone and joins_online(event.attendance_mode, registration["attendance_mode"])
        link = join_url(registration["id"], base=calendar_links.site_url()) if online else ""
        entries.append(event_entry(event, stamp, withdrawn=gone, join_url=link, attachments=attachments))
    if bookings:
        by_registration = {r["id"]: r for r in registrations}
        session_stamps = await _stamps(Session, list({b["session"] for b in bookings}))
        for event_id in {by_registration[b["registration"]]["event"] for b in bookings}:
            event = events.get(event_id)
            if event is None:
                continue
            sessions = {s.id: s for s in (await get_event(event.slug, include_drafts=True)).sessions}
            for booking in bookings:
                session = sessions.get(booking["session"])
                if session is None or by_registration[booking["registration"]]["event"] != event_id:
                    continue
                gone = (
                    booking["status"] == "cancelled"
                    or by_registration[booking["registration"]]["status"] == "cancelled"
                )
                found = (
                    []
                    if gone
                    else [m for m in materials.get(booking["registration"], ()) if m.session_id == session.id]
                )
                stamp = _latest(session_stamps[session.id].changed_at(booking["updated_at"]), found)
                attachments = [_attachment(m) for m in found]
                link = "" if gone else _session_join(event, session, by_registration[booking["registration"]])
                entries.append(
                    session_entry(
                        event,
                        session,
                        stamp,
                        cancelled=gone,
                        bump=1 if gone else 0,
                        join_url=link,
                        attachments=attachments,
                    )
                )
    name = await Delegate.select(Delegate.name).where(Delegate.id == delegate_id).first()
    return _feed(f"My events ({name['name'] if name else ''})", "my-events.ics", entries, private=True)

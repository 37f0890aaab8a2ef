"""Events: the rules for creating, changing, publishing and listing them, and their tracks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal, TypeVar

from piccolo.custom_types import Combinable
from piccolo.query import Count, Select

from events_app.accounts import scopes
from events_app.accounts.errors import OutsideScope
from events_app.core.crud import changes_of, constraint_guard, not_found, require, unique_slug
from events_app.core.database import write_transaction
from events_app.core.rows import Row, Values
from events_app.core.schema import Page
from events_app.core.timezones import DEFAULT_ZONE, in_zone, to_utc, utc_now, zone
from events_app.programme import schemas
from events_app.programme.errors import (
    EventEndsBeforeStart,
    InPersonEventHasMeeting,
    OnlineEventHasVenue,
    PublishedEventNeedsPlace,
    RegistrationClosesAfterEvent,
    RegistrationClosesBeforeOpening,
    SessionsInVenueRooms,
    SessionsOutsideNewTimes,
    TrackNameTaken,
)
from events_app.programme.locking import event_by_slug, locked_event
from events_app.programme.reactions import EventCancelled, EventChanged, EventDeleting, registry
from events_app.programme.remembered import forget_event_rows
from events_app.programme.rows import PUBLIC_STATUSES, EventRow
from events_app.programme.sessions import sessions_for_event, shift_timetable
from events_app.programme.tables import Event, Series, Session, Track, Venue
from events_app.programme.venues import venues_by_id

Q = TypeVar("Q", Select[Any], Count)


@dataclass(frozen=True, slots=True)
class EventFilters:
    kind: schemas.EventKind | None = None
    series: str | None = None
    status: schemas.EventStatus | None = None
    from_date: date | None = None
    to_date: date | None = None
    when: Literal["upcoming", "past"] | None = None


def _visible(include_drafts: bool) -> Combinable | None:
    """Which events a reader sees: published ones; with drafts, also the drafts of the reader's scope; on an
    organiser's route, only the events of its scope (accounts/scopes.py)."""
    public = Event.status.is_in(list(PUBLIC_STATUSES))
    if (limited := scopes.active().event_filter()) is not None:
        return limited if include_drafts else public & limited
    if not include_drafts:
        return public
    drafts_of = scopes.for_drafts().event_filter()
    return None if drafts_of is None else public | drafts_of


def _filtered(query: Q, filters: EventFilters, include_drafts: bool) -> Q:
    conditions: list[Any] = []
    if (visible := _visible(include_drafts)) is not None:
        conditions.append(visible)
    if filters.kind:
        conditions.append(Event.kind == filters.kind)
    if filters.series:
        conditions.append(Event.series.slug == filters.series)
    if filters.status:
        conditions.append(Event.status == filters.status)
    london = zone(DEFAULT_ZONE)
    if filters.from_date:
        conditions.append(Event.ends_at >= datetime.combine(filters.from_date, time(), london))
    if filters.to_date:
        conditions.append(Event.starts_at < datetime.combine(filters.to_date + timedelta(days=1), time(), london))
    now = utc_now()
    if filters.when == "upcoming":
        conditions.append(Event.ends_at >= now)
    elif filters.when == "past":
        conditions.append(Event.ends_at < now)
    for condition in conditions:
        query = query.where(condition)
    return query


async def _address_readers(rows: list[EventRow], addresses: bool) -> set[int]:
    """The events whose meeting address this reader may see: none unless asked (public pages, feeds, emails,
    anonymous API callers); asked for an organiser, those of the events in the signed-in account's scope."""
    if not addresses:
        return set()
    condition = scopes.for_drafts().event_filter()
    ids = [r.id for r in rows]
    if condition is None or not ids:
        return set(ids)
    return {r["id"] for r in await Event.select(Event.id).where(Event.id.is_in(ids) & condition)}


async def events_from_rows(rows: list[EventRow], *, addresses: bool = False) -> list[schemas.Event]:
    """Rows of the event table as API values, with venues and series loaded in one query each. The meeting
    address (`online_url`) is left out unless `addresses` (an organiser's read): delegates reach it only through
    their own join link."""
    venues = await venues_by_id({r.venue for r in rows if r.venue is not None})
    series_ids = list({r.series for r in rows if r.series is not None})
    series = (
        {
            s["id"]: schemas.SeriesRef(id=s["id"], slug=s["slug"], title=s["title"])
            for s in await Series.select(Series.id, Series.slug, Series.title).where(Series.id.is_in(series_ids))
        }
        if series_ids
        else {}
    )
    readers = await _address_readers(rows, addresses)
    return [_event(r, venues, series, r.id in readers) for r in rows]


def _event(
    row: EventRow, venues: dict[int, schemas.Venue], series: dict[int, schemas.SeriesRef], address: bool
) -> schemas.Event:
    tz = row.timezone

    def local(value: datetime | None) -> datetime | None:
        return in_zone(value, tz) if value is not None else None

    return schemas.Event(
        id=row.id,
        slug=row.slug,
        title=row.title,
        kind=row.kind,
        status=row.status,
        summary=row.summary,
        description=row.description,
        timezone=tz,
        starts_at=in_zone(row.starts_at, tz),
        ends_at=in_zone(row.ends_at, tz),
        venue=venues.get(row.venue) if row.venue is not None else None,
        online_url=row.online_url if address else "",
        series=series.get(row.series) if row.series is not None else None,
        capacity=row.capacity,
        waitlist_enabled=row.waitlist_enabled,
        requires_approval=row.requires_approval,
        registration_opens_at=local(row.registration_opens_at),
        registration_closes_at=local(row.registration_closes_at),
        url=f"/events/{row.slug}",
        online_capacity=row.online_capacity,
        attendance_mode=attendance_mode(row),
    )


def attendance_mode(row: EventRow) -> schemas.AttendanceMode:
    if row.attendance_mode == "online":
        return "online"
    return "hybrid" if row.attendance_mode == "hybrid" else "in_person"


async def list_events(
    filters: EventFilters, *, include_drafts: bool, limit: int = 20, offset: int = 0, addresses: bool = False
) -> Page[schemas.Event]:
    query = _filtered(Event.select(), filters, include_drafts)
    order_desc = filters.when == "past"
    rows = (
        await query.order_by(Event.starts_at, ascending=not order_desc).order_by(Event.id).limit(limit).offset(offset)
    )
    total = await _filtered(Event.count(), filters, include_drafts)
    items = await events_from_rows([EventRow.of(r) for r in rows], addresses=addresses)
    return Page(items=items, total=total, limit=limit, offset=offset)


async def event_row(slug: str, *, include_drafts: bool) -> EventRow:
    if scopes.active().event_filter() is None and (not include_drafts or scopes.for_drafts().event_filter() is None):
        found = await event_by_slug(slug, public_only=not include_drafts)  # the same rule as _visible, written out
        if found is None:
            raise not_found("event", slug)
        return found
    query = Event.select().where(Event.slug == slug)
    if (visible := _visible(include_drafts)) is not None:
        query = query.where(visible)
    row = await query.first()
    if row is None:
        raise not_found("event", slug)
    return EventRow.of(row)


async def get_event(slug: str, *, include_drafts: bool, addresses: bool = False) -> schemas.EventDetail:
    return await event_detail(await event_row(slug, include_drafts=include_drafts), addresses=addresses)


async def event_of(row: EventRow, *, addresses: bool = False) -> schemas.Event:
    """One event already read, as the API shows it in lists (venue and series, no timetable)."""
    (event,) = await events_from_rows([row], addresses=addresses)
    return event


async def event_detail(
    row: EventRow, *, addresses: bool = False, include_draft_sessions: bool = False
) -> schemas.EventDetail:
    """The event page's value (venue, series, tracks, timetable) of an event already read; the meeting addresses
    (the event's and its sessions') only for an organiser's read (`addresses`); draft sessions only for the
    organisers' timetable (`include_draft_sessions`)."""
    readers = await _address_readers([row], addresses)
    (event,) = await events_from_rows([row], addresses=bool(readers))
    tracks = await list_tracks(row.id)
    sessions = await sessions_for_event(
        row, tracks, addresses=bool(readers), include_draft_sessions=include_draft_sessions
    )
    return schemas.EventDetail(
        **{f: getattr(event, f) for f in event.__struct_fields__}, tracks=tracks, sessions=sessions
    )


# Writing events -------------------------------------------------------------------------------

_TIME_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")


async def _checked(values: Values) -> Values:
    """Validate a complete set of event values (times may be naive: wall-clock in the event's zone)."""
    tz = zone(values["timezone"])
    for field in _TIME_FIELDS:
        if values.get(field) is not None:
            values[field] = to_utc(values[field], tz, field=field)
    if values["ends_at"] <= values["starts_at"]:
        raise EventEndsBeforeStart()
    opens, closes = values.get("registration_opens_at"), values.get("registration_closes_at")
    if opens and closes and closes <= opens:
        raise RegistrationClosesBeforeOpening()
    if closes and closes > values["ends_at"]:
        raise RegistrationClosesAfterEvent()
    await require(Venue, values.get("venue"), field="venue_id", what="venue")
    await require(Series, values.get("series"), field="series_id", what="series")
    if not await scopes.active().allows_series_id(values.get("series")):
        raise OutsideScope()
    _check_attendance(values)
    return values


def _check_attendance(values: Values) -> None:
    """How the event is attended, and where: an in-person event has no meeting address, an online one no venue;
    a published in-person or hybrid event needs its venue. An online event may be published before its meeting
    address is known: the organisers' page says it still needs one, and join links say it is not ready yet."""
    mode = values.get("attendance_mode") or "in_person"
    if mode == "in_person" and values.get("online_url"):
        raise InPersonEventHasMeeting()
    if mode == "online" and values.get("venue"):
        raise OnlineEventHasVenue()
    if values["status"] == "published" and mode != "online" and not values.get("venue"):
        raise PublishedEventNeedsPlace()


def _inferred_mode(values: Values, given: bool, placed: bool = True) -> Values:
    """Where a change of place does not say how the event is attended (API clients written before modes), the
    mode follows the place as it used to: a meeting address makes it online, or hybrid with a venue; a venue
    without one makes it in person. A change that leaves the place alone keeps the mode."""
    mode = values.get("attendance_mode") or "in_person"
    if not given and placed:
        if values.get("online_url"):
            mode = "hybrid" if values.get("venue") else "online"
        elif values.get("venue"):
            mode = "in_person"
    values["attendance_mode"] = mode
    return values


def _renamed(changes: Values) -> Values:
    if "venue_id" in changes:
        changes["venue"] = changes.pop("venue_id")
    if "series_id" in changes:
        changes["series"] = changes.pop("series_id")
    return changes


def _status_stamps(values: Values, previous: schemas.EventStatus | None) -> None:
    now = utc_now()
    if values["status"] == "published" and previous != "published" and not values.get("published_at"):
        values["published_at"] = now
    if values["status"] == "cancelled" and previous != "cancelled":
        values["cancelled_at"] = now


async def create_event(data: schemas.EventCreate) -> schemas.EventDetail:
    values = _renamed(changes_of(data))
    values = await _checked(_inferred_mode(values, values.get("attendance_mode") is not None))
    values["slug"] = await unique_slug(Event, data.title, explicit=data.slug)
    _status_stamps(values, None)
    row = Event(**values)
    await constraint_guard(row.save(), field="slug", unique_message=f"The slug '{values['slug']}' is already used")
    await forget_event_rows()
    return await get_event(values["slug"], include_drafts=True, addresses=True)


async def update_event(slug: str, data: schemas.EventUpdate) -> schemas.EventDetail:
    async with write_transaction():
        current = await locked_event(slug=slug)
        changes = _renamed(changes_of(data))
        if "slug" in changes:
            changes["slug"] = await unique_slug(Event, "", explicit=changes["slug"], exclude_id=current.id)
        before = current.as_values()
        placed = "venue" in changes or "online_url" in changes
        values = await _checked(_inferred_mode({**before, **changes}, "attendance_mode" in changes, placed))
        shift = _shift_of(current, values)
        if shift:
            await shift_timetable(current, shift)
        else:
            await _sessions_still_fit(current, EventRow.of(values))
        _status_stamps(values, current.status)
        moved = any(
            values[f] != before[f] for f in ("starts_at", "ends_at", "venue", "online_url", "attendance_mode", "status")
        )
        values["sequence"] = current.sequence + 1 if moved else current.sequence
        values["updated_at"] = utc_now()
        values.pop("id")
        await constraint_guard(
            Event.update(values).where(Event.id == current.id).run(),
            field="slug",
            unique_message="That slug is already used",
        )
        after = EventRow.of({**values, "id": current.id})
        cancelled = after.status == "cancelled" and current.status != "cancelled"
        await registry.announce(EventCancelled(current, after) if cancelled else EventChanged(current, after))
    await forget_event_rows()  # after the commit: the doors of every process see the change at once
    return await get_event(values["slug"], include_drafts=True, addresses=True)


def _shift_of(current: EventRow, values: Values) -> timedelta | None:
    """How far an event moves when its start and end move by the same amount (its length kept): its timetable
    goes with it. Any other change of times (longer, shorter) leaves the sessions where they are."""
    shift = values["starts_at"] - current.starts_at
    return shift if shift and values["ends_at"] - current.ends_at == shift else None


async def _sessions_still_fit(current: EventRow, new: EventRow) -> None:
    event_id = current.id
    outside = await Session.count().where(
        (Session.event == event_id) & ((Session.starts_at < new.starts_at) | (Session.ends_at > new.ends_at))
    )
    if outside:
        field = "starts_at" if new.starts_at > current.starts_at else "ends_at"
        raise SessionsOutsideNewTimes(count=outside, field=field)
    if new.venue != current.venue:
        in_rooms = await Session.count().where((Session.event == event_id) & Session.room.is_not_null())
        if in_rooms:
            raise SessionsInVenueRooms(count=in_rooms)


async def delete_event(slug: str) -> None:
    """The event and (by cascade) its sessions and what hangs on them; what other domains keep outside the
    database for them (materials' stored files) goes once the deletion has committed."""
    current = await event_row(slug, include_drafts=True)
    deleting = EventDeleting(event=current)
    async with write_transaction():
        await registry.announce(deleting)
        await constraint_guard(
            Event.delete().where(Event.id == current.id).run(),
            field="slug",
            unique_message="",
            in_use_message="People have registered for this event: cancel it instead of deleting it",
        )
    await forget_event_rows()
    await deleting.committed()


# Tracks -----------------------------------------------------------------------------------------


def _track(row: Row) -> schemas.Track:
    return schemas.Track(id=row["id"], name=row["name"], description=row["description"], position=row["position"])


async def list_tracks(event_id: int) -> list[schemas.Track]:
    rows = await Track.select().where(Track.event == event_id).order_by(Track.position).order_by(Track.id)
    return [_track(r) for r in rows]


async def _track_row(track_id: int) -> Row:
    query = scopes.where(Track.select(), scopes.active().owns(Track.event))
    row: Row | None = await query.where(Track.id == track_id).first()
    if row is None:
        raise not_found("track", track_id)
    return row


async def _track_name_free(event_id: int, name: str, exclude_id: int | None = None) -> None:
    query = Track.exists().where((Track.event == event_id) & (Track.name == name))
    if exclude_id is not None:
        query = query.where(Track.id != exclude_id)
    if await query:
        raise TrackNameTaken(name=name)


async def add_track(event_slug: str, data: schemas.TrackCreate) -> schemas.Track:
    event = await event_row(event_slug, include_drafts=True)
    await _track_name_free(event.id, data.name)
    track = Track(event=event.id, name=data.name, description=data.description, position=data.position)
    await track.save()
    return _track(await _track_row(track.id))


async def update_track(track_id: int, data: schemas.TrackUpdate) -> schemas.Track:
    row = await _track_row(track_id)
    changes = changes_of(data)
    if "name" in changes:
        await _track_name_free(row["event"], changes["name"], exclude_id=track_id)
    if changes:
        await Track.update(changes).where(Track.id == track_id)
    return _track(await _track_row(track_id))


async def delete_track(track_id: int) -> None:
    await _track_row(track_id)
    await Track.delete().where(Track.id == track_id)

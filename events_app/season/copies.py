"""An event copied to a new first day: its own row (every per-event setting column, whoever added it), tracks,
sessions with their rooms and speakers in order, registration questions and feedback form. Never its
registrations, check-ins or answers. The copy is a draft with its own slug.

Times move on the wall clock in the event's zone: a session at 09:30 stays at 09:30 local, whichever clock
change lies between the two dates (the shift is whole days of the calendar, not 24-hour periods)."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from piccolo.columns import Timestamptz
from piccolo.table import Table

from events_app.core.crud import constraint_guard, not_found, unique_slug
from events_app.core.database import write_transaction
from events_app.core.rows import Row, Values
from events_app.core.timezones import in_zone, to_utc, utc_now, zone
from events_app.feedback.tables import FeedbackForm, FeedbackQuestion
from events_app.programme import schemas
from events_app.programme.errors import CapacityOverRoom, RoomClash
from events_app.programme.events import get_event
from events_app.programme.tables import Event, Room, Session, SessionSpeaker, Track
from events_app.registration.tables import EventQuestion
from events_app.season.errors import DayOutOfRange
from events_app.season.schemas import CopyRequest

# Columns of the event row a copy makes afresh; every other column (settings other areas add included) is copied.
FRESH_EVENT_COLUMNS = frozenset(
    {"id", "slug", "status", "sequence", "created_at", "updated_at", "published_at", "cancelled_at"}
)
_YEAR = re.compile(r"\b(19|20)\d{2}\b")


@dataclass(frozen=True, slots=True)
class Target:
    """Where a copy goes: its first day (in the event's zone), title, slug (None: made from the title and day),
    series and venue (the source's unless a run says otherwise)."""

    day: date
    title: str
    slug: str | None
    series: int | None
    venue: int | None
    slug_base: str = ""  # the words a slug is made from when none is given (the title, if empty)


@dataclass(frozen=True, slots=True)
class Made:
    id: int
    slug: str


@dataclass(frozen=True, slots=True)
class WallClockShift:
    """Moves a stored (UTC) time by whole days of the calendar in `tz`, keeping its wall-clock time."""

    tz: ZoneInfo
    days: int

    def __call__(self, moment: datetime | None) -> datetime | None:
        return None if moment is None else self.moved(moment)

    def moved(self, moment: datetime) -> datetime:
        local = in_zone(moment, self.tz.key).replace(tzinfo=None) + timedelta(days=self.days)
        return to_utc(local, self.tz, field="date")


FIRST_YEAR, LAST_YEAR = 1970, 2200


def checked_day(day: date, field: str) -> date:
    """A day a copy may start on: far-off years (a typing slip, or 9999 from a script) are refused, not overflowed."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise DayOutOfRange(day=day.isoformat(), field=field)
    return day


def first_day(source: Row) -> date:
    return in_zone(source["starts_at"], source["timezone"]).date()


def shift_to(source: Row, day: date) -> WallClockShift:
    return WallClockShift(zone(source["timezone"]), (day - first_day(source)).days)


def next_year_title(title: str, days: int) -> str:
    """A title naming a year names the copy's year ("National Conference 2027" a year on: "... 2028")."""
    years = round(days / 365.25)
    if not years:
        return title
    return _YEAR.sub(lambda m: str(int(m.group(0)) + years), title)


def default_day(source: Row) -> date:
    """Next year's day: 52 weeks on, the same day of the week (a Tuesday conference stays on a Tuesday)."""
    return first_day(source) + timedelta(weeks=52)


async def source_event(slug: str) -> Row:
    """The event's whole row (every column, those other areas add too), drafts included."""
    row = await Event.select().where(Event.slug == slug).first()
    if row is None:
        raise not_found("event", slug)
    return row


def _copied(row: Row, leave_out: set[str]) -> Values:
    return {k: v for k, v in row.items() if k not in leave_out}


def _time_columns(table: type[Table]) -> list[str]:
    return [c._meta.name for c in table._meta.columns if isinstance(c, Timestamptz)]


async def _insert(table: type[Table], values: Values) -> int:
    inserted = await table.insert(table(**values)).returning(table._meta.primary_key)
    return int(inserted[0]["id"])


async def _event_row(source: Row, target: Target, shift: WallClockShift) -> Made:
    values = _copied(source, set(FRESH_EVENT_COLUMNS))
    for name in _time_columns(Event):
        if name in values:
            values[name] = shift(values[name])
    slug = await unique_slug(Event, target.slug_base or target.title, explicit=target.slug)
    now = utc_now()
    values.update(
        slug=slug,
        title=target.title,
        series=target.series,
        venue=target.venue,
        status="draft",
        sequence=0,
        created_at=now,
        updated_at=now,
        published_at=None,
        cancelled_at=None,
    )
    if values.get("attendance_mode") == "online" and target.venue is not None:
        values["attendance_mode"] = "hybrid"  # an online event copied to a venue: people may come, or join online
    new_id = await constraint_guard(
        _insert(Event, values), field="slug", unique_message=f"The slug '{slug}' is already used; choose another"
    )
    return Made(new_id, slug)


async def _tracks(source_id: int, new_id: int) -> dict[int, int]:
    mapping: dict[int, int] = {}
    for row in await Track.select().where(Track.event == source_id).order_by(Track.id):
        mapping[row["id"]] = await _insert(Track, {**_copied(row, {"id"}), "event": new_id})
    return mapping


async def _rooms(source_venue: int | None, venue: int | None) -> dict[int, int]:
    """Old room -> new room: the same rooms at the same venue; at another venue, its rooms of the same name."""
    if source_venue is None:
        return {}
    old = {r["id"]: r["name"] for r in await Room.select(Room.id, Room.name).where(Room.venue == source_venue)}
    if venue == source_venue:
        return {room_id: room_id for room_id in old}
    if venue is None:
        return {}
    new = {r["name"]: r["id"] for r in await Room.select(Room.id, Room.name).where(Room.venue == venue)}
    return {room_id: new[name] for room_id, name in old.items() if name in new}


async def _room_fits(room: int, capacity: int | None) -> None:
    """A workshop's places fit the room it goes into (a room of the same name at another venue may be smaller)."""
    if not capacity:
        return
    found = await Room.select(Room.name, Room.capacity).where(Room.id == room).first()
    if found is not None and found["capacity"] and capacity > found["capacity"]:
        raise CapacityOverRoom(room=found["name"], capacity=found["capacity"], field="venue_id")


async def _room_free(room: int, starts: datetime, ends: datetime, tz: str) -> None:
    other = await (
        Session.select(Session.title, Session.starts_at, Session.ends_at, Session.room.name.as_alias("room"))
        .where(
            (Session.room == room)
            & (Session.status == "scheduled")
            & (Session.starts_at < ends)
            & (Session.ends_at > starts)
        )
        .first()
    )
    if other is not None:

        def hm(moment: datetime) -> str:
            return in_zone(moment, tz).strftime("%H:%M")

        raise RoomClash(
            room=other["room"],
            title=other["title"],
            starts=f"{in_zone(other['starts_at'], tz):%d %b %Y} {hm(other['starts_at'])}",
            ends=hm(other["ends_at"]),
            field="date",
        )


async def _sessions(
    source: Row, new_id: int, shift: WallClockShift, tracks: dict[int, int], rooms: dict[int, int]
) -> None:
    """Every session but cancelled ones, shifted, in the copy's rooms and tracks, each with its speakers in order."""
    rows = (
        await Session.select()
        .where((Session.event == source["id"]) & (Session.status != "cancelled"))
        .order_by(Session.starts_at)
        .order_by(Session.id)
    )
    speakers_of: dict[int, list[Row]] = {}
    if rows:  # every session's speakers in one query, in order, not one query per session
        for speaker in (
            await SessionSpeaker.select()
            .where(SessionSpeaker.session.is_in([r["id"] for r in rows]))
            .order_by(SessionSpeaker.position)
            .order_by(SessionSpeaker.id)
        ):
            speakers_of.setdefault(speaker["session"], []).append(speaker)
    now = utc_now()
    for row in rows:
        values = _copied(row, {"id"})
        for name in _time_columns(Session):
            if name in values:
                values[name] = shift(values[name])
        room = rooms.get(row["room"]) if row["room"] is not None else None
        if room is not None:
            await _room_fits(room, row["capacity"])
            await _room_free(room, values["starts_at"], values["ends_at"], source["timezone"])
        values.update(
            event=new_id,
            room=room,
            track=tracks.get(row["track"]) if row["track"] is not None else None,
            sequence=0,
            created_at=now,
            updated_at=now,
        )
        session_id = await _insert(Session, values)
        if speakers := speakers_of.get(row["id"]):
            await SessionSpeaker.insert(
                *[SessionSpeaker(**{**_copied(s, {"id"}), "session": session_id}) for s in speakers]
            )


def _still_asked(row: Row) -> bool:
    """A question retired from its form (it has answers, so it stays for the results) is not asked again."""
    return row.get("retired_at") is None


async def _questions(source_id: int, new_id: int) -> None:
    rows = (
        await EventQuestion.select()
        .where(EventQuestion.event == source_id)
        .order_by(EventQuestion.position)
        .order_by(EventQuestion.id)
    )
    copies = [EventQuestion(**{**_copied(r, {"id"}), "event": new_id}) for r in rows if _still_asked(r)]
    if copies:
        await EventQuestion.insert(*copies)


async def _feedback_form(source_id: int, new_id: int, shift: WallClockShift) -> None:
    """The form with its questions and a new open link; its opening and closing move with the event."""
    form = await FeedbackForm.select().where(FeedbackForm.event == source_id).first()
    if form is None:
        return
    values = _copied(form, {"id"})
    for name in _time_columns(FeedbackForm):
        if name in values:
            values[name] = shift(values[name])
    now = utc_now()
    values.update(event=new_id, open_token=secrets.token_urlsafe(16), created_at=now, updated_at=now)
    form_id = await _insert(FeedbackForm, values)
    rows = (
        await FeedbackQuestion.select()
        .where(FeedbackQuestion.form == form["id"])
        .order_by(FeedbackQuestion.position)
        .order_by(FeedbackQuestion.id)
    )
    copies = [FeedbackQuestion(**{**_copied(r, {"id"}), "form": form_id}) for r in rows if _still_asked(r)]
    if copies:
        await FeedbackQuestion.insert(*copies)


async def copy_into(source: Row, target: Target) -> Made:
    """One copy, in the caller's write transaction (a run makes all its copies in one)."""
    shift = shift_to(source, target.day)
    made = await _event_row(source, target, shift)
    tracks = await _tracks(source["id"], made.id)
    rooms = await _rooms(source["venue"], target.venue)
    await _sessions(source, made.id, shift, tracks, rooms)
    await _questions(source["id"], made.id)
    await _feedback_form(source["id"], made.id, shift)
    return made


def target_of(source: Row, request: CopyRequest) -> Target:
    checked_day(request.date, "date")
    days = (request.date - first_day(source)).days
    title = request.title or next_year_title(source["title"], days)
    return Target(
        day=request.date,
        title=title,
        slug=request.slug,
        series=source["series"],
        venue=source["venue"],
        # A title that names its year makes a slug of its own; else the day tells the copy from the source.
        slug_base=title if title != source["title"] else f"{title} {request.date:%Y-%m-%d}",
    )


async def copy_event(slug: str, request: CopyRequest) -> schemas.EventDetail:
    """The event copied to `request.date` as a new draft: the copy as the API shows it to its organisers (with its
    meeting addresses, as creating an event answers)."""
    async with write_transaction():
        source = await source_event(slug)
        made = await copy_into(source, target_of(source, request))
    return await get_event(made.slug, include_drafts=True, addresses=True)


async def copy_contents(source: Row) -> list[str]:
    """What a copy of this event takes with it, counted, for the page to say before anything is made."""
    event_id = source["id"]
    sessions = await Session.count().where((Session.event == event_id) & (Session.status != "cancelled"))
    tracks = await Track.count().where(Track.event == event_id)
    questions = [r for r in await EventQuestion.select().where(EventQuestion.event == event_id) if _still_asked(r)]
    form = await FeedbackForm.select(FeedbackForm.id).where(FeedbackForm.event == event_id).first()
    feedback = (
        [r for r in await FeedbackQuestion.select().where(FeedbackQuestion.form == form["id"]) if _still_asked(r)]
        if form
        else None
    )

    def counted(n: int, one: str, many: str) -> str:
        return f"{n} {one if n == 1 else many}"

    found = [
        counted(sessions, "session", "sessions") + " with their rooms, tracks and speakers in order",
        counted(tracks, "track", "tracks"),
        counted(len(questions), "registration question", "registration questions"),
    ]
    if feedback is not None:
        found.append("the feedback form with " + counted(len(feedback), "question", "questions"))
    return found

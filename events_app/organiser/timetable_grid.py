"""The organiser's timetable laid out as a table: a column for each room (or track), a row for each moment a
session starts or ends, each session one cell spanning the rows it lasts. A table with rowspans needs no inline
styles (the CSP blocks them) and reads in order with a screen reader; sessions that overlap in one column (no room
given, or a cancelled one under its replacement) get a lane of their own, so nothing is hidden."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from events_app.programme import schemas

NO_ROOM = "No room"
NO_TRACK = "No track"
Column = tuple[int | None, str]  # a room's or track's id (None: sessions without one) and its heading


@dataclass(frozen=True, slots=True)
class Cell:
    """A session's cell (spanning `rows`), or an empty slot when `session` is None."""

    session: schemas.Session | None
    rows: int = 1


@dataclass(frozen=True, slots=True)
class GridRow:
    starts_at: datetime
    new_day: bool  # the first row of a day: its header names the day
    cells: list[Cell | None]  # None: covered by a session from a row above


@dataclass(frozen=True, slots=True)
class Grid:
    by: str  # "room", "track" or "" (one column)
    columns: list[str]
    rows: list[GridRow]
    multi_day: bool


@dataclass(slots=True)
class _Lane:
    label: str
    sessions: list[schemas.Session] = field(default_factory=list)

    def free_from(self, moment: datetime) -> bool:
        return not self.sessions or self.sessions[-1].ends_at <= moment


def _columns(
    sessions: list[schemas.Session], rooms: list[schemas.Room], tracks: list[schemas.Track]
) -> tuple[str, list[Column]]:
    """How the columns go across, as (key, label) pairs: the venue's rooms, else the event's tracks."""
    if rooms or any(s.room for s in sessions):
        extra: dict[int | None, str] = {
            s.room.id: s.room.name for s in sessions if s.room and s.room.id not in {r.id for r in rooms}
        }
        columns: list[Column] = [(room.id, room.name) for room in rooms] + list(extra.items())
        if any(s.room is None for s in sessions):
            columns.append((None, NO_ROOM))
        return "room", columns
    if tracks:
        columns = [(track.id, track.name) for track in sorted(tracks, key=lambda t: (t.position, t.id))]
        if any(s.track is None for s in sessions):
            columns.append((None, NO_TRACK))
        return "track", columns
    return "", [(None, "Sessions")]


def _key(session: schemas.Session, by: str) -> int | None:
    if by == "room":
        return session.room.id if session.room else None
    if by == "track":
        return session.track.id if session.track else None
    return None


def build(detail: schemas.EventDetail, rooms: list[schemas.Room]) -> Grid:
    """The grid of an event's timetable (sessions in the event's zone, as `detail` holds them)."""
    sessions = sorted(detail.sessions, key=lambda s: (s.starts_at, s.ends_at, s.id))
    by, columns = _columns(sessions, rooms, detail.tracks)
    lanes: list[_Lane] = []
    for key, label in columns:
        own: list[_Lane] = [_Lane(label)]
        for session in (s for s in sessions if _key(s, by) == key):
            lane = next((lane for lane in own if lane.free_from(session.starts_at)), None)
            if lane is None:
                lane = _Lane(f"{label} (overlapping)")
                own.append(lane)
            lane.sessions.append(session)
        lanes += own
    moments = sorted({s.starts_at for s in sessions} | {s.ends_at for s in sessions})
    index = {moment: i for i, moment in enumerate(moments)}
    rows = [
        GridRow(
            starts_at=moment,
            new_day=i == 0 or moments[i - 1].date() != moment.date(),
            cells=[Cell(None)] * len(lanes),
        )
        for i, moment in enumerate(moments[:-1])
    ]
    for column, lane in enumerate(lanes):
        for session in lane.sessions:
            first, last = index[session.starts_at], index[session.ends_at]
            rows[first].cells[column] = Cell(session, rows=last - first)
            for covered in rows[first + 1 : last]:
                covered.cells[column] = None
    days = {s.starts_at.date() for s in sessions} | {detail.starts_at.date(), detail.ends_at.date()}
    return Grid(by=by, columns=[lane.label for lane in lanes], rows=rows, multi_day=len(days) > 1)

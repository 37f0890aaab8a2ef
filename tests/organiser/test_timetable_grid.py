"""The timetable grid's layout, from plain values: columns, rows per moment, cells spanning what they last, and
sessions that overlap in one column given a lane of their own rather than hidden."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from events_app.organiser.timetable_grid import Cell, build
from events_app.programme import schemas

LONDON = ZoneInfo("Europe/London")
NINE = datetime(2030, 6, 12, 9, 0, tzinfo=LONDON)
ROOM_A = schemas.Room(id=1, name="Room A", capacity=50, accessibility="")
ROOM_B = schemas.Room(id=2, name="Room B", capacity=20, accessibility="")


def _session(id: int, start: float, hours: float, room: schemas.Room | None = None, **more: object) -> schemas.Session:
    starts = NINE + timedelta(hours=start)
    values: dict[str, object] = {
        "id": id,
        "event": "conference",
        "title": f"Session {id}",
        "kind": "talk",
        "status": "scheduled",
        "description": "",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=hours),
        "room": schemas.RoomRef(id=room.id, name=room.name) if room else None,
        "track": None,
        "capacity": None,
        "speakers": [],
        **more,
    }
    return schemas.Session(**values)  # type: ignore[arg-type]


def _detail(sessions: list[schemas.Session], tracks: list[schemas.Track] | None = None) -> schemas.EventDetail:
    return schemas.EventDetail(
        id=1,
        slug="conference",
        title="Conference",
        kind="conference",
        status="draft",
        summary="",
        description="",
        timezone="Europe/London",
        starts_at=NINE,
        ends_at=NINE + timedelta(hours=8),
        venue=None,
        online_url="",
        series=None,
        capacity=None,
        waitlist_enabled=True,
        requires_approval=False,
        registration_opens_at=None,
        registration_closes_at=None,
        url="/events/conference",
        online_capacity=None,
        tracks=tracks or [],
        sessions=sessions,
    )


def _titles(cells: list[Cell | None]) -> list[str | None]:
    return [None if c is None else (c.session.title if c.session else "") for c in cells]


def test_rooms_across_rows_per_moment_and_cells_spanning_their_rows() -> None:
    grid = build(_detail([_session(1, 0, 2, ROOM_A), _session(2, 1, 1, ROOM_B), _session(3, 2, 0.5)]), [ROOM_A, ROOM_B])
    assert (grid.by, grid.columns) == ("room", ["Room A", "Room B", "No room"])
    assert [r.starts_at.hour for r in grid.rows] == [9, 10, 11]
    assert [_titles(r.cells) for r in grid.rows] == [
        ["Session 1", "", ""],
        [None, "Session 2", ""],  # Room A is still taken by session 1
        ["", "", "Session 3"],
    ]
    assert grid.rows[0].cells[0] == Cell(grid.rows[0].cells[0].session, rows=2)  # type: ignore[union-attr]
    assert not grid.multi_day


def test_sessions_overlapping_in_one_column_get_a_lane_each() -> None:
    cancelled = _session(1, 0, 1, ROOM_A, status="cancelled")
    grid = build(_detail([cancelled, _session(2, 0, 1, ROOM_A), _session(3, 0.5, 1)]), [ROOM_A])
    assert grid.columns == ["Room A", "Room A (overlapping)", "No room"]
    assert _titles(grid.rows[0].cells) == ["Session 1", "Session 2", ""]
    assert _titles(grid.rows[1].cells) == [None, None, "Session 3"]


def test_tracks_across_when_there_are_no_rooms_and_one_column_without_either() -> None:
    track = schemas.Track(id=7, name="Schools", description="", position=0)
    in_track = _session(1, 0, 1, track=track)
    grid = build(_detail([in_track, _session(2, 0, 1)], tracks=[track]), [])
    assert (grid.by, grid.columns) == ("track", ["Schools", "No track"])
    plain = build(_detail([_session(1, 0, 1)]), [])
    assert (plain.by, plain.columns) == ("", ["Sessions"])
    assert build(_detail([]), []).rows == []

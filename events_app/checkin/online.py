"""Online attendance: a registered delegate joined an online or hybrid event, or a session with a join link of its
own, through their /join/{token} link or as a meeting platform's attendance export says. One row per registration
and event or session: the first join time is kept, later joins are counted and move the last join time."""

from __future__ import annotations

from datetime import datetime

from events_app.checkin.tables import OnlineAttendance

OnlineSource = str  # "link" (the delegate's own join link) or "import" (a platform's attendance export)


def attendance_key(registration_id: int, session_id: int | None) -> str:
    return f"{registration_id}:{session_id or 0}"


async def record_online_attendance(
    *,
    event_id: int,
    registration_id: int,
    session_id: int | None,
    at: datetime,
    source: OnlineSource,
    minutes: int | None = None,
    by: int | None = None,
) -> bool:
    """Record that a delegate joined at `at`; True when this is their first join of that event or session. Safe
    under concurrency: one statement inserts or counts (ON CONFLICT on the key, the same on both engines)."""
    key = attendance_key(registration_id, session_id)
    rows = await OnlineAttendance.raw(
        'INSERT INTO online_attendance ("key", event, registration, session, first_joined_at, last_joined_at, '
        'joins, source, minutes, "by") VALUES ({}, {}, {}, {}, {}, {}, 1, {}, {}, {}) '
        'ON CONFLICT ("key") DO UPDATE SET joins = online_attendance.joins + 1, '
        "first_joined_at = CASE WHEN excluded.first_joined_at < online_attendance.first_joined_at "
        "THEN excluded.first_joined_at ELSE online_attendance.first_joined_at END, "
        "last_joined_at = CASE WHEN excluded.last_joined_at > online_attendance.last_joined_at "
        "THEN excluded.last_joined_at ELSE online_attendance.last_joined_at END, "
        "minutes = COALESCE(excluded.minutes, online_attendance.minutes) "
        "RETURNING joins",
        key,
        event_id,
        registration_id,
        session_id,
        at,
        at,
        source,
        minutes,
        by,
    )
    return bool(rows) and int(rows[0]["joins"]) == 1

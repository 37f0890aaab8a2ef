"""Refused scans on record: every scan the door did not let through is kept with who made it, when, at which door
and why (pretix records refused scans too: the door's whole story), for the attendance page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from events_app.checkin.schemas import CheckInMethod, Direction, ScanCode, ScanResult
from events_app.checkin.tables import RefusedScan
from events_app.core.database import write_transaction
from events_app.core.timezones import utc_now
from events_app.programme.tables import Session

# The answers that let someone through; every other scan is kept as a refused scan (RefusedScan).
LET_THROUGH: frozenset[ScanCode] = frozenset({"checked_in", "back_in", "checked_out"})
ENTRANCE = "Event entrance"
# Why a scan was refused, in the words of the attendance page.
REASONS: dict[str, str] = {  # by the answer's code (ScanCode), and OFFLINE + code
    "invalid": "Not a valid ticket",
    "other_event": "A ticket for another event",
    "not_confirmed": "No confirmed place",
    "not_booked": "Wrong door: no place in the session",
    "too_early": "Before the event's days",
    "event_over": "After the event's days",
    "already_checked_in": "Already checked in",
    "already_checked_out": "Already checked out",
    "not_checked_in": "Going out without a check-in",
    "no_check_out": "Exit scan while check-out is off",
}
# A scan the scanner refused with no network, kept as what the door saw then (the offline list's judgement).
OFFLINE = "offline_"
REASONS |= {
    OFFLINE + "invalid": "Refused offline: not a valid ticket",
    OFFLINE + "other_event": "Refused offline: a ticket for another event",
    OFFLINE + "not_confirmed": "Refused offline: no confirmed place on the offline list",
    OFFLINE + "too_early": "Refused offline: before the event's days",
    OFFLINE + "event_over": "Refused offline: after the event's days",
    OFFLINE + "already_checked_in": "Refused offline: already checked in",
}


# Written out: a re-scan or a forged code is refused at the door's pace, and building this insert through Piccolo
# cost about a millisecond of CPU each time (issue 20's profile). A scan synced twice is kept once (client_id).
_KEEP = (
    "INSERT INTO refused_scan (event, registration, session, door, reason, at, by, method, client_id) "
    "VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}) ON CONFLICT DO NOTHING"
)


@dataclass(frozen=True, slots=True)
class Refusal:
    """Where and by whom a scan was made, to keep it if the door refuses it."""

    event_id: int
    session_id: int | None
    staff_id: int | None
    at: datetime | None
    method: CheckInMethod
    client_id: str | None
    direction: Direction


async def keep(answer: ScanResult, refusal: Refusal, *, reason: str | None = None) -> ScanResult:
    """Keep a scan the door refused (with who, when, which door and why: `reason`, else the answer's code); a
    scan synced twice is kept once."""
    if answer.result in LET_THROUGH:
        return answer
    door, session_id = ENTRANCE, refusal.session_id
    if session_id is not None:
        session = await Session.select(Session.title, Session.event).where(Session.id == session_id).first()
        if session is None or session["event"] != refusal.event_id:
            door, session_id = "Unknown door", None
        else:
            door = session["title"]
    now = utc_now()
    async with write_transaction():
        await RefusedScan.raw(
            _KEEP,
            refusal.event_id,
            answer.registration_id,
            session_id,
            (door + ", way out" if refusal.direction == "out" else door)[:200],
            reason or answer.result,
            min(refusal.at or now, now),
            refusal.staff_id,
            refusal.method,
            refusal.client_id,
        )
    return answer

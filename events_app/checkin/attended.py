"""Who attended: the one rule that the attendance page and its CSV, feedback requests and response rates, the
collaboration view, certificates and the impact report all read.

A registration attended an event
- in person when it has a check-in at the event's door that was not undone;
- online when it has a record of joining the event online (its own join link, or a platform's attendance export),
  for the event as a whole or for one of its sessions with a join link of its own;
- either way when one or both is true: a person who did both counts once.
A session is attended in person by a check-in at the session's door, online by a join recorded for that session.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from events_app.checkin.tables import CheckIn, OnlineAttendance

Events = int | Collection[int] | Any  # one event id, several, or a subquery of event ids (Event.select(Event.id))


@dataclass(frozen=True, slots=True)
class OnlineJoin:
    """A registration's online attendance: first join, how many joins, and how it was recorded."""

    first_joined_at: datetime
    last_joined_at: datetime
    joins: int
    source: str  # link, import
    minutes: int | None


@dataclass(frozen=True, slots=True)
class Attended:
    """Who attended an event (or a session), by registration id: in person (when checked in), online (how they
    joined) and either way."""

    in_person: dict[int, datetime]
    online: dict[int, OnlineJoin]

    @property
    def either(self) -> set[int]:
        return set(self.in_person) | set(self.online)

    @property
    def both(self) -> set[int]:
        return set(self.in_person) & set(self.online)


def _events(column: Any, events: Events) -> Any:
    if isinstance(events, int):
        return column == events
    if isinstance(events, Collection):
        return column.is_in(list(events) or [0])
    return column.is_in(events)


async def who_attended(events: Events, session_id: int | None = None) -> Attended:
    """Who attended these events (their doors, and online anywhere in them), or one session of theirs."""
    door = CheckIn.session == session_id if session_id is not None else CheckIn.session.is_null()
    checked = await CheckIn.select(CheckIn.registration, CheckIn.at).where(
        _events(CheckIn.event, events) & door & CheckIn.undone_at.is_null()
    )
    in_person: dict[int, datetime] = {}
    for row in checked:
        at = in_person.get(row["registration"])
        in_person[row["registration"]] = row["at"] if at is None else min(at, row["at"])
    where = _events(OnlineAttendance.event, events)
    if session_id is not None:
        where &= OnlineAttendance.session == session_id
    joined = await OnlineAttendance.select(
        OnlineAttendance.registration,
        OnlineAttendance.first_joined_at,
        OnlineAttendance.last_joined_at,
        OnlineAttendance.joins,
        OnlineAttendance.source,
        OnlineAttendance.minutes,
    ).where(where)
    online: dict[int, OnlineJoin] = {}
    for row in joined:  # the event itself and its sessions, for the event: one line per registration
        seen = online.get(row["registration"])
        join = OnlineJoin(row["first_joined_at"], row["last_joined_at"], row["joins"], row["source"], row["minutes"])
        if seen is not None:
            join = OnlineJoin(
                min(seen.first_joined_at, join.first_joined_at),
                max(seen.last_joined_at, join.last_joined_at),
                seen.joins + join.joins,
                seen.source if seen.source == join.source else "link and import",
                None if seen.minutes is None and join.minutes is None else (seen.minutes or 0) + (join.minutes or 0),
            )
        online[row["registration"]] = join
    return Attended(in_person=in_person, online=online)


async def joined_online_by_event(event_ids: Collection[int]) -> dict[int, int]:
    """How many registrations attended each of these events online (the event itself or any of its sessions), by
    the rule above, in one query whatever the number of events: the organisers' start page shows it beside the
    door's check-ins."""
    if not event_ids:
        return {}
    rows = (
        await OnlineAttendance.select(OnlineAttendance.event, OnlineAttendance.registration)
        .where(OnlineAttendance.event.is_in(list(event_ids)))
        .distinct()
    )
    people: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        people[int(row["event"])].add(int(row["registration"]))
    return {event_id: len(people.get(event_id, ())) for event_id in event_ids}


async def attended_ids(registration_ids: Collection[int]) -> set[int]:
    """Those of the registrations whose person attended anything of their event, in person (a check-in at the
    event's door or a session's, not undone) or online, in one query each (for a page listing several)."""
    if not registration_ids:
        return set()
    ids = list(registration_ids)
    checked = await CheckIn.select(CheckIn.registration).where(
        CheckIn.registration.is_in(ids) & CheckIn.undone_at.is_null()
    )
    joined = await OnlineAttendance.select(OnlineAttendance.registration).where(
        OnlineAttendance.registration.is_in(ids)
    )
    return {row["registration"] for row in [*checked, *joined]}


async def present_at_sessions(events: Events) -> dict[int, set[int]]:
    """Session id -> the registrations present at it: checked in at its door (not undone) or joined it online."""
    door = await CheckIn.select(CheckIn.session, CheckIn.registration).where(
        _events(CheckIn.event, events) & CheckIn.session.is_not_null() & CheckIn.undone_at.is_null()
    )
    joined = await OnlineAttendance.select(OnlineAttendance.session, OnlineAttendance.registration).where(
        _events(OnlineAttendance.event, events) & OnlineAttendance.session.is_not_null()
    )
    present: dict[int, set[int]] = defaultdict(set)
    for row in [*door, *joined]:
        present[row["session"]].add(row["registration"])
    return dict(present)


async def sessions_attended_ids(registration_id: int) -> set[int]:
    """The sessions one registration attended: checked in at their doors or joined online."""
    door = await CheckIn.select(CheckIn.session).where(
        (CheckIn.registration == registration_id) & CheckIn.undone_at.is_null() & CheckIn.session.is_not_null()
    )
    joined = await OnlineAttendance.select(OnlineAttendance.session).where(
        (OnlineAttendance.registration == registration_id) & OnlineAttendance.session.is_not_null()
    )
    return {row["session"] for row in [*door, *joined]}

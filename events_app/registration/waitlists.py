"""Waiting lists, for an event (its registrations) and for a session with places of its own (its bookings):
one implementation of counting, numbering, moving and promotion, by scope. Numbers run 1..n without gaps:
leaving a list moves everyone behind up by one.

Every function runs inside the caller's write transaction, after the event row is locked
(`programme.locking.locked_event`); that lock covers the event's sessions too (see places.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from piccolo.columns import ForeignKey
from piccolo.columns.combination import Where
from piccolo.query.functions.aggregate import Max

from events_app.programme.availability import places_state
from events_app.registration.tables import Registration, SessionBooking

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Scope:
    """One waiting list: the rows of `table` whose `owner` column is `owner_id`; at a hybrid event, of one
    attendance `mode` (in person and online each have their own places and list)."""

    table: type[Registration] | type[SessionBooking]
    owner: ForeignKey[Any]
    owner_id: int
    mode: str | None = None

    def rows(self, status: str) -> Where:
        rows = (self.owner == self.owner_id) & (self.table.status == status)
        if self.mode is not None:
            rows = rows & (Registration.attendance_mode == self.mode)
        return rows  # type: ignore[return-value]


def of_event(event_id: int, mode: str | None = None) -> Scope:
    """The event's places (None: all of them, one list), or those of one mode at a hybrid event."""
    return Scope(Registration, Registration.event, event_id, mode)


def of_session(session_id: int) -> Scope:
    return Scope(SessionBooking, SessionBooking.session, session_id)


async def confirmed(scope: Scope) -> int:
    return int(await scope.table.count().where(scope.rows("confirmed")))


async def next_position(scope: Scope) -> int:
    """The number the next person to join the list gets."""
    rows = await scope.table.select(Max(scope.table.waitlist_position, alias="last")).where(scope.rows("waitlisted"))
    return int(rows[0]["last"] or 0) + 1 if rows else 1


async def close_gap(scope: Scope, position: int | None) -> None:
    """Move up everyone behind a place left on the list."""
    if position is None:
        return
    column = scope.table.waitlist_position
    await scope.table.update({column: column - 1}).where(scope.rows("waitlisted") & (column > position))


async def move(scope: Scope, row_id: int, old: int, new: int) -> None:
    """Put one person at number `new` (kept within 1..n), shifting those in between by one."""
    new = max(1, min(new, await next_position(scope) - 1))
    if new == old:
        return
    column = scope.table.waitlist_position
    waiting = scope.rows("waitlisted")
    if new < old:
        await scope.table.update({column: column + 1}).where(waiting & (column >= new) & (column < old))
    else:
        await scope.table.update({column: column - 1}).where(waiting & (column > old) & (column <= new))
    await scope.table.update({column: new}).where(scope.table.id == row_id)


async def has_free_place(scope: Scope, capacity: int | None) -> bool:
    return capacity is None or places_state(capacity, False, await confirmed(scope)) == "open"


async def place(
    scope: Scope, capacity: int | None, waitlist_enabled: bool
) -> tuple[Literal["confirmed", "waitlisted"], int | None] | None:
    """A confirmed place if there is one, else the next number on the waiting list; None: full, no list."""
    places = places_state(capacity, waitlist_enabled, await confirmed(scope))
    if places == "full":
        return None
    return ("confirmed", None) if places == "open" else ("waitlisted", await next_position(scope))


# Untyped on purpose: the Piccolo row at number 1, of either scope's table (registration or session booking)
async def promote(scope: Scope, capacity: int | None, take_place: Callable[[dict[str, Any]], Awaitable[T]]) -> list[T]:
    """Fill free places from the front of the list, in order. `take_place` gives the row at number 1 its
    place (and does what that means in its scope); its answers are returned, in order."""
    promoted: list[T] = []
    while await has_free_place(scope, capacity):
        front = scope.rows("waitlisted") & (scope.table.waitlist_position == 1)
        first = await scope.table.select().where(front).first()
        if first is None:
            break
        promoted.append(await take_place(dict(first)))
        await close_gap(scope, 1)
    return promoted

"""Waiting-list numbering without HTTP: where a newcomer goes (the pure rule, from counts read under the lock),
and the list kept numbered 1..n without gaps when someone leaves or is moved (the queries themselves, run
straight against the test database)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from events_app.core.database import get_engine
from events_app.core.errors import DomainError
from events_app.core.timezones import utc_now
from events_app.people.services import ensure_default_groups
from events_app.people.tables import Delegate, StakeholderGroup
from events_app.programme.rows import EventRow
from events_app.programme.tables import Event
from events_app.registration import places
from events_app.registration.tables import Registration
from tests.builders import event_row_value
from tests.conftest import reset_database


def event_row(*, capacity: int | None, waitlist_enabled: bool) -> EventRow:
    """An event as services see it; only capacity and the waiting list matter to the rule."""
    return event_row_value(capacity=capacity, waitlist_enabled=waitlist_enabled)


@pytest.mark.parametrize(
    ("capacity", "confirmed", "last_position", "expected"),
    [
        (None, 500, 0, ("confirmed", None)),  # no limit
        (10, 9, 0, ("confirmed", None)),  # the last place
        (10, 10, 0, ("waitlisted", 1)),  # full: the first on the list
        (10, 10, 4, ("waitlisted", 5)),  # full: behind the four waiting
    ],
)
def test_a_newcomer_gets_a_place_or_the_next_number(
    capacity: int | None, confirmed: int, last_position: int, expected: tuple[str, int | None]
) -> None:
    event = event_row(capacity=capacity, waitlist_enabled=True)
    counted = places.EventPlaces(confirmed=confirmed, last_position=last_position, existing_id=None)
    assert places.place_from(event, "in_person", counted) == expected


def test_a_full_event_without_a_waiting_list_refuses_in_plain_words() -> None:
    event = event_row(capacity=10, waitlist_enabled=False)
    with pytest.raises(DomainError) as refused:
        places.place_from(event, "in_person", places.EventPlaces(confirmed=10, last_position=0, existing_id=None))
    assert refused.value.code == "event_full"
    assert refused.value.detail == "Sorry, this event is full and has no waiting list"


WAITING = 5


@pytest.fixture
async def waiting() -> AsyncIterator[tuple[int, list[int]]]:
    """An event whose waiting list holds five registrations, numbered 1..5; returns its id and theirs in order."""
    await reset_database()
    async with get_engine().transaction():  # one connection for the whole setup
        await ensure_default_groups()
        group = await StakeholderGroup.select(StakeholderGroup.id).first()
        assert group is not None
        now = utc_now()
        event = Event(
            slug="waiting-list",
            title="Waiting list",
            kind="seminar",
            status="published",
            starts_at=now + timedelta(days=30),
            ends_at=now + timedelta(days=30, hours=2),
            capacity=0,
            created_at=now,
            updated_at=now,
        )
        await event.save()
        ids = []
        for n in range(1, WAITING + 1):
            delegate = Delegate(
                email=f"waiting{n}@example.org",
                name=f"Waiting {n}",
                stakeholder_group=group["id"],
                created_at=now,
                updated_at=now,
            )
            await delegate.save()
            registration = Registration(
                event=event.id,
                delegate=delegate.id,
                status="waitlisted",
                waitlist_position=n,
                created_at=now,
                updated_at=now,
            )
            await registration.save()
            ids.append(registration.id)
    yield event.id, ids
    await reset_database()


def _event(event_id: int) -> EventRow:
    """The waiting-list event as the services take it (its one list: an in-person event)."""
    return event_row_value(id=event_id, capacity=0, waitlist_enabled=True)


async def waiting_order(event_id: int) -> list[tuple[int, int]]:
    """(position, registration) of everyone waiting, by position."""
    rows = await (
        Registration.select(Registration.id, Registration.waitlist_position)
        .where((Registration.event == event_id) & (Registration.status == "waitlisted"))
        .order_by(Registration.waitlist_position)
    )
    return [(r["waitlist_position"], r["id"]) for r in rows]


async def test_leaving_the_list_moves_everyone_behind_up_by_one(waiting: tuple[int, list[int]]) -> None:
    event_id, ids = waiting
    await places.set_status(ids[1], "cancelled")
    await places.leave_waitlist(_event(event_id), "in_person", 2)
    assert await waiting_order(event_id) == [(1, ids[0]), (2, ids[2]), (3, ids[3]), (4, ids[4])]
    assert await places.event_places(_event(event_id), "in_person", 0) == places.EventPlaces(
        confirmed=0, last_position=4, existing_id=None
    )


async def test_moving_someone_up_or_down_keeps_the_numbers_without_gaps(waiting: tuple[int, list[int]]) -> None:
    event_id, ids = waiting
    await places.move_in_waitlist(_event(event_id), "in_person", ids[4], 5, 2)
    assert await waiting_order(event_id) == [(1, ids[0]), (2, ids[4]), (3, ids[1]), (4, ids[2]), (5, ids[3])]
    await places.move_in_waitlist(_event(event_id), "in_person", ids[0], 1, 4)
    assert await waiting_order(event_id) == [(1, ids[4]), (2, ids[1]), (3, ids[2]), (4, ids[0]), (5, ids[3])]


async def test_a_move_past_either_end_stops_at_that_end(waiting: tuple[int, list[int]]) -> None:
    event_id, ids = waiting
    await places.move_in_waitlist(_event(event_id), "in_person", ids[2], 3, 99)
    assert await waiting_order(event_id) == [(1, ids[0]), (2, ids[1]), (3, ids[3]), (4, ids[4]), (5, ids[2])]
    await places.move_in_waitlist(_event(event_id), "in_person", ids[2], 5, -3)
    assert await waiting_order(event_id) == [(1, ids[2]), (2, ids[0]), (3, ids[1]), (4, ids[3]), (5, ids[4])]


async def test_leaving_from_no_position_changes_nothing(waiting: tuple[int, list[int]]) -> None:
    event_id, ids = waiting
    await places.leave_waitlist(_event(event_id), "in_person", None)
    assert await waiting_order(event_id) == [(n + 1, i) for n, i in enumerate(ids)]

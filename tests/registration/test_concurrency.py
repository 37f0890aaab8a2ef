"""A rush: hundreds of registrations at once never oversell an event or a workshop, and waiting lists
stay numbered 1..n without gaps or repeats, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from events_app.core.errors import DomainError
from events_app.registration import places, services
from events_app.registration.schemas import RegistrationCreate
from events_app.registration.tables import Registration, SessionBooking
from tests.builders import make_session
from tests.registration.conftest import delegate, register, registrations

pytestmark = pytest.mark.slow


def _data(n: int | str, **overrides: Any) -> RegistrationCreate:
    return msgspec.convert(delegate(n, **overrides), RegistrationCreate)


def _rush(run: Callable[..., Any], slug: str, people: list[RegistrationCreate]) -> list[Any]:
    async def everyone_at_once() -> list[Any]:
        return list(await asyncio.gather(*(services.register(slug, p) for p in people), return_exceptions=True))

    return run(everyone_at_once)  # type: ignore[no-any-return]


def _assert_contiguous(positions: list[int]) -> None:
    assert sorted(positions) == list(range(1, len(positions) + 1)), sorted(positions)


async def test_a_rush_fills_exactly_the_capacity_and_numbers_the_waiting_list(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await open_event(capacity=25)
    results = _rush(run, event["slug"], [_data(n) for n in range(300)])

    failures = [r for r in results if isinstance(r, BaseException)]
    assert failures == []
    rows = registrations(run, event["id"])
    assert len(rows) == 300
    assert sum(r["status"] == "confirmed" for r in rows) == 25
    _assert_contiguous([r["waitlist_position"] for r in rows if r["status"] == "waitlisted"])
    assert sum(r.status == "confirmed" for r in results) == 25


async def test_a_rush_without_a_waiting_list_refuses_the_rest(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await open_event(capacity=10, waitlist_enabled=False)
    results = _rush(run, event["slug"], [_data(n) for n in range(150)])
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == 140
    assert {r.code for r in refused} == {"event_full"}
    assert [r["status"] for r in registrations(run, event["id"])] == ["confirmed"] * 10


async def test_a_rush_on_a_workshop_fills_exactly_its_places(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await open_event(capacity=None)
    workshop = await make_session(client, event["slug"], title="Workshop", kind="workshop", capacity=12)
    results = _rush(run, event["slug"], [_data(n, session_ids=[workshop["id"]]) for n in range(200)])
    assert [r for r in results if isinstance(r, BaseException)] == []

    async def bookings() -> list[dict[str, Any]]:
        return list(await SessionBooking.select().where(SessionBooking.session == workshop["id"]))

    rows = run(bookings)
    assert len(rows) == 200
    assert sum(b["status"] == "confirmed" for b in rows) == 12
    _assert_contiguous([b["waitlist_position"] for b in rows if b["status"] == "waitlisted"])


async def test_the_same_address_in_a_rush_gets_one_place(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await open_event(capacity=5)
    results = _rush(run, event["slug"], [_data(n, email="same@example.org") for n in range(40)])
    assert [r for r in results if isinstance(r, BaseException)] == []
    assert sum(r.created for r in results) == 1
    assert len(registrations(run, event["id"])) == 1


async def test_cancellations_racing_registrations_keep_the_count_exact(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await open_event(capacity=10)
    first = [await register(client, event["slug"], f"early{n}") for n in range(20)]
    confirmed_ids = [r["registration"]["id"] for r in first if r["status"] == "confirmed"]

    async def race() -> list[Any]:
        cancels = [services.cancel(i, places.DELEGATE) for i in confirmed_ids[:6]]
        joins = [services.register(event["slug"], _data(f"late{n}")) for n in range(60)]
        return list(await asyncio.gather(*cancels, *joins, return_exceptions=True))

    results = run(race)
    assert [r for r in results if isinstance(r, BaseException)] == []
    rows = registrations(run, event["id"])
    assert sum(r["status"] == "confirmed" for r in rows) == 10
    assert sum(r["status"] == "cancelled" for r in rows) == 6
    _assert_contiguous([r["waitlist_position"] for r in rows if r["status"] == "waitlisted"])
    assert run(Registration.count) == 80

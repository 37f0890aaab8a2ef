"""The one rule for recording online attendance: the first join is kept, later joins are counted, at once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar.testing import AsyncTestClient

from events_app.checkin.online import record_online_attendance
from events_app.checkin.tables import OnlineAttendance
from events_app.people.services import ensure_default_groups
from tests.builders import make_event
from tests.conftest import Accounts
from tests.registration.conftest import register


async def test_joins_are_counted_once_each_and_the_first_time_is_kept(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    run(ensure_default_groups)
    event = await make_event(client)
    registration_id = (await register(client, event["slug"], 1))["registration"]["id"]
    first = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)
    later, earlier = first + timedelta(minutes=5), first - timedelta(minutes=2)

    async def join_three_times_at_once() -> list[bool]:
        return list(
            await asyncio.gather(
                *(
                    record_online_attendance(
                        event_id=event["id"], registration_id=registration_id, session_id=None, at=at, source="link"
                    )
                    for at in (first, later, earlier)
                )
            )
        )

    assert sorted(run(join_three_times_at_once)) == [False, False, True]

    async def rows() -> list[dict[str, Any]]:
        return list(await OnlineAttendance.select().where(OnlineAttendance.registration == registration_id))

    (row,) = run(rows)
    assert (row["joins"], row["first_joined_at"], row["last_joined_at"]) == (3, earlier, later)

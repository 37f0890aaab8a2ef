"""A room clash names the session already in the room, by id too, so that a page can link to it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from events_app.programme import schemas, sessions
from events_app.programme.errors import RoomClash
from tests.builders import DAY, make_event, make_session, make_venue
from tests.conftest import Accounts


async def test_the_clash_carries_the_id_of_the_session_in_the_room(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    venue = await make_venue(client)
    room = venue["rooms"][0]["id"]
    event = await make_event(client, venue_id=venue["id"])
    there = await make_session(client, event["slug"], title="Keynote", room_id=room)
    data = schemas.SessionCreate(
        title="Overlap",
        starts_at=datetime.fromisoformat(f"{DAY}T10:30"),
        ends_at=datetime.fromisoformat(f"{DAY}T11:30"),
        room_id=room,
    )
    with pytest.raises(RoomClash) as refused:
        run(sessions.create_session, event["slug"], data)
    assert refused.value.session_id == there["id"]
    assert refused.value.field == "room_id"

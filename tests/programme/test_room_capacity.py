"""A room made smaller must still hold the places of the sessions in it: the rule a session meets when it is given
the room holds when the room changes too."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from tests.builders import make_event, make_session, make_venue
from tests.conftest import Accounts


async def test_a_room_cannot_be_made_smaller_than_a_workshop_in_it(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    venue = await make_venue(client, rooms=("Room A",))
    room = venue["rooms"][0]["id"]  # 50 seats
    event = await make_event(client, venue_id=venue["id"])
    workshop = await make_session(client, event["slug"], title="Robotics", kind="workshop", capacity=30, room_id=room)

    refused = await client.patch(f"/api/rooms/{room}", json={"capacity": 25})
    assert (refused.status_code, refused.json()["code"], refused.json()["field"]) == (
        409,
        "room_smaller_than_session",
        "capacity",
    )
    assert refused.json()["detail"] == (
        "'Robotics' in Room A takes 30 people; give it fewer places or another room first"
    )
    assert (await client.get(f"/api/venues/{venue['id']}")).json()["rooms"][0]["capacity"] == 50

    assert (await client.patch(f"/api/rooms/{room}", json={"capacity": 30})).json()["capacity"] == 30
    assert (await client.patch(f"/api/rooms/{room}", json={"capacity": None})).json()["capacity"] is None
    # A cancelled session holds no places.
    await client.patch(f"/api/sessions/{workshop['id']}", json={"status": "cancelled"})
    assert (await client.patch(f"/api/rooms/{room}", json={"capacity": 10})).json()["capacity"] == 10

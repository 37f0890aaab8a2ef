"""An event's waiting list and a workshop's waiting list behave alike, because they are one implementation
(registration/waitlists.py): numbered from 1 without gaps, a leaver closes the gap, a free place goes to
number 1 and everyone behind moves up."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from events_app.registration.tables import Registration, SessionBooking
from tests.builders import make_session
from tests.registration.conftest import manage_token, register

PEOPLE = range(4)


def waiting_list(
    run: Callable[..., Any], scope: str, owner_id: int, names: dict[int, str]
) -> list[tuple[str, str, int | None]]:
    """(who, status, number) for everyone in the list, by who they are (`names`: by registration id)."""

    async def rows() -> list[dict[str, Any]]:
        if scope == "event":
            return list(
                await Registration.select(
                    Registration.id.as_alias("registration"), Registration.status, Registration.waitlist_position
                ).where(Registration.event == owner_id)
            )
        return list(
            await SessionBooking.select(
                SessionBooking.registration, SessionBooking.status, SessionBooking.waitlist_position
            ).where(SessionBooking.session == owner_id)
        )

    found = run(rows)
    return sorted((names[r["registration"]], r["status"], r["waitlist_position"]) for r in found)


@pytest.mark.parametrize("scope", ["event", "session"])
async def test_leaving_closes_the_gap_and_a_free_place_goes_to_number_one(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any], scope: str
) -> None:
    event = await open_event(capacity=1 if scope == "event" else 10)
    workshop = await make_session(client, event["slug"], title="Workshop", kind="workshop", capacity=1)
    owner = event["id"] if scope == "event" else workshop["id"]
    made = [
        await register(client, event["slug"], n, session_ids=[] if scope == "event" else [workshop["id"]])
        for n in PEOPLE
    ]
    names = {r["registration"]["id"]: f"delegate{n}" for n, r in enumerate(made)}
    assert waiting_list(run, scope, owner, names) == [
        ("delegate0", "confirmed", None),
        ("delegate1", "waitlisted", 1),
        ("delegate2", "waitlisted", 2),
        ("delegate3", "waitlisted", 3),
    ]
    client.cookies.clear()

    async def leave(n: int) -> None:
        token = manage_token(run, f"delegate{n}@example.org")
        registration_id = made[n]["registration"]["id"]
        if scope == "event":
            response = await client.post(f"/api/my/{token}/registrations/{registration_id}/cancel")
        else:
            response = await client.patch(f"/api/my/{token}/registrations/{registration_id}", json={"session_ids": []})
        assert response.status_code == 200, response.text

    await leave(2)
    assert waiting_list(run, scope, owner, names) == [
        ("delegate0", "confirmed", None),
        ("delegate1", "waitlisted", 1),
        ("delegate2", "cancelled", None),
        ("delegate3", "waitlisted", 2),
    ]
    await leave(0)
    assert waiting_list(run, scope, owner, names) == [
        ("delegate0", "cancelled", None),
        ("delegate1", "confirmed", None),
        ("delegate2", "cancelled", None),
        ("delegate3", "waitlisted", 1),
    ]

"""Every text search ignores case on both engines, and SQLite gets LIKE from events_app.core.database rather
than Piccolo's ILIKE fallback and its warning (which would fill the logs of every SQLite install)."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from litestar.testing import AsyncTestClient

from tests.registration.conftest import register


async def test_searches_ignore_case_and_warn_about_nothing(
    client: AsyncTestClient[Any], open_event: Callable[..., Any]
) -> None:
    event = await open_event(capacity=5)
    slug = event["slug"]
    await register(client, slug, 1, name="Ada Lovelace", organisation_name="Analytical Engines Ltd")
    await register(client, slug, 2, name="Grace Hopper", organisation_name="Navy Computing")
    groups = (await client.get("/api/stakeholder-groups")).json()
    group_id = (groups["items"] if isinstance(groups, dict) else groups)[0]["id"]
    organisation = await client.post(
        "/api/organisations", json={"name": "Difference Works", "stakeholder_group_id": group_id}
    )

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        people = await client.get(f"/api/events/{slug}/registrations", params={"q": "LOVELACE"})
        at_the_door = await client.get(f"/api/events/{slug}/check-in/search", params={"q": "analytical"})
        outbox = await client.get("/api/outbox", params={"to": "DELEGATE2@"})
        organisations = await client.get("/api/organisations", params={"q": "DIFFERENCE"})

    assert [r["name"] for r in people.json()["items"]] == ["Ada Lovelace"]
    assert [p["name"] for p in at_the_door.json()] == ["Ada Lovelace"]
    assert {m["to_email"] for m in outbox.json()["items"]} == {"delegate2@example.org"}
    assert organisation.status_code == 201, organisation.text
    assert [o["name"] for o in organisations.json()["items"]] == ["Difference Works"]
    assert [str(w.message) for w in caught] == []

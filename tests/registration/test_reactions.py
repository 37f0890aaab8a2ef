"""Registration reacts to programme changes because `register_reactions` says so, not because a module was
imported: a process that never imports the registration pages still cancels registrations with the event."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from typing import Any

from litestar.testing import AsyncTestClient

from events_app.programme.reactions import EventCancelled, EventChanged, Reactions, SessionChanged
from events_app.reactions import register_reactions
from tests.registration.conftest import register, registrations

# Cancels the event named on the command line through the programme's service, in a process of its own,
# wiring the reactions only when asked; it fails if anything brought in the registration pages.
CANCEL_IN_ANOTHER_PROCESS = """
import asyncio, sys
from events_app.core import database
from events_app.core.settings import get_settings
from events_app.programme import events, schemas
from events_app.programme.reactions import registry

slug, wiring = sys.argv[1], sys.argv[2]
if wiring == "wired":
    from events_app.reactions import register_reactions
    register_reactions(registry)

async def cancel() -> None:
    await database.open_pool(get_settings())
    try:
        await events.update_event(slug, schemas.EventUpdate(status="cancelled"))
    finally:
        await database.close_pool()

asyncio.run(cancel())
pages = [m for m in sys.modules if m.startswith("events_app.registration.pages")]
assert not pages, f"the registration pages were imported: {pages}"
"""


def _cancel_in_another_process(slug: str, wiring: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", CANCEL_IN_ANOTHER_PROCESS, slug, wiring],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


async def test_cancelling_an_event_cancels_its_registrations_only_where_the_reactions_are_wired(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    wired = await open_event(title="Wired Day", capacity=5)
    unwired = await open_event(title="Unwired Day", capacity=5)
    for event in (wired, unwired):
        for n in (1, 2):
            await register(client, event["slug"], f"{event['id']}-{n}")

    _cancel_in_another_process(unwired["slug"], "unwired")
    _cancel_in_another_process(wired["slug"], "wired")

    for event in (wired, unwired):
        assert (await client.get(f"/api/events/{event['slug']}")).json()["status"] == "cancelled"
    assert {r["status"] for r in registrations(run, wired["id"])} == {"cancelled"}
    assert {r["status"] for r in registrations(run, unwired["id"])} == {"confirmed"}


def test_registering_the_reactions_twice_runs_each_once() -> None:
    registry = Reactions()
    register_reactions(registry)
    register_reactions(registry)
    for change in (EventChanged, EventCancelled, SessionChanged):
        assert len(registry.registered(change)) == 1
    assert Reactions().registered(EventCancelled) == []

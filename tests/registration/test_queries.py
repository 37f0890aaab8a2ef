"""The event a request is about is read once (the `provide_event` dependency), not looked up again by slug
in every service it calls."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from litestar.testing import AsyncTestClient

from events_app.core.database import get_engine
from tests.conftest import Accounts
from tests.registration.conftest import delegate, register
from tests.registration.test_pages import _csrf, _form

_EVENT_READ = re.compile(r'\bFROM "event"(?![\w$])')


@contextmanager
def recorded_queries() -> Iterator[list[str]]:
    """Every statement the app sends to the database meanwhile, as SQL text (both engines). The engine's
    class is patched: engines take no attributes of their own, and the app runs on another thread."""
    engine_class = type(get_engine())
    original = engine_class.run_querystring
    seen: list[str] = []

    async def recording(self: Any, querystring: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(str(querystring))
        return await original(self, querystring, *args, **kwargs)

    engine_class.run_querystring = recording  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        engine_class.run_querystring = original  # type: ignore[method-assign]


def event_reads(statements: list[str]) -> int:
    return sum(len(_EVENT_READ.findall(sql)) for sql in statements)


def test_the_recorder_sees_event_reads_and_not_other_tables() -> None:
    assert event_reads(['SELECT "event"."id" FROM "event" WHERE "event"."slug" = \'x\'']) == 1
    assert event_reads(['SELECT * FROM "event_question" WHERE "event_question"."event" = 1']) == 0
    assert event_reads(['SELECT * FROM "event" WHERE "event"."id" = 1 FOR UPDATE']) == 1


async def test_the_registration_form_reads_the_event_once(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], accounts: Accounts
) -> None:
    event = await open_event(capacity=5)
    await accounts.sign_in("anonymous")
    with recorded_queries() as seen:
        page = await client.get(f"/events/{event['slug']}/register")
    assert page.status_code == 200
    assert 'name="email"' in page.text
    assert event_reads(seen) == 1, seen  # it was 2: the page's event, then its row again for the rule


async def test_registering_reads_the_event_once_and_locks_it_once(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], accounts: Accounts
) -> None:
    event = await open_event(capacity=5)
    await accounts.sign_in("anonymous")
    form = _form(await _csrf(client, f"/events/{event['slug']}/register"))
    with recorded_queries() as seen:
        response = await client.post(f"/events/{event['slug']}/register", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    # Resolved once for the request, then read again under the lock that makes counting places safe.
    assert event_reads(seen) == 2, seen  # it was 3
    assert sum("FOR UPDATE" in sql for sql in seen) == (1 if "postgres" in type(get_engine()).__name__.lower() else 0)

    with recorded_queries() as seen:
        answer = await client.post(f"/api/events/{event['slug']}/registrations", json=delegate(2))
    assert answer.status_code == 202, answer.text
    # The event as remembered since the request before (programme/remembered.py), then read under the lock alone.
    assert event_reads(seen) == 1, seen  # it was 2


async def test_a_draft_is_there_for_organisers_only(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], accounts: Accounts
) -> None:
    event = await open_event(status="draft")
    assert (await client.get(f"/api/events/{event['slug']}/registrations/counts")).status_code == 200
    await accounts.sign_in("anonymous")
    assert (await client.get(f"/api/events/{event['slug']}/questions")).status_code == 404
    refused = await client.post(f"/api/events/{event['slug']}/registrations", json=delegate(1))
    assert refused.status_code == 404


async def test_the_door_and_the_results_pages_read_the_event_once(
    client: AsyncTestClient[Any], open_event: Callable[..., Any]
) -> None:
    """The scanner page (counts and search), attendance, and feedback results (with the collaboration view)
    each read the event once; they read it three to five times when every service looked up the slug."""
    event = await open_event(capacity=5)
    await register(client, event["slug"], 1)
    created = await client.post(f"/api/events/{event['slug']}/feedback-form", json={"template": "seminar"})
    assert created.status_code == 201, created.text
    for path, shows in (
        (f"/organiser/events/{event['slug']}/check-in?q=Delegate", "Delegate 1"),
        (f"/organiser/events/{event['slug']}/attendance", event["title"]),
        (f"/organiser/events/{event['slug']}/registrations", "Delegate 1"),
        (f"/organiser/events/{event['slug']}/feedback", event["title"]),
        (f"/api/events/{event['slug']}/collaboration", event["title"]),
    ):
        with recorded_queries() as seen:
            page = await client.get(path)
        assert page.status_code == 200, (path, page.text)
        assert shows in page.text, path
        assert event_reads(seen) == 1, (path, [q for q in seen if _EVENT_READ.search(q)])

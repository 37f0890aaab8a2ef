"""The public event page is kept while unchanged (issue 20): a visitor's page is then a version statement and the
places count, yet every change an organiser makes, and every place taken, shows on the next visit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar.testing import AsyncTestClient

from events_app.people.services import ensure_default_groups
from tests.builders import DAY, make_event, make_session
from tests.conftest import Accounts
from tests.registration.conftest import register
from tests.statements import counting

HTML = {"accept": "text/html"}


async def test_a_visitor_sees_every_change_at_once_from_a_page_kept_between_changes(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    run(ensure_default_groups)
    event = await make_event(client, title="Evidence Forum", kind="seminar", capacity=1, waitlist_enabled=False)
    slug, page = event["slug"], f"/events/{event['slug']}"

    async def visit() -> str:
        await organiser.sign_in("anonymous")
        response = await client.get(page, headers=HTML)
        await organiser.sign_in("organiser")
        assert response.status_code == 200, response.text
        return response.text

    assert "Evidence Forum" in await visit()

    renamed = await client.patch(f"/api/events/{slug}", json={"title": "Evidence and Impact Forum"})
    assert renamed.status_code == 200, renamed.text
    assert "Evidence and Impact Forum" in await visit()

    await make_session(client, slug, title="What charities add", starts_at=f"{DAY}T10:00:00", ends_at=f"{DAY}T11:00:00")
    assert "What charities add" in await visit()

    added = await client.post(
        f"/api/events/{slug}/materials", json={"title": "Forum report", "url": "https://example.org/report"}
    )
    assert added.status_code == 201, added.text
    assert "Forum report" in await visit()

    assert "Register" in await visit()
    await register(client, slug, 1)  # the one place taken: the page says so at once
    full = await visit()
    assert "Register<span" not in full and "full" in full.lower()

    # Kept: a visit asks the database for the page's version and the places count, nothing more.
    await organiser.sign_in("anonymous")
    await client.get(page, headers=HTML)
    with counting() as sent:
        again = await client.get(page, headers=HTML)
    assert again.status_code == 200 and sent[0] == 2, sent

    await organiser.sign_in("organiser")
    cancelled = await client.patch(f"/api/events/{slug}", json={"status": "cancelled"})
    assert cancelled.status_code == 200, cancelled.text
    assert "This event has been cancelled" in await visit()

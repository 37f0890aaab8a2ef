"""The delegate's page with their join links, and the pages a join link answers when it does not open the meeting
(not open yet, refused), in Chromium: axe finds nothing to fix (WCAG 2.2 AA) at 360 px and 1280 px, and nothing
scrolls sideways."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from events_app.core.timezones import utc_now
from events_app.people.services import ensure_default_groups
from tests.browser.conftest import accessibility_violations
from tests.builders import make_event, make_session
from tests.conftest import Accounts
from tests.registration.conftest import manage_token, register


def _at(delta: timedelta) -> str:
    return (utc_now() + delta).replace(microsecond=0).isoformat()


@pytest.mark.page_check("sqlite")
async def test_the_join_pages_fit_a_phone_and_meet_wcag_2_2_aa(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any], server: str, browser: Any
) -> None:
    run(ensure_default_groups)
    event = await make_event(
        client,
        title="Online seminar: outreach that lasts",
        kind="seminar",
        attendance_mode="online",
        online_url="https://meet.example.org/room-4821",
        starts_at=_at(timedelta(days=3)),
        ends_at=_at(timedelta(days=3, hours=1)),
    )
    await make_session(
        client,
        event["slug"],
        title="Parallel workshop",
        kind="workshop",
        join_url="https://meet.example.org/workshop-9157",
        starts_at=_at(timedelta(days=3, minutes=10)),
        ends_at=_at(timedelta(days=3, minutes=50)),
    )
    await register(client, event["slug"], 1)
    token = manage_token(run, "delegate1@example.org")
    mine = (await client.get(f"/my/{token}")).text
    links = re.findall(r'href="(/join/[^"]+)"', mine)
    assert len(links) == 2
    pages = [f"/my/{token}", links[0], "/join/1.0.forged", f"/events/{event['slug']}"]
    problems: list[str] = []
    for width in (360, 1280):
        page = await browser.new_page(viewport={"width": width, "height": 800})
        for path in pages:
            await page.goto(f"{server}{path}")
            report = await accessibility_violations(page)
            if report:
                problems.append(f"{path} at {width}px:\n{report}")
            scrolled = await page.evaluate("document.documentElement.scrollWidth")
            if scrolled > width:
                problems.append(f"{path} scrolls sideways at {width}px ({scrolled}px)")
        await page.context.close()
    assert not problems, "\n".join(problems)

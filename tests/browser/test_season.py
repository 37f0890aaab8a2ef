"""The copy and repeat pages in Chromium: on a phone (360 px) and a desktop (1280 px) axe finds nothing to fix
(WCAG 2.2 AA) and nothing scrolls sideways, in each state a person meets (the form, a refusal, the preview); and,
with JavaScript off and on, an organiser makes next year's conference from the dashboard and six monthly
seminars from the repeat page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from playwright.async_api import expect

from tests.browser.test_organiser_events import _signed_in
from tests.browser.test_organiser_pages import _check
from tests.conftest import Accounts

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def _demo() -> dict[str, Any]:
    from events_app import demo
    from events_app.programme.tables import Event

    password = await demo.load()
    conference = await Event.select(Event.slug).where(Event.kind == "conference").order_by(Event.id).first()
    seminar = (
        await Event.select(Event.slug).where(Event.kind == "seminar").order_by(Event.starts_at, ascending=False).first()
    )
    meeting = await Event.select(Event.slug).where(Event.kind == "community_meeting").first()
    assert conference and seminar and meeting
    return {
        "password": password,
        "conference": conference["slug"],
        "seminar": seminar["slug"],
        "meeting": meeting["slug"],
    }


async def _drafts(page: Any, server: str) -> int:
    answer = await page.request.get(f"{server}/api/events?status=draft&limit=100")
    return int((await answer.json())["total"])


@pytest.mark.page_check("postgres")
async def test_the_copy_and_repeat_pages_fit_a_phone_and_meet_wcag_2_2_aa(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any], server: str, browser: Any
) -> None:
    data = run(_demo)
    problems: list[str] = []
    for width in (360, 1280):
        page = await _signed_in(browser, server, data["password"], width)
        for slug in (data["conference"], data["seminar"], data["meeting"]):
            for path in (f"/organiser/events/{slug}/copy", f"/organiser/events/{slug}/repeat"):
                response = await page.goto(f"{server}{path}")
                assert response is not None and response.status == 200, path
                problems += await _check(page, f"{path} at {width}px", width)

        await page.goto(f"{server}/organiser/events/{data['conference']}/copy")
        await page.get_by_label("First day").fill("")
        await page.get_by_role("button", name="Make the copy").click()
        await expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
        problems += await _check(page, f"a refused copy at {width}px", width)

        await page.goto(f"{server}/organiser/events/{data['meeting']}/repeat")
        await page.get_by_role("button", name="Preview the copies").click()  # the round's day is not given
        await expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
        problems += await _check(page, f"a refused round at {width}px", width)
        await page.get_by_label("Day of the meetings").fill("2031-02-06")
        await page.get_by_role("button", name="Preview the copies").click()
        await expect(page.get_by_role("heading", name="5 copies to make")).to_be_visible()
        problems += await _check(page, f"the round's preview at {width}px", width)
        await page.context.close()
    assert problems == [], "\n\n".join(problems)


@pytest.mark.parametrize("javascript", [False, True], ids=["without JavaScript", "with JavaScript"])
async def test_next_years_conference_and_six_monthly_seminars_from_the_dashboard(
    client: AsyncTestClient[Any],
    accounts: Accounts,
    run: Callable[..., Any],
    server: str,
    browser: Any,
    javascript: bool,
) -> None:
    data = run(_demo)
    page = await _signed_in(browser, server, data["password"], 360, javascript=javascript)
    before = await _drafts(page, server)

    await page.get_by_role("link", name="Next year's draft").first.click()
    await page.get_by_role("button", name="Make the copy").click()
    await expect(page.get_by_text("as a draft").first).to_be_visible()
    assert "/edit" in page.url
    assert await _drafts(page, server) == before + 1

    await page.goto(f"{server}/organiser")
    await page.locator(f'a[href="/organiser/events/{data["seminar"]}/repeat"]').click()
    await page.get_by_label("Monthly, on a day such as the second Tuesday").check()
    await page.get_by_label("How many months").fill("6")
    await page.get_by_role("button", name="Preview the copies").click()
    await expect(page.get_by_role("heading", name="6 copies to make")).to_be_visible()
    assert await _drafts(page, server) == before + 1  # the preview made nothing
    await page.get_by_role("button", name="Make these 6 drafts").click()
    await expect(page.get_by_text("6 copies of")).to_be_visible()
    assert await _drafts(page, server) == before + 7
    await page.context.close()

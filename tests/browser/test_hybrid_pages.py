"""A hybrid event's pages on a phone without JavaScript: the registration form's "How will you attend?" and the
delegate's switch on their own page; each state checked with axe (WCAG 2.2 AA) and for sideways scrolling."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from playwright.async_api import expect

from events_app.people.services import ensure_default_groups
from events_app.programme.tables import Event
from tests.browser.test_registration_pages import accessibility_violations_nojs
from tests.builders import make_event
from tests.conftest import Accounts
from tests.registration.conftest import manage_token, register

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def _fits_and_passes(browser: Any, page: Any) -> None:
    assert await page.evaluate("document.documentElement.scrollWidth") <= 360, page.url
    assert await accessibility_violations_nojs(browser, None, page) == "", page.url


@pytest.mark.page_check("sqlite")
async def test_hybrid_registration_and_switching_on_a_phone_without_javascript(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any], server: str, browser: Any
) -> None:
    run(ensure_default_groups)
    event = await make_event(client, title="Hybrid forum", kind="forum_meeting", capacity=1, online_capacity=20)

    async def make_hybrid() -> None:
        await Event.update({Event.attendance_mode: "hybrid"}).where(Event.id == event["id"])

    run(make_hybrid)
    await register(client, event["slug"], "here", attendance_mode="in_person")
    token = manage_token(run, "delegatehere@example.org")
    context = await browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = await context.new_page()

    await page.goto(f"{server}/events/{event['slug']}/register")
    await expect(page.get_by_role("group", name="How will you attend?")).to_be_visible()
    await _fits_and_passes(browser, page)
    await page.get_by_label("Your name").fill("Ama Mensah")
    await page.get_by_label("Email address").fill("ama@example.org")
    await page.get_by_label("Organisation", exact=True).fill("Open University")
    await page.get_by_label("Third-sector organisation").check()
    await page.get_by_role("button", name="Register").click()
    await expect(page.get_by_role("alert")).to_contain_text("How will you attend: choose in person or online")
    await _fits_and_passes(browser, page)
    await page.get_by_label("Online (20 places left)").check()
    await page.get_by_role("button", name="Register").click()
    await expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()

    await page.goto(f"{server}/my/{token}")
    await page.get_by_text("Attend online instead").click()
    await _fits_and_passes(browser, page)
    await page.get_by_role("button", name="Attend online").click()
    await expect(page.get_by_role("status")).to_contain_text("How you attend is changed")
    await expect(page.get_by_text("You attend online.")).to_be_visible()
    await _fits_and_passes(browser, page)

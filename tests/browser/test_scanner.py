"""The scanner page in headless Chromium: a typed code (as a USB scanner types it), then scanning with no
network and the check-ins sent when it is back; checked with axe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from playwright.async_api import expect

from events_app.checkin.tables import CheckIn
from events_app.tickets import codes
from tests.browser.conftest import accessibility_violations
from tests.checkin.test_checkin import _setup
from tests.conftest import PASSWORD, Accounts

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def test_scanning_typed_codes_online_and_offline(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any], server: str, browser: Any
) -> None:
    s = await _setup(client, run)
    email = organiser.create("checkin")
    context = await browser.new_context(viewport={"width": 390, "height": 844})
    page = await context.new_page()
    await page.goto(f"{server}/organiser/events/{s['event']['slug']}/check-in")
    await page.get_by_label("Email address").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(f"{server}/organiser/events/{s['event']['slug']}/check-in")
    assert await accessibility_violations(page) == ""

    code = page.get_by_label("Ticket code")
    await code.fill(codes.issue(s["event"]["id"], s["first"]))
    await code.press("Enter")
    result = page.locator("#result")
    await page.wait_for_function("() => document.querySelector('#result').className.includes('result-green')")
    assert "Welcome, Delegate 1" in await result.inner_text()
    assert await code.input_value() == ""  # ready for the next scan
    await page.wait_for_function("() => document.querySelector('#checked-in').textContent === '1'")
    assert await accessibility_violations(page) == ""

    await code.fill(codes.issue(s["event"]["id"], s["first"]))
    await code.press("Enter")
    await page.wait_for_function("() => document.querySelector('#result').className.includes('result-amber')")

    slug = s["event"]["slug"]
    await page.wait_for_function(f"() => localStorage.getItem('checkin:{slug}') !== null")
    await context.set_offline(True)
    await code.fill(codes.issue(s["event"]["id"], s["second"]))
    await code.press("Enter")
    await page.wait_for_function("() => document.querySelector('#result').textContent.includes('kept on this device')")
    await expect(page.locator("#offline-note")).to_be_visible()
    await code.fill(codes.issue(s["event"]["id"], s["second"])[:-4] + "AAAA")  # altered: refused offline too
    await code.press("Enter")
    await page.wait_for_function("() => document.querySelector('#result').className.includes('result-red')")

    async def second_checked_in() -> int:
        return int(await CheckIn.count().where(CheckIn.registration == s["second"]))

    assert run(second_checked_in) == 0
    await context.set_offline(False)
    await page.evaluate("window.dispatchEvent(new Event('online'))")
    await page.wait_for_function("() => document.querySelector('#checked-in').textContent === '2'", timeout=10000)
    assert run(second_checked_in) == 1

"""Registering in headless Chromium, on a phone, without JavaScript; every page checked with axe (WCAG 2.2 AA)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from playwright.async_api import expect

from events_app.core import tokens
from events_app.people.services import ensure_default_groups
from events_app.registration import notify
from tests.browser.conftest import accessibility_violations
from tests.builders import make_event, make_session
from tests.conftest import PASSWORD, Accounts
from tests.registration.conftest import manage_token, register

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def _seminar(client: AsyncTestClient[Any], run: Callable[..., Any]) -> dict[str, Any]:
    run(ensure_default_groups)
    event = await make_event(client, title="Seminar: first in family", kind="seminar", capacity=1)
    await make_session(client, event["slug"], title="Hands-on workshop", kind="workshop", capacity=10)
    await client.post(
        f"/api/events/{event['slug']}/questions",
        json={
            "label": "How did you hear of it?",
            "kind": "single",
            "options": ["Email", "Colleague"],
            "required": True,
        },
    )
    return event


async def test_a_delegate_registers_on_a_phone_without_javascript(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any], server: str, browser: Any
) -> None:
    event = await _seminar(client, run)
    context = await browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = await context.new_page()
    await page.goto(f"{server}{event['url']}")
    await page.get_by_role("link", name=re.compile("^Register")).click()
    assert await accessibility_violations_nojs(browser, page.url) == ""

    await page.get_by_label("Your name").fill("Siân Llewelyn")
    await page.get_by_label("Email address").fill("not an address")
    await page.get_by_label("Organisation", exact=True).fill("Prifysgol Bangor")
    await page.get_by_label("Third-sector organisation").check()
    await page.get_by_label("Colleague").check()
    await page.get_by_role("button", name="Register").click()
    await expect(page.get_by_role("alert")).to_be_visible()
    assert "Email address: enter an email address we can send to" in await page.get_by_role("alert").inner_text()
    assert await page.get_by_label("Your name").input_value() == "Siân Llewelyn"
    assert await accessibility_violations_nojs(browser, None, page) == ""

    await page.get_by_label("Email address").fill("sian@example.org")
    await page.get_by_label("Hands-on workshop").check()
    await page.get_by_role("button", name="Register").click()
    # Whoever typed the address is told to check the inbox: no place, no ticket on the page (issue 17).
    await expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    assert await page.locator("img").count() == 0
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    assert await accessibility_violations_nojs(browser, None, page) == ""


async def accessibility_violations_nojs(browser: Any, url: str | None, page: Any = None) -> str:
    """axe needs script in the page: check the same URL (or the same HTML) in a context with JavaScript."""
    checker = await browser.new_page()
    if url is not None:
        await checker.goto(url)
    else:
        await checker.goto(page.url)  # same origin, so the page's stylesheet loads
        await checker.set_content(await page.content())
    report = await accessibility_violations(checker)
    await checker.close()
    return report


@pytest.mark.page_check("postgres")
async def test_registration_pages_meet_wcag_2_2_aa(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any], server: str, browser: Any
) -> None:
    event = await _seminar(client, run)
    questions = (await client.get(f"/api/events/{event['slug']}/questions")).json()
    answers = {str(questions[0]["id"]): "Email"}
    await register(client, event["slug"], 1, answers=answers)
    waitlisted = await register(client, event["slug"], 2, answers=answers)
    token = manage_token(run, "delegate1@example.org")
    registration_id = waitlisted["registration"]["id"]
    page = await browser.new_page()
    for path in (
        f"/events/{event['slug']}/register",
        f"/events/{event['slug']}/registered",
        f"/registrations/not-me/{tokens.sign(notify.NOT_ME, registration_id)}",
        f"/registrations/confirm/{tokens.sign(notify.CONFIRM_PLACE, registration_id)}",
        "/my",
        "/my?sent=1",
        f"/my/{token}",
    ):
        await page.goto(f"{server}{path}")
        report = await accessibility_violations(page)
        assert report == "", f"{path}:\n{report}"

    await page.goto(f"{server}/organiser/sign-in?next=/organiser/events/{event['slug']}/registrations")
    await page.get_by_label("Email address").fill("organiser@example.org")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(f"{server}/organiser/events/{event['slug']}/registrations")
    assert await accessibility_violations(page) == ""
    await page.get_by_role("link", name="Message registrants").click()
    await page.get_by_label("Subject").fill("Parking")
    await page.get_by_label("Message", exact=True).fill("There is no parking on site.")
    await page.get_by_role("button", name="Preview").click()
    await expect(page.get_by_role("button", name="Send to 1 person")).to_be_visible()
    assert await accessibility_violations(page) == ""
    await page.goto(f"{server}/organiser/events/{event['slug']}/registrations")
    await page.get_by_role("link", name="Delegate 2").click()
    await expect(page.get_by_role("button", name="Give a place now")).to_be_visible()
    assert await accessibility_violations(page) == ""

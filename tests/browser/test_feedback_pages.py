"""A delegate fills in a feedback form in headless Chromium (on a phone, without JavaScript); the form,
the thank-you and the organisers' results pass axe (WCAG 2.2 AA)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from playwright.async_api import expect

from events_app.feedback import responses
from tests.browser.conftest import accessibility_violations
from tests.conftest import PASSWORD, Accounts
from tests.feedback.test_results import _data_set
from tests.registration.conftest import register

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def test_filling_in_feedback_on_a_phone(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any], server: str, browser: Any
) -> None:
    data = await _data_set(client, run)
    newcomer = await register(client, data["event"]["slug"], "new", stakeholder_group="school-or-college")
    token = responses.link_path(data["form"]["id"], newcomer["registration"]["id"])
    context = await browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = await context.new_page()
    await page.goto(f"{server}{token}")
    checker = await browser.new_page()
    await checker.goto(f"{server}{token}")
    assert await accessibility_violations(checker) == ""

    await page.get_by_role("button", name="Send feedback").click()
    assert "Please answer: Rate it" in await page.get_by_role("alert").inner_text()
    group = page.get_by_role("group", name="Rate it")
    await group.get_by_label("4").check()
    await page.get_by_role("group", name="Met another sector? (optional)").get_by_label("Yes").check()
    await page.get_by_role("radio", name="B", exact=True).check()
    await page.get_by_role("checkbox", name="Z", exact=True).check()
    await page.get_by_label("Say something (optional)").fill("Dwi wedi dysgu llawer — thank you!")
    await page.get_by_role("button", name="Send feedback").click()
    await expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    await checker.goto(page.url)
    await checker.set_content(await page.content())
    assert await accessibility_violations(checker) == ""

    result = (await client.get(f"/api/events/{data['event']['slug']}/feedback/results")).json()
    assert result["responses"] == 6
    await page.goto(f"{server}/organiser/events/{data['event']['slug']}/feedback")
    await page.get_by_label("Email address").fill("organiser@example.org")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(f"{server}/organiser/events/{data['event']['slug']}/feedback")
    assert "Dwi wedi dysgu llawer" in await page.content()
    signed_in = await browser.new_context()  # the same session, with JavaScript for axe
    await signed_in.add_cookies(await context.cookies())
    results_page = await signed_in.new_page()
    await results_page.goto(page.url)
    await expect(results_page.get_by_role("heading", name="Feedback: Seminar")).to_be_visible()
    assert await accessibility_violations(results_page) == ""

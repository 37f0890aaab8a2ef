"""Email HTML and the organiser's outbox page in headless Chromium, checked with axe-core (WCAG 2.2 AA)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from playwright.async_api import expect

from events_app.core import database
from events_app.mail import outbox
from events_app.mail.render import MESSAGES, render
from events_app.mail.tables import OutboxMessage
from tests.browser.conftest import accessibility_violations
from tests.conftest import PASSWORD, Accounts
from tests.mail.conftest import CONTEXT

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def test_every_email_reads_well_on_a_phone_and_with_a_screen_reader(browser: Any) -> None:
    page = await browser.new_page(viewport={"width": 360, "height": 740})
    for kind in MESSAGES:
        mail = render(kind, CONTEXT)
        await page.set_content(mail.html)
        assert await page.get_by_role("heading", level=1).inner_text() != ""
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{kind} scrolls sideways on a phone ({width}px)"
        report = await accessibility_violations(page)
        assert report == "", f"{kind}:\n{report}"


@pytest.mark.page_check("postgres")
async def test_the_outbox_page_meets_wcag_2_2_aa(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any], server: str, browser: Any
) -> None:
    email = accounts.create("organiser")
    mail = render("registration_confirmed", CONTEXT)

    async def one_failed_one_queued() -> None:
        async with database.write_transaction():
            failed = await outbox.enqueue(to_email="gone@example.org", to_name="Gone", mail=mail)
            await outbox.enqueue(to_email="later@example.org", to_name="Later", mail=mail)
        await OutboxMessage.update(
            {OutboxMessage.status: "failed", OutboxMessage.last_error: "Recipient refused: 550 5.1.1 no such user"}
        ).where(OutboxMessage.id == failed)

    run(one_failed_one_queued)
    page = await browser.new_page()
    await page.goto(f"{server}/organiser/outbox")
    await page.get_by_label("Email address").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(f"{server}/organiser/outbox")
    await expect(page.get_by_text("550 5.1.1 no such user")).to_be_visible()
    assert await accessibility_violations(page) == ""

    await page.get_by_role("link", name="Failed (1)").click()
    await page.get_by_role("link", name=mail.subject).click()
    assert await accessibility_violations(page) == ""
    await page.get_by_role("button", name="Send again").click()
    await page.wait_for_url(f"{server}/organiser/outbox/*")
    await expect(page.locator(".badge", has_text="Waiting")).to_be_visible()

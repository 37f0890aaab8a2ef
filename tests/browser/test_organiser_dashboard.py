"""The organisers' dashboard on the demo programme, on a phone (360 px) and a desktop (1280 px), for an admin and
for check-in staff: axe finds nothing to fix (WCAG 2.2 AA), nothing scrolls sideways, and the page works
without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from playwright.async_api import expect

from events_app.mail.tables import OutboxMessage
from tests.browser.conftest import sign_in
from tests.browser.test_organiser_pages import _check
from tests.conftest import PASSWORD, Accounts

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def _demo_with_a_failed_email() -> str:
    from events_app import demo

    password = await demo.load()
    message = await OutboxMessage.select(OutboxMessage.id).where(OutboxMessage.event.is_not_null()).first()
    assert message is not None
    await OutboxMessage.update({OutboxMessage.status: "failed", OutboxMessage.last_error: "550 No such mailbox"}).where(
        OutboxMessage.id == message["id"]
    )
    return password


async def _sign_in(page: Any, server: str, email: str, password: str) -> None:
    await sign_in(page, server, password, email)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
@pytest.mark.page_check("postgres")
async def test_the_dashboard_fits_a_phone_and_meets_wcag_2_2_aa(
    client: AsyncTestClient[Any],
    accounts: Accounts,
    run: Callable[..., Any],
    server: str,
    browser: Any,
    javascript: bool,
) -> None:
    from events_app.demo import ADMIN_EMAIL

    password = run(_demo_with_a_failed_email)
    checkin_email = accounts.create("checkin")
    problems: list[str] = []
    for width in (360, 1280):
        context = await browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=javascript)
        page = await context.new_page()
        await _sign_in(page, server, ADMIN_EMAIL, password)
        if javascript:  # axe and the width check run scripts in the page
            problems += await _check(page, f"/organiser at {width}px", width)
        attention = page.locator("#attention + ul li")
        assert await attention.count() >= 2  # the demo's forum requests, and the failed email
        await expect(page.get_by_role("link", name="New event").first).to_be_visible()
        await page.get_by_role("link", name="Registrations", exact=False).first.click()  # no JavaScript needed
        assert "/registrations" in page.url
        response = await page.goto(f"{server}/organiser?past=all")
        assert response is not None and response.status == 200
        if javascript:
            problems += await _check(page, f"/organiser?past=all at {width}px", width)
        await context.close()
        if not javascript:  # check-in staff's view: once, with axe
            continue
        context = await browser.new_context(viewport={"width": width, "height": 800})
        page = await context.new_page()
        await _sign_in(page, server, checkin_email, PASSWORD)
        assert await page.get_by_role("link", name="Check-in").count() > 0
        assert await page.get_by_role("link", name="Registrations").count() == 0
        problems += await _check(page, f"/organiser as check-in staff at {width}px", width)
        await context.close()
    assert problems == [], "\n\n".join(problems)

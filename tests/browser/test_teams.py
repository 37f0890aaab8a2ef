"""The organiser-account and password pages in Chromium: on a phone (360 px) and a desktop (1280 px) axe finds
nothing to fix (WCAG 2.2 AA) and nothing scrolls sideways, in each state a person meets (a refused form, a notice,
an invitation waiting, a link that no longer works); and an invited person chooses a password and is signed in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from playwright.async_api import expect

from tests.accounts.teams_helpers import NEW_PASSWORD, emails, link_in
from tests.browser.conftest import sign_in
from tests.browser.test_organiser_pages import _check
from tests.conftest import PASSWORD, Accounts

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.page_check("sqlite")
async def test_the_account_and_password_pages_fit_a_phone_and_meet_wcag_2_2_aa(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any], server: str, browser: Any
) -> None:
    from events_app.accounts import services

    admin = accounts.create("admin")
    staff = accounts.create("checkin")
    ids = {o.email: o.id for o in run(services.list_organisers)}
    problems: list[str] = []
    for width in (360, 1280):
        context = await browser.new_context(viewport={"width": width, "height": 800})
        page = await context.new_page()
        await page.goto(f"{server}/organiser/sign-in")
        await page.get_by_role("link", name="Forgot your password?").click()
        await page.get_by_role("button", name="Email me a link").click()
        await expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
        problems += await _check(page, f"a refused forgot-password form at {width}px", width)
        await page.get_by_label("Email address").fill(staff)
        await page.get_by_role("button", name="Email me a link").click()
        await expect(page.get_by_text("If that address has an organiser account")).to_be_visible()
        problems += await _check(page, f"/organiser/forgot-password?sent=1 at {width}px", width)
        response = await page.goto(f"{server}/organiser/reset-password/not-a-link")
        assert response is not None and response.status == 404
        problems += await _check(page, f"a password link that does not work at {width}px", width)

        await sign_in(page, server, PASSWORD, admin)
        await page.get_by_role("link", name="Organiser accounts").click()
        await page.get_by_role("button", name="Send the invitation").click()
        await expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
        problems += await _check(page, f"a refused invitation at {width}px", width)
        invited = f"new.organiser.{width}@example.org"
        await page.get_by_label("Email address").fill(invited)
        await page.get_by_label("Name").fill(f"Rhiannon Pryce {width}")
        await page.get_by_label("Organiser:").check()
        await page.get_by_role("button", name="Send the invitation").click()
        await expect(page.get_by_text(f"Invitation sent to {invited}")).to_be_visible()
        problems += await _check(page, f"/organiser/accounts with an invitation at {width}px", width)
        await page.get_by_role("link", name=f"Rhiannon Pryce {width}").click()
        await expect(page.get_by_role("button", name="Send the invitation again")).to_be_visible()
        problems += await _check(page, f"an invited account at {width}px", width)
        for email in (staff, admin):
            await page.goto(f"{server}/organiser/accounts/{ids[email]}/edit")
            problems += await _check(page, f"the account of {email} at {width}px", width)

        (to, text, _) = emails(run, "organiser_invite")[-1]
        assert to == invited
        newcomer = await (await browser.new_context(viewport={"width": width, "height": 800})).new_page()
        await newcomer.goto(f"{server}{link_in(text)}")
        await newcomer.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
        await newcomer.get_by_label("The new password again").fill("not the same at all")
        await newcomer.get_by_role("button", name="Save my password and sign in").click()
        await expect(newcomer.get_by_role("heading", name="There is a problem")).to_be_visible()
        problems += await _check(newcomer, f"a refused new password at {width}px", width)
        await newcomer.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
        await newcomer.get_by_label("The new password again").fill(NEW_PASSWORD)
        await newcomer.get_by_role("button", name="Save my password and sign in").click()
        await newcomer.wait_for_url(f"{server}/organiser?notice=*")
        await expect(newcomer.get_by_text(f"Signed in as Rhiannon Pryce {width}")).to_be_visible()
        await context.close()
    assert problems == [], "\n\n".join(problems)

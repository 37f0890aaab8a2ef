"""The page where an admin says which events an account sees, in Chromium: on a phone (360 px) and a desktop
(1280 px) axe finds nothing to fix (WCAG 2.2 AA) and nothing scrolls sideways, before and after saving; and it
works without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from tests.browser.test_organiser_events import _demo, _signed_in
from tests.browser.test_organiser_pages import _check
from tests.conftest import PASSWORD, Accounts

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def _door_staff() -> int:
    from events_app.accounts import services
    from events_app.accounts.roles import Role
    from events_app.accounts.schemas import OrganiserCreate

    made = await services.create_organiser(
        OrganiserCreate(email="door@example.org", name="Dora Door", role=Role.checkin, password=PASSWORD)
    )
    return made.id


async def test_the_scope_page_fits_a_phone_meets_wcag_2_2_aa_and_works_without_javascript(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any], server: str, browser: Any
) -> None:
    data = run(_demo)
    user_id = run(_door_staff)
    problems: list[str] = []
    # axe runs as a script in the page: the checks have JavaScript on; the form is then used with it off.
    for width, javascript in ((360, True), (1280, True), (360, False)):
        page = await _signed_in(browser, server, data["password"], width, javascript=javascript)
        page.set_default_timeout(15_000)
        response = await page.goto(f"{server}/organiser/accounts/{user_id}/scope")
        assert response is not None and response.status == 200
        if javascript:
            problems += await _check(page, f"the scope page at {width}px", width)
        first_region = page.locator("input[name=regions]").first
        region = await page.locator(f"label[for='{await first_region.get_attribute('id')}']").inner_text()
        await first_region.check()
        await page.get_by_role("button", name="Save which events Dora Door sees").click()
        notice = await page.get_by_role("status").inner_text()
        assert f"Dora Door now sees only the events of the {region} region" in notice
        assert await page.locator("input[name=regions]").first.is_checked()
        if javascript:
            problems += await _check(page, f"the scope page after saving at {width}px", width)
        await page.locator("input[name=regions]").first.uncheck()
        await page.get_by_role("button", name="Save which events Dora Door sees").click()
        assert "now sees every event" in await page.get_by_role("status").inner_text()
        await page.context.close()
    assert problems == [], "\n\n".join(problems)

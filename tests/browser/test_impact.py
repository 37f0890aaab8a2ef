"""The impact report and the public impact page in Chromium: axe finds nothing to fix (WCAG 2.2 AA) at 360 px and
1280 px and nothing scrolls sideways; printed, the report keeps its figures and drops the menus and forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from tests.browser.test_organiser_events import _signed_in
from tests.browser.test_organiser_pages import _check
from tests.conftest import Accounts

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def _demo_with_a_public_page() -> str:
    from events_app import demo
    from events_app.impact import services

    password = await demo.load()
    await services.set_public(True, None)
    return password


@pytest.mark.page_check("sqlite")
async def test_the_impact_pages_meet_wcag_2_2_aa_and_the_report_prints_without_menus(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any], server: str, browser: Any
) -> None:
    password = run(_demo_with_a_public_page)
    problems: list[str] = []
    for width in (360, 1280):
        page = await _signed_in(browser, server, password, width)
        for path in ("/organiser/impact", "/organiser/impact?start=soon", "/impact"):
            response = await page.goto(f"{server}{path}")
            assert response is not None and response.status == (400 if "soon" in path else 200), path
            problems += await _check(page, f"{path} at {width}px", width)
        await page.context.close()
    assert not problems, "\n".join(problems)

    page = await _signed_in(browser, server, password, 1280)
    await page.goto(f"{server}/organiser/impact")
    assert await page.locator(".site-header nav").is_visible()
    await page.emulate_media(media="print")
    shot = await page.screenshot(full_page=True)
    assert shot.startswith(b"\x89PNG")
    for hidden in (".site-header nav", ".impact-filters", ".impact-switch", ".site-footer"):
        assert await page.locator(hidden).is_hidden(), f"{hidden} shows in print"
    assert await page.get_by_role("heading", name="By sector").is_visible()
    by_sector = page.get_by_role("table", name="Registrations, attendance, people and organisations by sector")
    assert await by_sector.is_visible()
    break_inside = await page.locator(".impact-table table").first.evaluate("t => getComputedStyle(t).breakInside")
    assert break_inside == "avoid"

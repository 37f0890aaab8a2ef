"""The badges page and a certificate's verification page in Chromium: axe finds nothing to fix (WCAG 2.2 AA) at
360 px and 1280 px and nothing scrolls sideways; the badges form works without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from tests.browser.test_organiser_events import _signed_in
from tests.browser.test_organiser_pages import _check
from tests.conftest import Accounts

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def _demo() -> dict[str, Any]:
    from events_app import demo
    from events_app.certificates import codes, services
    from events_app.checkin.tables import CheckIn
    from events_app.programme.tables import Event

    password = await demo.load()
    conference = await Event.select(Event.slug).where(Event.kind == "conference").order_by(Event.id).first()
    came = await CheckIn.select(CheckIn.registration).where(CheckIn.undone_at.is_null()).first()
    assert conference and came
    facts = await services.facts(came["registration"])
    assert facts is not None
    code = codes.issue(facts.registration_id, codes.digest(facts.words()))
    return {"password": password, "conference": conference["slug"], "code": code, "name": facts.name}


@pytest.mark.page_check("sqlite")
async def test_the_badges_and_verification_pages_fit_a_phone_and_meet_wcag_2_2_aa(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any], server: str, browser: Any
) -> None:
    data = run(_demo)
    conference = data["conference"]
    pages = [
        f"/organiser/events/{conference}/badges",
        f"/organiser/events/{conference}/badges?which=one&registration=abc",  # refused, naming the field
        f"/certificates/{data['code']}",
        "/certificates/C1.not-a-real-code",
    ]
    problems: list[str] = []
    for width in (360, 1280):
        page = await _signed_in(browser, server, data["password"], width)
        for path in pages:
            await page.goto(f"{server}{path}")
            problems += await _check(page, f"{path} at {width}px", width)
        await page.goto(f"{server}/certificates/{data['code']}")
        assert await page.get_by_role("heading", level=1).inner_text() == "This certificate is genuine"
        assert data["name"] in await page.get_by_role("status").inner_text()

        await page.context.close()
        page = await _signed_in(browser, server, data["password"], width, javascript=False)  # axe needs scripts
        await page.goto(f"{server}/organiser/events/{conference}/badges")
        await page.get_by_label("A6 (148 × 105 mm), one badge per page").check()
        await page.get_by_label("Everyone with a confirmed place").check()
        await page.get_by_role("button", name="Show these badges").click()
        heading = await page.get_by_role("heading", level=2).first.inner_text()
        assert heading.endswith("pages") and heading.split()[0] == heading.split()[3], heading  # one badge a page
        link = page.get_by_role("link", name="Download without recording (PDF)")
        assert "layout=a6-1" in (await link.get_attribute("href") or "")
        await page.context.close()
    assert not problems, "\n".join(problems)

"""Every organiser page on a phone (360 px) and a desktop (1280 px): axe finds nothing to fix (WCAG 2.2 AA) and
nothing makes the page scroll sideways, so the main actions (Check-in links, buttons) stay in view."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from events_app.mail.tables import OutboxMessage
from events_app.registration.tables import Registration
from tests.browser.conftest import accessibility_violations
from tests.conftest import Accounts

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def _demo() -> dict[str, Any]:
    from events_app import demo
    from events_app.programme.tables import Event

    password = await demo.load()
    conference = await Event.select(Event.slug).where(Event.kind == "conference").order_by(Event.id).first()
    registration = await Registration.select(Registration.id).where(Registration.status == "waitlisted").first()
    message = await OutboxMessage.select(OutboxMessage.id).first()
    assert conference and registration and message
    return {
        "password": password,
        "conference": conference["slug"],
        "registration": registration["id"],
        "message": message["id"],
    }


@pytest.mark.page_check("postgres")
async def test_every_organiser_page_fits_a_phone_and_meets_wcag_2_2_aa(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any], server: str, browser: Any
) -> None:
    from events_app.demo import ADMIN_EMAIL

    data = run(_demo)
    conference, past = data["conference"], "seminar-community-partners"
    pages = [
        "/organiser",
        f"/organiser/events/{conference}/registrations",
        f"/organiser/registrations/{data['registration']}",
        f"/organiser/events/{conference}/message",
        f"/organiser/events/{conference}/check-in",
        f"/organiser/events/{conference}/check-in?q=an",
        f"/organiser/events/{past}/attendance",
        f"/organiser/events/{past}/feedback",
        f"/organiser/events/{conference}/feedback",
        "/organiser/series/seminar-series/feedback",
        "/organiser/outbox",
        f"/organiser/outbox/{data['message']}",
    ]
    problems: list[str] = []
    for width in (360, 1280):
        context = await browser.new_context(viewport={"width": width, "height": 800})
        page = await context.new_page()
        await page.goto(f"{server}/organiser/sign-in")
        problems += await _check(page, f"/organiser/sign-in at {width}px", width)
        await page.get_by_label("Email address").fill(ADMIN_EMAIL)
        await page.get_by_label("Password").fill(data["password"])
        await page.get_by_role("button", name="Sign in").click()
        await page.wait_for_url(f"{server}/organiser")
        for path in pages:
            response = await page.goto(f"{server}{path}")
            assert response is not None and response.status == 200, path
            problems += await _check(page, f"{path} at {width}px", width)
        await context.close()
    assert problems == [], "\n\n".join(problems)


async def _check(page: Any, where: str, width: int) -> list[str]:
    found = []
    await page.wait_for_load_state()  # a form's answer may still be arriving: measure the page it brings
    scroll_width = await page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        wide = await page.evaluate(
            """(width) => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > width + 1)
                .slice(0, 5).map(e => e.tagName + '.' + e.className)""",
            width,
        )
        found.append(f"{where}: the page is {scroll_width}px wide ({', '.join(wide)})")
    report = await accessibility_violations(page)
    if report:
        found.append(f"{where}:\n{report}")
    return found

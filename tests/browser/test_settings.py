"""An event's settings page and the organisers' feedback page (requests status, send now, the open link and its
QR code) in Chromium: axe finds nothing to fix (WCAG 2.2 AA) at 360 px and 1280 px and nothing scrolls sideways,
with a refused settings form among the states; the settings are saved with JavaScript off."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from playwright.async_api import expect

from tests.browser.test_organiser_events import _signed_in
from tests.browser.test_organiser_pages import _check
from tests.conftest import Accounts

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def _demo() -> dict[str, Any]:
    from events_app import demo
    from events_app.feedback.tables import FeedbackForm
    from events_app.programme.tables import Event

    password = await demo.load()
    conference = await Event.select(Event.slug).where(Event.kind == "conference").order_by(Event.id).first()
    with_form = await FeedbackForm.select(FeedbackForm.event.slug.as_alias("slug")).where(
        FeedbackForm.event.is_not_null()
    )
    assert conference and with_form
    return {"password": password, "conference": conference["slug"], "past": with_form[0]["slug"]}


@pytest.mark.page_check("postgres")
async def test_the_settings_and_feedback_pages_fit_a_phone_and_meet_wcag_2_2_aa(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any], server: str, browser: Any
) -> None:
    data = run(_demo)
    conference, past = data["conference"], data["past"]
    pages = [
        f"/organiser/events/{conference}/settings",
        f"/organiser/events/{conference}/settings?notice=Settings+saved.",
        f"/organiser/events/{past}/feedback",
        f"/organiser/events/{past}/feedback?notice=2+feedback+requests+queued.",
    ]
    problems: list[str] = []
    for width in (360, 1280):
        page = await _signed_in(browser, server, data["password"], width)
        for path in pages:
            response = await page.goto(f"{server}{path}")
            assert response is not None and response.status == 200, path
            problems += await _check(page, f"{path} at {width}px", width)
        await page.goto(f"{server}/organiser/events/{past}/feedback")
        qr = page.get_by_role("img", name="QR code of the open feedback link")
        assert await qr.evaluate("image => image.complete && image.naturalWidth > 300")  # served, not blocked

        await page.goto(f"{server}/organiser/events/{conference}/settings")
        await page.get_by_label("At these times before the start:").check()
        await page.get_by_label("Reminder times").fill("tomorrow")
        await page.get_by_role("button", name="Save settings").click()
        await expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
        problems += await _check(page, f"refused settings at {width}px", width)
        await page.context.close()
    assert not problems, "\n".join(problems)


async def test_an_organiser_sets_reminders_and_a_note_without_javascript(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any], server: str, browser: Any
) -> None:
    data = run(_demo)
    conference = data["conference"]
    page = await _signed_in(browser, server, data["password"], 360, javascript=False)
    await page.goto(f"{server}/organiser/events/{conference}/edit")
    await page.get_by_role("link", name="Reminders, feedback requests and the note in emails").click()
    await page.get_by_label("No reminders").check()
    await page.get_by_label("This long after the end:").check()
    await page.get_by_label("Feedback request time").fill("1d")
    await page.get_by_label("Note in confirmation and reminder emails").fill("Parking: none on site.")
    await page.get_by_role("button", name="Save settings").click()
    assert await page.get_by_role("status").inner_text() == "Settings saved."
    assert await page.get_by_label("No reminders").is_checked()
    assert await page.get_by_label("Feedback request time").input_value() == "1d"
    assert await page.get_by_label("Note in confirmation and reminder emails").input_value() == "Parking: none on site."
    await page.context.close()

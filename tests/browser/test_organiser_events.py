"""The series and event pages in Chromium: on a phone (360 px) and a desktop (1280 px) axe finds nothing to fix
(WCAG 2.2 AA) and nothing scrolls sideways, in each state a person meets (a refused form, the question before a
change is saved); and an organiser builds, publishes and moves an event with JavaScript off and on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from playwright.async_api import expect

from tests.browser.conftest import sign_in
from tests.browser.test_organiser_pages import _check
from tests.conftest import Accounts
from tests.registration.conftest import mails

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def _demo() -> dict[str, Any]:
    from events_app import demo
    from events_app.programme.tables import Event

    password = await demo.load()
    conference = await Event.select(Event.slug).where(Event.kind == "conference").order_by(Event.id).first()
    assert conference
    return {"password": password, "conference": conference["slug"]}


async def _calendar_entry(page: Any, url: str) -> tuple[str, int]:
    """When the event's calendar entry starts (UK time) and its SEQUENCE."""
    import icalendar

    from events_app.core.timezones import in_zone

    feed = icalendar.Calendar.from_ical(await (await page.request.get(url)).text())
    (entry,) = feed.walk("VEVENT")
    starts: Any = entry.decoded("DTSTART")
    return in_zone(starts, "Europe/London").strftime("%H:%M"), int(str(entry["SEQUENCE"]))


async def _signed_in(browser: Any, server: str, password: str, width: int, *, javascript: bool = True) -> Any:

    context = await browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=javascript)
    page = await context.new_page()
    await sign_in(page, server, password)
    return page


@pytest.mark.page_check("postgres")
async def test_the_series_and_event_pages_fit_a_phone_and_meet_wcag_2_2_aa(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any], server: str, browser: Any
) -> None:
    data = run(_demo)
    conference = data["conference"]
    pages = [
        "/organiser/series",
        "/organiser/series/seminar-series/edit",
        "/organiser/events/new",
        "/organiser/events/new?series=seminar-series",
        f"/organiser/events/{conference}/edit",
        f"/organiser/events/{conference}/edit?notice=Saved.",
        f"/organiser/events/{conference}/cancel",
    ]
    problems: list[str] = []
    for width in (360, 1280):
        page = await _signed_in(browser, server, data["password"], width)
        for path in pages:
            response = await page.goto(f"{server}{path}")
            assert response is not None and response.status == 200, path
            problems += await _check(page, f"{path} at {width}px", width)

        await page.goto(f"{server}/organiser/events/new")
        await page.get_by_label("Title").fill("")
        await page.get_by_role("button", name="Create the event").click()
        await expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
        problems += await _check(page, f"a refused new event at {width}px", width)

        await page.goto(f"{server}/organiser/series")
        await page.get_by_role("button", name="Create the series").click()
        problems += await _check(page, f"a refused new series at {width}px", width)

        await page.goto(f"{server}/organiser/events/{conference}/edit")
        starts = await page.get_by_label("Starts").input_value()
        await page.get_by_label("Starts").fill(starts[:11] + "08:00")
        await page.get_by_role("button", name="Save", exact=True).last.click()
        await expect(page.get_by_role("heading", name="Check before saving")).to_be_visible()
        problems += await _check(page, f"the question before a new time at {width}px", width)
        await page.context.close()
    assert problems == [], "\n\n".join(problems)


@pytest.mark.parametrize("javascript", [False, True], ids=["without JavaScript", "with JavaScript"])
async def test_an_organiser_builds_publishes_and_moves_an_event(
    client: AsyncTestClient[Any],
    accounts: Accounts,
    run: Callable[..., Any],
    server: str,
    browser: Any,
    javascript: bool,
) -> None:
    data = run(_demo)
    page = await _signed_in(browser, server, data["password"], 360, javascript=javascript)
    title = f"Regional community of practice, South West ({'JS' if javascript else 'no JS'})"

    await page.goto(f"{server}/organiser/events/new")
    await page.get_by_label("Title").fill(title)
    await page.get_by_label("Kind of event").select_option(label="Community of practice meeting")
    await page.get_by_label("Series (optional)").select_option(index=1)
    await page.get_by_label("Starts").fill("2030-06-12T10:00")
    await page.get_by_label("Ends").fill("2030-06-12T16:00")
    await page.get_by_label("Or a new venue's name (optional)").fill("Watershed")
    await page.get_by_label("New venue's town or city (optional)").fill("Bristol")
    await page.get_by_label("Places (optional)").fill("30")
    await page.get_by_role("button", name="Create the event").click()
    await expect(page.get_by_text("created as a draft")).to_be_visible()
    assert await page.get_by_label("Starts").input_value() == "2030-06-12T10:00"

    await page.get_by_role("button", name="Publish").click()
    await expect(page.get_by_text("Published: it is on the public pages now.")).to_be_visible()
    edit_url = page.url.split("?")[0]
    await page.get_by_role("link", name="Public page").click()
    await expect(page.get_by_role("heading", name=title)).to_be_visible()
    await expect(page.get_by_text("Watershed").first).to_be_visible()

    slug = edit_url.rsplit("/", 2)[1]
    starts, sequence = await _calendar_entry(page, f"{server}/events/{slug}/calendar.ics")
    assert starts == "10:00"

    # A delegate registers with the public form; then the organiser moves the event by an hour.
    await page.goto(f"{server}/events/{slug}/register")
    await page.get_by_label("Your name").fill("Siân Llewelyn")
    await page.get_by_label("Email address").fill(f"sian-{int(javascript)}@example.org")
    await page.get_by_label("Organisation", exact=True).fill("Prifysgol Aberystwyth")
    await page.locator("input[name=stakeholder_group]").first.check()
    await page.get_by_role("button", name="Register").click()
    before = len(mails(run))

    await page.goto(edit_url)
    await page.get_by_label("Starts").fill("2030-06-12T11:00")
    await page.get_by_label("Ends").fill("2030-06-12T17:00")
    await page.get_by_role("button", name="Save", exact=True).click()
    await expect(page.get_by_role("heading", name="Check before saving")).to_be_visible()
    await expect(page.get_by_text("1 confirmed, 0 on the waiting list, 0 waiting for approval")).to_be_visible()
    await page.get_by_role("button", name="Save and tell 1 person").first.click()
    await expect(page.get_by_text("Saved; 1 person is told by email.")).to_be_visible()
    assert [to for _, to in mails(run)[before:]] == [f"sian-{int(javascript)}@example.org"]  # one email

    await page.goto(f"{server}/events/{slug}")
    await expect(page.get_by_text("11:00").first).to_be_visible()
    assert await _calendar_entry(page, f"{server}/events/{slug}/calendar.ics") == ("11:00", sequence + 1)
    await page.context.close()

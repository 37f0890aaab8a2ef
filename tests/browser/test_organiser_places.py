"""The venue, speaker, organisation and stakeholder-group pages on a phone (360 px) and a desktop (1280 px): axe
finds nothing to fix (WCAG 2.2 AA), with a refused form too, and nothing scrolls sideways. With JavaScript off, an
organiser adds a venue with two rooms and a speaker from a new organisation, using only the forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from playwright.async_api import expect

from tests.browser.conftest import accessibility_violations, sign_in
from tests.conftest import Accounts

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def _demo() -> dict[str, Any]:
    from events_app import demo
    from events_app.people.services import list_groups, list_organisations
    from events_app.programme import speakers, venues

    password = await demo.load()
    venue = (await venues.list_venues())[0]
    speaker = (await speakers.list_speakers(include_unpublished=True)).items[0]
    organisation = (await list_organisations()).items[0]
    group = (await list_groups())[0]
    return {
        "password": password,
        "venue": venue.id,
        "speaker": speaker.slug,
        "organisation": organisation.slug,
        "group": group.slug,
    }


async def _sign_in(page: Any, server: str, password: str) -> None:
    await sign_in(page, server, password)


@pytest.mark.page_check("sqlite")
async def test_every_places_page_fits_a_phone_and_meets_wcag_2_2_aa(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any], server: str, browser: Any
) -> None:
    data = run(_demo)
    pages = [
        "/organiser/venues",
        f"/organiser/venues/{data['venue']}/edit",
        "/organiser/speakers",
        f"/organiser/speakers/{data['speaker']}/edit",
        "/organiser/organisations",
        "/organiser/organisations?q=university",
        f"/organiser/organisations/{data['organisation']}/edit",
        "/organiser/stakeholder-groups",
        f"/organiser/stakeholder-groups/{data['group']}/edit",
    ]
    problems: list[str] = []
    for width in (360, 1280):
        context = await browser.new_context(viewport={"width": width, "height": 800})
        page = await context.new_page()
        await _sign_in(page, server, data["password"])
        for path in pages:
            response = await page.goto(f"{server}{path}")
            assert response is not None and response.status == 200, path
            problems += await _check(page, f"{path} at {width}px", width)
        # A refused form: the error summary, each error next to its input, values kept.
        await page.goto(f"{server}/organiser/speakers")
        await page.get_by_label("Organisation (optional)", exact=True).fill("A Trust Nobody Has Heard Of")
        await page.get_by_label("Contact email (optional)").fill("not an address")
        await page.get_by_role("button", name="Add speaker").click()
        await expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
        problems += await _check(page, f"refused speaker form at {width}px", width)
        await page.goto(f"{server}/organiser/venues/{data['venue']}/edit")
        await page.locator("#new-room-capacity").fill("many")
        await page.get_by_role("button", name="Add room").click()
        await expect(page.get_by_text("Seats: should be a whole number").first).to_be_visible()
        problems += await _check(page, f"refused room form at {width}px", width)
        await context.close()
    assert problems == [], "\n\n".join(problems)


async def test_a_venue_with_two_rooms_and_a_speaker_from_a_new_organisation_without_javascript(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any], server: str, browser: Any
) -> None:
    data = run(_demo)
    context = await browser.new_context(viewport={"width": 360, "height": 800}, java_script_enabled=False)
    page = await context.new_page()
    await _sign_in(page, server, data["password"])
    await page.goto(f"{server}/organiser/venues")
    await page.get_by_label("Venue name").fill("Exeter Science Park")
    await page.get_by_label("Town or city (optional)").fill("Exeter")
    await page.get_by_role("button", name="Add venue").click()
    await expect(page.get_by_text("Exeter Science Park added: now add its rooms")).to_be_visible()
    for name, seats in (("Lecture theatre", "120"), ("Seminar room", "25")):
        await page.locator("#new-room-name").fill(name)
        await page.locator("#new-room-capacity").fill(seats)
        await page.get_by_role("button", name="Add room").click()
        await expect(page.get_by_text(f"{name} added")).to_be_visible()
    await expect(page.get_by_role("heading", name="Seminar room (25 seats)")).to_be_visible()

    await page.goto(f"{server}/organiser/speakers")
    await page.get_by_label("Name", exact=True).fill("Dr Kemi Adeyemi")
    await page.get_by_label("Organisation (optional)", exact=True).fill("South West Widening Access Partnership")
    await page.get_by_label("Stakeholder group of a new organisation (optional)").select_option(
        label="Third-sector organisation"
    )
    await page.get_by_label("Contact email (optional)").fill("kemi@example.org")
    await page.get_by_role("button", name="Add speaker").click()
    await expect(page.get_by_text("Dr Kemi Adeyemi added")).to_be_visible()
    assert await page.get_by_label("Contact email (optional)").input_value() == "kemi@example.org"
    await page.goto(f"{server}/organiser/organisations?q=widening")
    await expect(page.get_by_role("link", name="South West Widening Access Partnership")).to_be_visible()
    await context.close()


async def _check(page: Any, where: str, width: int) -> list[str]:
    found = []
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

"""The timetable pages on a phone (360 px) and a desktop (1280 px): axe finds nothing to fix (WCAG 2.2 AA) and
nothing makes the page scroll sideways; the grid shows on a desktop and the list by time on a phone. Each page is
reached as an organiser would, by links and buttons: the timetable, a new session, a refused one (a room clash),
a session's edit page, the question before deleting it, and the one before removing a track."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from playwright.async_api import expect

from tests.browser.conftest import sign_in
from tests.browser.test_organiser_pages import _check
from tests.conftest import Accounts

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def _demo() -> dict[str, Any]:
    from events_app import demo
    from events_app.programme.tables import Event

    password = await demo.load()
    conference = await Event.select(Event.slug).where(Event.kind == "conference").order_by(Event.id).first()
    assert conference
    return {"password": password, "conference": conference["slug"]}


@pytest.mark.page_check("sqlite")
async def test_the_timetable_pages_fit_a_phone_and_meet_wcag_2_2_aa(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any], server: str, browser: Any
) -> None:

    data = run(_demo)
    timetable = f"{server}/organiser/events/{data['conference']}/timetable"
    problems: list[str] = []
    for width in (360, 1280):
        context = await browser.new_context(viewport={"width": width, "height": 800})
        page = await context.new_page()
        await sign_in(page, server, data["password"])

        response = await page.goto(timetable)
        assert response is not None and response.status == 200
        problems += await _check(page, f"timetable at {width}px", width)
        grid, listed = page.locator(".timetable-grid"), page.locator(".timetable-list")
        assert (await grid.is_visible(), await listed.is_visible()) == (width > 360, width == 360)

        await page.get_by_role("link", name="Add a session").click()
        problems += await _check(page, f"new session at {width}px", width)
        await page.get_by_label("Title", exact=True).fill("Clashing talk")
        await page.get_by_label("Starts").fill("2000-01-01T10:30")  # outside the event: refused
        await page.get_by_label("Room", exact=True).select_option(label="Main Hall (300 seats)")
        await page.get_by_role("button", name="Add the session").click()
        await expect(page.locator(".error-summary")).to_be_visible()
        problems += await _check(page, f"refused session at {width}px", width)

        await page.goto(timetable)
        visible = grid if width > 360 else listed
        # The session's own link (each session also links to its materials, named after it).
        await visible.get_by_role("link", name=re.compile("^Funding partnerships that last")).click()
        problems += await _check(page, f"edit session at {width}px", width)
        await page.get_by_role("button", name="Delete this session").click()
        await expect(page.get_by_role("heading", name="Delete “Funding partnerships that last”?")).to_be_visible()
        problems += await _check(page, f"delete session at {width}px", width)

        await page.goto(timetable)
        await page.get_by_role("button", name="Remove the track Partnerships in practice").click()
        await expect(page.get_by_role("heading", name="Remove the track “Partnerships in practice”?")).to_be_visible()
        problems += await _check(page, f"remove track at {width}px", width)
        await context.close()
    assert problems == [], "\n\n".join(problems)


async def test_adding_and_moving_a_session_on_a_phone_without_javascript(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any], server: str, browser: Any
) -> None:

    data = run(_demo)
    context = await browser.new_context(viewport={"width": 360, "height": 800}, java_script_enabled=False)
    page = await context.new_page()
    await sign_in(page, server, data["password"])
    await page.goto(f"{server}/organiser/events/{data['conference']}/timetable")
    await expect(page.locator(".timetable-list")).to_be_visible()

    await page.get_by_role("link", name="Add a session").click()
    await page.get_by_label("Title", exact=True).fill("Student voices")
    starts = await page.get_by_label("Starts").input_value()  # the form starts at the event's opening hour
    await page.get_by_label("Starts").fill(starts[:11] + "12:30")
    await page.get_by_label("Ends").fill(starts[:11] + "13:00")
    await page.get_by_label("Room", exact=True).select_option(label="Room A (80 seats)")
    await page.get_by_label("Speaker 1", exact=True).select_option(label="Aisha Rahman (Girls into Physics Collective)")
    await page.get_by_role("button", name="Add the session").click()
    assert "Added 'Student voices' (12:30–13:00)" in await page.get_by_role("status").inner_text()

    await page.locator(".timetable-list").get_by_role("link", name=re.compile("^Student voices")).click()
    await page.get_by_label("Room", exact=True).select_option(label="Room A (80 seats)")
    await page.get_by_label("Starts").fill(starts[:11] + "11:45")  # into "Funding partnerships that last"
    await page.get_by_label("Ends").fill(starts[:11] + "12:15")
    await page.get_by_role("button", name="Save the session").click()
    assert (
        "Room A is already booked for 'Funding partnerships that last'"
        in await page.locator("#room_id-error").inner_text()
    )
    await page.locator("#clash").get_by_role("link", name="Funding partnerships that last").click()
    await expect(page.get_by_role("heading", name="Edit or move “Funding partnerships that last”")).to_be_visible()
    await context.close()

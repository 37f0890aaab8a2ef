"""The attendance page and the page that records online attendance from a platform's export, in Chromium: axe finds
nothing to fix (WCAG 2.2 AA) at 360 px and 1280 px and nothing scrolls sideways, before and after an upload."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from events_app.core.timezones import utc_now
from tests.browser.conftest import sign_in
from tests.browser.test_organiser_pages import _check
from tests.checkin.test_online_attendance import _event, _join, _local
from tests.conftest import PASSWORD, Accounts
from tests.registration.conftest import HEI, TSO

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.page_check("sqlite")
async def test_the_attendance_and_import_pages_fit_a_phone_and_meet_wcag_2_2_aa(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any], server: str, browser: Any
) -> None:
    people = [("a", HEI), ("b", TSO), ("c", TSO), ("w", HEI)]
    event, found = await _event(client, run, "hybrid", people, capacity=3)
    _join(run, event, found["a"]["id"], 3)
    slug = event["slug"]
    joined = _local(utc_now() - timedelta(hours=3) + timedelta(minutes=4))
    export = (
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n"
        f"B,delegateb@example.org,{joined},,40\n"
        f"Someone,someone.with.a.long.address@a-long-domain-name.example.org,{joined},,12\n"
        f"W,delegatew@example.org,{joined},,30\n"
        "C,delegatec@example.org,yesterday,,3\n"
    ).encode()
    problems: list[str] = []
    for width in (360, 1280):
        context = await browser.new_context(viewport={"width": width, "height": 800})
        page = await context.new_page()
        await sign_in(page, server, PASSWORD, organiser.create("organiser"))
        await page.goto(f"{server}/organiser/events/{slug}/attendance/import")
        problems += await _check(page, f"import form at {width}px", width)
        await page.get_by_label("Attendance file (CSV, up to 2 MB)").set_input_files(
            {"name": "participants.csv", "mimeType": "text/csv", "buffer": export}
        )
        await page.get_by_role("button", name="Record attendance").click()
        await page.wait_for_load_state()
        status = await page.get_by_role("status").inner_text()
        assert "3 rows not recorded" in status, status
        problems += await _check(page, f"import result at {width}px", width)
        await page.goto(f"{server}/organiser/events/{slug}/attendance")
        assert "attended either way" in await page.locator("main").inner_text()
        problems += await _check(page, f"attendance at {width}px", width)
        await context.close()
    assert not problems, "\n".join(problems)

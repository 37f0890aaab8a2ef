"""The public pages in headless Chromium: the timetable side by side at local times, and WCAG 2.2 AA."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from playwright.async_api import expect

from tests.browser.conftest import accessibility_violations
from tests.builders import DAY, make_event, make_session, make_speaker, make_venue
from tests.conftest import PASSWORD, Accounts

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def _conference(client: AsyncTestClient[Any]) -> dict[str, Any]:
    venue = await make_venue(client, rooms=("Main Hall", "Room A", "Room B"))
    rooms = {r["name"]: r["id"] for r in venue["rooms"]}
    series = (await client.post("/api/series", json={"title": "Conference series"})).json()
    event = await make_event(client, title="National Conference", venue_id=venue["id"], series_id=series["id"])
    tracks = [
        (await client.post(f"/api/events/{event['slug']}/tracks", json={"name": name, "position": i})).json()
        for i, name in enumerate(("Partnerships", "Pathways"))
    ]
    keynote = await make_speaker(client, "Amara Okafor")
    await make_session(
        client,
        event["slug"],
        title="Opening keynote",
        kind="keynote",
        starts_at=f"{DAY}T09:30:00",
        ends_at=f"{DAY}T10:15:00",
        room_id=rooms["Main Hall"],
        speakers=[{"speaker_id": keynote["id"]}],
    )
    await make_session(
        client,
        event["slug"],
        title="Charities as partners",
        starts_at=f"{DAY}T10:30:00",
        ends_at=f"{DAY}T11:30:00",
        room_id=rooms["Room A"],
        track_id=tracks[0]["id"],
    )
    await make_session(
        client,
        event["slug"],
        title="First in family",
        starts_at=f"{DAY}T10:30:00",
        ends_at=f"{DAY}T11:30:00",
        room_id=rooms["Room B"],
        track_id=tracks[1]["id"],
    )
    return event


async def test_event_timetable_shows_parallel_tracks_side_by_side_at_local_times(
    client: AsyncTestClient[Any], organiser: Accounts, server: str, browser: Any
) -> None:
    event = await _conference(client)
    page = await browser.new_page(viewport={"width": 1280, "height": 900})
    await page.goto(f"{server}{event['url']}")

    assert await page.locator("h1").inner_text() == "National Conference"
    assert "UK time (Europe/London, BST)" in await page.locator(".tz-note").inner_text()
    slot = page.locator("li.slot", has=page.locator(".slot-time", has_text="10:30–11:30"))
    assert await slot.count() == 1
    left = slot.locator("li.session", has_text="Charities as partners")
    right = slot.locator("li.session", has_text="First in family")
    assert await left.locator(".track").inner_text() in ("Partnerships", "PARTNERSHIPS")
    assert "10:30–11:30" in await left.locator(".session-time").inner_text()
    assert "10:30–11:30" in await right.locator(".session-time").inner_text()
    left_box, right_box = await left.bounding_box(), await right.bounding_box()
    assert left_box and right_box
    assert abs(left_box["y"] - right_box["y"]) < 2, "parallel sessions should sit side by side"
    assert right_box["x"] > left_box["x"] + left_box["width"] - 1
    # The keynote at 09:30 BST is 08:30 UTC: the page shows the wall-clock time in London.
    assert await page.locator(".slot-time", has_text="09:30–10:15").count() == 1

    phone = await browser.new_page(viewport={"width": 360, "height": 740})
    await phone.goto(f"{server}{event['url']}")
    first = await phone.locator("li.session", has_text="Charities as partners").bounding_box()
    second = await phone.locator("li.session", has_text="First in family").bounding_box()
    assert first and second
    assert second["y"] > first["y"] + first["height"] - 1, "on a phone the tracks stack"
    assert first["width"] <= 360


@pytest.mark.page_check("sqlite")
async def test_public_pages_meet_wcag_2_2_aa(
    client: AsyncTestClient[Any], organiser: Accounts, server: str, browser: Any
) -> None:
    event = await _conference(client)
    detail = (await client.get(f"/api/events/{event['slug']}")).json()
    speaker_slug = detail["sessions"][0]["speakers"][0]["slug"]
    page = await browser.new_page()
    for path in (
        "/",
        "/past",
        event["url"],
        f"/speakers/{speaker_slug}",
        f"/series/{detail['series']['slug']}",
        "/organiser/sign-in",
        "/events/no-such-event",
    ):
        await page.goto(f"{server}{path}")
        report = await accessibility_violations(page)
        assert report == "", f"{path}:\n{report}"


async def test_organiser_signs_in_with_the_form(
    client: AsyncTestClient[Any], accounts: Accounts, server: str, browser: Any
) -> None:
    email = accounts.create("admin")
    await accounts.sign_in("admin")
    await make_event(client, title="Draft seminar", kind="seminar", status="draft")
    page = await browser.new_page()
    await page.goto(f"{server}/organiser")
    assert "/organiser/sign-in" in page.url
    await page.get_by_label("Email address").fill(email)
    await page.get_by_label("Password").fill("wrong password")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("alert")).to_be_visible()
    assert await accessibility_violations(page) == ""
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(f"{server}/organiser")
    await expect(page.get_by_role("heading", name="Organiser", exact=True)).to_be_visible()
    await expect(page.get_by_role("link", name="Draft seminar", exact=True)).to_be_visible()
    assert await accessibility_violations(page) == ""

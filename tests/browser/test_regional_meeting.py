"""The issue's whole story in Chromium, with JavaScript off and on, on a phone: from the dashboard, and with no id
typed by hand, an organiser builds "Regional community of practice, South West" (its series, a venue with two
rooms, a speaker from a new organisation, two sessions), publishes it, finds it on the public pages and in
/calendar.ics, and moves it by an hour: each registrant gets exactly one email, SEQUENCE rises by one, and the
public page and the feed show the new time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from playwright.async_api import expect

from tests.browser.test_organiser_events import _demo, _signed_in
from tests.conftest import Accounts
from tests.registration.conftest import mails

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TITLE = "Regional community of practice, South West"


async def _feed_entry(page: Any, url: str, summary: str) -> tuple[str, int]:
    """When the entry of that title starts (UK time) in a feed, and its SEQUENCE."""
    import icalendar

    from events_app.core.timezones import in_zone

    feed = icalendar.Calendar.from_ical(await (await page.request.get(url)).text())
    (entry,) = [e for e in feed.walk("VEVENT") if str(e["SUMMARY"]) == summary]
    starts: Any = entry.decoded("DTSTART")
    return in_zone(starts, "Europe/London").strftime("%H:%M"), int(str(entry["SEQUENCE"]))


async def _from_dashboard(page: Any, server: str, link: str) -> None:
    await page.goto(f"{server}/organiser")
    await page.get_by_role("link", name=link, exact=True).first.click()


async def _add_session(page: Any, title: str, starts: str, ends: str, room: str, **extra: str) -> None:
    await page.get_by_role("link", name="Add a session").click()
    await page.get_by_label("Title", exact=True).fill(title)
    await page.get_by_label("Starts").fill(starts)
    await page.get_by_label("Ends").fill(ends)
    await page.get_by_label("Room", exact=True).select_option(label=room)
    if "kind" in extra:
        await page.get_by_label("Kind", exact=True).select_option(label=extra["kind"])
    if "places" in extra:
        await page.get_by_label("Places (optional)").fill(extra["places"])
    if "speaker" in extra:
        await page.get_by_label("Speaker 1", exact=True).select_option(label=extra["speaker"])
    await page.get_by_role("button", name="Add the session").click()
    assert f"Added '{title}'" in await page.get_by_role("status").inner_text()


async def _register(page: Any, server: str, slug: str, name: str, email: str) -> None:
    await page.goto(f"{server}/events/{slug}/register")
    await page.get_by_label("Your name").fill(name)
    await page.get_by_label("Email address").fill(email)
    await page.get_by_label("Organisation", exact=True).fill("University of Exeter")
    await page.locator("input[name=stakeholder_group]").first.check()
    await page.get_by_role("button", name="Register").click()
    await expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()


@pytest.mark.parametrize("javascript", [False, True], ids=["without JavaScript", "with JavaScript"])
async def test_an_organiser_builds_the_south_west_meeting_and_moves_it_by_an_hour(
    client: AsyncTestClient[Any],
    accounts: Accounts,
    run: Callable[..., Any],
    server: str,
    browser: Any,
    javascript: bool,
) -> None:
    data = run(_demo)
    page = await _signed_in(browser, server, data["password"], 360, javascript=javascript)
    tag = "JS" if javascript else "no JS"  # both runs share the server's database: names apart
    title, venue, organisation = f"{TITLE} ({tag})", f"Watershed ({tag})", f"South West Access Partnership ({tag})"

    # A venue with two rooms
    await _from_dashboard(page, server, "Venues")
    await page.get_by_label("Venue name").fill(venue)
    await page.get_by_label("Town or city (optional)").fill("Bristol")
    await page.get_by_role("button", name="Add venue").click()
    for name, seats in (("Cinema 1", "120"), ("Cinema 2", "25")):
        await page.locator("#new-room-name").fill(name)
        await page.locator("#new-room-capacity").fill(seats)
        await page.get_by_role("button", name="Add room").click()
        await expect(page.get_by_text(f"{name} added")).to_be_visible()

    # A speaker from an organisation nobody has entered yet
    await _from_dashboard(page, server, "Speakers")
    await page.get_by_label("Name", exact=True).fill(f"Dr Kemi Adeyemi ({tag})")
    await page.get_by_label("Organisation (optional)", exact=True).fill(organisation)
    await page.get_by_label("Stakeholder group of a new organisation (optional)").select_option(
        label="Third-sector organisation"
    )
    await page.get_by_role("button", name="Add speaker").click()
    await page.wait_for_url("**/organiser/speakers/*/edit**")  # added: on to the speaker's own page

    # Its series, and the event in it
    await _from_dashboard(page, server, "Series")
    await page.get_by_label("Title").fill(f"{TITLE} series ({tag})")
    await page.get_by_label("Region (optional)").select_option(label="South West and Wales")
    await page.get_by_role("button", name="Create the series").click()
    await page.get_by_role("link", name="New event in this series").click()
    await page.get_by_label("Title").fill(title)
    await page.get_by_label("Kind of event").select_option(label="Community of practice meeting")
    await page.get_by_label("Starts").fill("2030-06-12T10:00")
    await page.get_by_label("Ends").fill("2030-06-12T13:00")
    await page.get_by_label("Venue", exact=True).select_option(label=f"{venue}, Bristol")
    await page.get_by_label("Places (optional)").fill("40")
    await page.get_by_role("button", name="Create the event").click()
    await expect(page.get_by_text("created as a draft")).to_be_visible()
    edit_url = page.url.split("?")[0]
    slug = edit_url.rsplit("/", 2)[1]

    # Two sessions in the two rooms, the speaker on the first
    await page.get_by_role("link", name="Timetable", exact=True).click()
    await _add_session(
        page,
        "Welcome: what collaboration adds",
        "2030-06-12T10:00",
        "2030-06-12T10:45",
        "Cinema 1 (120 seats)",
        speaker=f"Dr Kemi Adeyemi ({tag}) ({organisation})",
    )
    await _add_session(
        page,
        "Workshop: co-designing outreach",
        "2030-06-12T11:00",
        "2030-06-12T12:00",
        "Cinema 2 (25 seats)",
        kind="Workshop",
        places="20",
    )

    # Published: on the public pages and in the site's calendar feed
    await page.goto(edit_url)
    await page.get_by_role("button", name="Publish").click()
    await expect(page.get_by_text("Published: it is on the public pages now.")).to_be_visible()
    await page.goto(f"{server}/")
    await page.get_by_role("link", name=title).first.click()
    await expect(page.get_by_role("heading", name=title)).to_be_visible()
    await expect(page.get_by_text(f"Dr Kemi Adeyemi ({tag})").first).to_be_visible()
    await expect(page.get_by_text("Workshop: co-designing outreach").first).to_be_visible()
    starts, sequence = await _feed_entry(page, f"{server}/calendar.ics", title)
    assert starts == "10:00"

    # Two delegates register, then the organiser moves the meeting by an hour
    emails = [f"ann-{int(javascript)}@example.org", f"bo-{int(javascript)}@example.org"]
    for name, email in zip(("Ann Hughes", "Bo Carter"), emails, strict=True):
        await _register(page, server, slug, name, email)
    before = len(mails(run))
    await page.goto(edit_url)
    await page.get_by_label("Starts").fill("2030-06-12T11:00")
    await page.get_by_label("Ends").fill("2030-06-12T14:00")
    await page.get_by_role("button", name="Save", exact=True).click()
    await expect(page.get_by_text("2 confirmed, 0 on the waiting list, 0 waiting for approval")).to_be_visible()
    await page.get_by_role("button", name="Save and tell 2 people").first.click()
    await expect(page.get_by_text("Saved; 2 people are told by email.")).to_be_visible()
    assert sorted(to for _, to in mails(run)[before:]) == sorted(emails)  # exactly one email each

    assert await _feed_entry(page, f"{server}/calendar.ics", title) == ("11:00", sequence + 1)
    await page.goto(f"{server}/events/{slug}")
    body = await page.locator("main").inner_text()
    assert "11:00" in body and "12:00" in body  # the meeting and its workshop, an hour later
    assert "10:00" not in body
    await page.goto(f"{server}/organiser/events/{slug}/timetable")
    listing = await page.locator("main").inner_text()
    assert "12:00" in listing and "10:00" not in listing
    await page.context.close()

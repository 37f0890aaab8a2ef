"""The copy and repeat pages, as plain HTML forms: next year's draft from the dashboard in one step, six monthly
seminars previewed and then made, a refusal named next to its box with what was typed kept."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from tests.builders import make_event, make_venue
from tests.conftest import Accounts
from tests.organiser.test_events import field_error
from tests.season.test_copies import event_rows
from tests.season.test_runs import _regions, _seminar


@pytest.fixture
async def csrf(client: AsyncTestClient[Any], organiser: Accounts) -> str:
    await client.get("/organiser/sign-in")
    token = client.cookies.get("csrftoken")
    assert token
    return token


def _value(page: str, name: str) -> str:
    found = re.search(rf'<input id="{name}" name="{name}"[^>]* value="([^"]*)"', page)
    return found.group(1) if found else ""


async def test_next_years_conference_is_a_draft_one_step_from_the_dashboard(
    client: AsyncTestClient[Any], csrf: str, run: Callable[..., Any]
) -> None:
    source = await make_event(
        client, title="National Conference 2030", starts_at="2030-07-02T09:00:00", ends_at="2030-07-02T17:00:00"
    )
    dashboard = await client.get("/organiser")
    link = f'href="/organiser/events/{source["slug"]}/copy">Next year\'s draft'
    assert link in dashboard.text
    edit_links = (await client.get(f"/organiser/events/{source['slug']}/edit")).text
    assert f'href="/organiser/events/{source["slug"]}/copy"' in edit_links
    assert f'href="/organiser/events/{source["slug"]}/repeat"' in edit_links
    page = await client.get(f"/organiser/events/{source['slug']}/copy")
    assert page.status_code == 200
    assert _value(page.text, "date") == "2031-07-01"  # 52 weeks on: a Tuesday again
    assert _value(page.text, "title") == "National Conference 2031"
    assert "Never its registrations" in page.text
    made = await client.post(
        f"/organiser/events/{source['slug']}/copy",
        data={"_csrf_token": csrf, "date": "2031-07-01", "title": "National Conference 2031", "slug": ""},
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text
    assert made.headers["location"].startswith("/organiser/events/national-conference-2031/edit?notice=Copied")
    edit = await client.get(made.headers["location"])
    assert "Draft" in edit.text and "Copied from" in edit.text
    copy = (await client.get("/api/events/national-conference-2031")).json()
    assert copy["starts_at"] == "2031-07-01T09:00:00+01:00" and copy["status"] == "draft"


async def test_a_refused_copy_names_the_box_and_keeps_what_was_typed(
    client: AsyncTestClient[Any], csrf: str, run: Callable[..., Any]
) -> None:
    source = await make_event(client, title="Seminar")
    before = len(event_rows(run))
    taken = await client.post(
        f"/organiser/events/{source['slug']}/copy",
        data={"_csrf_token": csrf, "date": "2031-01-07", "title": "Seminar again", "slug": source["slug"]},
    )
    assert taken.status_code == 400
    assert "already used" in field_error(taken.text, "slug")
    assert _value(taken.text, "title") == "Seminar again"
    no_date = await client.post(
        f"/organiser/events/{source['slug']}/copy", data={"_csrf_token": csrf, "date": "", "title": "x"}
    )
    assert no_date.status_code == 400 and field_error(no_date.text, "date").startswith("First day")
    assert len(event_rows(run)) == before


async def test_six_monthly_seminars_previewed_then_made_in_one_step(
    client: AsyncTestClient[Any], csrf: str, run: Callable[..., Any]
) -> None:
    source = await _seminar(client)
    url = f"/organiser/events/{source['slug']}/repeat"
    form = await client.get(url)
    assert form.status_code == 200
    assert 'id="pattern-monthly" name="pattern" value="monthly" checked' in form.text  # a seminar repeats monthly
    assert '<option value="second" selected>' in form.text and '<option value="tuesday" selected>' in form.text
    asked = {"_csrf_token": csrf, "pattern": "monthly", "week": "second", "weekday": "tuesday", "monthly_count": "6"}
    before = len(event_rows(run))
    preview = await client.post(url, data=asked)
    assert preview.status_code == 200
    assert "6 copies to make" in preview.text
    assert preview.text.count('<li><strong><time datetime="') == 6
    assert "2030-11-12T16:00:00+00:00" in preview.text
    assert len(event_rows(run)) == before
    previewed = re.search(r'name="previewed" value="([^"]+)"', preview.text)
    assert previewed

    changed = await client.post(url, data={**asked, "monthly_count": "7", "step": "make", "previewed": previewed[1]})
    assert "The choices changed since the preview" in changed.text and "7 copies to make" in changed.text
    assert len(event_rows(run)) == before

    made = await client.post(url, data={**asked, "step": "make", "previewed": previewed[1]}, follow_redirects=False)
    assert made.status_code == 303
    assert made.headers["location"].startswith("/organiser/series/seminar-series/edit?notice=6+copies")
    assert len(event_rows(run)) == before + 6
    series_page = await client.get(made.headers["location"])
    assert series_page.text.count("Draft") >= 6


async def test_a_round_of_regional_meetings_through_the_page(
    client: AsyncTestClient[Any], csrf: str, run: Callable[..., Any]
) -> None:
    regions = await _regions(client, run)
    south_west = regions["south-west"]
    source = await make_event(
        client,
        title="South West Community of Practice: spring meeting",
        kind="community_meeting",
        starts_at="2030-03-04T14:00:00",
        ends_at="2030-03-04T16:00:00",
        series_id=south_west["series"]["id"],
        venue_id=south_west["venue"]["id"],
    )
    url = f"/organiser/events/{source['slug']}/repeat"
    form = await client.get(url)
    assert 'id="pattern-regions" name="pattern" value="regions" checked' in form.text
    assert form.text.count('name="region" value="') == 5
    midlands_venue = str(regions["midlands"]["venue"]["id"])
    other_venue = str((await make_venue(client, name="Civic Centre"))["id"])
    asked = {
        "_csrf_token": csrf,
        "pattern": "regions",
        "date": "2030-06-03",
        "region": ["south-west", "midlands", "london"],
        "venue-south-west": str(south_west["venue"]["id"]),
        "venue-midlands": midlands_venue,
        "venue-london": other_venue,
    }
    preview = await client.post(url, data=asked)
    assert "3 copies to make" in preview.text
    assert "Midlands Community of Practice: spring meeting" in preview.text and "at Civic Centre" in preview.text
    previewed = re.search(r'name="previewed" value="([^"]+)"', preview.text)
    assert previewed
    before = len(event_rows(run))
    made = await client.post(url, data={**asked, "step": "make", "previewed": previewed[1]}, follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"].startswith("/organiser?notice=3+copies")
    assert len(event_rows(run)) == before + 3

    no_date = await client.post(url, data={**asked, "date": ""})
    assert no_date.status_code == 400 and field_error(no_date.text, "date").startswith("Date")
    bad_venue = await client.post(url, data={**asked, "venue-midlands": "999999"})
    assert bad_venue.status_code == 400 and "no venue" in field_error(bad_venue.text, "venue-midlands")

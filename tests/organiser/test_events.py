"""The organisers' series and event pages, as plain HTML forms (no JavaScript): every refusal named next to its
field with the values kept, a venue made on the spot, publishing, cancelling, and who is told before a change of
time, place or status is saved."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from events_app.people.services import ensure_default_groups
from tests.builders import DAY, make_event, make_session, make_venue
from tests.conftest import Accounts
from tests.registration.conftest import mails, register

TITLE = "Regional community of practice, South West"


@pytest.fixture
async def csrf(client: AsyncTestClient[Any], organiser: Accounts) -> str:
    """The CSRF token of a client signed in as an organiser."""
    await client.get("/organiser/sign-in")
    token = client.cookies.get("csrftoken")
    assert token
    return token


def event_form(csrf: str, **values: str) -> dict[str, str]:
    """The new-event form as a browser posts it: every box, empty ones included, ticked boxes as "yes"."""
    return {
        "_csrf_token": csrf,
        "title": TITLE,
        "kind": "community_meeting",
        "series_id": "",
        "status": "draft",
        "summary": "",
        "description": "",
        "timezone": "Europe/London",
        "starts_at": f"{DAY}T10:00",
        "ends_at": f"{DAY}T16:00",
        "venue_id": "",
        "new_venue_name": "",
        "new_venue_city": "",
        "online_url": "",
        "capacity": "",
        "waitlist_enabled": "yes",
        "registration_opens_at": "",
        "registration_closes_at": "",
        **values,
    }


def field_error(page: str, field: str) -> str:
    """The message shown next to a field (empty if none)."""
    found = re.search(rf'<p id="{field}-error" class="field-error">([^<]*)</p>', page)
    return found.group(1).replace("&#39;", "'") if found else ""


async def create(client: AsyncTestClient[Any], csrf: str, **values: str) -> str:
    """Create an event with the form; its slug."""
    response = await client.post("/organiser/events/new", data=event_form(csrf, **values), follow_redirects=False)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    found = re.match(r"/organiser/events/([^/]+)/edit\?notice=", location)
    assert found, location
    return found.group(1)


async def api_event(client: AsyncTestClient[Any], slug: str) -> dict[str, Any]:
    response = await client.get(f"/api/events/{slug}")
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def edit_form(csrf: str, event: dict[str, Any], **values: str) -> dict[str, str]:
    """The edit form of an event as its page fills it, with some boxes changed."""
    filled = {
        "title": event["title"],
        "kind": event["kind"],
        "status": event["status"],
        "series_id": str(event["series"]["id"]) if event["series"] else "",
        "venue_id": str(event["venue"]["id"]) if event["venue"] else "",
        "online_url": event["online_url"],
        "summary": event["summary"],
        "capacity": "" if event["capacity"] is None else str(event["capacity"]),
        "starts_at": event["starts_at"][:16],
        "ends_at": event["ends_at"][:16],
        "waitlist_enabled": "yes" if event["waitlist_enabled"] else "",
    }
    return event_form(csrf, **{**filled, **values})


# Series ------------------------------------------------------------------------------------------------------


async def test_a_series_is_made_listed_and_changed(client: AsyncTestClient[Any], csrf: str) -> None:
    made = await client.post(
        "/organiser/series",
        data={"_csrf_token": csrf, "title": "Regional communities", "description": "", "region_id": ""},
        follow_redirects=False,
    )
    assert made.status_code == 303
    assert made.headers["location"].startswith("/organiser/series/regional-communities/edit?notice=")
    listed = await client.get("/organiser/series")
    assert "Regional communities" in listed.text and "/organiser/series/regional-communities/edit" in listed.text

    edit = await client.get("/organiser/series/regional-communities/edit")
    assert edit.status_code == 200 and "/organiser/series/regional-communities/feedback" in edit.text
    assert "/organiser/events/new?series=regional-communities" in edit.text
    changed = await client.post(
        "/organiser/series/regional-communities/edit",
        data={"_csrf_token": csrf, "title": "Regional communities of practice", "description": "Five regions"},
        follow_redirects=False,
    )
    assert changed.status_code == 303
    series = (await client.get("/api/series/regional-communities")).json()
    assert series["title"] == "Regional communities of practice" and series["description"] == "Five regions"


async def test_a_series_form_names_what_is_wrong_and_keeps_the_values(client: AsyncTestClient[Any], csrf: str) -> None:
    refused = await client.post(
        "/organiser/series",
        data={"_csrf_token": csrf, "title": "", "description": "Kept as typed", "region_id": "999999"},
    )
    assert refused.status_code == 400
    assert field_error(refused.text, "title") == "Title: please fill this in"
    assert field_error(refused.text, "region_id") == "Region: please choose one from the list"
    assert "Kept as typed" in refused.text
    assert (await client.get("/api/series")).json() == []

    await client.post("/organiser/series", data={"_csrf_token": csrf, "title": "Forum"})
    refused = await client.post("/organiser/series/forum/edit", data={"_csrf_token": csrf, "title": " "})
    assert refused.status_code == 400 and field_error(refused.text, "title") == "Title: please fill this in"
    missing = await client.get("/organiser/series/no-such-series/edit")
    assert missing.status_code == 404


# A new event ---------------------------------------------------------------------------------------------------


async def test_an_event_is_made_with_a_new_venue_and_times_in_its_zone(client: AsyncTestClient[Any], csrf: str) -> None:
    await client.post("/organiser/series", data={"_csrf_token": csrf, "title": "Communities of practice"})
    series_id = str((await client.get("/api/series/communities-of-practice")).json()["id"])
    form = await client.get("/organiser/events/new?series=communities-of-practice")
    assert f'<option value="{series_id}" selected>' in form.text
    assert "Times in Europe/London" in form.text

    slug = await create(
        client, csrf, series_id=series_id, new_venue_name="Watershed", new_venue_city="Bristol", capacity="40"
    )
    event = await api_event(client, slug)
    assert event["venue"]["name"] == "Watershed" and event["venue"]["city"] == "Bristol"
    assert event["starts_at"] == f"{DAY}T10:00:00+01:00"  # typed as UK time, in summer time
    assert event["series"]["slug"] == "communities-of-practice" and event["capacity"] == 40
    assert event["status"] == "draft"

    page = await client.get(f"/organiser/events/{slug}/edit?notice=Created")
    assert page.status_code == 200
    assert f'value="{DAY}T10:00"' in page.text and "Times in Europe/London" in page.text
    for link in (f"/organiser/events/{slug}/timetable", f"/organiser/events/{slug}/registrations", f"/events/{slug}"):
        assert f'href="{link}"' in page.text
    assert ">Publish</button>" in page.text

    in_tokyo = await create(client, csrf, title="Online seminar", timezone="Asia/Tokyo", online_url="https://x.example")
    assert (await api_event(client, in_tokyo))["starts_at"] == f"{DAY}T10:00:00+09:00"


async def test_a_new_event_is_refused_with_every_wrong_field_named(client: AsyncTestClient[Any], csrf: str) -> None:
    by_hand = await client.post(
        "/organiser/events/new",
        data=event_form(csrf, kind="webinar", status="Published", capacity="lots", starts_at="tomorrow"),
    )
    assert by_hand.status_code == 400
    assert field_error(by_hand.text, "kind") == "Kind of event: please choose one of the kinds of event listed"
    assert field_error(by_hand.text, "status") == "Status: please choose one of the statuses listed"
    assert field_error(by_hand.text, "capacity").startswith("Places: should be a whole number")
    assert field_error(by_hand.text, "starts_at") == "Starts: please give a date and a time, like 2030-06-12 09:30"
    assert 'href="#kind"' in by_hand.text and 'aria-invalid="true"' in by_hand.text
    assert f'value="{TITLE}"' in by_hand.text.replace("&#39;", "'")  # what was typed stays

    ends_first = await client.post("/organiser/events/new", data=event_form(csrf, ends_at=f"{DAY}T09:00"))
    assert ends_first.status_code == 400
    assert field_error(ends_first.text, "ends_at") == "The event must end after it starts"
    assert f'value="{DAY}T09:00"' in ends_first.text

    closes_late = await client.post(
        "/organiser/events/new", data=event_form(csrf, registration_closes_at=f"{DAY}T17:00")
    )
    assert closes_late.status_code == 400
    assert field_error(closes_late.text, "registration_closes_at") == "Registration must close by the end of the event"

    nowhere = await client.post("/organiser/events/new", data=event_form(csrf, status="published"))
    assert nowhere.status_code == 400
    assert field_error(nowhere.text, "venue_id") == "A published event needs a venue, unless it is held online only"

    unknown_zone = await client.post("/organiser/events/new", data=event_form(csrf, timezone="Mars/Olympus"))
    assert unknown_zone.status_code == 400
    assert field_error(unknown_zone.text, "timezone") == "Time zone: please choose one of the time zones listed"

    assert (await client.get("/api/events")).json()["total"] == 0


async def test_a_refused_event_leaves_no_venue_behind(client: AsyncTestClient[Any], csrf: str) -> None:
    """The venue named on the form and the event are one write: a refused event makes no venue."""
    refused = await client.post(
        "/organiser/events/new", data=event_form(csrf, ends_at=f"{DAY}T09:00", new_venue_name="Watershed")
    )
    assert refused.status_code == 400 and 'value="Watershed"' in refused.text
    assert (await client.get("/api/venues")).json() == []

    venue = await make_venue(client, name="Kingsgate")
    both = await client.post(
        "/organiser/events/new", data=event_form(csrf, venue_id=str(venue["id"]), new_venue_name="Watershed")
    )
    assert both.status_code == 400
    assert "not both" in field_error(both.text, "new_venue_name")


# Changing an event -----------------------------------------------------------------------------------------------


async def test_sessions_outside_the_new_times_are_refused(client: AsyncTestClient[Any], csrf: str) -> None:
    event = await make_event(client, status="draft")
    await make_session(client, event["slug"], starts_at=f"{DAY}T15:00:00", ends_at=f"{DAY}T16:00:00")
    refused = await client.post(
        f"/organiser/events/{event['slug']}/edit", data=edit_form(csrf, event, ends_at=f"{DAY}T15:30")
    )
    assert refused.status_code == 400
    assert "1 session(s) would fall outside the event's new times" in field_error(refused.text, "ends_at")
    assert (await api_event(client, event["slug"]))["ends_at"] == event["ends_at"]


async def test_a_change_nobody_feels_is_saved_at_once(
    client: AsyncTestClient[Any], csrf: str, run: Callable[..., Any]
) -> None:
    run(ensure_default_groups)
    event = await make_event(client, capacity=10)
    await register(client, event["slug"], 1)
    saved = await client.post(
        f"/organiser/events/{event['slug']}/edit",
        data=edit_form(csrf, event, summary="Bring a colleague", capacity="12"),
        follow_redirects=False,
    )
    assert saved.status_code == 303 and saved.headers["location"].endswith("?notice=Saved.")
    after = await api_event(client, event["slug"])
    assert after["summary"] == "Bring a colleague" and after["capacity"] == 12


async def test_a_new_time_shows_who_will_be_told_and_is_saved_when_confirmed(
    client: AsyncTestClient[Any], csrf: str, run: Callable[..., Any]
) -> None:
    run(ensure_default_groups)
    event = await make_event(client, capacity=1, waitlist_enabled=True)
    await register(client, event["slug"], 1)
    await register(client, event["slug"], 2)  # on the waiting list
    before_mails = len(mails(run))
    moved = edit_form(csrf, event, starts_at=f"{DAY}T10:00", ends_at=f"{DAY}T18:00")

    asked = await client.post(f"/organiser/events/{event['slug']}/edit", data=moved)
    assert asked.status_code == 200
    assert "Check before saving" in asked.text
    assert "1 confirmed, 1 on the waiting list, 0 waiting for approval" in asked.text
    assert "Save and tell 2 people" in asked.text
    assert "becomes Wednesday 12 June 2030, 10:00 to 18:00" in asked.text
    assert (await api_event(client, event["slug"]))["starts_at"] == event["starts_at"]  # nothing saved yet
    assert len(mails(run)) == before_mails

    confirm = re.search(r'name="confirm" value="([0-9a-f]+)"', asked.text)
    assert confirm
    # The form changed after the question: asked again, not saved.
    other = await client.post(
        f"/organiser/events/{event['slug']}/edit", data={**moved, "ends_at": f"{DAY}T19:00", "confirm": confirm[1]}
    )
    assert other.status_code == 200 and "Check before saving" in other.text
    assert (await api_event(client, event["slug"]))["starts_at"] == event["starts_at"]

    saved = await client.post(
        f"/organiser/events/{event['slug']}/edit", data={**moved, "confirm": confirm[1]}, follow_redirects=False
    )
    assert saved.status_code == 303
    assert "2 people are told by email" in saved.headers["location"].replace("+", " ")
    after = await api_event(client, event["slug"])
    assert after["starts_at"] == f"{DAY}T10:00:00+01:00" and after["ends_at"] == f"{DAY}T18:00:00+01:00"
    told = [to for kind, to in mails(run)[before_mails:] if kind == "event_changed"]
    assert sorted(told) == ["delegate1@example.org", "delegate2@example.org"]  # one email each


async def test_a_new_place_with_a_new_venue_is_asked_about_first(
    client: AsyncTestClient[Any], csrf: str, run: Callable[..., Any]
) -> None:
    run(ensure_default_groups)
    event = await make_event(client)
    await register(client, event["slug"], 1)
    moved = edit_form(csrf, event, online_url="", new_venue_name="Watershed", new_venue_city="Bristol")
    asked = await client.post(f"/organiser/events/{event['slug']}/edit", data=moved)
    assert asked.status_code == 200 and "Save and tell 1 person" in asked.text and "Watershed" in asked.text
    assert (await client.get("/api/venues")).json() == []  # asking made nothing
    confirm = re.search(r'name="confirm" value="([0-9a-f]+)"', asked.text)
    assert confirm
    saved = await client.post(
        f"/organiser/events/{event['slug']}/edit", data={**moved, "confirm": confirm[1]}, follow_redirects=False
    )
    assert saved.status_code == 303
    assert (await api_event(client, event["slug"]))["venue"]["name"] == "Watershed"


async def test_an_edit_refused_by_a_rule_is_refused_before_anyone_is_asked(
    client: AsyncTestClient[Any], csrf: str, run: Callable[..., Any]
) -> None:
    run(ensure_default_groups)
    event = await make_event(client)
    await register(client, event["slug"], 1)
    refused = await client.post(
        f"/organiser/events/{event['slug']}/edit", data=edit_form(csrf, event, ends_at=f"{DAY}T08:00")
    )
    assert refused.status_code == 400 and "Check before saving" not in refused.text
    assert field_error(refused.text, "ends_at") == "The event must end after it starts"
    by_hand = await client.post(
        f"/organiser/events/{event['slug']}/edit", data=edit_form(csrf, event, kind="webinar", status="Published")
    )
    assert by_hand.status_code == 400
    assert field_error(by_hand.text, "kind") and field_error(by_hand.text, "status")
    assert (await api_event(client, event["slug"]))["kind"] == "conference"


# Publishing and cancelling -----------------------------------------------------------------------------------------


async def test_publishing_needs_a_place(client: AsyncTestClient[Any], csrf: str) -> None:
    slug = await create(client, csrf)
    refused = await client.post(f"/organiser/events/{slug}/publish", data={"_csrf_token": csrf})
    assert refused.status_code == 400
    assert field_error(refused.text, "venue_id") == "A published event needs a venue, unless it is held online only"
    assert (await api_event(client, slug))["status"] == "draft"

    event = await api_event(client, slug)
    await client.post(
        f"/organiser/events/{slug}/edit", data=edit_form(csrf, event, online_url="https://meet.example.org")
    )
    published = await client.post(
        f"/organiser/events/{slug}/publish", data={"_csrf_token": csrf}, follow_redirects=False
    )
    assert published.status_code == 303
    assert (await api_event(client, slug))["status"] == "published"
    client.cookies.clear()
    assert (await client.get(f"/events/{slug}")).status_code == 200  # on the public pages


async def test_cancelling_asks_first_and_tells_everyone(
    client: AsyncTestClient[Any], csrf: str, run: Callable[..., Any]
) -> None:
    run(ensure_default_groups)
    event = await make_event(client, capacity=1, waitlist_enabled=True)
    await register(client, event["slug"], 1)
    await register(client, event["slug"], 2)
    page = await client.get(f"/organiser/events/{event['slug']}/cancel")
    assert page.status_code == 200
    assert "1 confirmed, 1 on the waiting list, 0 waiting for approval" in page.text
    assert "Cancel the event and tell 2 people" in page.text

    unconfirmed = await client.post(f"/organiser/events/{event['slug']}/cancel", data={"_csrf_token": csrf})
    assert unconfirmed.status_code == 400 and "nothing has changed yet" in unconfirmed.text
    assert (await api_event(client, event["slug"]))["status"] == "published"

    before_mails = len(mails(run))
    cancelled = await client.post(
        f"/organiser/events/{event['slug']}/cancel",
        data={"_csrf_token": csrf, "confirm": "yes"},
        follow_redirects=False,
    )
    assert cancelled.status_code == 303
    assert (await api_event(client, event["slug"]))["status"] == "cancelled"
    told = sorted(to for kind, to in mails(run)[before_mails:] if kind == "event_cancelled")
    assert told == ["delegate1@example.org", "delegate2@example.org"]
    edit = await client.get(cancelled.headers["location"])
    assert "Cancel this event" not in edit.text and "The event is cancelled; 2 people are told by email." in edit.text


async def test_cancelling_by_the_status_choice_asks_first_too(
    client: AsyncTestClient[Any], csrf: str, run: Callable[..., Any]
) -> None:
    run(ensure_default_groups)
    event = await make_event(client)
    await register(client, event["slug"], 1)
    asked = await client.post(
        f"/organiser/events/{event['slug']}/edit", data=edit_form(csrf, event, status="cancelled")
    )
    assert asked.status_code == 200 and "Save and tell 1 person" in asked.text
    assert "Every registration is cancelled" in asked.text
    assert (await api_event(client, event["slug"]))["status"] == "published"


async def test_moving_an_event_by_an_hour_takes_its_timetable_and_tells_each_person_once(
    client: AsyncTestClient[Any], csrf: str, run: Callable[..., Any]
) -> None:
    run(ensure_default_groups)
    event = await make_event(client)
    session = await make_session(client, event["slug"], starts_at=f"{DAY}T16:00:00", ends_at=f"{DAY}T17:00:00")
    await register(client, event["slug"], 1)
    await register(client, event["slug"], 2)
    feed = await client.get(f"/events/{event['slug']}/calendar.ics")
    assert "SEQUENCE:0" in feed.text
    before_mails = len(mails(run))
    moved = edit_form(csrf, event, starts_at=f"{DAY}T10:00", ends_at=f"{DAY}T18:00")
    asked = await client.post(f"/organiser/events/{event['slug']}/edit", data=moved)
    assert "Save and tell 2 people" in asked.text
    confirm = re.search(r'name="confirm" value="([0-9a-f]+)"', asked.text)
    assert confirm
    saved = await client.post(
        f"/organiser/events/{event['slug']}/edit", data={**moved, "confirm": confirm[1]}, follow_redirects=False
    )
    assert saved.status_code == 303
    after = await api_event(client, event["slug"])
    assert after["sessions"][0]["id"] == session["id"]
    assert after["sessions"][0]["starts_at"] == f"{DAY}T17:00:00+01:00"  # moved with the event
    told = sorted(to for _, to in mails(run)[before_mails:])
    assert told == ["delegate1@example.org", "delegate2@example.org"]  # one email each, nothing else
    feed = await client.get(f"/events/{event['slug']}/calendar.ics")
    assert "SEQUENCE:1" in feed.text and "SEQUENCE:0" not in feed.text


async def test_a_move_that_would_double_book_a_room_names_the_clash(client: AsyncTestClient[Any], csrf: str) -> None:
    venue = await make_venue(client)
    room = venue["rooms"][0]["id"]
    event = await make_event(client, status="draft", venue_id=venue["id"])
    other = await make_event(client, title="Forum", status="draft", venue_id=venue["id"], ends_at=f"{DAY}T19:00:00")
    await make_session(client, event["slug"], starts_at=f"{DAY}T16:00:00", ends_at=f"{DAY}T17:00:00", room_id=room)
    await make_session(
        client, other["slug"], title="Forum panel", starts_at=f"{DAY}T17:00:00", ends_at=f"{DAY}T18:00:00", room_id=room
    )
    refused = await client.post(
        f"/organiser/events/{event['slug']}/edit",
        data=edit_form(csrf, event, starts_at=f"{DAY}T10:00", ends_at=f"{DAY}T18:00"),
    )
    assert refused.status_code == 400
    assert field_error(refused.text, "starts_at") == "Room A is already booked for 'Forum panel' from 17:00 to 18:00"
    assert (await api_event(client, event["slug"]))["starts_at"] == event["starts_at"]


async def test_a_series_or_venue_posted_by_hand_must_be_one_listed(client: AsyncTestClient[Any], csrf: str) -> None:
    event = await make_event(client, status="draft")
    refused = await client.post(
        f"/organiser/events/{event['slug']}/edit", data=edit_form(csrf, event, series_id="999999", venue_id="x")
    )
    assert refused.status_code == 400
    assert field_error(refused.text, "venue_id") == "Venue: please choose one from the list"
    unknown = await client.post(
        f"/organiser/events/{event['slug']}/edit", data=edit_form(csrf, event, series_id="999999")
    )
    assert unknown.status_code == 400
    assert field_error(unknown.text, "series_id") == "Series: please choose one from the list"


def test_every_zone_offered_is_a_known_zone_and_an_events_own_zone_stays_a_choice() -> None:
    from events_app.core.timezones import COMMON_ZONES, zone
    from events_app.organiser.event_form import zone_choices

    assert COMMON_ZONES[:2] == ("Europe/London", "UTC") and len(set(COMMON_ZONES)) == len(COMMON_ZONES)
    for name in COMMON_ZONES:
        zone(name)  # refuses an unknown zone
    assert "America/Sao_Paulo" in zone_choices("America/Sao_Paulo")
    assert zone_choices("UTC") == list(COMMON_ZONES)

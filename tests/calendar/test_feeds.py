"""Calendar feeds that calendar apps accept: parsed back by icalendar and by vobject, right across the clocks
changing, SEQUENCE raised on change, cancellations kept, text folded and escaped, secrets kept secret."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import icalendar
import pytest
import vobject
from litestar.testing import AsyncTestClient

from events_app.people.services import ensure_default_groups
from tests.builders import DAY, make_event, make_session, make_speaker, make_venue
from tests.conftest import Accounts
from tests.registration.conftest import manage_token, register

CALENDAR = "text/calendar; charset=utf-8"


def parse(body: bytes) -> tuple[icalendar.Calendar, Any]:
    """The same bytes through two independent parsers."""
    first = icalendar.Calendar.from_ical(body)
    second = vobject.readOne(body.decode("utf-8"))
    return first, second


def vevents(cal: icalendar.Calendar) -> list[Any]:
    """The VEVENTs; Any, as icalendar types a property as a union of every value type."""
    return list(cal.walk("VEVENT"))


def utc(value: Any) -> datetime:
    moment: datetime = value.dt if hasattr(value, "dt") else value
    return moment.astimezone(UTC)


async def _conference(client: AsyncTestClient[Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    venue = await make_venue(client, rooms=("Main Hall", "Room A"))
    rooms = {r["name"]: r["id"] for r in venue["rooms"]}
    event = await make_event(client, venue_id=venue["id"], capacity=50)
    speaker = await make_speaker(client, "Amara Okafor")
    sessions = [
        await make_session(
            client,
            event["slug"],
            title="Opening keynote",
            kind="keynote",
            room_id=rooms["Main Hall"],
            starts_at=f"{DAY}T09:30:00",
            ends_at=f"{DAY}T10:15:00",
            speakers=[{"speaker_id": speaker["id"]}],
        ),
        await make_session(
            client, event["slug"], title="Coffee", kind="break", starts_at=f"{DAY}T10:15:00", ends_at=f"{DAY}T10:30:00"
        ),
        await make_session(
            client,
            event["slug"],
            title="Workshop",
            kind="workshop",
            room_id=rooms["Room A"],
            starts_at=f"{DAY}T10:30:00",
            ends_at=f"{DAY}T12:00:00",
            capacity=10,
        ),
    ]
    return event, sessions


async def test_an_event_feed_has_its_sessions_as_entries(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    event, sessions = await _conference(client)
    response = await client.get(f"/events/{event['slug']}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["content-type"] == CALENDAR
    assert f'filename="{event["slug"]}.ics"' in response.headers["content-disposition"]
    cal, second = parse(response.content)

    assert str(cal["X-WR-CALNAME"]) == "National Conference"
    assert cal["REFRESH-INTERVAL"].to_ical() == b"PT6H"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    entries = vevents(cal)
    assert [str(e["SUMMARY"]) for e in entries] == [
        "Opening keynote (National Conference)",
        "Workshop (National Conference)",
    ]
    keynote = entries[0]
    assert str(keynote["UID"]) == f"session-{sessions[0]['id']}@localhost"
    assert keynote["DTSTART"].dt.tzinfo is not None and str(keynote["DTSTART"].params["TZID"]) == "Europe/London"
    assert utc(keynote["DTSTART"]) == datetime(2030, 6, 12, 8, 30, tzinfo=UTC)  # 09:30 BST
    assert str(keynote["LOCATION"]).startswith("Main Hall, Kingsgate Centre, 1 Kingsgate Square")
    assert keynote["GEO"].latitude == pytest.approx(51.5246)
    assert "Speakers: Amara Okafor" in str(keynote["DESCRIPTION"])
    assert "meet.example.org" not in str(keynote["DESCRIPTION"])  # the meeting's address is not public
    assert str(keynote["URL"]).endswith(f"{event['url']}#session-{sessions[0]['id']}")
    assert str(keynote["STATUS"]) == "CONFIRMED"
    assert int(keynote["SEQUENCE"]) == 0
    assert keynote["DTSTAMP"] and keynote["LAST-MODIFIED"]
    # The second parser reads the same entries and the same instants.
    assert [v.summary.value for v in second.vevent_list] == [str(e["SUMMARY"]) for e in entries]
    assert second.vevent_list[0].dtstart.value.astimezone(UTC) == datetime(2030, 6, 12, 8, 30, tzinfo=UTC)


async def test_an_event_without_a_timetable_is_one_entry_and_drafts_have_no_feed(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    seminar = await make_event(client, title="Seminar", kind="seminar")
    cal, _ = parse((await client.get(f"/events/{seminar['slug']}/calendar.ics")).content)
    [entry] = vevents(cal)
    assert str(entry["UID"]) == f"event-{seminar['id']}@localhost"
    draft = await make_event(client, title="Draft", status="draft")
    await organiser.sign_in("anonymous")
    assert (await client.get(f"/events/{draft['slug']}/calendar.ics")).status_code == 404


@pytest.mark.parametrize(
    ("starts", "ends"),
    [
        # Last Sunday of October 2030 (27th): 01:30 BST happens, then 01:30 GMT an hour later.
        ("2030-10-27T00:30:00Z", "2030-10-27T01:15:00Z"),  # 01:30 BST to 01:15 GMT (the repeated hour)
        ("2030-10-27T01:30:00Z", "2030-10-27T03:00:00Z"),  # 01:30 GMT (the second one) to 03:00 GMT
        ("2030-10-26T17:00:00Z", "2030-10-26T19:00:00Z"),  # the evening before, BST
        ("2030-10-28T18:00:00Z", "2030-10-28T20:00:00Z"),  # the evening after, GMT
        # Last Sunday of March 2030 (31st): 01:00 GMT becomes 02:00 BST.
        ("2030-03-31T00:30:00Z", "2030-03-31T02:00:00Z"),  # 00:30 GMT to 03:00 BST, across the jump
        ("2030-03-30T10:00:00Z", "2030-03-30T12:00:00Z"),  # the day before, GMT
        ("2030-04-01T09:00:00Z", "2030-04-01T11:00:00Z"),  # the day after, BST
    ],
)
async def test_times_are_right_on_both_sides_of_the_clocks_changing(
    client: AsyncTestClient[Any], organiser: Accounts, starts: str, ends: str
) -> None:
    event = await make_event(client, title="Night seminar", kind="seminar", starts_at=starts, ends_at=ends)
    cal, second = parse((await client.get(f"/events/{event['slug']}/calendar.ics")).content)
    [entry] = vevents(cal)
    expected = (datetime.fromisoformat(starts), datetime.fromisoformat(ends))
    assert (utc(entry["DTSTART"]), utc(entry["DTEND"])) == expected
    [other] = second.vevent_list
    assert (other.dtstart.value.astimezone(UTC), other.dtend.value.astimezone(UTC)) == expected


async def test_a_changed_session_time_raises_sequence_and_keeps_its_uid(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    event, sessions = await _conference(client)
    before = vevents(parse((await client.get(f"/events/{event['slug']}/calendar.ics")).content)[0])
    moved = await client.patch(
        f"/api/sessions/{sessions[2]['id']}", json={"starts_at": f"{DAY}T11:00:00", "ends_at": f"{DAY}T12:30:00"}
    )
    assert moved.status_code == 200
    retitled = await client.patch(
        f"/api/sessions/{sessions[0]['id']}", json={"title": "Opening keynote: what collaboration adds"}
    )
    assert retitled.status_code == 200
    after = vevents(parse((await client.get(f"/events/{event['slug']}/calendar.ics")).content)[0])
    by_uid = {str(e["UID"]): e for e in after}
    workshop = by_uid[str(before[1]["UID"])]
    assert int(workshop["SEQUENCE"]) == int(before[1]["SEQUENCE"]) + 1
    assert utc(workshop["DTSTART"]) == datetime(2030, 6, 12, 10, 0, tzinfo=UTC)
    assert int(by_uid[str(before[0]["UID"])]["SEQUENCE"]) == 0  # a new title is not a new time or place


async def test_cancelled_items_stay_in_feeds_marked_cancelled(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    event, sessions = await _conference(client)
    await client.patch(f"/api/sessions/{sessions[2]['id']}", json={"status": "cancelled"})
    entries = {
        str(e["SUMMARY"]): e
        for e in vevents(parse((await client.get(f"/events/{event['slug']}/calendar.ics")).content)[0])
    }
    assert str(entries["Workshop (National Conference)"]["STATUS"]) == "CANCELLED"
    assert str(entries["Opening keynote (National Conference)"]["STATUS"]) == "CONFIRMED"
    series = (await client.post("/api/series", json={"title": "Seminar series"})).json()
    seminar = await make_event(client, title="Seminar", kind="seminar", series_id=series["id"])
    await client.patch(f"/api/events/{seminar['slug']}", json={"status": "cancelled"})
    [gone] = vevents(parse((await client.get(f"/series/{series['slug']}/calendar.ics")).content)[0])
    assert str(gone["STATUS"]) == "CANCELLED"
    assert int(gone["SEQUENCE"]) == 1


async def test_long_welsh_and_accented_text_is_folded_and_escaped(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    title = "Seminar yn Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch: café, crème; «STEM»"
    summary = "Trafodaeth ddwyieithog; bilingual discussion, with commas, semicolons; and a backslash \\ " * 3
    venue = await make_venue(client, name="Canolfan Ŵyl Dewi Sant, Aberystwyth")
    event = await make_event(client, title=title, kind="seminar", summary=summary[:500], venue_id=venue["id"])
    body = (await client.get(f"/events/{event['slug']}/calendar.ics")).content
    assert all(len(line) <= 75 for line in body.split(b"\r\n")), "every line folded to 75 octets"
    assert b"\\;" in body and b"\\," in body
    cal, second = parse(body)
    [entry] = vevents(cal)
    assert str(entry["SUMMARY"]) == title
    assert str(entry["DESCRIPTION"]).startswith(summary[:500].strip())
    assert str(entry["LOCATION"]).startswith("Canolfan Ŵyl Dewi Sant, Aberystwyth")
    assert second.vevent_list[0].summary.value == title


async def test_conditional_gets_answer_304(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    event = await make_event(client, title="Seminar", kind="seminar")
    path = f"/events/{event['slug']}/calendar.ics"
    first = await client.get(path)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert first.headers["cache-control"] == "public, max-age=300"
    assert (await client.get(path, headers={"if-none-match": etag})).status_code == 304
    assert (await client.get(path, headers={"if-modified-since": modified})).status_code == 304
    assert (await client.get(path, headers={"if-none-match": '"something-else"'})).status_code == 200
    await client.patch(f"/api/events/{event['slug']}", json={"title": "Seminar, renamed"})
    changed = await client.get(path, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    download = await client.get(path, params={"download": "true"})
    assert download.headers["content-disposition"].startswith("attachment")


async def test_the_all_events_feed_lists_what_is_public(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    public = await make_event(client, title="Public seminar", kind="seminar")
    await make_event(client, title="Draft seminar", kind="seminar", status="draft")
    cal, _ = parse((await client.get("/calendar.ics")).content)
    assert [str(e["UID"]) for e in vevents(cal)] == [f"event-{public['id']}@localhost"]


async def test_a_delegates_own_feed_holds_exactly_their_places(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    run(ensure_default_groups)
    event, sessions = await _conference(client)
    full = await make_event(client, title="Full seminar", kind="seminar", capacity=1)
    elsewhere = await make_event(client, title="Another seminar", kind="seminar")
    await register(client, full["slug"], "first")
    mine = await register(client, event["slug"], 1, session_ids=[sessions[2]["id"]])
    await register(client, full["slug"], 1)  # waitlisted: not in the feed
    await register(client, elsewhere["slug"], 2)  # someone else's
    await organiser.sign_in("anonymous")

    manage = (await client.get(f"/my/{manage_token(run, 'delegate1@example.org')}")).text
    feed_path = re.search(r'href="(/calendar/[A-Za-z0-9_\-]+\.ics)\?download=1"', manage)
    assert feed_path, "the manage page links to the personal feed"
    assert "webcal://" in manage and "calendar.google.com" in manage and "outlook.live.com" in manage
    response = await client.get(feed_path.group(1))
    assert response.status_code == 200
    assert response.headers["cache-control"].startswith("private")
    cal, second = parse(response.content)
    assert sorted(str(e["UID"]) for e in vevents(cal)) == sorted(
        [f"event-{event['id']}@localhost", f"session-{sessions[2]['id']}@localhost"]
    )
    assert len(second.vevent_list) == 2

    token = manage_token(run, "delegate1@example.org")
    await client.post(f"/api/my/{token}/registrations/{mine['registration']['id']}/cancel")
    after = {str(e["UID"]): e for e in vevents(parse((await client.get(feed_path.group(1))).content)[0])}
    assert {str(e["STATUS"]) for e in after.values()} == {"CANCELLED"}  # kept, so calendars remove them

    other_manage = (await client.get(f"/my/{manage_token(run, 'delegate2@example.org')}")).text
    other_path = re.search(r'href="(/calendar/[A-Za-z0-9_\-]+\.ics)\?download=1"', other_manage)
    assert other_path and other_path.group(1) != feed_path.group(1)
    assert (await client.get("/calendar/not-a-real-token.ics")).status_code == 404

    await organiser.sign_in("organiser")
    turned = await client.post(f"/api/delegates/{mine['registration']['delegate_id']}/calendar-token")
    assert turned.status_code == 200
    await organiser.sign_in("anonymous")
    old = await client.get(feed_path.group(1))
    assert old.status_code == 404
    assert b"BEGIN:VCALENDAR" not in old.content
    assert (await client.get(turned.json()["feed_url"].split("testserver.local", 1)[1])).status_code == 200


async def test_pages_offer_subscribe_and_add_links(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    series = (await client.post("/api/series", json={"title": "Seminar series"})).json()
    event = await make_event(client, title="Seminar", kind="seminar", series_id=series["id"])
    page = (await client.get(event["url"])).text
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE" in page
    assert "https://outlook.live.com/calendar/0/deeplink/compose?" in page
    assert f"webcal://testserver.local{event['url']}/calendar.ics" in page
    assert f'href="{event["url"]}/calendar.ics?download=1"' in page
    series_page = (await client.get(f"/series/{series['slug']}")).text
    assert f"webcal://testserver.local/series/{series['slug']}/calendar.ics" in series_page
    assert "https://calendar.google.com/calendar/render?cid=webcal" in series_page
    assert "https://outlook.live.com/calendar/0/addfromweb?" in series_page
    assert "webcal://testserver.local/calendar.ics" in (await client.get("/")).text

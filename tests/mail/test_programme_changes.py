"""Changes people feel, told once: moving an event takes its timetable with it in one change and one email per
registrant (METHOD:REQUEST, SEQUENCE one higher); moving a workshop tells only the people holding a place in it,
and their calendar feed follows. Delivered through a real SMTP server and read back with icalendar."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any

import icalendar
from litestar.testing import AsyncTestClient

from events_app.core.settings import MailSettings
from events_app.people.services import ensure_default_groups
from events_app.programme.tables import Session
from tests.builders import DAY, make_event, make_session, make_venue
from tests.conftest import Accounts
from tests.mail.conftest import SmtpServer
from tests.mail.test_delivery import deliver
from tests.registration.conftest import manage_token, register


def _invitation(message: Any) -> Any:
    [part] = [p for p in message.iter_attachments() if p.get_filename() == "invite.ics"]
    return icalendar.Calendar.from_ical(part.get_content())


def _text(message: Any) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def _sessions(run: Callable[..., Any], event_id: int) -> list[dict[str, Any]]:
    async def rows() -> list[dict[str, Any]]:
        return list(await Session.select().where(Session.event == event_id).order_by(Session.id))

    return run(rows)  # type: ignore[no-any-return]


async def _regional_meeting(client: AsyncTestClient[Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    venue = await make_venue(client, "Watershed, Bristol", rooms=("Cinema 1", "Cinema 2"))
    rooms = {r["name"]: r["id"] for r in venue["rooms"]}
    event = await make_event(
        client,
        title="Regional community of practice, South West",
        kind="community_meeting",
        starts_at=f"{DAY}T10:00:00",
        ends_at=f"{DAY}T13:00:00",
        venue_id=venue["id"],
        online_url="",
    )
    sessions = [
        await make_session(
            client, event["slug"], title="Welcome", starts_at=f"{DAY}T10:00:00", ends_at=f"{DAY}T10:30:00"
        ),
        await make_session(
            client,
            event["slug"],
            title="Co-designing outreach",
            kind="workshop",
            capacity=10,
            room_id=rooms["Cinema 2"],
            starts_at=f"{DAY}T11:00:00",
            ends_at=f"{DAY}T12:00:00",
        ),
    ]
    return event, sessions


async def test_moving_an_event_moves_its_timetable_and_tells_each_registrant_once(
    client: AsyncTestClient[Any],
    organiser: Accounts,
    run: Callable[..., Any],
    smtp_server: SmtpServer,
    mail_settings: MailSettings,
) -> None:
    run(ensure_default_groups)
    event, sessions = await _regional_meeting(client)
    await register(client, event["slug"], 1, session_ids=[sessions[1]["id"]])
    await register(client, event["slug"], 2)
    deliver(run, mail_settings)
    [booked] = [r for r in smtp_server.received if r.message["To"].endswith("<delegate1@example.org>")]
    first_sequence = int(_invitation(booked.message).walk("VEVENT")[0]["SEQUENCE"])
    before = {s["id"]: s for s in _sessions(run, event["id"])}
    seen = len(smtp_server.received)

    response = await client.patch(
        f"/api/events/{event['slug']}", json={"starts_at": f"{DAY}T11:00:00", "ends_at": f"{DAY}T14:00:00"}
    )
    assert response.status_code == 200, response.text
    moved = response.json()
    assert [s["starts_at"][11:16] for s in moved["sessions"]] == ["11:00", "12:00"]  # the timetable came along
    after = {s["id"]: s for s in _sessions(run, event["id"])}
    assert all(after[i]["sequence"] == before[i]["sequence"] + 1 for i in before)

    deliver(run, mail_settings)
    new = smtp_server.received[seen:]
    told = Counter(r.message["To"] for r in new)
    assert sorted(told.values()) == [1, 1], told  # one email each, not one per session
    for received in new:
        assert received.message["Subject"] == f"Changed: {event['title']}"
        calendar = _invitation(received.message)
        assert str(calendar["METHOD"]) == "REQUEST"
        [entry] = calendar.walk("VEVENT")
        assert int(entry["SEQUENCE"]) == first_sequence + 1
        assert entry["DTSTART"].dt.hour == 11
        text = _text(received.message)
        assert "It is now on" in text and "11:00" in text


async def test_stretching_an_event_past_its_sessions_is_refused_and_a_move_into_a_booked_room_too(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    event, sessions = await _regional_meeting(client)
    shorter = await client.patch(f"/api/events/{event['slug']}", json={"ends_at": f"{DAY}T11:30:00"})
    assert shorter.status_code == 422
    assert "move the start and the end by the same amount" in shorter.json()["detail"]

    other = await make_event(
        client, title="Evening seminar", kind="seminar", starts_at=f"{DAY}T14:00:00", ends_at=f"{DAY}T17:00:00"
    )
    response = await client.patch(f"/api/events/{other['slug']}", json={"venue_id": event["venue"]["id"]})
    assert response.status_code == 200, response.text
    room_id = sessions[1]["room"]["id"]
    await make_session(
        client, other["slug"], title="Panel", room_id=room_id, starts_at=f"{DAY}T14:00:00", ends_at=f"{DAY}T15:00:00"
    )
    clash = await client.patch(
        f"/api/events/{event['slug']}", json={"starts_at": f"{DAY}T13:00:00", "ends_at": f"{DAY}T16:00:00"}
    )
    assert clash.status_code == 409
    assert clash.json()["detail"] == "Cinema 2 is already booked for 'Panel' from 14:00 to 15:00"
    unchanged = (await client.get(f"/api/events/{event['slug']}")).json()
    assert unchanged["starts_at"][11:16] == "10:00"
    assert [s["starts_at"][11:16] for s in unchanged["sessions"]] == ["10:00", "11:00"]  # nothing half-moved


async def test_moving_a_workshop_tells_the_people_holding_a_place_and_their_feed_follows(
    client: AsyncTestClient[Any],
    organiser: Accounts,
    run: Callable[..., Any],
    smtp_server: SmtpServer,
    mail_settings: MailSettings,
) -> None:
    run(ensure_default_groups)
    event, sessions = await _regional_meeting(client)
    workshop = sessions[1]
    await register(client, event["slug"], 1, session_ids=[workshop["id"]])
    await register(client, event["slug"], 2)
    deliver(run, mail_settings)
    seen = len(smtp_server.received)

    await organiser.sign_in("anonymous")
    manage = (await client.get(f"/my/{manage_token(run, 'delegate1@example.org')}")).text
    feed = re.search(r'href="(/calendar/[A-Za-z0-9_\-]+\.ics)\?download=1"', manage)
    assert feed
    uid = f"session-{workshop['id']}@localhost"

    def feed_entry(body: bytes) -> Any:
        return next(e for e in icalendar.Calendar.from_ical(body).walk("VEVENT") if str(e["UID"]) == uid)

    entry = feed_entry((await client.get(feed.group(1))).content)  # read once, so a stale copy would be cached

    await organiser.sign_in("organiser")
    cinema_1 = next(r["id"] for r in event["venue"]["rooms"] if r["name"] == "Cinema 1")
    response = await client.patch(
        f"/api/sessions/{workshop['id']}",
        json={"starts_at": f"{DAY}T12:00:00", "ends_at": f"{DAY}T13:00:00", "room_id": cinema_1},
    )
    assert response.status_code == 200, response.text
    deliver(run, mail_settings)
    [told] = smtp_server.received[seen:]  # the holder only; delegate 2 booked no workshop
    assert told.message["To"].endswith("<delegate1@example.org>")
    assert told.message["Subject"].strip() == f"Changed: Co-designing outreach at {event['title']}"  # long: folded
    text = _text(told.message)
    assert "It now runs from 12:00 to 13:00 (Europe/London)." in text
    assert "It is now in Cinema 1." in text

    await organiser.sign_in("anonymous")
    moved = feed_entry((await client.get(feed.group(1))).content)
    assert int(moved["SEQUENCE"]) == int(entry["SEQUENCE"]) + 1
    assert moved["DTSTART"].dt.hour == 12 and "Cinema 1" in str(moved["LOCATION"])

    await organiser.sign_in("organiser")
    seen = len(smtp_server.received)
    await client.patch(f"/api/sessions/{workshop['id']}", json={"description": "Bring a laptop"})
    deliver(run, mail_settings)
    assert smtp_server.received[seen:] == []  # a new description is not a change to tell anyone about

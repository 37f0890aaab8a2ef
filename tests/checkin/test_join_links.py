"""Online and hybrid events (issue 18, parts 1 and 2): the meeting's address is on no public page, feed or answer;
each delegate joins through their own signed /join link (on their page, in their emails and their own feed), which
records the join once and sends them on; a place that is gone, or a forged link, gets a page in plain words."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from litestar.testing import AsyncTestClient

from events_app.checkin.tables import OnlineAttendance
from events_app.core.settings import load_mail_settings
from events_app.core.timezones import utc_now
from events_app.mail.tables import OutboxMessage
from events_app.people.services import ensure_default_groups
from events_app.registration import schedule
from events_app.registration.join_links import join_path
from tests.builders import make_event, make_session, make_venue
from tests.conftest import Accounts
from tests.registration.conftest import manage_token, newest_body, register

MEETING = "https://meet.example.org/room-4821"
WORKSHOP = "https://meet.example.org/workshop-9157"
JOIN = re.compile(r"/join/[0-9]+\.[0-9]+\.[A-Za-z0-9_\-]+")


def _at(delta: timedelta) -> str:
    return (utc_now() + delta).replace(microsecond=0).isoformat()


def _bodies(run: Callable[..., Any], kind: str) -> list[str]:
    async def rows() -> list[str]:
        found = await OutboxMessage.select(OutboxMessage.text_body, OutboxMessage.html_body).where(
            OutboxMessage.kind == kind
        )
        return [f"{r['text_body']}\n{r['html_body']}" for r in found]

    return run(rows)  # type: ignore[no-any-return]


def _joins(run: Callable[..., Any], registration_id: int) -> list[tuple[int | None, int]]:
    async def rows() -> list[tuple[int | None, int]]:
        found = await OnlineAttendance.select(OnlineAttendance.session, OnlineAttendance.joins).where(
            OnlineAttendance.registration == registration_id
        )
        return [(r["session"], r["joins"]) for r in found]

    return run(rows)  # type: ignore[no-any-return]


async def test_the_meeting_address_is_on_no_public_page_or_feed_and_each_delegate_has_their_own_link(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    run(ensure_default_groups)
    series = (await client.post("/api/series", json={"title": "Online seminars"})).json()
    event = await make_event(
        client,
        title="Online seminar",
        kind="seminar",
        attendance_mode="online",
        online_url=MEETING,
        series_id=series["id"],
        starts_at=_at(timedelta(minutes=50)),
        ends_at=_at(timedelta(hours=2)),
    )
    assert event["attendance_mode"] == "online" and event["online_url"] == MEETING  # its organisers read it
    workshop = await make_session(
        client,
        event["slug"],
        title="Parallel workshop",
        kind="workshop",
        join_url=WORKSHOP,
        starts_at=_at(timedelta(hours=1)),
        ends_at=_at(timedelta(hours=1, minutes=30)),
    )
    assert workshop["join_url"] == WORKSHOP and workshop["online"]
    booked = await register(client, event["slug"], 1)
    registration_id = booked["registration"]["id"]
    token = manage_token(run, "delegate1@example.org")
    [confirmation] = _bodies(run, "registration_confirmed")

    await organiser.sign_in("anonymous")
    slug = event["slug"]
    public = [
        "/",
        f"/events/{slug}",
        f"/events/{slug}/register",
        f"/series/{series['slug']}",
        "/calendar.ics",
        f"/events/{slug}/calendar.ics",
        f"/series/{series['slug']}/calendar.ics",
        "/api/events",
        f"/api/events/{slug}",
        f"/api/events/{slug}/sessions",
        f"/api/sessions/{workshop['id']}",
        "/schema/openapi.json",
    ]
    for path in public:
        response = await client.get(path)
        assert response.status_code == 200, path
        assert "meet.example.org" not in response.text and "/join/" not in response.text, path
    page = (await client.get(f"/events/{slug}")).text
    assert "Each registered delegate gets their own join link" in page
    assert "LOCATION:Online" in (await client.get(f"/events/{slug}/calendar.ics")).text  # how, not where

    # The delegate's own: their page, their emails and their own feed carry their join links, never the address.
    mine = (await client.get(f"/my/{token}")).text
    links = set(JOIN.findall(mine))
    assert len(links) == 2  # the event's meeting and the workshop's own
    event_link = next(link for link in links if link.split("/")[-1].split(".")[1] == "0")
    assert event_link in confirmation and MEETING not in confirmation
    feed = re.search(r'href="(/calendar/[A-Za-z0-9_\-]+\.ics)\?download=1"', mine)
    assert feed is not None
    own_feed = (await client.get(feed.group(1))).text.replace("\r\n ", "")
    assert event_link in own_feed and "meet.example.org" not in own_feed

    def one_hour_before() -> int:
        async def tick() -> int:
            return await schedule.queue_reminders(load_mail_settings(), utc_now())

        return run(tick)  # type: ignore[no-any-return]

    assert one_hour_before() == 1
    [reminder] = _bodies(run, "reminder")
    text = reminder.split("\n\n", 3)
    assert event_link in "\n\n".join(text[:3])  # first thing after the greeting and the one line
    assert "Join the meeting" in reminder and MEETING not in reminder

    # Following it before the meeting opens (half an hour ahead) says when, and records nothing.
    early = await client.get(event_link, follow_redirects=False)
    assert early.status_code == 200 and "not open yet" in early.text and MEETING not in early.text
    assert _joins(run, registration_id) == []


async def test_a_join_is_recorded_once_and_a_place_that_is_gone_or_a_forged_link_is_refused_in_plain_words(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    run(ensure_default_groups)
    event = await make_event(
        client,
        attendance_mode="online",
        online_url=MEETING,
        starts_at=_at(timedelta(minutes=-10)),
        ends_at=_at(timedelta(hours=2)),
    )
    workshop = await make_session(
        client,
        event["slug"],
        title="Workshop with places",
        kind="workshop",
        capacity=5,
        join_url=WORKSHOP,
        starts_at=_at(timedelta(minutes=5)),
        ends_at=_at(timedelta(hours=1)),
    )
    places = {}
    for n in (1, 2, 3):
        places[n] = (await register(client, event["slug"], n))["registration"]["id"]
    tokens = {n: manage_token(run, f"delegate{n}@example.org") for n in places}
    links = {n: set(JOIN.findall((await client.get(f"/my/{tokens[n]}")).text)) for n in places}
    [join] = links[1]  # no place in the workshop: only the event's meeting

    for _ in range(2):
        gone = await client.get(join, follow_redirects=False)
        assert gone.status_code == 303 and gone.headers["location"] == MEETING
        assert gone.headers["cache-control"] == "no-store" and gone.headers["referrer-policy"] == "no-referrer"
    assert _joins(run, places[1]) == [(None, 2)]  # one record, the second join counted

    forged_link = join_path(places[1], workshop["id"]).rsplit(".", 1)[0] + ".forged"
    forged = await client.get(forged_link, follow_redirects=False)
    assert forged.status_code == 404 and "This join link is not valid" in forged.text
    assert WORKSHOP not in forged.text and forged.headers["cache-control"] == "no-store"

    await client.post(f"/api/my/{tokens[2]}/registrations/{places[2]}/cancel")
    [cancelled] = links[2]
    refused = await client.get(cancelled, follow_redirects=False)
    assert refused.status_code == 410 and "is cancelled, so its join link no longer works" in refused.text
    assert MEETING not in refused.text

    [erased] = links[3]
    assert (await client.post(f"/api/my/{tokens[3]}/erase")).status_code == 204
    refused = await client.get(erased, follow_redirects=False)
    assert refused.status_code == 410 and "erased" in refused.text and MEETING not in refused.text
    assert _joins(run, places[2]) == [] and _joins(run, places[3]) == []

    # A session with places of its own: only those holding one reach its meeting.
    no_place = await client.get(join_path(places[1], workshop["id"]), follow_redirects=False)
    assert no_place.status_code == 403 and "needs a place of its own" in no_place.text
    assert WORKSHOP not in no_place.text
    booked = (await register(client, event["slug"], 4, session_ids=[workshop["id"]]))["registration"]["id"]
    assert join_path(booked, workshop["id"]) in newest_body(run, "delegate4@example.org")  # the confirmation
    page = await client.get(f"/my/{manage_token(run, 'delegate4@example.org')}")
    mine = set(JOIN.findall(page.text))
    assert join_path(booked, workshop["id"]) in mine
    into = await client.get(join_path(booked, workshop["id"]), follow_redirects=False)
    assert into.status_code == 303 and into.headers["location"] == WORKSHOP
    assert _joins(run, booked) == [(workshop["id"], 1)]


async def test_how_an_event_is_attended_is_checked_in_plain_words(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    venue = await make_venue(client)
    for body, field, words in (
        ({"attendance_mode": "webinar"}, "attendance_mode", "should be one of"),
        ({"online_url": "ftp://meet.example.org/x"}, "online_url", "http"),
        ({"attendance_mode": "in_person", "venue_id": venue["id"]}, "online_url", "An in-person event has no online"),
        ({"attendance_mode": "online", "venue_id": venue["id"]}, "venue_id", "An online event has no venue"),
        ({"attendance_mode": "hybrid", "online_url": ""}, "venue_id", "needs a venue"),
    ):
        response = await client.post(
            "/api/events",
            json={
                "title": "Checked",
                "kind": "seminar",
                "status": "published",
                "starts_at": "2030-06-12T09:00:00",
                "ends_at": "2030-06-12T10:00:00",
                "online_url": MEETING,
                **body,
            },
        )
        assert response.status_code in (400, 422), body
        problem = response.json()
        assert problem["field"] == field and words in problem["detail"], problem
    # An online event may be published before its meeting has an address: its organisers are told it needs one.
    event = await make_event(client, attendance_mode="online", online_url="")
    page = (await client.get(f"/organiser/events/{event['slug']}/edit")).text
    assert "Needs attention" in page and "no meeting address yet" in page

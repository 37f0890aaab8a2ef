"""The organisers' start page as they read it: each upcoming event's figures and every page of the event and its
series one click away; what needs attention; check-in staff see their events and the check-in links only."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from html import unescape
from typing import Any

from litestar.testing import AsyncTestClient

from events_app.checkin.online import record_online_attendance
from events_app.core.timezones import utc_now
from events_app.mail.tables import OutboxMessage
from events_app.people.services import ensure_default_groups
from events_app.tickets import codes
from tests.builders import make_event, make_session, make_venue
from tests.conftest import Accounts
from tests.registration.conftest import register
from tests.statements import counting

HTML = {"accept": "text/html"}


def _from_now(**delta: float) -> str:
    return (utc_now() + timedelta(**delta)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _card(page: str, title: str) -> str:
    """The dashboard's card of one event (its figures and links)."""
    cards = [c for c in page.split('<li class="card dash-event') if f">{title}</" in c.split("</h3>")[0] + "</h3>"]
    assert len(cards) == 1, f"{title} should have one card"
    return cards[0].split("<h2")[0]


def _figures(card: str) -> dict[str, str]:
    return {unescape(dt): unescape(dd) for dt, dd in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", card)}


def _links(html: str) -> set[str]:
    return {unescape(h) for h in re.findall(r'href="([^"]+)"', html)}


def _attention(page: str) -> list[str]:
    block = page.split('id="attention"')[1].split("<h2", maxsplit=1)[0]
    return [re.sub(r"\s+", " ", unescape(t)).strip() for t in re.findall(r"<a [^>]*>(.*?)</a>", block)]


def _fail_newest_email_to(run: Callable[..., Any], email: str) -> None:
    """What the mail worker does when the server refuses an address for good."""

    async def work() -> None:
        row = await OutboxMessage.select(OutboxMessage.id).where(OutboxMessage.to_email == email).first()
        assert row is not None
        await OutboxMessage.update(
            {OutboxMessage.status: "failed", OutboxMessage.last_error: "550 Mailbox unavailable"}
        ).where(OutboxMessage.id == row["id"])

    run(work)


async def _programme(client: AsyncTestClient[Any], run: Callable[..., Any]) -> dict[str, dict[str, Any]]:
    run(ensure_default_groups)
    series = await client.post("/api/series", json={"title": "Regional community of practice, South West"})
    assert series.status_code == 201, series.text
    today = await make_event(
        client,
        title="Meeting today",
        kind="community_meeting",
        series_id=series.json()["id"],
        capacity=2,
        waitlist_enabled=True,
        starts_at=_from_now(minutes=50),
        ends_at=_from_now(hours=6),
    )
    approval = await make_event(
        client, title="Forum by approval", kind="forum_meeting", requires_approval=True, capacity=30
    )
    draft = await make_event(client, title="Draft seminar", kind="seminar", status="draft")
    later = await make_event(
        client,
        title="Opens later seminar",
        kind="seminar",
        registration_opens_at=_from_now(days=30),
        starts_at=_from_now(days=60),
        ends_at=_from_now(days=60, hours=2),
    )
    past = await make_event(
        client,
        title="Last year's forum",
        kind="forum_meeting",
        starts_at="2024-03-01T10:00:00",
        ends_at="2024-03-01T12:00:00",
    )
    return {"series": series.json(), "today": today, "approval": approval, "draft": draft, "later": later, "past": past}


async def test_each_upcoming_event_shows_its_figures_and_every_page(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    p = await _programme(client, run)
    today, series = p["today"], p["series"]
    first = await register(client, today["slug"], 1)
    second = await register(client, today["slug"], 2)
    await register(client, today["slug"], 3)  # the third joins the waiting list
    await register(client, p["approval"]["slug"], 4)  # waits for approval
    _fail_newest_email_to(run, "delegate2@example.org")
    await organiser.sign_in("checkin")
    scanned = await client.post(
        f"/api/events/{today['slug']}/check-in/scan",
        json={"code": codes.issue(today["id"], first["registration"]["id"])},
    )
    assert scanned.json()["result"] == "checked_in"
    await organiser.sign_in("organiser")
    for joined in (first, second, first):  # the first also came to the door: each person is counted once
        run(
            partial(
                record_online_attendance,
                event_id=today["id"],
                registration_id=joined["registration"]["id"],
                session_id=None,
                at=utc_now(),
                source="link",
            )
        )
    hall = await make_venue(client)
    workshop = await make_event(
        client, title="Workshop in a hall", attendance_mode="in_person", venue_id=hall["id"], online_url=""
    )
    await make_session(client, workshop["slug"])

    response = await client.get("/organiser", headers=HTML)
    assert response.status_code == 200
    page = response.text

    card = _card(page, "Meeting today")
    assert _figures(card) == {
        "Places taken": "2 of 2",
        "Places left": "0",
        "Waiting": "1",
        "Pending approval": "0",
        "Checked in": "1",
        "Joined online": "2",
        "Failed emails": "1",
    }
    assert "Joined online" not in _figures(_card(page, "Workshop in a hall"))
    slug, series_slug = today["slug"], series["slug"]
    assert {
        f"/organiser/events/{slug}/edit",
        f"/organiser/events/{slug}/timetable",
        f"/organiser/events/{slug}/registrations",
        f"/organiser/events/{slug}/message",
        f"/organiser/events/{slug}/check-in",
        f"/organiser/events/{slug}/attendance",
        f"/organiser/events/{slug}/feedback",
        f"/events/{slug}",
        f"/organiser/series/{series_slug}/edit",
        f"/organiser/series/{series_slug}/feedback",
    } <= _links(card)
    assert "Full: taking a waiting list" in card

    approval = _figures(_card(page, "Forum by approval"))
    assert (approval["Places taken"], approval["Places left"], approval["Pending approval"]) == ("0 of 30", "30", "1")
    assert _figures(_card(page, "Draft seminar"))["Places left"] == "No limit"
    assert "Draft: not published" in _card(page, "Draft seminar")
    assert "Registration opens" in _card(page, "Opens later seminar")

    assert {
        "/organiser/series",
        "/organiser/events/new",
        "/organiser/venues",
        "/organiser/speakers",
        "/organiser/organisations",
        "/organiser/stakeholder-groups",
        "/organiser/outbox",
    } <= _links(page)

    assert _attention(page) == [
        "Forum by approval: 1 request waits for approval",
        "Meeting today: 1 email could not be delivered",
        "Meeting today: no timetable yet, and registration is open",
        "Forum by approval: no timetable yet, and registration is open",
        "Draft seminar: no timetable yet, and registration opens when it is published",
    ]
    assert f'href="/organiser/events/{p["approval"]["slug"]}/registrations?status=pending"' in page
    assert 'href="/organiser/outbox?status=failed"' in page

    past = page.split('id="past"')[1]
    assert "Last year&#39;s forum" in past or "Last year's forum" in past
    assert f"/organiser/events/{p['past']['slug']}/attendance" in _links(past)
    assert "Last year" not in page.split('id="past"')[0]  # not among the upcoming ones


async def test_a_timetable_or_a_distant_opening_takes_an_event_off_the_attention_list(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    p = await _programme(client, run)
    await make_session(
        client,
        p["approval"]["slug"],
        title="Welcome",
        starts_at=p["approval"]["starts_at"],
        ends_at=p["approval"]["ends_at"],
    )
    await make_session(
        client, p["today"]["slug"], title="Cancelled talk", starts_at=_from_now(hours=1), ends_at=_from_now(hours=2)
    )
    sessions = (await client.get(f"/api/events/{p['today']['slug']}/sessions")).json()
    cancelled = await client.patch(f"/api/sessions/{sessions[0]['id']}", json={"status": "cancelled"})
    assert cancelled.status_code == 200, cancelled.text
    # Registration opening in 10 days needs the timetable now; in 30 days (the "later" seminar) not yet.
    soon = await make_event(
        client,
        title="Opens soon seminar",
        kind="seminar",
        registration_opens_at=_from_now(days=10),
        starts_at=_from_now(days=40),
        ends_at=_from_now(days=40, hours=2),
    )

    attention = _attention((await client.get("/organiser", headers=HTML)).text)
    titles = [a.split(":")[0] for a in attention]
    assert "Forum by approval" not in titles  # it has a timetable now
    assert "Meeting today" in titles  # a cancelled session is no timetable
    assert "Opens later seminar" not in titles
    assert any(a.startswith(f"{soon['title']}: no timetable yet, and registration opens ") for a in attention)


async def test_nothing_to_do_and_all_past_events(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    empty = await client.get("/organiser", headers=HTML)
    assert "Nothing needs attention" in empty.text
    assert "No upcoming events." in empty.text
    assert "No past events yet." in empty.text

    for n in range(7):
        await make_event(
            client,
            title=f"Seminar {n}",
            kind="seminar",
            starts_at=f"2024-0{n + 1}-01T10:00:00",
            ends_at=f"2024-0{n + 1}-01T12:00:00",
        )
    short = (await client.get("/organiser", headers=HTML)).text.split('id="past"')[1]
    assert list(re.findall(r">(Seminar \d)<", short)) == [f"Seminar {n}" for n in (6, 5, 4, 3, 2)]
    assert 'href="/organiser?past=all#past">All 7 past events' in short
    everything = (await client.get("/organiser", params={"past": "all"}, headers=HTML)).text.split('id="past"')[1]
    assert len(re.findall(r">(Seminar \d)<", everything)) == 7
    assert "All 7 past events" not in everything


async def test_check_in_staff_see_their_events_and_only_check_in_links(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    p = await _programme(client, run)
    await register(client, p["approval"]["slug"], 4)
    await organiser.sign_in("checkin")
    page = (await client.get("/organiser", headers=HTML)).text
    card = _card(page, "Meeting today")
    assert _links(card) == {f"/organiser/events/{p['today']['slug']}/check-in"}
    assert "Failed emails" not in card
    assert "Checked in" in _figures(card)
    organiser_links = {link for link in _links(page) if link.startswith("/organiser/") and "/check-in" not in link}
    assert organiser_links == set()
    assert 'id="attention"' not in page
    assert 'id="past"' not in page
    assert "New event" not in page


async def test_every_link_on_the_dashboard_leads_to_a_page(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    p = await _programme(client, run)
    await register(client, p["approval"]["slug"], 4)
    page = (await client.get("/organiser", params={"past": "all"}, headers=HTML)).text
    paths = sorted({link.split("#")[0] for link in _links(page) if link.startswith("/") and "/static/" not in link})
    assert len(paths) > 40
    broken = []
    for path in paths:
        response = await client.get(path, headers=HTML, follow_redirects=False)
        if response.status_code != 200:
            broken.append(f"{path}: {response.status_code}")
    assert broken == []


def _dashboard_queries(run: Callable[..., Any]) -> int:
    """How many statements the dashboard's service sends to the database."""
    from events_app.organiser.dashboard import dashboard

    async def work() -> None:
        await dashboard(organiser=True)

    with counting() as sent:
        run(work)
    return sent[0]


async def test_the_dashboard_asks_the_database_as_often_for_twenty_events_as_for_five(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    p = await _programme(client, run)
    await register(client, p["approval"]["slug"], 4)
    few = _dashboard_queries(run)
    for n in range(15):
        event = await make_event(client, title=f"Seminar {n}", kind="seminar", capacity=10)
        await register(client, event["slug"], f"s{n}")
    assert _dashboard_queries(run) == few
    assert 5 <= few <= 15, few

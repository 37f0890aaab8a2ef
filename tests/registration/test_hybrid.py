"""Hybrid events (issue 18): in-person and online places each with their own capacity and waiting list, counted
under the event lock (no oversell in either mode), promotion within a mode only, a delegate switching mode on
their own page, and organisers seeing both (counts, filter, CSV, API), on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Callable
from typing import Any

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from events_app.programme.events import event_row
from events_app.registration import register as registering
from events_app.registration.schemas import RegistrationCreate
from tests.builders import make_venue
from tests.conftest import Accounts
from tests.registration.conftest import delegate, manage_token, newest_body, register, registrations


async def _hybrid(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any], **overrides: Any
) -> dict[str, Any]:
    """A published hybrid event at a venue: `capacity` in person, `online_capacity` online (None: unlimited)."""
    venue = await make_venue(client)
    event: dict[str, Any] = await open_event(attendance_mode="hybrid", venue_id=venue["id"], **overrides)
    return event


def _by_mode(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per mode: how many confirmed, and the waiting list's numbers in order."""
    found: dict[str, dict[str, Any]] = {}
    for mode in ("in_person", "online"):
        mine = [r for r in rows if r["attendance_mode"] == mode]
        found[mode] = {
            "confirmed": sum(r["status"] == "confirmed" for r in mine),
            "waiting": sorted(r["waitlist_position"] for r in mine if r["status"] == "waitlisted"),
        }
    return found


@pytest.mark.slow
async def test_a_rush_fills_each_mode_exactly_and_numbers_each_waiting_list(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await _hybrid(client, open_event, run, capacity=5, online_capacity=5)
    people = [
        msgspec.convert(delegate(n, attendance_mode="online" if n % 2 else "in_person"), RegistrationCreate)
        for n in range(40)
    ]

    async def everyone_at_once() -> list[Any]:
        row = await event_row(event["slug"], include_drafts=False)
        return list(await asyncio.gather(*(registering.register(row, p) for p in people), return_exceptions=True))

    results = run(everyone_at_once)
    assert [r for r in results if isinstance(r, BaseException)] == []
    assert _by_mode(registrations(run, event["id"])) == {
        "in_person": {"confirmed": 5, "waiting": list(range(1, 16))},
        "online": {"confirmed": 5, "waiting": list(range(1, 16))},
    }


async def test_a_cancellation_or_more_places_promote_within_the_same_mode_only(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await _hybrid(client, open_event, run, capacity=1, online_capacity=1)
    slug = event["slug"]
    there = await register(client, slug, "there", attendance_mode="in_person")
    waiting_there = await register(client, slug, "waiting-there", attendance_mode="in_person")
    online = await register(client, slug, "online", attendance_mode="online")
    first_online = await register(client, slug, "first-online", attendance_mode="online")
    second_online = await register(client, slug, "second-online", attendance_mode="online")
    assert [r["status"] for r in (there, online)] == ["confirmed", "confirmed"]
    assert [r["waitlist_position"] for r in (waiting_there, first_online, second_online)] == [1, 1, 2]
    assert online["registration"]["attendance_mode"] == "online"
    assert "You attend online." in newest_body(run, "delegateonline@example.org")
    assert "The online places at" in newest_body(run, "delegatesecond-online@example.org")

    cancelled = await client.post(f"/api/registrations/{online['registration']['id']}/cancel", json={})
    assert cancelled.status_code == 200, cancelled.text
    rows = {r["delegate"]: r for r in registrations(run, event["id"])}
    statuses = sorted((r["attendance_mode"], r["status"], r["waitlist_position"]) for r in rows.values())
    assert statuses == [
        ("in_person", "confirmed", None),
        ("in_person", "waitlisted", 1),  # the in-person list does not move for an online place
        ("online", "cancelled", None),
        ("online", "confirmed", None),
        ("online", "waitlisted", 1),  # closed up behind the promoted
    ]
    assert "You attend online." in newest_body(run, "delegatefirst-online@example.org")

    unlimited = await client.patch(f"/api/events/{slug}", json={"online_capacity": None})
    assert unlimited.status_code == 200, unlimited.text
    assert unlimited.json()["online_capacity"] is None
    assert _by_mode(registrations(run, event["id"])) == {
        "in_person": {"confirmed": 1, "waiting": [1]},
        "online": {"confirmed": 2, "waiting": []},
    }
    later = await register(client, slug, "later-online", attendance_mode="online")
    assert later["status"] == "confirmed"  # online places without limit

    counts = (await client.get(f"/api/events/{slug}/registrations/counts")).json()["by_mode"]
    assert counts == [
        {"attendance_mode": "in_person", "capacity": 1, "confirmed": 1, "places_left": 0, "waitlisted": 1},
        {"attendance_mode": "online", "capacity": None, "confirmed": 3, "places_left": None, "waitlisted": 0},
    ]
    online_only = (await client.get(f"/api/events/{slug}/registrations?attendance_mode=online")).json()["items"]
    assert {r["attendance_mode"] for r in online_only} == {"online"}
    assert len(online_only) == 4
    export = await client.get(f"/api/events/{slug}/registrations.csv")
    table = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert sorted(r["Attends"] for r in table) == ["in person", "in person"] + ["online"] * 4
    page = await client.get(f"/organiser/events/{slug}/registrations?attends=in_person")
    assert "Places in person and online" in page.text
    assert page.text.count("delegatewaiting-there@example.org") == 1
    assert "delegatelater-online@example.org" not in page.text
    dashboard = await client.get("/organiser")
    assert "Online: waiting" in dashboard.text


async def test_the_mode_is_required_at_a_hybrid_event_and_refused_where_not_offered(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any], accounts: Accounts
) -> None:
    hybrid = await _hybrid(client, open_event, run, capacity=5)
    venue = await make_venue(client, "Another hall")
    in_person = await open_event(capacity=5, attendance_mode="in_person", venue_id=venue["id"], online_url="")
    await accounts.sign_in("anonymous")
    for slug, mode, field_words in (
        (hybrid["slug"], None, "How will you attend: choose in person or online"),
        (hybrid["slug"], "telepathy", "attendance_mode"),
        (in_person["slug"], "online", "How will you attend: this event is in person only"),
    ):
        data = delegate("refused") | ({"attendance_mode": mode} if mode else {})
        refused = await client.post(f"/api/events/{slug}/registrations", json=data)
        assert refused.status_code in (400, 422), refused.text
        assert refused.json()["field"] == "attendance_mode", refused.text
        assert field_words in refused.text or field_words == "attendance_mode"
    assert registrations(run, hybrid["id"]) == registrations(run, in_person["id"]) == []

    form = await client.get(f"/events/{hybrid['slug']}/register")
    assert "How will you attend?" in form.text
    assert "5 places left" in form.text
    assert "How will you attend?" not in (await client.get(f"/events/{in_person['slug']}/register")).text
    posted = await client.post(
        f"/events/{hybrid['slug']}/register",
        data={"_csrf_token": client.cookies.get("csrftoken"), "name": "", "email": "someone@example.org"},
    )
    assert posted.status_code == 400
    assert 'id="attendance_mode-error"' in posted.text  # named with every other missing field
    assert "Your name" in posted.text


async def test_switching_mode_on_the_delegates_page_moves_the_place_or_keeps_it_when_full(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any], accounts: Accounts
) -> None:
    event = await _hybrid(client, open_event, run, capacity=1, online_capacity=1)
    slug = event["slug"]
    mover = await register(client, slug, "mover", attendance_mode="in_person")
    waiting = await register(client, slug, "waiting", attendance_mode="in_person")
    await accounts.sign_in("anonymous")
    token = manage_token(run, "delegatemover@example.org")
    page = await client.get(f"/my/{token}")
    assert "You attend <strong>in person</strong>" in page.text
    assert "Attend online instead" in page.text
    csrf = client.cookies.get("csrftoken")
    rid = mover["registration"]["id"]

    moved = await client.post(
        f"/my/{token}/registrations/{rid}/attendance",
        data={"_csrf_token": csrf, "attendance_mode": "online"},
        follow_redirects=False,
    )
    assert (moved.status_code, moved.headers["location"]) == (303, f"/my/{token}?notice=attendance")
    rows = {r["id"]: r for r in registrations(run, event["id"])}
    assert (rows[rid]["attendance_mode"], rows[rid]["status"]) == ("online", "confirmed")
    freed = rows[waiting["registration"]["id"]]
    assert (freed["status"], freed["waitlist_position"]) == ("confirmed", None)  # the in-person place went on
    assert "You attend in person." in newest_body(run, "delegatewaiting@example.org")

    await accounts.sign_in("organiser")
    history = (await client.get(f"/api/registrations/{rid}/history")).json()
    assert any(h["action"] == "attendance_changed" and h["detail"] == "in person to online" for h in history)
    await accounts.sign_in("anonymous")
    await client.get(f"/my/{token}")
    csrf = client.cookies.get("csrftoken")

    full = await client.post(
        f"/my/{token}/registrations/{rid}/attendance", data={"_csrf_token": csrf, "attendance_mode": "in_person"}
    )
    assert full.status_code == 400
    assert "There are no in person places free at the moment, so nothing has changed" in full.text
    assert registrations(run, event["id"])[0]["attendance_mode"] == "online"  # kept the online place
    nonsense = await client.post(
        f"/my/{token}/registrations/{rid}/attendance", data={"_csrf_token": csrf, "attendance_mode": "by post"}
    )
    assert nonsense.status_code == 400
    assert "How you will attend" in nonsense.text
    same = await client.post(f"/api/my/{token}/registrations/{rid}/attendance", json={"attendance_mode": "online"})
    assert (same.status_code, same.json()["code"], same.json()["field"]) == (
        409,
        "already_that_mode",
        "attendance_mode",
    )


async def test_a_hybrid_event_keeps_a_mode_while_anyone_holds_or_waits_for_a_place_in_it(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await _hybrid(client, open_event, run, capacity=1, online_capacity=1)
    slug = event["slug"]
    await register(client, slug, "there", attendance_mode="in_person")
    online = await register(client, slug, "online", attendance_mode="online")
    waiting = await register(client, slug, "waiting-online", attendance_mode="online")
    before = _by_mode(registrations(run, event["id"]))

    refused = await client.patch(f"/api/events/{slug}", json={"attendance_mode": "in_person", "online_url": ""})
    assert refused.status_code == 409, refused.text
    assert refused.json()["field"] == "attendance_mode"
    assert "2 people hold a place or wait for one online, so the event stays hybrid" in refused.json()["detail"]
    shown = (await client.get(f"/api/events/{slug}")).json()
    await client.get(f"/organiser/events/{slug}/edit")  # the form's page sets the CSRF cookie
    form = {
        "_csrf_token": client.cookies.get("csrftoken") or "",
        "title": shown["title"],
        "kind": shown["kind"],
        "status": shown["status"],
        "timezone": shown["timezone"],
        "starts_at": shown["starts_at"][:16],
        "ends_at": shown["ends_at"][:16],
        "venue_id": str(shown["venue"]["id"]),
        "attendance_mode": "online",
        "online_url": shown["online_url"],
        "capacity": "1",
        "online_capacity": "1",
        "waitlist_enabled": "yes",
    }
    page = await client.post(f"/organiser/events/{slug}/edit", data={**form, "venue_id": ""})
    assert page.status_code in (400, 409), page.text
    assert (
        'id="attendance_mode-error"' in page.text and "1 person holds a place or waits for one in person" in page.text
    )
    assert (await client.get(f"/api/events/{slug}")).json()["attendance_mode"] == "hybrid"
    assert _by_mode(registrations(run, event["id"])) == before  # nothing half-written

    for r in (online, waiting):
        cancelled = await client.post(f"/api/registrations/{r['registration']['id']}/cancel", json={})
        assert cancelled.status_code == 200, cancelled.text
    changed = await client.patch(f"/api/events/{slug}", json={"attendance_mode": "in_person", "online_url": ""})
    assert changed.status_code == 200, changed.text
    assert changed.json()["attendance_mode"] == "in_person"

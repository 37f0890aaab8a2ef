"""A ticket is checked in on the event's days only (issue 14, part 6): a scan two months early made everyone a
no-show on the day. An organiser can override; the door search tells two people of one name apart."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar.testing import AsyncTestClient

from events_app.checkin import services
from events_app.checkin.tables import CheckIn
from events_app.core.timezones import utc_now
from events_app.people.services import ensure_default_groups
from events_app.programme.rows import EventRow
from events_app.tickets import codes
from tests.builders import event_row_value, make_event
from tests.conftest import Accounts
from tests.registration.conftest import register


def _event(timezone: str, starts_at: datetime, ends_at: datetime) -> EventRow:
    return event_row_value(timezone=timezone, starts_at=starts_at, ends_at=ends_at)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_the_window_is_the_events_days_in_its_zone_with_a_margin_before_an_early_start() -> None:
    london = "Europe/London"
    one_day = services.scan_window(
        _event(london, datetime(2030, 6, 12, 8, tzinfo=UTC), datetime(2030, 6, 12, 16, tzinfo=UTC))
    )
    # Midnight to midnight, British Summer Time (UTC+1).
    assert (one_day.opens, one_day.closes) == (
        datetime(2030, 6, 11, 23, tzinfo=UTC),
        datetime(2030, 6, 12, 23, tzinfo=UTC),
    )
    three_days = services.scan_window(
        _event(london, datetime(2030, 6, 12, 8, tzinfo=UTC), datetime(2030, 6, 14, 16, tzinfo=UTC))
    )
    assert three_days.closes == datetime(2030, 6, 14, 23, tzinfo=UTC)
    past_midnight = services.scan_window(  # 00:30 local: the doors open the evening before
        _event(london, datetime(2030, 6, 11, 23, 30, tzinfo=UTC), datetime(2030, 6, 12, 3, tzinfo=UTC))
    )
    assert past_midnight.opens == datetime(2030, 6, 11, 20, 30, tzinfo=UTC)
    tokyo = services.scan_window(
        _event("Asia/Tokyo", datetime(2030, 6, 12, 1, tzinfo=UTC), datetime(2030, 6, 12, 8, tzinfo=UTC))
    )
    assert tokyo.opens == datetime(2030, 6, 11, 15, tzinfo=UTC)


async def test_a_scan_two_months_early_is_refused_and_an_organiser_can_override(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    run(ensure_default_groups)
    later = utc_now() + timedelta(days=60)
    event = await make_event(client, capacity=5, starts_at=_utc(later), ends_at=_utc(later + timedelta(hours=6)))
    first = (await register(client, event["slug"], 1))["registration"]["id"]
    second = (await register(client, event["slug"], 2))["registration"]["id"]
    slug = event["slug"]

    await organiser.sign_in("checkin")
    early = (
        await client.post(f"/api/events/{slug}/check-in/scan", json={"code": codes.issue(event["id"], first)})
    ).json()
    assert (early["result"], early["colour"]) == ("too_early", "red")
    assert "has not started: check-in opens" in early["message"]
    by_name = await client.post(f"/api/events/{slug}/check-in/registrations/{second}", json={})
    assert by_name.json()["result"] == "too_early"
    refused = await client.post(
        f"/api/events/{slug}/check-in/scan", json={"code": codes.issue(event["id"], first), "override": True}
    )
    assert refused.status_code == 403  # door staff cannot override
    synced = await client.post(
        f"/api/events/{slug}/check-in/sync",
        json={"scans": [{"code": codes.issue(event["id"], first), "client_id": "door-a-early", "at": _utc(utc_now())}]},
    )
    assert [r["result"] for r in synced.json()] == ["too_early"]  # offline scans are held to the same days
    assert run(CheckIn.count) == 0

    page = await client.get(f"/organiser/events/{slug}/check-in")
    csrf = client.cookies.get("csrftoken")
    scanned = await client.post(
        f"/organiser/events/{slug}/check-in", data={"_csrf_token": csrf, "code": codes.issue(event["id"], first)}
    )
    assert page.status_code == 200 and "has not started" in scanned.text
    assert "Check in anyway" not in scanned.text  # not for door staff

    await organiser.sign_in("organiser")
    await client.get(f"/organiser/events/{slug}/check-in")
    csrf = client.cookies.get("csrftoken")
    scanned = await client.post(
        f"/organiser/events/{slug}/check-in", data={"_csrf_token": csrf, "code": codes.issue(event["id"], first)}
    )
    assert "Check in anyway" in scanned.text
    anyway = await client.post(
        f"/organiser/events/{slug}/check-in",
        data={"_csrf_token": csrf, "registration_id": str(first), "override": "1"},
    )
    assert "Welcome, Delegate 1" in anyway.text
    overridden = await client.post(
        f"/api/events/{slug}/check-in/scan", json={"code": codes.issue(event["id"], second), "override": True}
    )
    assert overridden.json()["result"] == "checked_in"
    assert run(CheckIn.count) == 2


async def test_a_scan_after_the_event_is_refused(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    run(ensure_default_groups)
    soon = utc_now() + timedelta(minutes=30)
    event = await make_event(client, capacity=5, starts_at=_utc(soon), ends_at=_utc(soon + timedelta(hours=1)))
    first = (await register(client, event["slug"], 1))["registration"]["id"]
    row = run(_event_row, event["slug"])

    async def scan_at(moment: datetime) -> str:
        answer = await services.check_in(row, first, staff_id=None, at=moment, client_id=None)
        return answer.result

    # An offline scan is judged by when it was made, so a door that synced two days late is not refused...
    assert run(scan_at, utc_now()) == "checked_in"
    later = dataclasses.replace(
        row, starts_at=row.starts_at - timedelta(days=3), ends_at=row.ends_at - timedelta(days=3)
    )

    async def scan_after() -> str:
        answer = await services.check_in(later, first, staff_id=None)
        return answer.result

    assert run(scan_after) == "event_over"  # ...but a scan days after the event is


async def _event_row(slug: str) -> EventRow:
    from events_app.programme.events import event_row

    return await event_row(slug, include_drafts=True)


async def test_the_door_search_tells_two_people_of_one_name_apart(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    run(ensure_default_groups)
    event = await make_event(client, capacity=5)
    await register(client, event["slug"], 1, name="Mei Chen", email="mei.chen@kingsgate.ac.uk")
    await register(client, event["slug"], 2, name="Mei Chen", email="mei@northline.example")
    found = (await client.get(f"/api/events/{event['slug']}/check-in/search", params={"q": "Mei"})).json()
    assert sorted(p["email_domain"] for p in found) == ["kingsgate.ac.uk", "northline.example"]
    page = await client.get(f"/organiser/events/{event['slug']}/check-in", params={"q": "Mei"})
    assert "@kingsgate.ac.uk" in page.text and "@northline.example" in page.text
    assert "mei.chen@" not in page.text  # the domain, never the address

"""Build programme data through the public API, as an organiser would."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar.testing import AsyncTestClient

from events_app.core.timezones import utc_now
from events_app.programme.rows import EventRow

DAY = "2030-06-12"  # a Wednesday in British Summer Time (UTC+1)


async def make_venue(
    client: AsyncTestClient[Any], name: str = "Kingsgate Centre", rooms: tuple[str, ...] = ("Room A", "Room B")
) -> dict[str, Any]:
    response = await client.post(
        "/api/venues",
        json={
            "name": name,
            "address": "1 Kingsgate Square",
            "city": "London",
            "postcode": "WC1H 0AA",
            "latitude": 51.5246,
            "longitude": -0.134,
            "rooms": [{"name": r, "capacity": 50} for r in rooms],
        },
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def in_person(client: AsyncTestClient[Any], name: str = "Kingsgate Centre") -> dict[str, Any]:
    """What make_event needs for an event held in person (a door, and tickets to show at it): a new venue and no
    meeting address. make_event's own default is an online event (a meeting address, no venue)."""
    venue = await make_venue(client, name)
    return {"attendance_mode": "in_person", "venue_id": venue["id"], "online_url": ""}


async def make_event(client: AsyncTestClient[Any], **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "National Conference",
        "kind": "conference",
        "status": "published",
        "starts_at": f"{DAY}T09:00:00",
        "ends_at": f"{DAY}T17:00:00",
        "online_url": "https://meet.example.org/conference",
    }
    if overrides.get("venue_id") is not None and "online_url" not in overrides and "attendance_mode" not in overrides:
        del body["online_url"]  # at a venue and nothing said of a meeting: in person (with both it would be hybrid)
    body.update(overrides)
    response = await client.post("/api/events", json=body)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def make_session(client: AsyncTestClient[Any], event_slug: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"title": "A talk", "starts_at": f"{DAY}T10:00:00", "ends_at": f"{DAY}T11:00:00"}
    body.update(overrides)
    response = await client.post(f"/api/events/{event_slug}/sessions", json=body)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def make_speaker(client: AsyncTestClient[Any], name: str, organisation_id: int | None = None) -> dict[str, Any]:
    response = await client.post("/api/speakers", json={"name": name, "organisation_id": organisation_id})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def event_row_value(**overrides: Any) -> EventRow:
    """An event as services hold it (no database), for the pure rules: a published seminar a month ahead."""
    now = utc_now()
    values: dict[str, Any] = {
        "id": 1,
        "slug": "seminar",
        "title": "Seminar",
        "kind": "seminar",
        "status": "published",
        "summary": "",
        "description": "",
        "timezone": "Europe/London",
        "starts_at": now + timedelta(days=30),
        "ends_at": now + timedelta(days=30, hours=2),
        "venue": None,
        "online_url": "",
        "series": None,
        "capacity": None,
        "waitlist_enabled": False,
        "requires_approval": False,
        "registration_opens_at": None,
        "registration_closes_at": None,
        "sequence": 0,
        "created_at": now,
        "updated_at": now,
        "published_at": now,
        "cancelled_at": None,
        "reminder_offsets": None,
        "feedback_after": None,
        "email_note": "",
    }
    return EventRow(**{**values, **overrides})

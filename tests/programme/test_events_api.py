"""Events through the JSON API: CRUD, filters, pagination, drafts, and every refusal naming its field."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from tests.builders import DAY, make_event, make_session, make_venue
from tests.conftest import Accounts


async def test_create_read_update_delete_event(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    venue = await make_venue(client)
    created = await make_event(client, title="Seminar on mentoring", kind="seminar", venue_id=venue["id"], capacity=60)
    assert created["slug"] == "seminar-on-mentoring"
    # Naive times are wall-clock times in the event's zone: 09:00 in June in London is 08:00 UTC.
    assert created["starts_at"] == f"{DAY}T09:00:00+01:00"
    assert created["venue"]["name"] == "Kingsgate Centre"
    assert [r["name"] for r in created["venue"]["rooms"]] == ["Room A", "Room B"]
    assert created["venue"]["map_url"].startswith("https://www.openstreetmap.org/")

    read = await client.get(f"/api/events/{created['slug']}")
    assert read.status_code == 200
    assert read.json()["capacity"] == 60

    changed = await client.patch(f"/api/events/{created['slug']}", json={"title": "Seminar: mentoring", "capacity": 80})
    assert changed.status_code == 200, changed.text
    assert changed.json()["title"] == "Seminar: mentoring"
    assert changed.json()["capacity"] == 80

    deleted = await client.delete(f"/api/events/{created['slug']}")
    assert deleted.status_code == 204
    assert (await client.get(f"/api/events/{created['slug']}")).status_code == 404


async def test_aware_times_are_kept_and_shown_in_the_event_zone(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    event = await make_event(client, starts_at=f"{DAY}T08:00:00Z", ends_at=f"{DAY}T16:00:00Z")
    assert event["starts_at"] == f"{DAY}T09:00:00+01:00"
    assert event["ends_at"] == f"{DAY}T17:00:00+01:00"


async def test_drafts_are_hidden_from_the_public(client: AsyncTestClient[Any], accounts: Accounts) -> None:
    await accounts.sign_in("organiser")
    draft = await make_event(client, title="Secret draft", status="draft")
    published = await make_event(client, title="Open day")

    await accounts.sign_in("anonymous")
    listing = await client.get("/api/events")
    assert [e["slug"] for e in listing.json()["items"]] == [published["slug"]]
    assert (await client.get(f"/api/events/{draft['slug']}")).status_code == 404
    assert (await client.get(f"/events/{draft['slug']}")).status_code == 404

    await accounts.sign_in("organiser")
    listing = await client.get("/api/events")
    assert {e["slug"] for e in listing.json()["items"]} == {draft["slug"], published["slug"]}


async def test_filters_and_pagination(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    series = (await client.post("/api/series", json={"title": "Seminar series"})).json()
    for month in range(1, 6):
        await make_event(
            client,
            title=f"Seminar {month}",
            kind="seminar",
            series_id=series["id"],
            starts_at=f"2030-0{month}-10T13:00:00",
            ends_at=f"2030-0{month}-10T14:00:00",
        )
    await make_event(
        client, title="Old forum", kind="forum_meeting", starts_at="2020-03-01T10:00:00", ends_at="2020-03-01T12:00:00"
    )

    seminars = (await client.get("/api/events", params={"kind": "seminar"})).json()
    assert seminars["total"] == 5
    assert [e["title"] for e in seminars["items"]] == [f"Seminar {m}" for m in range(1, 6)]

    page = (await client.get("/api/events", params={"series": series["slug"], "limit": 2, "offset": 2})).json()
    assert (page["total"], page["limit"], page["offset"]) == (5, 2, 2)
    assert [e["title"] for e in page["items"]] == ["Seminar 3", "Seminar 4"]

    ranged = (await client.get("/api/events", params={"from": "2030-02-01", "to": "2030-03-31"})).json()
    assert [e["title"] for e in ranged["items"]] == ["Seminar 2", "Seminar 3"]

    past = (await client.get("/api/events", params={"when": "past"})).json()
    assert [e["title"] for e in past["items"]] == ["Old forum"]
    upcoming = (await client.get("/api/events", params={"when": "upcoming"})).json()
    assert upcoming["total"] == 5


async def test_publish_and_cancel_are_recorded_and_raise_the_sequence(
    client: AsyncTestClient[Any], organiser: Accounts, run: Any
) -> None:
    from events_app.programme.tables import Event

    event = await make_event(client, status="draft")
    assert (await client.patch(f"/api/events/{event['slug']}", json={"status": "published"})).status_code == 200
    assert (await client.patch(f"/api/events/{event['slug']}", json={"status": "cancelled"})).status_code == 200

    async def stamps() -> dict[str, Any]:
        row = (
            await Event.select(Event.published_at, Event.cancelled_at, Event.sequence)
            .where(Event.slug == event["slug"])
            .first()
        )
        assert row is not None
        return dict(row)

    row = run(stamps)
    assert row["published_at"] is not None
    assert row["cancelled_at"] is not None
    assert row["sequence"] == 2


def _problem(response: Any, status: int, field: str | None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == status
    assert body["field"] == field, body
    assert body["detail"]
    return body  # type: ignore[no-any-return]


async def test_end_before_start_is_refused(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    response = await client.post(
        "/api/events",
        json={"title": "Backwards", "kind": "seminar", "starts_at": f"{DAY}T14:00:00", "ends_at": f"{DAY}T13:00:00"},
    )
    body = _problem(response, 422, "ends_at")
    assert "end after it starts" in body["detail"]
    assert (await client.get("/api/events")).json()["total"] == 0


async def test_unknown_time_zone_is_refused(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    response = await client.post(
        "/api/events",
        json={
            "title": "Somewhere",
            "kind": "seminar",
            "timezone": "Europe/Atlantis",
            "starts_at": f"{DAY}T13:00:00",
            "ends_at": f"{DAY}T14:00:00",
        },
    )
    body = _problem(response, 422, "timezone")
    assert "Europe/Atlantis" in body["detail"]


async def test_a_time_that_never_happens_is_refused(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    # 01:30 on the last Sunday of March 2030 does not exist in London: the clocks jump from 01:00 to 02:00.
    response = await client.post(
        "/api/events",
        json={
            "title": "Night owls",
            "kind": "seminar",
            "starts_at": "2030-03-31T01:30:00",
            "ends_at": "2030-03-31T03:00:00",
        },
    )
    _problem(response, 422, "starts_at")


async def test_duplicate_slug_is_a_conflict_and_titles_get_unique_slugs(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    first = await make_event(client, title="Forum meeting")
    second = await make_event(client, title="Forum meeting")
    assert (first["slug"], second["slug"]) == ("forum-meeting", "forum-meeting-2")
    response = await client.post(
        "/api/events",
        json={
            "title": "Other",
            "slug": "forum-meeting",
            "kind": "seminar",
            "starts_at": f"{DAY}T13:00:00",
            "ends_at": f"{DAY}T14:00:00",
        },
    )
    _problem(response, 409, "slug")
    clash = await client.patch(f"/api/events/{second['slug']}", json={"slug": "forum-meeting"})
    _problem(clash, 409, "slug")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "x" * 201}, "title"),
        ({"summary": "x" * 501}, "summary"),
        ({"title": 42}, "title"),
        ({"starts_at": "next Tuesday"}, "starts_at"),
        ({"kind": "party"}, "kind"),
        ({"capacity": -1}, "capacity"),
        ({"capacity": "lots"}, "capacity"),
        ({"slug": "Not A Slug"}, "slug"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
        ({"venue_id": 999_999}, "venue_id"),
        ({"unexpected": True}, "unexpected"),
    ],
)
async def test_bad_input_names_the_field(
    client: AsyncTestClient[Any], organiser: Accounts, body: dict[str, Any], field: str
) -> None:
    payload = {
        "title": "Good title",
        "kind": "seminar",
        "starts_at": f"{DAY}T13:00:00",
        "ends_at": f"{DAY}T14:00:00",
        **body,
    }
    response = await client.post("/api/events", json=payload)
    assert response.status_code in (400, 422), response.text
    problem = response.json()
    assert problem["field"] == field, problem
    assert (await client.get("/api/events")).json()["total"] == 0


async def test_published_event_needs_a_place(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    response = await client.post(
        "/api/events",
        json={
            "title": "Nowhere",
            "kind": "seminar",
            "status": "published",
            "starts_at": f"{DAY}T13:00:00",
            "ends_at": f"{DAY}T14:00:00",
        },
    )
    _problem(response, 422, "venue_id")


async def test_shortening_an_event_cannot_strand_its_sessions(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    event = await make_event(client)
    await make_session(client, event["slug"], starts_at=f"{DAY}T16:00:00", ends_at=f"{DAY}T17:00:00")
    response = await client.patch(f"/api/events/{event['slug']}", json={"ends_at": f"{DAY}T15:00:00"})
    _problem(response, 422, "ends_at")
    assert (await client.get(f"/api/events/{event['slug']}")).json()["ends_at"] == f"{DAY}T17:00:00+01:00"


async def test_registration_window_must_make_sense(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    event = await make_event(client)
    response = await client.patch(
        f"/api/events/{event['slug']}",
        json={"registration_opens_at": f"{DAY}T08:00:00", "registration_closes_at": "2030-06-01T08:00:00"},
    )
    _problem(response, 422, "registration_closes_at")


async def test_venue_in_use_cannot_be_deleted(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    venue = await make_venue(client)
    await make_event(client, venue_id=venue["id"])
    response = await client.delete(f"/api/venues/{venue['id']}")
    _problem(response, 409, "venue_id")
    assert (await client.get(f"/api/venues/{venue['id']}")).status_code == 200

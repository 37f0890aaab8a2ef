"""Runs of copies (POST /api/events/{slug}/runs): a preview that makes nothing, then every copy in one
transaction. A monthly run of six seminars on the second Tuesday, weekly runs, listed dates, and a round of five
regional meetings, each in its region's series at its own venue."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar.testing import AsyncTestClient

from events_app.people.tables import Region
from tests.builders import make_event, make_session, make_venue
from tests.conftest import Accounts
from tests.season.test_copies import event_rows

REGIONS = [
    ("north-east", "North East"),
    ("north-west", "North West"),
    ("midlands", "Midlands"),
    ("south-west", "South West"),
    ("london", "London"),
]


async def _seminar(client: AsyncTestClient[Any]) -> dict[str, Any]:
    """A seminar on the second Tuesday of June 2030, 16:00 to 17:30, in a series, with a talk."""
    series = (await client.post("/api/series", json={"title": "Seminar series"})).json()
    event = await make_event(
        client,
        title="Seminar",
        kind="seminar",
        starts_at="2030-06-11T16:00:00",
        ends_at="2030-06-11T17:30:00",
        series_id=series["id"],
    )
    await make_session(client, event["slug"], starts_at="2030-06-11T16:00:00", ends_at="2030-06-11T17:00:00")
    return event


async def test_a_monthly_run_of_six_seminars_on_the_second_tuesday(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    source = await _seminar(client)
    url = f"/api/events/{source['slug']}/runs"
    before = len(event_rows(run))
    preview = await client.post(url, json={"pattern": "monthly", "count": 6, "preview": True})
    assert preview.status_code == 200, preview.text
    days = [c["starts_at"] for c in preview.json()["copies"]]
    # The second Tuesday of each month from July, at 16:00 on the clock: summer time until October, then GMT.
    assert days == [
        "2030-07-09T16:00:00+01:00",
        "2030-08-13T16:00:00+01:00",
        "2030-09-10T16:00:00+01:00",
        "2030-10-08T16:00:00+01:00",
        "2030-11-12T16:00:00Z",
        "2030-12-10T16:00:00Z",
    ]
    assert all(c["slug"] is None and c["series"]["title"] == "Seminar series" for c in preview.json()["copies"])
    assert len(event_rows(run)) == before  # a preview makes nothing

    made = await client.post(url, json={"pattern": "monthly", "count": 6, "preview": False})
    assert made.status_code == 201, made.text
    copies = made.json()["copies"]
    assert [c["starts_at"] for c in copies] == days
    rows = event_rows(run)
    assert len(rows) == before + 6
    for copy in copies:
        row = rows[copy["slug"]]
        assert row["status"] == "draft" and row["series"] == source["series"]["id"]
        detail = (await client.get(f"/api/events/{copy['slug']}")).json()
        assert detail["sessions"][0]["starts_at"][11:16] == "16:00"
    assert len({c["slug"] for c in copies}) == 6


async def test_weekly_runs_and_listed_dates(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    source = await _seminar(client)
    url = f"/api/events/{source['slug']}/runs"
    fortnightly = (await client.post(url, json={"pattern": "weekly", "every": 2, "count": 3})).json()
    assert [c["starts_at"][:10] for c in fortnightly["copies"]] == ["2030-06-25", "2030-07-09", "2030-07-23"]
    later = (await client.post(url, json={"pattern": "weekly", "count": 2, "first": "2030-09-03"})).json()
    assert [c["starts_at"][:10] for c in later["copies"]] == ["2030-09-03", "2030-09-10"]
    last_friday = {"pattern": "monthly", "count": 2, "week": "last", "weekday": "friday"}
    assert [c["starts_at"][:10] for c in (await client.post(url, json=last_friday)).json()["copies"]] == [
        "2030-06-28",
        "2030-07-26",
    ]
    listed = await client.post(url, json={"pattern": "dates", "dates": ["2031-01-14", "2030-12-02"], "preview": False})
    assert listed.status_code == 201
    assert [c["starts_at"][:10] for c in listed.json()["copies"]] == ["2030-12-02", "2031-01-14"]
    twice = await client.post(url, json={"pattern": "dates", "dates": ["2031-01-14", "2031-01-14"]})
    assert twice.status_code == 422 and twice.json()["field"] == "dates"
    none = await client.post(url, json={"pattern": "dates"})
    assert none.status_code == 422 and none.json()["code"] == "run_needs_dates"
    too_many = await client.post(url, json={"pattern": "weekly", "count": 53})
    assert too_many.status_code == 400 and too_many.json()["field"] == "count"
    far = await client.post(url, json={"pattern": "dates", "dates": ["9999-12-31"]})
    assert far.status_code == 422 and far.json()["code"] == "day_out_of_range" and far.json()["field"] == "dates"
    far_copy = await client.post(f"/api/events/{source['slug']}/copy", json={"date": "0001-01-01"})
    assert far_copy.status_code == 422 and far_copy.json()["field"] == "date"


async def _regions(client: AsyncTestClient[Any], run: Callable[..., Any]) -> dict[str, dict[str, Any]]:
    """Five regions, each with its community-of-practice series and a venue with a "Main hall"."""

    async def add() -> None:
        await Region.insert(*[Region(slug=slug, name=name) for slug, name in REGIONS])

    run(add)
    ids = {r["slug"]: r["id"] for r in (await client.get("/api/regions")).json()}
    found: dict[str, dict[str, Any]] = {}
    for slug, name in REGIONS:
        series = (
            await client.post("/api/series", json={"title": f"{name} Community of Practice", "region_id": ids[slug]})
        ).json()
        venue = await make_venue(client, name=f"{name} Hub", rooms=("Main hall",))
        found[slug] = {"series": series, "venue": venue}
    return found


async def test_a_round_of_five_regional_meetings_each_in_its_region_series_at_its_venue(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    regions = await _regions(client, run)
    south_west = regions["south-west"]
    source = await make_event(
        client,
        title="South West Community of Practice: autumn meeting",
        kind="community_meeting",
        starts_at="2030-10-04T14:00:00",
        ends_at="2030-10-04T16:30:00",
        series_id=south_west["series"]["id"],
        venue_id=south_west["venue"]["id"],
    )
    hall = south_west["venue"]["rooms"][0]["id"]
    await make_session(
        client,
        source["slug"],
        title="Round tables",
        starts_at="2030-10-04T14:30:00",
        ends_at="2030-10-04T16:00:00",
        room_id=hall,
    )
    url = f"/api/events/{source['slug']}/runs"
    body = {
        "pattern": "regions",
        "date": "2031-02-06",
        "regions": [{"region": slug, "venue_id": regions[slug]["venue"]["id"]} for slug, _ in REGIONS],
    }
    before = len(event_rows(run))
    preview = (await client.post(url, json=body)).json()
    assert [(c["series"]["title"], c["venue"]["name"]) for c in preview["copies"]] == [
        (f"{name} Community of Practice", f"{name} Hub") for _, name in REGIONS
    ]
    assert len(event_rows(run)) == before

    made = await client.post(url, json={**body, "preview": False})
    assert made.status_code == 201, made.text
    copies = made.json()["copies"]
    assert [c["title"] for c in copies] == [f"{name} Community of Practice: autumn meeting" for _, name in REGIONS]
    for (slug, _), copy in zip(REGIONS, copies, strict=True):
        detail = (await client.get(f"/api/events/{copy['slug']}")).json()
        assert detail["series"]["id"] == regions[slug]["series"]["id"]
        assert detail["venue"]["id"] == regions[slug]["venue"]["id"]
        assert detail["starts_at"] == "2031-02-06T14:00:00Z" and detail["status"] == "draft"
        (session,) = detail["sessions"]
        assert session["room"]["id"] == regions[slug]["venue"]["rooms"][0]["id"]  # its own venue's "Main hall"
    assert len(event_rows(run)) == before + 5


async def test_a_run_is_all_or_nothing_and_names_each_wrong_region(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    regions = await _regions(client, run)
    south_west = regions["south-west"]
    source = await make_event(
        client,
        title="Meeting",
        kind="community_meeting",
        starts_at="2030-10-04T14:00:00",
        ends_at="2030-10-04T16:30:00",
        series_id=south_west["series"]["id"],
        venue_id=south_west["venue"]["id"],
    )
    hall = south_west["venue"]["rooms"][0]["id"]
    await make_session(
        client, source["slug"], starts_at="2030-10-04T14:30:00", ends_at="2030-10-04T16:00:00", room_id=hall
    )
    # The third week's copy would take the hall while another event holds it: the first two are not made either.
    other = await make_event(
        client,
        title="Other",
        starts_at="2030-10-25T09:00:00",
        ends_at="2030-10-25T17:00:00",
        venue_id=south_west["venue"]["id"],
    )
    await make_session(
        client,
        other["slug"],
        title="Held",
        starts_at="2030-10-25T14:00:00",
        ends_at="2030-10-25T15:00:00",
        room_id=hall,
    )
    before = len(event_rows(run))
    url = f"/api/events/{source['slug']}/runs"
    refused = await client.post(url, json={"pattern": "weekly", "count": 4, "preview": False})
    assert refused.status_code == 409 and refused.json()["code"] == "room_clash"
    assert len(event_rows(run)) == before

    wrong = await client.post(
        url,
        json={
            "pattern": "regions",
            "date": "2031-02-06",
            "regions": [{"region": "atlantis"}, {"region": "midlands", "venue_id": 999999}, {"region": "north-west"}],
        },
    )
    assert wrong.status_code == 422
    assert [e["field"] for e in wrong.json()["errors"]] == ["regions.0.region", "regions.1.venue_id"]
    no_date = await client.post(url, json={"pattern": "regions", "regions": [{"region": "midlands"}]})
    assert no_date.status_code == 422 and no_date.json()["field"] == "date"

    # A workshop of 40 cannot go into the Midlands' "Main hall" of 30: nothing of the round is made.
    await client.patch(f"/api/rooms/{regions['midlands']['venue']['rooms'][0]['id']}", json={"capacity": 30})
    await make_session(
        client,
        source["slug"],
        title="Workshop",
        kind="workshop",
        capacity=40,
        starts_at="2030-10-04T14:00:00",
        ends_at="2030-10-04T14:30:00",
        room_id=hall,
    )
    midlands = {"region": "midlands", "venue_id": regions["midlands"]["venue"]["id"]}
    too_small = await client.post(
        url,
        json={
            "pattern": "regions",
            "date": "2031-02-06",
            "preview": False,
            "regions": [{"region": "london"}, midlands],
        },
    )
    assert too_small.status_code == 422 and too_small.json()["code"] == "capacity_over_room"
    assert too_small.json()["field"] == "venue_id" and "Main hall holds 30" in too_small.json()["detail"]
    assert len(event_rows(run)) == before

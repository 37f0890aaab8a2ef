"""Stakeholder groups, organisations, series and venues through the API."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from tests.builders import make_event, make_venue
from tests.conftest import Accounts


async def _default_groups(run: Any) -> None:
    from events_app.people.services import ensure_default_groups

    run(ensure_default_groups)


async def test_default_groups_and_adding_one(client: AsyncTestClient[Any], organiser: Accounts, run: Any) -> None:
    await _default_groups(run)
    names = [g["name"] for g in (await client.get("/api/stakeholder-groups")).json()]
    assert names[:2] == ["Higher education institution", "Third-sector organisation"]
    assert len(names) == 8
    created = await client.post("/api/stakeholder-groups", json={"name": "Parent or carer", "position": 20})
    assert created.status_code == 201
    assert created.json()["slug"] == "parent-or-carer"
    duplicate = await client.post("/api/stakeholder-groups", json={"name": "Parent or carer"})
    assert (duplicate.status_code, duplicate.json()["field"]) == (409, "name")
    renamed = await client.patch("/api/stakeholder-groups/parent-or-carer", json={"name": "Parent, carer or guardian"})
    assert renamed.json()["name"] == "Parent, carer or guardian"
    assert (await client.delete("/api/stakeholder-groups/parent-or-carer")).status_code == 204


async def test_organisation_crud_and_group_in_use(client: AsyncTestClient[Any], organiser: Accounts, run: Any) -> None:
    await _default_groups(run)
    groups = {g["slug"]: g["id"] for g in (await client.get("/api/stakeholder-groups")).json()}
    created = await client.post(
        "/api/organisations",
        json={
            "name": "Bright Sparks Science Trust",
            "stakeholder_group_id": groups["third-sector-organisation"],
            "website": "https://brightsparks.example.org",
        },
    )
    assert created.status_code == 201, created.text
    org = created.json()
    assert org["stakeholder_group"]["name"] == "Third-sector organisation"

    found = (await client.get("/api/organisations", params={"q": "sparks"})).json()
    assert [o["name"] for o in found["items"]] == ["Bright Sparks Science Trust"]
    by_group = (await client.get("/api/organisations", params={"group": "funder"})).json()
    assert by_group["total"] == 0

    moved = await client.patch(f"/api/organisations/{org['slug']}", json={"stakeholder_group_id": groups["funder"]})
    assert moved.json()["stakeholder_group"]["slug"] == "funder"

    in_use = await client.delete("/api/stakeholder-groups/funder")
    assert in_use.status_code == 409
    assert "Organisations belong to" in in_use.json()["detail"]

    unknown_group = await client.post("/api/organisations", json={"name": "X", "stakeholder_group_id": 999_999})
    assert (unknown_group.status_code, unknown_group.json()["field"]) == (422, "stakeholder_group_id")
    missing_group = await client.post("/api/organisations", json={"name": "X"})
    assert (missing_group.status_code, missing_group.json()["field"]) == (400, "stakeholder_group_id")

    assert (await client.delete(f"/api/organisations/{org['slug']}")).status_code == 204
    assert (await client.get(f"/api/organisations/{org['slug']}")).status_code == 404


async def test_series_crud_and_series_with_events(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    created = await client.post("/api/series", json={"title": "National Forum", "description": "Invitation only."})
    assert created.status_code == 201
    series = created.json()
    assert series["url"] == "/series/national-forum"
    await make_event(client, title="Forum 1", kind="forum_meeting", series_id=series["id"])
    refused = await client.delete(f"/api/series/{series['slug']}")
    assert (refused.status_code, refused.json()["code"]) == (409, "in_use")
    page = await client.get(f"/series/{series['slug']}")
    assert page.status_code == 200
    assert "Forum 1" in page.text


async def test_venue_rooms(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    venue = await make_venue(client, rooms=("Hall",))
    added = await client.post(f"/api/venues/{venue['id']}/rooms", json={"name": "Studio", "capacity": 20})
    assert added.status_code == 201
    duplicate = await client.post(f"/api/venues/{venue['id']}/rooms", json={"name": "Studio"})
    assert (duplicate.status_code, duplicate.json()["field"]) == (409, "name")
    rooms = (await client.get(f"/api/venues/{venue['id']}")).json()["rooms"]
    assert sorted(r["name"] for r in rooms) == ["Hall", "Studio"]
    bad = await client.post("/api/venues", json={"name": "Odd", "latitude": 123})
    assert (bad.status_code, bad.json()["field"]) == (400, "latitude")

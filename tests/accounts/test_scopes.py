"""Scopes (issue 16, part 5): a regional lead signed in for the South West sees only the South West's meetings and
people. Everything of the North East answers 404 and stays out of lists, counts, searches and exports, through
pages and the API alike; public pages are the same for the lead as for anyone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from tests.builders import DAY, make_event
from tests.conftest import PASSWORD, Accounts
from tests.registration.conftest import register

HTML = {"accept": "text/html"}


@dataclass
class World:
    sw_series: str
    ne_series: str
    sw_event: dict[str, Any]
    ne_event: dict[str, Any]
    sw_draft: dict[str, Any]
    ne_draft: dict[str, Any]
    sam: dict[str, Any]  # registered in the South West
    nora: dict[str, Any]  # registered in the North East
    both: tuple[dict[str, Any], dict[str, Any]]  # one person, registered in each region


async def _regions() -> None:
    from events_app.people.services import ensure_default_groups
    from events_app.people.tables import Region

    await ensure_default_groups()
    await Region.insert(Region(slug="south-west", name="South West"), Region(slug="north-east", name="North East"))


async def _world(client: AsyncTestClient[Any], run: Callable[..., Any]) -> World:
    run(_regions)
    regions = {r["slug"]: r["id"] for r in (await client.get("/api/regions")).json()}
    series = {}
    for slug, region in (("sw-cop", "south-west"), ("ne-cop", "north-east")):
        answer = await client.post(
            "/api/series", json={"title": f"Community {slug}", "slug": slug, "region_id": regions[region]}
        )
        assert answer.status_code == 201, answer.text
        series[slug] = answer.json()["id"]

    async def event(title: str, series_slug: str, status: str = "published") -> dict[str, Any]:
        return await make_event(client, title=title, series_id=series[series_slug], status=status, capacity=20)

    sw, ne = await event("South West meeting", "sw-cop"), await event("North East meeting", "ne-cop")
    sw_draft = await event("South West spring draft", "sw-cop", "draft")
    ne_draft = await event("North East spring draft", "ne-cop", "draft")
    both = (
        await register(client, sw["slug"], "both", name="Bo Both"),
        await register(client, ne["slug"], "both", name="Bo Both"),
    )
    return World(
        sw_series="sw-cop",
        ne_series="ne-cop",
        sw_event=sw,
        ne_event=ne,
        sw_draft=sw_draft,
        ne_draft=ne_draft,
        sam=await register(client, sw["slug"], "sam", name="Sam Southwest"),
        nora=await register(client, ne["slug"], "nora", name="Nora Northeast"),
        both=both,
    )


async def _user_id(client: AsyncTestClient[Any], email: str) -> int:
    return next(int(o["id"]) for o in (await client.get("/api/organisers")).json() if o["email"] == email)


async def _lead(client: AsyncTestClient[Any], accounts: Accounts, role: str = "organiser", **scope: list[str]) -> int:
    """As the admin: a `role` account limited to `scope`; then signed in as it."""
    email = f"lead-{role}@example.org"
    created = await client.post(
        "/api/organisers", json={"email": email, "name": "Lee Lead", "role": role, "password": PASSWORD}
    )
    assert created.status_code == 201, created.text
    limited = await client.patch(f"/api/organisers/{created.json()['id']}", json={"scope": scope})
    assert limited.status_code == 200, limited.text
    client.cookies.clear()
    signed_in = await client.post("/api/auth/sign-in", json={"email": email, "password": PASSWORD})
    assert signed_in.status_code == 200, signed_in.text
    return int(created.json()["id"])


@pytest.fixture
async def world(client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any]) -> World:
    await accounts.sign_in("admin")
    return await _world(client, run)


async def test_the_south_west_lead_sees_only_the_south_wests_events(
    client: AsyncTestClient[Any], accounts: Accounts, world: World
) -> None:
    await _lead(client, accounts, regions=["south-west"])
    me = (await client.get("/api/auth/me")).json()
    assert me["scope"]["region_ids"] and not me["scope"]["series_ids"]

    dashboard = (await client.get("/organiser", headers=HTML)).text
    assert "South West meeting" in dashboard and "South West spring draft" in dashboard
    assert "North East" not in dashboard

    drafts = (await client.get("/api/events", params={"status": "draft"})).json()
    assert [e["slug"] for e in drafts["items"]] == [world.sw_draft["slug"]] and drafts["total"] == 1
    listed = (await client.get("/api/events")).json()
    # Published events are public: the lead sees them as anyone does; the other region's draft stays out.
    assert world.ne_event["slug"] in {e["slug"] for e in listed["items"]}
    assert world.ne_draft["slug"] not in {e["slug"] for e in listed["items"]} and listed["total"] == 3
    assert (await client.get(f"/api/events/{world.ne_draft['slug']}")).status_code == 404
    assert (await client.get(f"/api/events/{world.sw_draft['slug']}")).status_code == 200

    series_page = (await client.get("/organiser/series", headers=HTML)).text
    assert "Community sw-cop" in series_page and "Community ne-cop" not in series_page
    assert (await client.get(f"/organiser/series/{world.ne_series}/edit", headers=HTML)).status_code == 404
    assert (await client.get(f"/api/series/{world.ne_series}/feedback/results")).status_code == 404

    # Public pages are unaffected.
    assert (await client.get(f"/events/{world.ne_event['slug']}", headers=HTML)).status_code == 200
    assert (await client.get(f"/series/{world.ne_series}", headers=HTML)).status_code == 200


async def test_the_lead_cannot_see_count_export_or_change_another_regions_delegates(
    client: AsyncTestClient[Any], accounts: Accounts, world: World
) -> None:
    await _lead(client, accounts, regions=["south-west"])
    ne, sw = world.ne_event["slug"], world.sw_event["slug"]
    nora = world.nora["registration"]
    for path in (
        f"/api/events/{ne}/registrations",
        f"/api/events/{ne}/registrations/counts",
        f"/api/events/{ne}/registrations.csv",
        f"/api/events/{ne}/attendance.csv",
        f"/api/events/{ne}/feedback/results",
        f"/api/events/{ne}/check-in/search?q=Nora",
        f"/api/registrations/{nora['id']}",
        f"/api/registrations/{nora['id']}/history",
        f"/api/delegates/{nora['delegate_id']}/export",
    ):
        assert (await client.get(path)).status_code == 404, path
    for path in (f"/organiser/events/{ne}/registrations", f"/organiser/registrations/{nora['id']}"):
        assert (await client.get(path, headers=HTML)).status_code == 404, path
    assert (await client.post(f"/api/registrations/{nora['id']}/cancel", json={"reason": "x"})).status_code == 404
    assert (await client.post(f"/api/delegates/{nora['delegate_id']}/erase")).status_code == 404
    assert (await client.post(f"/api/delegates/{nora['delegate_id']}/calendar-token")).status_code == 404
    decided = (await client.post("/api/registrations/decline", json={"ids": [nora["id"]]})).json()
    assert decided["changed"] == [] and str(nora["id"]) in decided["skipped"]

    # Their own region: the people of the South West, and only them, in lists, counts, exports and searches.
    listed = (await client.get(f"/api/events/{sw}/registrations")).json()
    assert {r["name"] for r in listed["items"]} == {"Sam Southwest", "Bo Both"}
    assert (await client.get(f"/api/events/{sw}/registrations/counts")).json()["by_status"]["confirmed"] == 2
    csv = (await client.get(f"/api/events/{sw}/registrations.csv")).text
    assert "Sam Southwest" in csv and "Nora" not in csv
    assert (await client.get(f"/api/events/{sw}/check-in/search", params={"q": "Nora"})).json() == []

    # A person registered in both regions: the lead's export holds only the South West's registration, and
    # erasing them (which changes the North East's records too) is refused.
    both = world.both[0]["registration"]
    exported = (await client.get(f"/api/delegates/{both['delegate_id']}/export")).json()
    assert [r["event"]["slug"] for r in exported["registrations"]] == [sw]
    refused = await client.post(f"/api/delegates/{both['delegate_id']}/erase")
    assert refused.status_code == 403 and refused.json()["code"] == "delegate_outside_scope"

    # The outbox: no message to or about the North East's people, in the list, the counts or one by one.
    outbox = (await client.get("/api/outbox", params={"limit": 100})).json()
    recipients = {m["to_email"] for m in outbox["items"]}
    assert "delegatesam@example.org" in recipients and "delegatenora@example.org" not in recipients
    assert sum((await client.get("/api/outbox/counts")).json().values()) == outbox["total"]
    assert "delegatenora@example.org" not in (await client.get("/organiser/outbox", headers=HTML)).text

    await accounts.sign_in("admin")
    everything = (await client.get("/api/outbox", params={"to": "delegatenora"})).json()
    assert everything["total"] >= 1  # there is a message to Nora: the lead just does not see it
    await _lead_again(client)
    assert (await client.get(f"/api/outbox/{everything['items'][0]['id']}")).status_code == 404


async def _lead_again(client: AsyncTestClient[Any]) -> None:
    client.cookies.clear()
    answer = await client.post("/api/auth/sign-in", json={"email": "lead-organiser@example.org", "password": PASSWORD})
    assert answer.status_code == 200, answer.text


async def test_a_lead_makes_events_only_in_their_scope(
    client: AsyncTestClient[Any], accounts: Accounts, world: World
) -> None:
    await _lead(client, accounts, regions=["south-west"])
    series = {s["slug"]: s for s in (await client.get("/api/series")).json()}
    event = {"title": "Meeting", "kind": "forum_meeting", "starts_at": f"{DAY}T10:00:00", "ends_at": f"{DAY}T12:00:00"}
    refused = await client.post("/api/events", json={**event, "series_id": series[world.ne_series]["id"]})
    assert refused.status_code == 403 and refused.json()["field"] == "series_id"
    assert (await client.post("/api/events", json=event)).status_code == 403  # no series: outside any scope
    moved = await client.patch(
        f"/api/events/{world.sw_draft['slug']}", json={"series_id": series[world.ne_series]["id"]}
    )
    assert moved.status_code == 403
    assert (
        await client.post("/api/events", json={**event, "series_id": series[world.sw_series]["id"]})
    ).status_code == 201

    # A new series of their own region is theirs at once (a region covers its new series).
    regions = {r["slug"]: r["id"] for r in (await client.get("/api/regions")).json()}
    refused = await client.post("/api/series", json={"title": "Elsewhere", "region_id": regions["north-east"]})
    assert refused.status_code == 403 and refused.json()["field"] == "region_id"
    made = await client.post("/api/series", json={"title": "Bristol evenings", "region_id": regions["south-west"]})
    assert made.status_code == 201, made.text
    assert (await client.post("/api/events", json={**event, "series_id": made.json()["id"]})).status_code == 201


async def test_scopes_are_set_by_name_and_never_widened(
    client: AsyncTestClient[Any], accounts: Accounts, world: World
) -> None:
    unknown = await client.patch(
        f"/api/organisers/{await _user_id(client, 'admin@example.org')}",
        json={"scope": {"regions": ["atlantis"], "series": []}},
    )
    assert unknown.status_code == 400 and unknown.json()["field"] == "scope.regions"
    assert "atlantis" in unknown.json()["detail"]

    staff = (
        await client.post(
            "/api/organisers",
            json={"email": "door@example.org", "name": "Door", "role": "checkin", "password": PASSWORD},
        )
    ).json()
    lead_id = await _lead(client, accounts, role="admin", regions=["south-west"])  # a limited admin
    wider = await client.patch(f"/api/organisers/{staff['id']}", json={"scope": {"regions": ["north-east"]}})
    assert wider.status_code == 403 and wider.json()["code"] == "scope_too_wide"
    everything = await client.patch(f"/api/organisers/{staff['id']}", json={"scope": {}})
    assert everything.status_code == 403
    own = await client.patch(f"/api/organisers/{lead_id}", json={"scope": {"series": [world.sw_series]}})
    assert own.status_code == 403
    narrower = await client.patch(f"/api/organisers/{staff['id']}", json={"scope": {"regions": ["south-west"]}})
    assert narrower.status_code == 200 and narrower.json()["scope"] == {"series": [], "regions": ["south-west"]}
    # A series of the admin's region is within the admin's scope; one of another region is not.
    one_series = await client.patch(f"/api/organisers/{staff['id']}", json={"scope": {"series": [world.sw_series]}})
    assert one_series.status_code == 200 and one_series.json()["scope"]["series"] == [world.sw_series]
    other = await client.patch(f"/api/organisers/{staff['id']}", json={"scope": {"series": [world.ne_series]}})
    assert other.status_code == 403


async def test_an_admin_sets_a_scope_on_the_page(
    client: AsyncTestClient[Any], accounts: Accounts, world: World
) -> None:
    staff = (
        await client.post(
            "/api/organisers",
            json={"email": "door@example.org", "name": "Dora Door", "role": "checkin", "password": PASSWORD},
        )
    ).json()
    page = await client.get(f"/organiser/accounts/{staff['id']}/scope", headers=HTML)
    assert page.status_code == 200 and "now sees <strong>every event</strong>" in page.text
    assert 'name="regions" value="south-west"' in page.text and 'name="series" value="ne-cop"' in page.text
    token = client.cookies.get("csrftoken")
    assert token
    saved = await client.post(
        f"/organiser/accounts/{staff['id']}/scope",
        data={"regions": "south-west"},
        headers={**HTML, "x-csrftoken": token},
        follow_redirects=True,
    )
    assert saved.status_code == 200
    assert "Dora Door now sees only the events of the South West region" in saved.text
    assert 'value="south-west" checked' in saved.text
    edit = (await client.get(f"/organiser/accounts/{staff['id']}/edit", headers=HTML)).text
    assert f'href="/organiser/accounts/{staff["id"]}/scope"' in edit and "the regions south-west" in edit
    # The series of a scope stays while an account is limited to it.
    narrowed = await client.patch(f"/api/organisers/{staff['id']}", json={"scope": {"series": ["sw-cop"]}})
    assert narrowed.status_code == 200
    empty = await client.post("/api/series", json={"title": "Empty", "slug": "empty"})
    assert empty.status_code == 201
    await client.patch(f"/api/organisers/{staff['id']}", json={"scope": {"series": ["empty"]}})
    refused = await client.delete("/api/series/empty")
    assert refused.status_code == 409 and "limited to this series" in refused.json()["detail"]

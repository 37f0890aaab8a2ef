"""Organisers' views of registrations: filters, counts by group, CSV for Excel, changes by hand with
who and when, and who may see any of it."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from tests.builders import make_session
from tests.conftest import Accounts
from tests.registration.conftest import HEI, TSO, delegate, mails, register


async def _filled(
    client: AsyncTestClient[Any], open_event: Callable[..., Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    event = await open_event(capacity=2)
    workshop = await make_session(client, event["slug"], title="Workshop", kind="workshop", capacity=5)
    await register(client, event["slug"], 1, name="Siân Llewelyn", session_ids=[workshop["id"]])
    await register(client, event["slug"], 2, stakeholder_group=TSO, organisation_name='=HYPERLINK("x")')
    await register(client, event["slug"], 3, stakeholder_group=TSO, name="Zoë Ó Súilleabháin")
    return event, workshop


async def test_filters_and_counts_by_stakeholder_group(
    client: AsyncTestClient[Any], open_event: Callable[..., Any]
) -> None:
    event, workshop = await _filled(client, open_event)
    slug = event["slug"]

    def names(page: dict[str, Any]) -> list[str]:
        return [r["name"] for r in page["items"]]

    everyone = (await client.get(f"/api/events/{slug}/registrations")).json()
    assert everyone["total"] == 3
    assert names((await client.get(f"/api/events/{slug}/registrations", params={"status": "waitlisted"})).json()) == [
        "Zoë Ó Súilleabháin"
    ]
    assert names((await client.get(f"/api/events/{slug}/registrations", params={"group": TSO})).json()) == [
        "Delegate 2",
        "Zoë Ó Súilleabháin",
    ]
    assert names(
        (await client.get(f"/api/events/{slug}/registrations", params={"session": workshop["id"]})).json()
    ) == ["Siân Llewelyn"]
    assert names((await client.get(f"/api/events/{slug}/registrations", params={"q": "llewelyn"})).json()) == [
        "Siân Llewelyn"
    ]
    bad = await client.get(f"/api/events/{slug}/registrations", params={"status": "maybe"})
    assert bad.status_code == 400

    counts = (await client.get(f"/api/events/{slug}/registrations/counts")).json()
    assert (counts["capacity"], counts["places_left"]) == (2, 0)
    assert counts["by_status"] == {"pending": 0, "confirmed": 2, "waitlisted": 1, "cancelled": 0, "declined": 0}
    groups = {g["stakeholder_group"]: g["counts"] for g in counts["by_group"]}
    assert groups[HEI]["confirmed"] == 1
    assert (groups[TSO]["confirmed"], groups[TSO]["waitlisted"]) == (1, 1)
    assert groups["funder"]["confirmed"] == 0


async def test_csv_opens_in_excel_with_accents_and_no_formulas(
    client: AsyncTestClient[Any], open_event: Callable[..., Any]
) -> None:
    event, _ = await _filled(client, open_event)
    response = await client.get(f"/api/events/{event['slug']}/registrations.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert f'filename="registrations-{event["slug"]}.csv"' in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:7] == [
        "Registration",
        "Status",
        "Waiting list number",
        "Name",
        "Email",
        "Organisation",
        "Stakeholder group",
    ]
    by_name = {r[3]: r for r in rows[1:]}
    assert by_name["Siân Llewelyn"][10] == "Workshop"
    assert by_name["Zoë Ó Súilleabháin"][1:3] == ["waitlisted", "1"]
    assert by_name["Delegate 2"][5] == '\'=HYPERLINK("x")'  # shown as text, never run as a formula
    only_waiting = await client.get(f"/api/events/{event['slug']}/registrations.csv", params={"status": "waitlisted"})
    assert len(list(csv.reader(io.StringIO(only_waiting.content.decode("utf-8-sig"))))) == 2


async def test_changes_by_hand_are_recorded_with_who_and_when(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await open_event(capacity=1)
    added = await client.post(f"/api/events/{event['slug']}/registrations/manual", json=delegate(1))
    assert added.status_code == 201
    waiting = [await register(client, event["slug"], n) for n in (2, 3, 4)]
    first_id = added.json()["registration"]["id"]

    cancelled = await client.post(f"/api/registrations/{first_id}/cancel", json={"reason": "Asked by phone"})
    assert cancelled.json()["status"] == "cancelled"
    moved = await client.post(f"/api/registrations/{waiting[2]['registration']['id']}/move", json={"position": 1})
    assert moved.json()["waitlist_position"] == 1
    promoted = await client.post(f"/api/registrations/{waiting[2]['registration']['id']}/promote")
    assert promoted.json()["status"] == "confirmed"

    history = (await client.get(f"/api/registrations/{first_id}/history")).json()
    assert [(h["action"], h["by"]) for h in history] == [
        ("registered", "organiser@example.org"),
        ("cancelled", "organiser@example.org"),
    ]
    assert history[1]["detail"] == "Asked by phone"
    assert history[1]["at"] >= history[0]["at"]
    promoted_history = (await client.get(f"/api/registrations/{waiting[2]['registration']['id']}/history")).json()
    assert [(h["action"], h["detail"]) for h in promoted_history] == [
        ("registered", "on the waiting list"),
        ("moved", "waiting list number 2 to 1"),
        ("promoted", "by hand, beyond the capacity"),
    ]
    second_history = (await client.get(f"/api/registrations/{waiting[0]['registration']['id']}/history")).json()
    assert [(h["action"], h["by"]) for h in second_history] == [("registered", "delegate"), ("promoted", "system")]
    assert ("registration_cancelled", "delegate1@example.org") in mails(run)


async def test_one_delegates_data_can_be_exported(client: AsyncTestClient[Any], open_event: Callable[..., Any]) -> None:
    event = await open_event()
    result = await register(client, event["slug"], 1, access_needs="Hearing loop")
    response = await client.get(f"/api/delegates/{result['registration']['delegate_id']}/export")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    data = response.json()
    assert (data["email"], data["name"]) == ("delegate1@example.org", "Delegate 1")
    assert data["registrations"][0]["access_needs"] == "Hearing loop"
    assert [h["action"] for h in data["history"][str(result["registration"]["id"])]] == ["registered"]


@pytest.mark.parametrize(("role", "status"), [("anonymous", 401), ("checkin", 403)])
async def test_registrations_are_for_organisers(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], accounts: Accounts, role: str, status: int
) -> None:
    event = await open_event()
    result = await register(client, event["slug"], 1)
    rid, did, slug = result["registration"]["id"], result["registration"]["delegate_id"], event["slug"]
    await accounts.sign_in(role)
    for method, path, body in (
        ("get", f"/api/events/{slug}/registrations", None),
        ("get", f"/api/events/{slug}/registrations/counts", None),
        ("get", f"/api/events/{slug}/registrations.csv", None),
        ("post", f"/api/events/{slug}/registrations/manual", delegate(2)),
        ("post", f"/api/events/{slug}/questions", {"label": "Q", "kind": "text"}),
        ("get", f"/api/registrations/{rid}", None),
        ("get", f"/api/registrations/{rid}/history", None),
        ("post", f"/api/registrations/{rid}/cancel", {}),
        ("post", f"/api/registrations/{rid}/promote", None),
        ("post", "/api/registrations/approve", {"ids": [rid]}),
        ("get", f"/api/delegates/{did}/export", None),
        ("post", f"/api/delegates/{did}/erase", None),
    ):
        kwargs = {"json": body} if body is not None else {}
        response = await getattr(client, method)(path, **kwargs)
        assert response.status_code == status, (method, path, response.text)

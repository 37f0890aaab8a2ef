"""Cancelling and moving up, approval, the delegate's own link, a cancelled event, and erasure."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar.testing import AsyncTestClient

from tests.builders import make_session
from tests.conftest import Accounts
from tests.registration.conftest import mails, manage_token, register, registrations


def statuses(run: Callable[..., Any], event_id: int) -> list[tuple[str, int | None]]:
    return [(r["status"], r["waitlist_position"]) for r in registrations(run, event_id)]


async def test_cancelling_a_place_moves_the_first_waiting_delegate_up(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await open_event(capacity=1)
    for n in range(3):
        await register(client, event["slug"], n)
    token = manage_token(run, "delegate0@example.org")
    client.cookies.clear()  # the delegate has no account: the link is enough

    mine = (await client.get(f"/api/my/{token}")).json()
    assert [(r["event"]["slug"], r["status"]) for r in mine] == [(event["slug"], "confirmed")]
    cancelled = await client.post(f"/api/my/{token}/registrations/{mine[0]['id']}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"

    assert statuses(run, event["id"]) == [("cancelled", None), ("confirmed", None), ("waitlisted", 1)]
    assert mails(run)[-2:] == [
        ("registration_cancelled", "delegate0@example.org"),
        ("promoted", "delegate1@example.org"),
    ]
    again = await client.post(f"/api/my/{token}/registrations/{mine[0]['id']}/cancel")
    assert (again.status_code, again.json()["code"]) == (409, "not_active")


async def test_raising_the_capacity_promotes_in_order(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await open_event(capacity=1)
    for n in range(4):
        await register(client, event["slug"], n)
    assert (await client.patch(f"/api/events/{event['slug']}", json={"capacity": 3})).status_code == 200
    assert statuses(run, event["id"]) == [("confirmed", None)] * 3 + [("waitlisted", 1)]
    assert [m for m in mails(run) if m[0] == "promoted"] == [
        ("promoted", "delegate1@example.org"),
        ("promoted", "delegate2@example.org"),
    ]


async def test_approval_pending_then_approved_or_declined(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await open_event(capacity=1, kind="forum_meeting", requires_approval=True)
    results = [await register(client, event["slug"], n) for n in range(3)]
    assert {r["status"] for r in results} == {"pending"}
    assert "needs the organisers' approval" in results[0]["message"]
    ids = [r["registration"]["id"] for r in results]

    approved = (await client.post("/api/registrations/approve", json={"ids": ids[:2]})).json()
    assert approved == {"changed": ids[:2], "skipped": {}}
    declined = (await client.post("/api/registrations/decline", json={"ids": [ids[2], 999999]})).json()
    assert declined["changed"] == [ids[2]]
    assert declined["skipped"] == {"999999": "There is no such registration"}
    again = (await client.post("/api/registrations/approve", json={"ids": [ids[0]]})).json()
    assert again["skipped"] == {str(ids[0]): "Only a pending registration can be approved; this one is confirmed"}

    assert statuses(run, event["id"]) == [("confirmed", None), ("waitlisted", 1), ("declined", None)]
    sent = mails(run)
    assert sent[:3] == [("pending_approval", f"delegate{n}@example.org") for n in range(3)]
    assert sent[3:] == [
        ("approved", "delegate0@example.org"),
        ("approved", "delegate1@example.org"),
        ("declined", "delegate2@example.org"),
    ]


async def test_a_delegate_changes_sessions_and_needs_with_the_link(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await open_event(capacity=10)
    first = await make_session(client, event["slug"], title="Workshop A", kind="workshop", capacity=1)
    second = await make_session(
        client,
        event["slug"],
        title="Workshop B",
        kind="workshop",
        capacity=1,
        starts_at="2030-06-12T14:00:00",
        ends_at="2030-06-12T15:00:00",
    )
    a = await register(client, event["slug"], "a", session_ids=[first["id"]])
    b = await register(client, event["slug"], "b", session_ids=[first["id"]])
    assert b["registration"]["sessions"][0]["status"] == "waitlisted"
    token = manage_token(run, "delegatea@example.org")
    client.cookies.clear()

    changed = await client.patch(
        f"/api/my/{token}/registrations/{a['registration']['id']}",
        json={"session_ids": [second["id"]], "dietary_needs": "Vegan", "access_needs": "Step-free access"},
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert [(s["title"], s["status"]) for s in body["sessions"]] == [("Workshop B", "confirmed")]
    assert (body["dietary_needs"], body["access_needs"]) == ("Vegan", "Step-free access")
    b_token = manage_token(run, "delegateb@example.org")
    b_now = (await client.get(f"/api/my/{b_token}")).json()[0]
    assert [(s["title"], s["status"]) for s in b_now["sessions"]] == [("Workshop A", "confirmed")]

    other = await client.patch(f"/api/my/{token}/registrations/{b['registration']['id']}", json={"dietary_needs": "x"})
    assert other.status_code == 404  # one delegate's link never opens another's registration
    too_long = await client.patch(
        f"/api/my/{token}/registrations/{a['registration']['id']}", json={"access_needs": "x" * 2001}
    )
    assert (too_long.status_code, too_long.json()["field"]) == (400, "access_needs")


async def test_a_forged_or_altered_link_opens_nothing(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await open_event()
    await register(client, event["slug"], 1)
    token = manage_token(run, "delegate1@example.org")
    client.cookies.clear()
    assert (await client.get(f"/api/my/{token}")).status_code == 200
    for forged in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "WzEsMV0.forged.sig", "x"):
        response = await client.get(f"/api/my/{forged}")
        assert response.status_code == 404
        assert "not valid" in response.json()["detail"]


async def test_cancelling_an_event_cancels_every_registration_and_tells_everyone(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await open_event(capacity=1)
    for n in range(3):
        await register(client, event["slug"], n)
    assert (await client.patch(f"/api/events/{event['slug']}", json={"status": "cancelled"})).status_code == 200
    assert statuses(run, event["id"]) == [("cancelled", None)] * 3
    assert sorted(m for m in mails(run) if m[0] == "event_cancelled") == [
        ("event_cancelled", f"delegate{n}@example.org") for n in range(3)
    ]
    assert not [m for m in mails(run) if m[0] in ("promoted", "registration_cancelled")]


async def test_a_changed_time_tells_registered_delegates(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await open_event(capacity=5)
    await register(client, event["slug"], 1)
    moved = await client.patch(
        f"/api/events/{event['slug']}", json={"starts_at": "2030-06-12T10:00:00", "ends_at": "2030-06-12T17:00:00"}
    )
    assert moved.status_code == 200
    assert mails(run)[-1] == ("event_changed", "delegate1@example.org")


async def test_erasure_clears_the_person_and_keeps_the_count(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any], organiser: Accounts
) -> None:
    event = await open_event(capacity=5)
    result = await register(client, event["slug"], 1, access_needs="Wheelchair user", dietary_needs="Halal")
    token = manage_token(run, "delegate1@example.org")
    await organiser.sign_in("anonymous")
    assert (await client.post(f"/api/my/{token}/erase")).status_code == 204
    assert (await client.get(f"/api/my/{token}")).status_code == 404  # the link dies with the data

    await organiser.sign_in("organiser")
    registration = (await client.get(f"/api/registrations/{result['registration']['id']}")).json()
    assert (registration["name"], registration["email"]) == ("(erased)", "")
    assert (registration["access_needs"], registration["dietary_needs"], registration["organisation"]) == ("", "", "")
    # The event is still to come: the place is freed for someone else, and the record stays, counted as cancelled.
    assert registration["status"] == "cancelled"
    assert registration["stakeholder_group"] == "higher-education-institution"
    counts = (await client.get(f"/api/events/{event['slug']}/registrations/counts")).json()
    assert counts["by_status"]["cancelled"] == 1
    exported = (await client.get(f"/api/delegates/{registration['delegate_id']}/export")).json()
    assert "delegate1@example.org" not in str(exported)
    assert "Wheelchair" not in str(exported)
    assert exported["erased_at"] is not None


async def test_asking_for_the_link_never_says_whether_an_address_is_known(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await open_event()
    await register(client, event["slug"], 1)
    client.cookies.clear()
    known = await client.post("/api/my/link", json={"email": "Delegate1@example.org"})
    unknown = await client.post("/api/my/link", json={"email": "nobody@example.org"})
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
    assert mails(run)[-1] == ("manage_link", "delegate1@example.org")
    assert not [m for m in mails(run) if m[1] == "nobody@example.org"]

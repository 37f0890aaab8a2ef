"""Tickets and check-in: signed codes refused when forged, QR images a real decoder reads, every scan
answer, one check-in however many doors scan at once, offline scans synced twice counting once."""

from __future__ import annotations

import asyncio
import base64
import email
import io
from collections.abc import Callable
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from typing import Any

import PIL.Image
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from litestar.testing import AsyncTestClient

from events_app.checkin import services
from events_app.checkin.tables import CheckIn
from events_app.core.settings import load_mail_settings
from events_app.core.timezones import utc_now
from events_app.mail.erasure import eml_path
from events_app.mail.tables import OutboxMessage
from events_app.mail.worker import deliver_due
from events_app.people.services import ensure_default_groups
from events_app.tickets import codes, qr
from tests.builders import in_person, make_event, make_session
from tests.conftest import Accounts
from tests.qr_reading import read_qr
from tests.registration.conftest import manage_token, register

decode = read_qr


def test_codes_round_trip_and_forgeries_are_refused_before_any_lookup() -> None:
    code = codes.issue(7, 1234)
    assert code.startswith("T1.") and len(code) == 101
    assert codes.read(code) == codes.Ticket(event_id=7, registration_id=1234)
    body = base64.urlsafe_b64decode(code[3:] + "=" * (-len(code[3:]) % 4))
    other_key = Ed25519PrivateKey.generate()
    forged = "T1." + base64.urlsafe_b64encode(body[:9] + other_key.sign(body[:9])).rstrip(b"=").decode()
    altered_body = body[:5] + bytes([body[5] ^ 1]) + body[6:]  # another registration, same signature
    altered = "T1." + base64.urlsafe_b64encode(altered_body).rstrip(b"=").decode()
    for bad in (forged, altered, code[:-5], code + "AAAA", "T1.", "T2." + code[3:], "hello", "T1.!!!!", "x" * 500):
        with pytest.raises(codes.InvalidTicket):
            codes.read(bad)


@pytest.mark.parametrize("size", ["phone", "print"])
def test_qr_images_decode_to_the_exact_code(size: str) -> None:
    code = codes.issue(2_147_483_647, 2_147_483_647)
    image = qr.png(code, size)  # type: ignore[arg-type]
    assert decode(image) == code
    width = PIL.Image.open(io.BytesIO(image)).size[0]
    assert (width >= 390) if size == "phone" else (width >= 780)
    svg = qr.svg(code)
    assert svg.startswith(b"<svg") and b"<path" in svg


def _from_now(**delta: float) -> str:
    return (utc_now() + timedelta(**delta)).strftime("%Y-%m-%dT%H:%M:%SZ")


async def _setup(client: AsyncTestClient[Any], run: Callable[..., Any]) -> dict[str, Any]:
    run(ensure_default_groups)
    # The event is on today (a door takes tickets only on the event's days): it starts within the hour.
    hall = await in_person(client)  # a door to check in at; the other event is online (no door, no tickets)
    event = await make_event(client, capacity=2, starts_at=_from_now(minutes=50), ends_at=_from_now(hours=6), **hall)
    other = await make_event(
        client, title="Another event", kind="seminar", starts_at=_from_now(minutes=30), ends_at=_from_now(hours=5)
    )
    workshop = await make_session(
        client,
        event["slug"],
        title="Workshop",
        kind="workshop",
        capacity=5,
        starts_at=_from_now(hours=2),
        ends_at=_from_now(hours=3),
    )
    first = await register(client, event["slug"], 1, access_needs="Hearing loop", session_ids=[workshop["id"]])
    second = await register(client, event["slug"], 2)
    waiting = await register(client, event["slug"], 3)
    elsewhere = await register(client, other["slug"], 4)
    return {
        "event": event,
        "workshop": workshop,
        "first": first["registration"]["id"],
        "second": second["registration"]["id"],
        "waiting": waiting["registration"]["id"],
        "other_event": other,
        "elsewhere": elsewhere["registration"]["id"],
    }


async def test_every_scan_answer(client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]) -> None:
    s = await _setup(client, run)
    await organiser.sign_in("checkin")
    slug, event_id = s["event"]["slug"], s["event"]["id"]

    async def scan(code: str, **extra: Any) -> dict[str, Any]:
        response = await client.post(f"/api/events/{slug}/check-in/scan", json={"code": code, **extra})
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    welcome = await scan(codes.issue(event_id, s["first"]))
    assert (welcome["result"], welcome["colour"]) == ("checked_in", "green")
    assert welcome["message"] == "Welcome, Delegate 1"
    assert (welcome["organisation"], welcome["stakeholder_group"], welcome["access_needs"]) == (
        "University of Testing",
        "Higher education institution",
        "Hearing loop",
    )
    again = await scan(codes.issue(event_id, s["first"]))
    assert (again["result"], again["colour"]) == ("already_checked_in", "amber")
    assert again["checked_in_by"] == "Test checkin"  # the staff member, by name
    assert again["message"].startswith("Delegate 1 was already checked in at ")
    waiting = await scan(codes.issue(event_id, s["waiting"]))
    assert (waiting["result"], waiting["colour"]) == ("not_confirmed", "red")
    assert waiting["message"] == "Delegate 3 has no confirmed place: the registration is waitlisted"
    other = await scan(codes.issue(s["other_event"]["id"], s["elsewhere"]))
    assert (other["result"], other["message"]) == ("other_event", "This ticket is for another event: Another event")
    forged = await scan(codes.issue(event_id, s["first"])[:-3] + "abc")
    assert (forged["result"], forged["message"]) == ("invalid", "This is not a valid ticket")
    session = await scan(codes.issue(event_id, s["first"]), session_id=s["workshop"]["id"])
    assert session["result"] == "checked_in"
    not_booked = await scan(codes.issue(event_id, s["second"]), session_id=s["workshop"]["id"])
    assert (not_booked["result"], not_booked["message"]) == ("not_booked", "Delegate 2 has no place in Workshop")
    counts = (await client.get(f"/api/events/{slug}/check-in/counts")).json()
    assert (counts["expected"], counts["checked_in"], counts["inside"]) == (2, 1, None)  # no check-out here
    assert counts["by_group"] == [{"stakeholder_group": "Higher education institution", "expected": 2, "checked_in": 1}]
    assert (await client.post(f"/api/events/{slug}/check-in/scan", json={"code": ""})).status_code == 400


async def test_two_doors_scanning_one_ticket_at_once_make_one_check_in(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any], accounts: Accounts
) -> None:
    s = await _setup(client, run)
    code = codes.issue(s["event"]["id"], s["first"])

    async def doors() -> list[str]:
        results = await asyncio.gather(*(services.scan(s["event"]["slug"], code, staff_id=None) for _ in range(12)))
        return [r.result for r in results]

    answers = run(doors)
    assert sorted(answers) == ["already_checked_in"] * 11 + ["checked_in"]
    assert run(CheckIn.count) == 1


async def test_scans_at_once_are_decided_together_each_with_its_own_answer(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    """Issue 20: scans arriving together at one door are decided in one transaction; each gets the answer it
    would have got alone, in the order they came, and each ticket is checked in once."""
    s = await _setup(client, run)
    event_id, slug = s["event"]["id"], s["event"]["slug"]
    tickets = [
        codes.issue(event_id, s["first"]),
        codes.issue(event_id, s["waiting"]),  # no confirmed place
        codes.issue(event_id, s["second"]),
        codes.issue(event_id, s["first"]),  # the same ticket again, in the same moment
        codes.issue(s["other_event"]["id"], s["elsewhere"]),  # another event's
    ]

    async def doors() -> list[str]:
        results = await asyncio.gather(*(services.scan(slug, code, staff_id=None) for code in tickets))
        return [r.result for r in results]

    assert run(doors) == ["checked_in", "not_confirmed", "checked_in", "already_checked_in", "other_event"]
    assert run(CheckIn.count) == 2
    # Once more, all at once: both are in already, as they say.
    assert run(doors)[:4] == ["already_checked_in", "not_confirmed", "already_checked_in", "already_checked_in"]
    assert run(CheckIn.count) == 2


async def test_offline_scans_synced_twice_count_once_and_the_earliest_stands(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    s = await _setup(client, run)
    slug, event_id = s["event"]["slug"], s["event"]["id"]
    now = utc_now()
    scans = [
        {
            "client_id": "door-a-0001",
            "code": codes.issue(event_id, s["first"]),
            "at": (now - timedelta(minutes=5)).isoformat(),
        },
        {
            "client_id": "door-b-0001",
            "code": codes.issue(event_id, s["first"]),
            "at": (now - timedelta(minutes=9)).isoformat(),
        },
        {
            "client_id": "door-a-0002",
            "code": codes.issue(event_id, s["second"]),
            "at": (now - timedelta(minutes=4)).isoformat(),
        },
    ]
    await organiser.sign_in("checkin")
    first = (await client.post(f"/api/events/{slug}/check-in/sync", json={"scans": scans})).json()
    replay = (await client.post(f"/api/events/{slug}/check-in/sync", json={"scans": scans})).json()
    by_client = {r["client_id"]: r for r in first}
    assert by_client["door-b-0001"]["result"] == "checked_in"  # the earlier scan (door B) stands
    assert by_client["door-a-0001"]["result"] == "already_checked_in" and by_client["door-a-0001"]["conflict"]
    assert by_client["door-a-0002"]["result"] == "checked_in"
    assert {r["client_id"]: r["result"] for r in replay}["door-b-0001"] == "checked_in"

    async def active() -> list[dict[str, Any]]:
        return list(await CheckIn.select().where(CheckIn.undone_at.is_null()).order_by(CheckIn.registration))

    rows = run(active)
    assert [(r["registration"], r["client_id"]) for r in rows] == [
        (s["first"], "door-b-0001"),
        (s["second"], "door-a-0002"),
    ]
    assert run(CheckIn.count) == 2  # replays added nothing


async def test_a_scan_id_reused_for_another_ticket_never_answers_for_the_first_scan(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    """A scanner that sends one `client_id` with several tickets (a bug, or someone replaying ids) gets each
    ticket judged on its own: never a green "Welcome" taken from another person's check-in."""
    s = await _setup(client, run)
    await organiser.sign_in("checkin")
    slug, event_id = s["event"]["slug"], s["event"]["id"]
    other_slug, other_id = s["other_event"]["slug"], s["other_event"]["id"]

    async def scan(event_slug: str, code: str, **extra: Any) -> dict[str, Any]:
        response = await client.post(f"/api/events/{event_slug}/check-in/scan", json={"code": code, **extra})
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    first = await scan(slug, codes.issue(event_id, s["first"]), client_id="door-a-0001")
    assert (first["result"], first["registration_id"]) == ("checked_in", s["first"]), first
    # The waiting-list person's ticket with that id: red, as without it.
    waiting = await scan(slug, codes.issue(event_id, s["waiting"]), client_id="door-a-0001")
    assert (waiting["result"], waiting["colour"]) == ("not_confirmed", "red")
    # The second person's ticket with that id: really checked in (a second scan finds them in).
    second = await scan(slug, codes.issue(event_id, s["second"]), client_id="door-a-0001")
    assert (second["result"], second["registration_id"]) == ("checked_in", s["second"])
    assert second["check_in_id"] != first["check_in_id"]
    assert (await scan(slug, codes.issue(event_id, s["second"])))["result"] == "already_checked_in"
    # The same id at another event, synced offline: that event's delegate is checked in there.
    synced = await client.post(
        f"/api/events/{other_slug}/check-in/sync",
        json={"scans": [{"client_id": "door-a-0001", "code": codes.issue(other_id, s["elsewhere"])}]},
    )
    assert [(r["result"], r["registration_id"]) for r in synced.json()] == [("checked_in", s["elsewhere"])]
    # The first scan synced again is still the same check-in, and nothing else was added.
    replay = await scan(slug, codes.issue(event_id, s["first"]), client_id="door-a-0001")
    assert (replay["result"], replay["check_in_id"]) == ("checked_in", first["check_in_id"])
    assert (await client.get(f"/api/events/{slug}/check-in/counts")).json()["checked_in"] == 2
    assert (await client.get(f"/api/events/{other_slug}/check-in/counts")).json()["checked_in"] == 1
    assert run(CheckIn.count) == 3


async def test_undo_needs_an_organiser_and_is_recorded(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    s = await _setup(client, run)
    slug = s["event"]["slug"]
    await organiser.sign_in("checkin")
    found = (await client.get(f"/api/events/{slug}/check-in/search", params={"q": "delegate 2"})).json()
    assert [(p["name"], p["checked_in_at"]) for p in found] == [("Delegate 2", None)]
    by_hand = await client.post(f"/api/events/{slug}/check-in/registrations/{found[0]['registration_id']}", json={})
    assert by_hand.json()["result"] == "checked_in"
    check_in_id = by_hand.json()["check_in_id"]
    assert (await client.post(f"/api/check-ins/{check_in_id}/undo")).status_code == 403
    await organiser.sign_in("organiser")
    assert (await client.post(f"/api/check-ins/{check_in_id}/undo")).status_code == 204
    assert (await client.post(f"/api/check-ins/{check_in_id}/undo")).status_code == 409
    again = await client.post(f"/api/events/{slug}/check-in/registrations/{found[0]['registration_id']}", json={})
    assert again.json()["result"] == "checked_in"
    assert run(CheckIn.count) == 2  # the undone one is kept
    await organiser.sign_in("anonymous")
    assert (await client.post(f"/api/events/{slug}/check-in/scan", json={"code": "x"})).status_code == 401


async def test_a_delegate_sees_and_gets_emailed_their_ticket(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    s = await _setup(client, run)
    token = manage_token(run, "delegate1@example.org")
    await organiser.sign_in("anonymous")
    page = await client.get(f"/my/{token}")
    assert f"/my/{token}/registrations/{s['first']}/ticket.svg" in page.text
    png = await client.get(f"/my/{token}/registrations/{s['first']}/ticket.png", params={"size": "print"})
    assert png.headers["content-type"] == "image/png"
    assert decode(png.content) == codes.issue(s["event"]["id"], s["first"])
    assert (await client.get(f"/my/{token}/registrations/{s['second']}/ticket.png")).status_code == 404  # not theirs
    waiting_token = manage_token(run, "delegate3@example.org")
    assert (await client.get(f"/my/{waiting_token}/registrations/{s['waiting']}/ticket.png")).status_code == 404
    online = (await client.get(f"/my/{manage_token(run, 'delegate4@example.org')}")).text  # a place online
    assert 'class="ticket"' not in online and "Show this at the door" not in online
    assert "/join/" in online  # the join link stands where a ticket would

    async def mailed() -> list[str]:  # the tickets drawn as the mail goes out, read from the messages sent
        settings = load_mail_settings()
        await deliver_due(settings)
        sent = await OutboxMessage.select(OutboxMessage.message_id).where(OutboxMessage.status == "sent")
        messages = [
            email.message_from_bytes(eml_path(m["message_id"], settings.outbox_dir).read_bytes(), policy=policy.default)
            for m in sent
        ]
        return [
            decode(part.get_content())
            for message in messages
            if isinstance(message, EmailMessage)
            for part in message.iter_attachments()
            if part.get_filename() == "ticket.png"
        ]

    tickets = run(mailed)
    assert len(tickets) == 2  # the two confirmed places at the door; none for the waiting list or an online place
    assert set(tickets) >= {codes.issue(s["event"]["id"], s["first"])}


async def test_a_scan_id_taken_by_another_door_at_the_same_moment_still_checks_in(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    """Two doors that send one new `client_id` with two different tickets at the same moment each hold only
    their own ticket's lock, so both may find the id unused. The one that writes second meets the id's unique
    constraint: its scan is still a check-in, recorded without the id, never a 500. (The moment is made here
    by writing the first door's check-in just before the second is recorded.)"""
    s = await _setup(client, run)
    event_id = s["event"]["id"]

    async def both_doors() -> tuple[int, int]:
        first = await services._record(event_id, s["first"], None, utc_now(), None, "offline", "door-x")
        second = await services._record(event_id, s["second"], None, utc_now(), None, "offline", "door-x")
        return first, second

    first, second = run(both_doors)

    async def recorded() -> list[dict[str, Any]]:
        return await CheckIn.select(CheckIn.id, CheckIn.registration, CheckIn.client_id).order_by(CheckIn.id)

    assert [(r["id"], r["registration"], r["client_id"]) for r in run(recorded)] == [
        (first, s["first"], "door-x"),
        (second, s["second"], None),
    ]

"""Every scan on record (issue 19, parts 4 and 5): refused scans kept with who, when, which door and why and shown
to organisers; check-out and re-entry where an event turns it on; counts by stakeholder group; an offline list
with only what the door needs, and a sign-out that tells the browser to delete it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from litestar.testing import AsyncTestClient

from events_app.checkin.tables import CheckIn, DoorMovement, RefusedScan
from events_app.core.timezones import utc_now
from events_app.tickets import codes
from tests.checkin.test_checkin import _setup
from tests.conftest import Accounts


async def test_refused_scans_are_kept_and_shown_on_the_attendance_page(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    s = await _setup(client, run)
    slug, event_id = s["event"]["slug"], s["event"]["id"]
    await organiser.sign_in("checkin")
    scan_url = f"/api/events/{slug}/check-in/scan"
    for body in (
        {"code": codes.issue(event_id, s["first"])[:-3] + "abc"},  # altered
        {"code": codes.issue(s["other_event"]["id"], s["elsewhere"])},
        {"code": codes.issue(event_id, s["waiting"])},
        {"code": codes.issue(event_id, s["second"]), "session_id": s["workshop"]["id"]},  # wrong door
        {"code": codes.issue(event_id, s["first"])},  # let in: not kept as refused
        {"code": codes.issue(event_id, s["first"])},  # a second scan of someone inside
    ):
        assert (await client.post(scan_url, json=body)).status_code == 200
    invalid_offline = {"client_id": "door-1-scan-0001", "code": "T1.nonsense", "at": "2026-01-01T10:00:00Z"}
    for _ in range(2):  # a scanner sends its offline scans again: the refusal is kept once
        assert (await client.post(f"/api/events/{slug}/check-in/sync", json={"scans": [invalid_offline]})).is_success

    async def kept() -> list[dict[str, Any]]:
        return list(await RefusedScan.select().where(RefusedScan.event == event_id).order_by(RefusedScan.id))

    rows = run(kept)
    assert [(r["reason"], r["door"], r["registration"], r["method"]) for r in rows] == [
        ("invalid", "Event entrance", None, "scan"),
        ("other_event", "Event entrance", None, "scan"),
        ("not_confirmed", "Event entrance", s["waiting"], "scan"),
        ("not_booked", "Workshop", s["second"], "scan"),
        ("already_checked_in", "Event entrance", s["first"], "scan"),
        ("invalid", "Event entrance", None, "offline"),
    ]
    assert all(r["by"] is not None and r["at"] is not None for r in rows)

    assert (await client.get(f"/organiser/events/{slug}/attendance")).status_code == 403  # door staff: no
    await organiser.sign_in("organiser")
    page = (await client.get(f"/organiser/events/{slug}/attendance")).text
    assert "6 scans did not let someone through." in page
    assert '<th scope="row">Not a valid ticket</th><td>2</td>' in page
    assert '<th scope="row">Wrong door: no place in the session</th><td>1</td>' in page
    assert (
        "<td>Workshop</td><td>Wrong door: no place in the session</td><td>Delegate 2</td><td>Test checkin</td>" in page
    )
    assert "<td>No confirmed place</td><td>Delegate 3</td>" in page
    assert "inside now" not in page  # check-out is off


async def test_scans_refused_offline_are_kept_on_record_and_let_nobody_in(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    s = await _setup(client, run)
    slug, event_id = s["event"]["slug"], s["event"]["id"]
    await organiser.sign_in("checkin")
    seen_at = (utc_now() - timedelta(minutes=2)).replace(microsecond=0)
    at = seen_at.isoformat().replace("+00:00", "Z")
    # The scanner's offline list was out of date: it turned Delegate 2 away, whose place is confirmed by now.
    refused = [
        {"client_id": "door-2-scan-0001", "code": codes.issue(event_id, s["second"]), "at": at},
        {"client_id": "door-2-scan-0002", "code": "T1.nonsense", "at": at},
        {"client_id": "door-2-scan-0003", "code": codes.issue(s["other_event"]["id"], s["elsewhere"]), "at": at},
        {
            "client_id": "door-2-scan-0004",
            "code": codes.issue(event_id, s["first"]),
            "at": at,
            "session_id": s["workshop"]["id"],
        },
    ]
    for scan, reason in zip(refused, ("not_confirmed", "invalid", "other_event", "already_checked_in"), strict=True):
        scan["refused"] = reason
    for _ in range(2):  # sent again (the answer was lost on the way): kept once
        synced = await client.post(f"/api/events/{slug}/check-in/sync", json={"scans": refused})
        assert synced.status_code == 200, synced.text
        assert [(a["result"], a["colour"]) for a in synced.json()] == [
            ("not_confirmed", "red"),
            ("invalid", "red"),
            ("other_event", "red"),
            ("already_checked_in", "red"),
        ]

    async def on_record() -> tuple[list[dict[str, Any]], int]:
        rows = await RefusedScan.select().where(RefusedScan.event == event_id).order_by(RefusedScan.client_id)
        return list(rows), int(await CheckIn.count().where(CheckIn.event == event_id))

    rows, check_ins = run(on_record)
    assert check_ins == 0  # a refusal synced never lets anyone in, whatever the registration is now
    assert [(r["reason"], r["door"], r["registration"], r["method"]) for r in rows] == [
        ("offline_not_confirmed", "Event entrance", s["second"], "offline"),
        ("offline_invalid", "Event entrance", None, "offline"),
        ("offline_other_event", "Event entrance", None, "offline"),
        ("offline_already_checked_in", "Workshop", s["first"], "offline"),
    ]
    assert all(r["by"] is not None and r["at"] == seen_at for r in rows)

    await organiser.sign_in("organiser")
    page = (await client.get(f"/organiser/events/{slug}/attendance")).text
    assert "4 scans did not let someone through." in page
    assert '<th scope="row">Refused offline: no confirmed place on the offline list</th><td>1</td>' in page
    assert (
        "<td>Event entrance</td><td>Refused offline: no confirmed place on the offline list</td>"
        "<td>Delegate 2</td><td>Test checkin</td>" in page
    )
    assert "<td>Workshop</td><td>Refused offline: already checked in</td><td>Delegate 1</td>" in page
    # A reason the server does not know is refused, named (a sync without `refused` is taken as before).
    unknown = dict(refused[0], client_id="door-2-scan-0005", refused="too_late")
    wrong = await client.post(f"/api/events/{slug}/check-in/sync", json={"scans": [unknown]})
    assert wrong.status_code == 400 and "refused" in wrong.text


async def test_check_out_and_re_entry_when_the_event_turns_it_on(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    s = await _setup(client, run)
    slug, event_id = s["event"]["slug"], s["event"]["id"]
    first, second = codes.issue(event_id, s["first"]), codes.issue(event_id, s["second"])

    async def scan(code: str, direction: str = "in", **extra: Any) -> dict[str, Any]:
        body = {"code": code, "direction": direction, **extra}
        response = await client.post(f"/api/events/{slug}/check-in/scan", json=body)
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    async def inside() -> int | None:
        counts = (await client.get(f"/api/events/{slug}/check-in/counts")).json()
        return counts["inside"]  # type: ignore[no-any-return]

    assert (await scan(first))["result"] == "checked_in"
    off = await scan(first, "out")
    assert (off["result"], off["colour"]) == ("no_check_out", "red")
    assert (await scan(first))["result"] == "already_checked_in"  # without check-out, as before

    await client.get("/organiser/sign-in")
    csrf = client.cookies.get("csrftoken")
    form = {"_csrf_token": csrf, "reminders": "site", "feedback": "site", "email_note": "", "check_out": "yes"}
    saved = await client.post(f"/organiser/events/{slug}/settings", data=form)
    assert saved.status_code == 200 and "Settings saved." in saved.text
    assert 'id="check_out" name="check_out" value="yes" aria-describedby="check_out-hint" checked' in saved.text
    assert await inside() == 1

    await organiser.sign_in("checkin")
    bye = await scan(first, "out")
    assert (bye["result"], bye["colour"], bye["message"]) == (
        "checked_out",
        "green",
        "Goodbye, Delegate 1: checked out",
    )
    assert await inside() == 0
    assert (await scan(first, "out"))["result"] == "already_checked_out"
    assert (await scan(second, "out"))["result"] == "not_checked_in"  # never came in
    back = await scan(first)
    assert (back["result"], back["colour"], back["message"]) == ("back_in", "green", "Welcome back, Delegate 1")
    assert (await scan(first))["result"] == "already_checked_in"  # inside: a second scan is questioned
    assert await inside() == 1

    # An exit scanned with no network, sent twice: one exit.
    exit_scan = {"client_id": "door-2-exit-0001", "code": first, "direction": "out"}
    for _ in range(2):
        synced = await client.post(f"/api/events/{slug}/check-in/sync", json={"scans": [exit_scan]})
        assert [r["result"] for r in synced.json()] == ["checked_out"]
    assert await inside() == 0
    assert run(DoorMovement.count) == 3  # out, in, out

    # Without JavaScript: the scanner page offers the way out and says who is inside.
    page = await client.get(f"/organiser/events/{slug}/check-in")
    assert 'value="out"' in page.text and "Going out (check-out)" in page.text
    assert '<strong id="inside">0</strong> inside now' in page.text
    posted = await client.post(
        f"/organiser/events/{slug}/check-in",
        data={"_csrf_token": client.cookies.get("csrftoken"), "code": first, "direction": "in"},
    )
    assert "Welcome back, Delegate 1" in posted.text and '<strong id="inside">1</strong> inside now' in posted.text
    assert "Print badge" not in posted.text  # badges are for organisers
    assert "Higher education institution</th><td>1</td><td>2</td>" in posted.text  # checked in of expected

    await organiser.sign_in("organiser")
    attendance = (await client.get(f"/organiser/events/{slug}/attendance")).text
    assert "<strong>1</strong> inside now (check-out is on)." in attendance
    assert '<th scope="row">Going out without a check-in</th><td>1</td>' in attendance
    by_organiser = await client.post(
        f"/organiser/events/{slug}/check-in",
        data={"_csrf_token": client.cookies.get("csrftoken"), "registration_id": str(s["second"])},
    )
    assert "Welcome, Delegate 2" in by_organiser.text
    assert f'href="/organiser/events/{slug}/badges.pdf?registration={s["second"]}"' in by_organiser.text


async def test_the_offline_list_holds_only_what_the_door_needs_and_sign_out_clears_the_device(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    s = await _setup(client, run)
    slug = s["event"]["slug"]
    await organiser.sign_in("checkin")
    offline = await client.get(f"/api/events/{slug}/check-in/offline")
    people = offline.json()["registrations"]
    assert {key for person in people.values() for key in person} == {"status", "name", "organisation", "checked_in"}
    assert "Hearing loop" not in offline.text and "@" not in offline.text  # no access needs, no addresses
    assert offline.headers["cache-control"] == "no-store"
    scanner = await client.get(f"/organiser/events/{slug}/check-in")
    assert "What this scanner keeps on this device" in scanner.text
    assert "'wasm-unsafe-eval'" in scanner.headers["content-security-policy"]  # the QR decoder, this page only
    assert "wasm-unsafe-eval" not in (await client.get("/organiser")).headers["content-security-policy"]

    signed_out = await client.post("/api/auth/sign-out")
    assert signed_out.status_code == 204 and signed_out.headers["clear-site-data"] == '"storage"'
    await organiser.sign_in("checkin")
    await client.get("/organiser/sign-in")
    page = await client.post(
        "/organiser/sign-out", data={"_csrf_token": client.cookies.get("csrftoken")}, follow_redirects=False
    )
    assert page.status_code == 303 and page.headers["clear-site-data"] == '"storage"'

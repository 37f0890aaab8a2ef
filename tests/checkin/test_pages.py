"""The scanner page without JavaScript, and the attendance dashboard and CSV for organisers only."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from litestar.testing import AsyncTestClient

from events_app.tickets import codes
from tests.checkin.test_checkin import _setup
from tests.conftest import Accounts


async def test_the_scanner_page_works_without_javascript(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    s = await _setup(client, run)
    slug = s["event"]["slug"]
    await organiser.sign_in("checkin")
    page = await client.get(f"/organiser/events/{slug}/check-in")
    assert page.status_code == 200
    assert "0</strong> checked in of <strong" in page.text
    csrf = client.cookies.get("csrftoken")
    scanned = await client.post(
        f"/organiser/events/{slug}/check-in",
        data={"_csrf_token": csrf, "code": codes.issue(s["event"]["id"], s["first"])},
    )
    assert scanned.status_code == 200
    assert "result-green" in scanned.text and "Welcome, Delegate 1" in scanned.text
    assert "Access needs: Hearing loop" in scanned.text
    again = await client.post(
        f"/organiser/events/{slug}/check-in",
        data={"_csrf_token": csrf, "code": codes.issue(s["event"]["id"], s["first"])},
    )
    assert "result-amber" in again.text
    found = await client.get(f"/organiser/events/{slug}/check-in", params={"q": "Delegate 2"})
    assert f'name="registration_id" value="{s["second"]}"' in found.text
    by_name = await client.post(
        f"/organiser/events/{slug}/check-in", data={"_csrf_token": csrf, "registration_id": str(s["second"])}
    )
    assert "Welcome, Delegate 2" in by_name.text
    assert "2</strong> checked in of <strong" in by_name.text


async def test_attendance_dashboard_and_csv_are_for_organisers(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    s = await _setup(client, run)
    slug = s["event"]["slug"]
    await client.post(f"/api/events/{slug}/check-in/scan", json={"code": codes.issue(s["event"]["id"], s["first"])})
    page = await client.get(f"/organiser/events/{slug}/attendance")
    assert page.status_code == 200
    assert "<strong>1</strong> of 2 confirmed delegates checked in (50%)" in page.text
    assert "Delegate 2, University of Testing" in page.text  # a no-show
    assert "<svg" in page.text
    response = await client.get(f"/api/events/{slug}/attendance.csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["Registration", "Name", "Email", "Organisation", "Stakeholder group", "Checked in at"]
    assert rows[0][6:] == ["Joined online first at", "Online joins", "Online source", "Online minutes", "Attended"]
    assert {r[1]: (r[5], r[10]) for r in rows[1:]}["Delegate 2"] == ("did not come", "no")

    await organiser.sign_in("checkin")
    assert (await client.get(f"/api/events/{slug}/attendance.csv")).status_code == 403
    assert (await client.get(f"/organiser/events/{slug}/attendance")).status_code == 403
    assert (await client.get(f"/api/events/{slug}/check-in/offline")).status_code == 200
    await organiser.sign_in("anonymous")
    assert (await client.get(f"/api/events/{slug}/check-in/offline")).status_code == 401

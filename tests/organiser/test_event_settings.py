"""An event's own settings page: reminders (the site's, none, or its own times), when feedback requests go, and a
note for confirmation and reminder emails; the scheduler keeps to them, and the API takes and checks them too."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from events_app.core.settings import load_mail_settings
from events_app.core.timezones import utc_now
from events_app.mail.tables import OutboxMessage
from events_app.people.services import ensure_default_groups
from events_app.registration import schedule
from tests.builders import make_event
from tests.conftest import Accounts
from tests.organiser.test_events import field_error
from tests.registration.conftest import newest_body, register

NOTE = "Step-free entrance on Tavistock Place.\n\nNo parking: use <Euston> & bring photo ID."


def _when(delta: timedelta) -> str:
    return (utc_now() + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
async def open_event(client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]) -> Callable[..., Any]:
    """Make a published event taking registrations; the client stays signed in as an organiser."""
    run(ensure_default_groups)

    async def make(**overrides: Any) -> dict[str, Any]:
        return await make_event(client, **{"capacity": 5, **overrides})

    return make


@pytest.fixture
async def csrf(client: AsyncTestClient[Any], organiser: Accounts) -> str:
    await client.get("/organiser/sign-in")
    token = client.cookies.get("csrftoken")
    assert token
    return token


def settings_form(csrf: str, **values: str) -> dict[str, str]:
    return {
        "_csrf_token": csrf,
        "reminders": "site",
        "reminder_offsets": "",
        "feedback": "site",
        "feedback_after": "",
        "email_note": "",
        **values,
    }


async def _settings(client: AsyncTestClient[Any], slug: str) -> dict[str, Any]:
    response = await client.get(f"/api/events/{slug}/settings")
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_the_page_saves_each_setting_and_names_every_wrong_field(
    client: AsyncTestClient[Any], csrf: str, open_event: Callable[..., Any]
) -> None:
    event = await open_event(title="Seminar")
    page_path = f"/organiser/events/{event['slug']}/settings"
    page = await client.get(page_path)
    assert page.status_code == 200
    assert "As the site says: 1 day and 1 hour before" in page.text
    assert "As the site says: 2 hours after the end" in page.text
    assert re.search(r'id="reminders-site" name="reminders" value="site"[^>]* checked', page.text)
    assert await _settings(client, event["slug"]) == {
        "reminder_offsets": None,
        "feedback_after": None,
        "email_note": "",
        "reminders": [1440, 60],
        "feedback_request_after": 120,
        "confirm_email_hours": None,
    }

    custom = settings_form(
        csrf, reminders="custom", reminder_offsets="3h, 2d", feedback="custom", feedback_after="4h", email_note=NOTE,
        confirm_email_hours="48",
    )  # fmt: skip
    saved = await client.post(page_path, data=custom, follow_redirects=False)
    assert saved.status_code == 303
    assert "Settings+saved" in saved.headers["location"]
    assert await _settings(client, event["slug"]) == {
        "reminder_offsets": "2d,3h",
        "feedback_after": 240,
        "email_note": NOTE,
        "reminders": [2880, 180],
        "feedback_request_after": 240,
        "confirm_email_hours": 48,
    }
    shown = (await client.get(page_path)).text
    assert 'value="2d, 3h"' in shown and 'value="4h"' in shown and 'value="48"' in shown
    assert "&lt;Euston&gt; &amp; bring photo ID." in shown

    wrong = settings_form(
        csrf, reminders="custom", reminder_offsets="tomorrow", feedback="custom", feedback_after="15d",
        email_note="x" * 2001, confirm_email_hours="200",
    )  # fmt: skip
    refused = await client.post(page_path, data=wrong)
    assert refused.status_code == 400
    assert field_error(refused.text, "reminder_offsets").startswith("Reminder times: 'tomorrow' is not a duration")
    assert field_error(refused.text, "feedback_after") == (
        "Feedback request time: please give one time like 2h or 1d (at most 14 days)"
    )
    assert field_error(refused.text, "email_note") == "Note: please use at most 2000 characters"
    assert field_error(refused.text, "confirm_email_hours") == (
        "Hours to confirm by email: please give a whole number of hours from 1 to 168 (a week), or leave it empty to "
        "hold no places"
    )
    assert 'value="tomorrow"' in refused.text  # what was typed stays
    empty = await client.post(page_path, data=settings_form(csrf, reminders="custom"))
    assert "Reminder times: please give the times" in field_error(empty.text, "reminder_offsets")
    assert (await _settings(client, event["slug"]))["reminder_offsets"] == "2d,3h"  # nothing written

    none = await client.post(page_path, data=settings_form(csrf, reminders="none"), follow_redirects=False)
    assert none.status_code == 303
    assert await _settings(client, event["slug"]) == {
        "reminder_offsets": "",
        "feedback_after": None,
        "email_note": "",
        "reminders": [],
        "feedback_request_after": 120,
        "confirm_email_hours": None,  # left empty: places are not held
    }


async def test_the_api_takes_and_checks_the_settings(
    client: AsyncTestClient[Any], open_event: Callable[..., Any]
) -> None:
    event = await open_event(title="Forum", reminder_offsets="1h,1d", feedback_after=30, email_note="Bring a laptop")
    assert (await _settings(client, event["slug"]))["reminder_offsets"] == "1d,1h"
    bad = await client.patch(
        f"/api/events/{event['slug']}", json={"reminder_offsets": "1w", "feedback_after": 99999, "email_note": 5}
    )
    assert bad.status_code == 400
    fields = {e["field"]: e["message"] for e in bad.json()["errors"]}
    assert set(fields) == {"reminder_offsets", "feedback_after", "email_note"}
    assert "'1w' is not a duration" in fields["reminder_offsets"]
    assert (await _settings(client, event["slug"]))["feedback_after"] == 30  # nothing half-written
    cleared = await client.patch(
        f"/api/events/{event['slug']}", json={"reminder_offsets": None, "feedback_after": None}
    )
    assert cleared.status_code == 200
    assert (await _settings(client, event["slug"]))["reminders"] == [1440, 60]
    assert (await client.get(f"/api/events/{event['slug']}")).json().get("email_note") is None  # organisers only
    for hours in (0, 169, "a day"):
        refused = await client.patch(f"/api/events/{event['slug']}", json={"confirm_email_hours": hours})
        assert refused.status_code == 400, hours
        assert refused.json()["errors"][0]["field"] == "confirm_email_hours"
    held = await client.patch(f"/api/events/{event['slug']}", json={"confirm_email_hours": 24})
    assert held.status_code == 200, held.text
    assert (await _settings(client, event["slug"]))["confirm_email_hours"] == 24


async def test_reminders_follow_each_events_own_settings(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    soon = {"starts_at": _when(timedelta(hours=20)), "ends_at": _when(timedelta(hours=22))}
    as_site = await open_event(title="As the site", **soon)
    silent = await open_event(title="Silent", reminder_offsets="", **soon)
    own = await open_event(
        title="Own times",
        reminder_offsets="3d,2h",
        starts_at=_when(timedelta(days=2, hours=12)),
        ends_at=_when(timedelta(days=2, hours=14)),
    )
    for n, event in enumerate((as_site, silent, own)):
        await register(client, event["slug"], n)
    settings = load_mail_settings()

    async def tick(later: timedelta) -> int:
        return await schedule.tick(settings, now=utc_now() + later)

    async def subjects() -> list[str]:
        rows = await OutboxMessage.select(OutboxMessage.subject).where(OutboxMessage.kind == "reminder")
        return sorted(str(r["subject"]) for r in rows)

    assert run(tick, timedelta(0)) == 2
    assert run(subjects) == ["Reminder: As the site tomorrow", "Reminder: Own times in 3 days"]
    assert run(tick, timedelta(hours=19, minutes=30)) == 1  # the site's one hour; "Silent" never
    assert run(tick, timedelta(days=2, hours=10, minutes=30)) == 1  # its own two hours
    assert run(subjects) == [
        "Reminder: As the site in one hour",
        "Reminder: As the site tomorrow",
        "Reminder: Own times in 2 hours",
        "Reminder: Own times in 3 days",
    ]
    assert run(tick, timedelta(hours=19, minutes=30)) == 0


async def test_the_note_is_in_the_confirmation_and_the_reminder(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await open_event(title="Seminar", starts_at=_when(timedelta(hours=20)), ends_at=_when(timedelta(hours=22)))
    await client.patch(f"/api/events/{event['slug']}", json={"email_note": NOTE})
    await register(client, event["slug"], 1)
    confirmation = newest_body(run, "delegate1@example.org")
    assert "From the organisers:\nStep-free entrance on Tavistock Place." in confirmation
    assert "No parking: use <Euston> & bring photo ID." in confirmation
    assert run(schedule.tick, load_mail_settings()) == 1
    reminder = newest_body(run, "delegate1@example.org")
    assert reminder.startswith("Dear Delegate 1,\n\nA reminder that Seminar starts tomorrow.")
    assert "No parking: use <Euston> & bring photo ID." in reminder

    async def html_bodies() -> list[tuple[str, str]]:
        rows = await OutboxMessage.select(OutboxMessage.kind, OutboxMessage.html_body).order_by(OutboxMessage.id)
        return [(str(r["kind"]), str(r["html_body"])) for r in rows]

    html = dict(run(html_bodies))
    for kind in ("registration_confirmed", "reminder"):
        assert "<p>No parking: use &lt;Euston&gt; &amp; bring photo ID.</p>" in html[kind]
        assert "<Euston>" not in html[kind]

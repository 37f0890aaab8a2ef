"""Organisers' messages to registrants, and reminders and feedback requests queued once per delegate."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from litestar.testing import AsyncTestClient

from events_app.core.settings import load_mail_settings
from events_app.core.timezones import utc_now
from events_app.mail.tables import OutboxMessage
from events_app.registration import schedule
from tests.registration.conftest import HEI, TSO, mails, register


def _when(delta: timedelta) -> str:
    return (utc_now() + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


async def test_an_organiser_previews_then_sends_to_one_group(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await open_event(capacity=2)
    await register(client, event["slug"], 1, stakeholder_group=HEI)
    await register(client, event["slug"], 2, stakeholder_group=TSO, name="Zoë Evans")
    await register(client, event["slug"], 3, stakeholder_group=TSO)  # waitlisted
    message = {"subject": "Parking", "body": "No parking on site.\n\nUse Holborn station.", "stakeholder_group": TSO}

    preview = (await client.post(f"/api/events/{event['slug']}/messages/preview", json=message)).json()
    assert preview["recipients"] == 1  # confirmed (the default) and third sector: Zoë only
    assert preview["subject"] == "Parking"
    assert preview["text"].startswith("Dear Zoë Evans,\n\nNo parking on site.\n\nUse Holborn station.")
    assert "<p>Use Holborn station.</p>" in preview["html"]
    before = len(mails(run))
    assert len(mails(run)) == before  # a preview sends nothing

    sent = (await client.post(f"/api/events/{event['slug']}/messages", json=message)).json()
    assert sent == {"queued": 1, "already_sent": 0}
    both = {**message, "statuses": ["confirmed", "waitlisted"]}
    again = (await client.post(f"/api/events/{event['slug']}/messages", json=both)).json()
    assert again == {"queued": 1, "already_sent": 1}  # nobody gets the same message twice
    assert [m for m in mails(run) if m[0] == "organiser_message"] == [
        ("organiser_message", "delegate2@example.org"),
        ("organiser_message", "delegate3@example.org"),
    ]

    async def created_by() -> set[Any]:
        rows = await OutboxMessage.select(OutboxMessage.created_by).where(OutboxMessage.kind == "organiser_message")
        return {r["created_by"] for r in rows}

    assert None not in run(created_by)
    empty = await client.post(f"/api/events/{event['slug']}/messages", json={**message, "subject": ""})
    assert (empty.status_code, empty.json()["field"]) == (400, "subject")
    nobody = await client.post(f"/api/events/{event['slug']}/messages", json={**message, "statuses": ["cancelled"]})
    assert nobody.status_code == 400


async def test_the_message_page_previews_and_sends(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await open_event(capacity=5)
    await register(client, event["slug"], 1)
    page = await client.get(f"/organiser/events/{event['slug']}/message")
    csrf = client.cookies.get("csrftoken")
    assert page.status_code == 200
    form = {"_csrf_token": csrf, "subject": "Agenda", "body": "Attached soon.", "statuses": ["confirmed"]}
    preview = await client.post(f"/organiser/events/{event['slug']}/message", data={**form, "action": "preview"})
    assert preview.status_code == 200
    assert "Send to 1 person" in preview.text
    assert "Dear Delegate 1," in preview.text
    sent = await client.post(
        f"/organiser/events/{event['slug']}/message", data={**form, "action": "send"}, follow_redirects=False
    )
    assert sent.status_code == 303
    assert "Message+queued+for+1+people" in sent.headers["location"]
    assert mails(run)[-1] == ("organiser_message", "delegate1@example.org")


async def test_reminders_are_queued_once_per_delegate_whatever_the_workers(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    soon = await open_event(
        title="Soon", capacity=1, starts_at=_when(timedelta(hours=20)), ends_at=_when(timedelta(hours=22))
    )
    later = await open_event(
        title="Later", starts_at=_when(timedelta(days=5)), ends_at=_when(timedelta(days=5, hours=2))
    )
    await register(client, soon["slug"], 1)
    await register(client, soon["slug"], 2)  # waitlisted: no reminder
    await register(client, later["slug"], 3)
    settings = load_mail_settings()
    assert settings.reminder_offsets == [timedelta(days=1), timedelta(hours=1)]

    async def three_workers_tick() -> list[int]:
        return list(await asyncio.gather(*(schedule.tick(settings) for _ in range(3))))

    assert sum(run(three_workers_tick)) == 1
    assert sum(run(three_workers_tick)) == 0  # a restart, another tick: nothing new
    reminders = [m for m in mails(run) if m[0] == "reminder"]
    assert reminders == [("reminder", "delegate1@example.org")]

    async def reminder_text() -> str:
        row = await OutboxMessage.select(OutboxMessage.subject).where(OutboxMessage.kind == "reminder").first()
        assert row is not None
        return str(row["subject"])

    assert run(reminder_text) == "Reminder: Soon tomorrow"

    async def an_hour_before() -> int:
        return await schedule.tick(settings, now=utc_now() + timedelta(hours=19, minutes=30))

    assert run(an_hour_before) == 1  # the one-hour reminder, once
    assert run(an_hour_before) == 0


async def test_someone_who_registers_50_minutes_before_gets_only_the_reminder_still_ahead(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await open_event(
        title="Very soon", starts_at=_when(timedelta(minutes=50)), ends_at=_when(timedelta(hours=3))
    )
    await register(client, event["slug"], 1)
    settings = load_mail_settings()
    assert settings.reminder_offsets == [timedelta(days=1), timedelta(hours=1)]

    async def tick() -> int:
        return await schedule.tick(settings)

    assert run(tick) == 1
    assert run(tick) == 0

    async def subjects() -> list[str]:
        rows = await OutboxMessage.select(OutboxMessage.subject).where(OutboxMessage.kind == "reminder")
        return [str(r["subject"]) for r in rows]

    assert run(subjects) == ["Reminder: Very soon in one hour"]


async def test_feedback_requests_go_once_to_those_who_came_when_a_form_exists(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await open_event(capacity=5, starts_at=_when(timedelta(hours=2)), ends_at=_when(timedelta(hours=4)))
    first = await register(client, event["slug"], 1)
    settings = dataclasses.replace(load_mail_settings(), feedback_after=timedelta(hours=2))
    after = utc_now() + timedelta(hours=6, minutes=1)

    async def tick() -> int:
        return await schedule.tick(settings, now=after)

    assert run(tick) == 0  # no feedback form: nothing to ask

    async def form_links(event_id: int, made_by: datetime | None) -> dict[int, str] | None:
        return {first["registration"]["id"]: "http://127.0.0.1:8000/feedback/abc"} if event_id == event["id"] else None

    schedule.feedback_links.append(form_links)
    try:
        assert run(tick) == 1
        assert run(tick) == 0
    finally:
        schedule.feedback_links.remove(form_links)
    assert ("feedback_request", "delegate1@example.org") in mails(run)

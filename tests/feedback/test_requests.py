"""The organisers' feedback page says whether and when the feedback requests went out; a form made after they
were due offers to send them now (once per delegate); the open link is shown with its QR code for a screen."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from events_app.core.settings import load_mail_settings
from events_app.core.timezones import utc_now
from events_app.mail.tables import OutboxMessage
from events_app.people.services import ensure_default_groups
from events_app.registration import schedule
from events_app.tickets import qr
from tests.builders import in_person, make_event
from tests.conftest import Accounts
from tests.registration.conftest import mails, register


def _when(delta: timedelta) -> str:
    return (utc_now() + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
async def csrf(client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]) -> str:
    run(ensure_default_groups)
    await client.get("/organiser/sign-in")
    token = client.cookies.get("csrftoken")
    assert token
    return token


async def _ended_event(client: AsyncTestClient[Any], **settings: Any) -> dict[str, Any]:
    """A published event that took two registrations and ended three hours ago."""
    event = await make_event(
        client,
        **await in_person(client, "Hall 1"),
        title="Seminar",
        capacity=5,
        starts_at=_when(timedelta(hours=1)),
        ends_at=_when(timedelta(hours=3)),
    )
    await register(client, event["slug"], 1)
    await register(client, event["slug"], 2)
    moved = await client.patch(
        f"/api/events/{event['slug']}",
        json={"starts_at": _when(-timedelta(hours=5)), "ends_at": _when(-timedelta(hours=3)), **settings},
    )
    assert moved.status_code == 200, moved.text
    return event


def _feedback_requests(run: Callable[..., Any]) -> list[tuple[str, str]]:
    return [m for m in mails(run) if m[0] == "feedback_request"]


async def test_a_form_made_late_offers_to_send_the_requests_now(
    client: AsyncTestClient[Any], csrf: str, run: Callable[..., Any]
) -> None:
    event = await _ended_event(client)  # requests were due an hour ago (the site's 2 hours after the end)
    page_path = f"/organiser/events/{event['slug']}/feedback"
    before = (await client.get(page_path)).text
    assert "No feedback requests have gone out yet." in before
    assert "if the event has a feedback form by then" in before
    made = await client.post(page_path, data={"_csrf_token": csrf, "template": "seminar"}, follow_redirects=False)
    assert made.status_code == 303

    page = (await client.get(page_path)).text
    assert "This form was made after they were due" in page
    assert "Send the feedback requests now" in page
    assert run(schedule.tick, load_mail_settings()) == 0  # a late form is not mailed by itself
    assert _feedback_requests(run) == []

    sent = await client.post(f"{page_path}/send-requests", data={"_csrf_token": csrf}, follow_redirects=False)
    assert sent.status_code == 303
    assert "2+feedback+requests+queued" in sent.headers["location"]
    assert _feedback_requests(run) == [
        ("feedback_request", "delegate1@example.org"),
        ("feedback_request", "delegate2@example.org"),
    ]
    queued = (await client.get(page_path)).text
    assert "2 feedback requests queued" in queued
    assert "Send the feedback requests now" not in queued
    again = await client.post(f"{page_path}/send-requests", data={"_csrf_token": csrf}, follow_redirects=False)
    assert "0+feedback+requests+queued" in again.headers["location"]  # once per delegate, however often
    assert len(_feedback_requests(run)) == 2

    async def delivered() -> None:
        for n, minute in ((1, 5), (2, 7)):
            await OutboxMessage.update(
                {OutboxMessage.status: "sent", OutboxMessage.sent_at: datetime(2026, 7, 7, 17, minute, tzinfo=UTC)}
            ).where(OutboxMessage.to_email == f"delegate{n}@example.org")

    run(delivered)
    went = (await client.get(page_path)).text
    assert re.search(
        r"2 feedback requests went out</strong>, the first at Tuesday 7 July 2026 at 18:05 and the last at "
        r"Tuesday 7 July 2026 at 18:07",
        went,
    )  # shown in the event's zone (BST)


async def test_a_form_made_in_time_goes_at_the_events_own_time(
    client: AsyncTestClient[Any], csrf: str, run: Callable[..., Any]
) -> None:
    event = await make_event(
        client,
        **await in_person(client, "Hall 2"),
        title="Forum",
        capacity=5,
        starts_at=_when(timedelta(hours=1)),
        ends_at=_when(timedelta(hours=3)),
    )
    await register(client, event["slug"], 1)
    await client.patch(f"/api/events/{event['slug']}", json={"feedback_after": 30})
    await client.post(f"/api/events/{event['slug']}/feedback-form", json={"template": "seminar"})
    page = (await client.get(f"/organiser/events/{event['slug']}/feedback")).text
    assert "No feedback requests have gone out yet." in page
    assert "30 minutes after the event ends" in page
    assert "Send the feedback requests now" not in page
    early = await client.post(
        f"/organiser/events/{event['slug']}/feedback/send-requests", data={"_csrf_token": csrf}, follow_redirects=False
    )
    assert early.status_code == 409  # the event has not ended
    settings = load_mail_settings()

    async def tick(later: timedelta) -> int:
        return await schedule.tick(settings, now=utc_now() + later)

    assert run(tick, timedelta(hours=3, minutes=20)) == 0  # not yet: 30 minutes after the end
    assert run(tick, timedelta(hours=3, minutes=31)) == 1  # not the site's two hours
    assert _feedback_requests(run) == [("feedback_request", "delegate1@example.org")]


async def test_the_open_link_and_its_qr_code_are_on_the_page(client: AsyncTestClient[Any], csrf: str) -> None:
    event = await make_event(client, **await in_person(client, "Hall 3"), title="Conference")
    form = (await client.post(f"/api/events/{event['slug']}/feedback-form", json={"template": "conference"})).json()
    page = (await client.get(f"/organiser/events/{event['slug']}/feedback")).text
    assert f'<a href="{form["open_link"]}">{form["open_link"]}</a>' in page
    assert f'src="/organiser/events/{event["slug"]}/feedback/qr.png"' in page
    image = await client.get(f"/organiser/events/{event['slug']}/feedback/qr.png")
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/png"
    assert image.content == qr.png(form["open_link"], "print")
    other = await make_event(client, **await in_person(client, "Hall 4"), title="No form yet")
    assert (await client.get(f"/organiser/events/{other['slug']}/feedback/qr.png")).status_code == 404

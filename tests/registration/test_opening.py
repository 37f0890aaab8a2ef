"""One rule says whether an event takes registrations: the event page's button, the form and the API agree
in every state (open, opens on a date, closed, waiting list, fully booked, cancelled, past, draft)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from events_app.core.timezones import utc_now
from tests.conftest import Accounts
from tests.registration.conftest import delegate, mails, register


def _stamp(days: float) -> str:
    return (utc_now() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def button(page: str) -> tuple[str, str] | None:
    """What the event page offers: ("link", words) for a Register link, ("text", words) for words instead,
    None for nothing."""
    match = re.search(r'<p class="register[^"]*">(.*?)</p>', page, re.S)
    if match is None:
        return None
    inner = match.group(1)
    link = re.search(r'<a class="button" href="[^"]+/register">(.*?)<span class="visually-hidden">', inner, re.S)
    if link:
        return "link", html.unescape(link.group(1).strip())
    return "text", html.unescape(re.sub(r"<[^>]+>", "", inner).strip())


def submit_words(form_page: str) -> str | None:
    match = re.search(r'<button type="submit" class="button">(.*?)</button>', form_page)
    return html.unescape(match.group(1)) if match else None


CASES: dict[str, tuple[dict[str, Any], int, tuple[str, str] | None, str]] = {
    # state: (event changes, registrations made first, what the page offers, the form's answer)
    "open": ({}, 0, ("link", "Register"), "submit:Register"),
    "waiting_list": ({"capacity": 1}, 1, ("link", "Join the waiting list"), "submit:Join the waiting list"),
    "full": (
        {"capacity": 1, "waitlist_enabled": False},
        1,
        ("text", "Fully booked"),
        "Sorry, this event is full and has no waiting list",
    ),
    "not_yet_open": (
        {"registration_opens_at": "2030-03-03T09:00:00"},
        0,
        ("text", "Registration opens 3 March 2030 at 09:00"),
        "Registration for this event opens on Sunday 3 March 2030 at 09:00 (UK time (Europe/London, GMT))",
    ),
    "closed": ({"closes": True}, 0, ("text", "Registration closed"), "Registration for this event has closed"),
    "cancelled": ({"status": "cancelled"}, 0, None, "This event is cancelled, so it takes no registrations"),
    "past": ({"past": True}, 0, None, "This event has already taken place"),
}


@pytest.mark.parametrize("state", list(CASES))
async def test_the_page_the_form_and_the_api_say_the_same(
    client: AsyncTestClient[Any],
    open_event: Callable[..., Any],
    accounts: Accounts,
    run: Callable[..., Any],
    state: str,
) -> None:
    changes, taken, offered, answer = CASES[state]
    overrides: dict[str, Any] = {"capacity": 2, "waitlist_enabled": True, "title": f"Seminar {state}"}
    if changes.pop("closes", False):
        changes = {"registration_opens_at": _stamp(-3), "registration_closes_at": _stamp(-1)}
    if changes.pop("past", False):
        overrides |= {"starts_at": _stamp(-2), "ends_at": _stamp(-1.9)}
    event = await open_event(**overrides)
    for n in range(taken):
        await register(client, event["slug"], f"first{n}")
    assert (await client.patch(f"/api/events/{event['slug']}", json=changes)).status_code == 200
    await accounts.sign_in("anonymous")

    page = await client.get(f"/events/{event['slug']}")
    assert page.status_code == 200
    assert button(page.text) == offered

    form = (await client.get(f"/events/{event['slug']}/register")).text
    if answer.startswith("submit:"):
        assert submit_words(form) == answer.removeprefix("submit:")
    else:
        assert submit_words(form) is None, "no form where nobody can register"
        assert html.escape(answer, quote=False) in form

    said = (await client.get(f"/api/events/{event['slug']}/registration")).json()
    assert said["state"] == state
    if offered is not None:
        assert said["label"] == offered[1]
    tried = await client.post(f"/api/events/{event['slug']}/registrations", json=delegate("late"))
    if state in ("open", "waiting_list"):
        assert tried.status_code == 202  # "check your inbox": the place is in the email
        assert mails(run)[-1] == (
            ("registration_confirmed" if state == "open" else "waitlisted"),
            "delegatelate@example.org",
        )
    else:
        assert tried.status_code == 409
        assert tried.json()["detail"] == answer == said["message"]


async def test_a_draft_has_no_button_and_no_state_for_the_public(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], accounts: Accounts
) -> None:
    event = await open_event(status="draft")
    page = await client.get(f"/events/{event['slug']}")  # an organiser sees the draft, with nothing to press
    assert page.status_code == 200 and button(page.text) is None
    await accounts.sign_in("anonymous")
    assert (await client.get(f"/api/events/{event['slug']}/registration")).status_code == 404
    assert (await client.get(f"/events/{event['slug']}/register")).status_code == 404

"""The registration form, the delegate's page and the organisers' list, as plain HTML forms (no JavaScript)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar.testing import AsyncTestClient

from tests.builders import make_session
from tests.conftest import Accounts
from tests.registration.conftest import HEI, TSO, mails, manage_token, register, registrations


async def _csrf(client: AsyncTestClient[Any], path: str) -> str:
    page = await client.get(path)
    assert page.status_code == 200, page.text
    token = client.cookies.get("csrftoken")
    assert token
    return token


def _form(csrf: str, **values: Any) -> dict[str, Any]:
    return {
        "_csrf_token": csrf,
        "name": "Siân Llewelyn",
        "email": "sian@example.org",
        "organisation_name": "Prifysgol Aberystwyth",
        "stakeholder_group": HEI,
        **values,
    }


async def test_registering_with_the_form(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any], accounts: Accounts
) -> None:
    event = await open_event(capacity=5)
    workshop = await make_session(client, event["slug"], title="Workshop", kind="workshop", capacity=3)
    question = (
        await client.post(
            f"/api/events/{event['slug']}/questions",
            json={"label": "Topics", "kind": "multiple", "options": ["Pathways", "Partnerships"]},
        )
    ).json()
    await accounts.sign_in("anonymous")

    csrf = await _csrf(client, f"/events/{event['slug']}/register")
    page = (await client.get(f"/events/{event['slug']}/register")).text
    assert 'name="session_ids"' in page and "Workshop" in page
    assert "Topics (optional)" in page
    response = await client.post(
        f"/events/{event['slug']}/register",
        data={
            **_form(csrf),
            "session_ids": [str(workshop["id"])],
            f"q{question['id']}": ["Pathways", "Partnerships"],
            "consent_to_contact": "yes",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/events/{event['slug']}/registered"
    done = await client.get(response.headers["location"])
    assert "Check your inbox" in done.text
    assert "/tickets/" not in done.text, "the ticket goes to the inbox only"
    assert (await client.get("/tickets/forged.svg")).status_code == 404

    [row] = registrations(run, event["id"])
    assert row["status"] == "confirmed"
    assert '"Pathways"' in row["answers"]
    assert mails(run) == [("registration_confirmed", "sian@example.org")]


async def test_the_form_shows_what_is_wrong_and_keeps_what_was_typed(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any], accounts: Accounts
) -> None:
    event = await open_event()
    await accounts.sign_in("anonymous")
    csrf = await _csrf(client, f"/events/{event['slug']}/register")

    no_group = await client.post(f"/events/{event['slug']}/register", data={**_form(csrf), "stakeholder_group": ""})
    assert no_group.status_code == 400
    assert "There is a problem" in no_group.text
    assert "Who you are here for: please fill this in" in no_group.text
    assert 'value="Siân Llewelyn"' in no_group.text
    bad_email = await client.post(f"/events/{event['slug']}/register", data=_form(csrf, email="sian at example"))
    assert bad_email.status_code == 400
    assert 'id="email-error"' in bad_email.text
    assert 'aria-invalid="true"' in bad_email.text
    no_csrf = await client.post(f"/events/{event['slug']}/register", data={**_form(csrf), "_csrf_token": "forged"})
    assert no_csrf.status_code == 403
    assert registrations(run, event["id"]) == []


async def test_a_closed_event_page_says_why_instead_of_a_form(
    client: AsyncTestClient[Any], open_event: Callable[..., Any]
) -> None:
    event = await open_event()
    await client.patch(f"/api/events/{event['slug']}", json={"status": "cancelled"})
    page = await client.get(f"/events/{event['slug']}/register")
    assert page.status_code == 200
    assert "This event is cancelled, so it takes no registrations" in page.text
    assert '<form method="post" action="/events' not in page.text


async def test_the_delegates_page_changes_and_cancels(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any], accounts: Accounts
) -> None:
    event = await open_event(capacity=1)
    first = await register(client, event["slug"], 1)
    await register(client, event["slug"], 2)
    await accounts.sign_in("anonymous")
    token = manage_token(run, "delegate1@example.org")

    page = await client.get(f"/my/{token}")
    assert page.status_code == 200
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store"
    assert "Confirmed" in page.text
    csrf = client.cookies.get("csrftoken")
    rid = first["registration"]["id"]

    saved = await client.post(
        f"/my/{token}/registrations/{rid}",
        data={"_csrf_token": csrf, "access_needs": "Step-free", "dietary_needs": "Vegan"},
        follow_redirects=False,
    )
    assert (saved.status_code, saved.headers["location"]) == (303, f"/my/{token}?notice=saved")
    unconfirmed = await client.post(f"/my/{token}/registrations/{rid}/cancel", data={"_csrf_token": csrf})
    assert unconfirmed.status_code == 400
    assert "Tick the box" in unconfirmed.text
    cancelled = await client.post(
        f"/my/{token}/registrations/{rid}/cancel", data={"_csrf_token": csrf, "confirm": "yes"}, follow_redirects=False
    )
    assert cancelled.status_code == 303
    assert [r["status"] for r in registrations(run, event["id"])] == ["cancelled", "confirmed"]
    assert (await client.get("/my/not-a-real-token")).status_code == 404


async def test_asking_for_the_link_on_the_page(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any], accounts: Accounts
) -> None:
    event = await open_event()
    await register(client, event["slug"], 1)
    await accounts.sign_in("anonymous")
    csrf = await _csrf(client, "/my")
    sent = await client.post(
        "/my", data={"_csrf_token": csrf, "email": "delegate1@example.org"}, follow_redirects=False
    )
    assert (sent.status_code, sent.headers["location"]) == (303, "/my?sent=1")
    unknown = await client.post("/my", data={"_csrf_token": csrf, "email": "who@example.org"}, follow_redirects=False)
    assert (unknown.status_code, unknown.headers["location"]) == (303, "/my?sent=1")
    assert mails(run)[-1] == ("manage_link", "delegate1@example.org")


async def test_organisers_page_lists_counts_and_approves_in_bulk(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await open_event(capacity=5, requires_approval=True, kind="forum_meeting")
    ids = [
        (await register(client, event["slug"], n, stakeholder_group=TSO if n else HEI))["registration"]["id"]
        for n in range(3)
    ]
    page = await client.get(f"/organiser/events/{event['slug']}/registrations")
    assert page.status_code == 200
    assert "3 awaiting approval" in page.text
    assert "Third-sector organisation" in page.text
    csrf = client.cookies.get("csrftoken")
    decided = await client.post(
        f"/organiser/events/{event['slug']}/registrations/decide",
        data={"_csrf_token": csrf, "ids": [str(i) for i in ids[:2]], "action": "approve"},
        follow_redirects=False,
    )
    assert decided.status_code == 303
    assert "2+approved" in decided.headers["location"]
    assert [r["status"] for r in registrations(run, event["id"])] == ["confirmed", "confirmed", "pending"]
    detail = await client.get(f"/organiser/registrations/{ids[0]}")
    assert "approved (confirmed), by organiser@example.org" in detail.text
    filtered = await client.get(f"/organiser/events/{event['slug']}/registrations", params={"status": "pending"})
    assert "Delegate 2" in filtered.text and "Delegate 1<" not in filtered.text

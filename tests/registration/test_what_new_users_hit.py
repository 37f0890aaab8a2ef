"""What a new user met (issue 14, part 6): names of only spaces, the confirmation page open to anyone and
silent about workshops, a history that named fields nobody changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar.testing import AsyncTestClient

from tests.builders import make_session
from tests.conftest import Accounts
from tests.registration.conftest import HEI, delegate, manage_token, newest_body, register, registrations


async def _csrf(client: AsyncTestClient[Any], path: str) -> str:
    page = await client.get(path)
    assert page.status_code == 200, page.text
    token = client.cookies.get("csrftoken")
    assert token
    return token


async def test_a_name_of_only_spaces_is_refused_and_names_are_trimmed(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any], accounts: Accounts
) -> None:
    event = await open_event(capacity=5)
    spaces = await client.post(f"/api/events/{event['slug']}/registrations", json=delegate(1, name="   "))
    assert spaces.status_code == 422, spaces.text
    assert spaces.json()["field"] == "name"
    assert "fill this in" in spaces.json()["detail"]

    await register(client, event["slug"], 2, name="  Ada   Lovelace ")
    assert "Dear Ada Lovelace," in newest_body(run, "delegate2@example.org")

    speaker = await client.post("/api/speakers", json={"name": " \t "})
    assert speaker.status_code == 422 and speaker.json()["field"] == "name", speaker.text
    organiser_account = await client.post(
        "/api/organisers",
        json={"email": "new@example.org", "name": "  ", "role": "checkin", "password": "a long enough password"},
    )
    assert organiser_account.status_code in (403, 422), organiser_account.text  # only admins; never a blank name
    await accounts.sign_in("admin")
    organiser_account = await client.post(
        "/api/organisers",
        json={"email": "new@example.org", "name": "  ", "role": "checkin", "password": "a long enough password"},
    )
    assert organiser_account.status_code == 422 and organiser_account.json()["field"] == "name"

    await accounts.sign_in("anonymous")
    csrf = await _csrf(client, f"/events/{event['slug']}/register")
    form = {
        "_csrf_token": csrf,
        "name": "  ",
        "email": "sian@example.org",
        "organisation_name": "Prifysgol Aberystwyth",
        "stakeholder_group": HEI,
    }
    page = await client.post(f"/events/{event['slug']}/register", data=form)
    assert page.status_code == 400
    assert "fill this in" in page.text
    assert len(registrations(run, event["id"])) == 1  # only Ada's


async def test_the_answer_page_shows_no_place_and_no_ticket_the_email_does(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], accounts: Accounts, run: Callable[..., Any]
) -> None:
    """Whoever typed the address is told to check the inbox: the place, its workshops and its ticket are in the
    email to that address, never on the page (issue 17)."""
    event = await open_event(capacity=5)
    workshop = await make_session(client, event["slug"], title="Widening access workshop", kind="workshop", capacity=3)
    await accounts.sign_in("anonymous")

    for guess in ("?status=confirmed", "?status=confirmed&existing=0", "", "?r=forged"):
        page = await client.get(f"/events/{event['slug']}/registered{guess}")
        assert page.status_code == 200, guess
        assert "Check your inbox" in page.text and "You're booked" not in page.text

    csrf = await _csrf(client, f"/events/{event['slug']}/register")
    form = {
        "_csrf_token": csrf,
        "name": "Siân Llewelyn",
        "email": "sian@example.org",
        "organisation_name": "Prifysgol Aberystwyth",
        "stakeholder_group": HEI,
        "session_ids": [str(workshop["id"])],
    }
    response = await client.post(f"/events/{event['slug']}/register", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/events/{event['slug']}/registered"
    done = await client.get(response.headers["location"])
    assert "Check your inbox" in done.text
    assert "Widening access workshop" not in done.text and "/tickets/" not in done.text
    email = newest_body(run, "sian@example.org")
    assert "Your place at" in email and "Widening access workshop" in email
    assert registrations(run, event["id"])[0]["status"] == "confirmed"


async def test_history_names_exactly_what_changed(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any], organiser: Accounts
) -> None:
    event = await open_event(capacity=5)
    first = await make_session(client, event["slug"], title="Pathways workshop", kind="workshop", capacity=3)
    second = await make_session(client, event["slug"], title="Partnerships workshop", kind="workshop", capacity=3)
    made = await register(
        client, event["slug"], 1, access_needs="Step-free", dietary_needs="Vegan", session_ids=[first["id"]]
    )
    rid = made["registration"]["id"]
    token = manage_token(run, "delegate1@example.org")
    await organiser.sign_in("anonymous")
    csrf = await _csrf(client, f"/my/{token}")
    # The page sends every field; only the workshop changed.
    saved = await client.post(
        f"/my/{token}/registrations/{rid}",
        data={
            "_csrf_token": csrf,
            "access_needs": "Step-free",
            "dietary_needs": "Vegan",
            "has_sessions": "1",
            "session_ids": [str(second["id"])],
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    await organiser.sign_in("organiser")
    history = (await client.get(f"/api/registrations/{rid}/history")).json()
    details = [h["detail"] for h in history if h["action"] == "updated"]
    assert len(details) == 1
    assert "access needs" not in details[0] and "dietary needs" not in details[0]
    assert "Partnerships workshop" in details[0] and "Pathways workshop" in details[0]

    await organiser.sign_in("anonymous")
    csrf = await _csrf(client, f"/my/{token}")
    again = await client.post(
        f"/my/{token}/registrations/{rid}",
        data={"_csrf_token": csrf, "access_needs": "Step-free, hearing loop", "dietary_needs": "Vegan"},
        follow_redirects=False,
    )
    assert again.status_code == 303, again.text
    await organiser.sign_in("organiser")
    history = (await client.get(f"/api/registrations/{rid}/history")).json()
    details = [h["detail"] for h in history if h["action"] == "updated"]
    assert "access needs" in details, details  # and nothing else: dietary needs and workshops stood

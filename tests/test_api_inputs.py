"""Inputs that were answered with a 500, each pinned down: those the schema fuzz test (tests/test_api_fuzz.py)
found in the API, and the same kinds in the pages' forms. The API answers a 400 problem naming the field, the
same on SQLite and PostgreSQL; a page shows the form again or leaves the odd value out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar.testing import AsyncTestClient

from tests.builders import make_event, make_session
from tests.conftest import Accounts

TOO_BIG = 4_081_510_721_373_463_497_658_650_895_319_040  # past int32 (PostgreSQL) and int64 (SQLite)


def assert_refused(response: Any, field: str) -> None:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["field"] == field, problem
    assert problem["detail"].startswith(f"{field}: "), problem


async def test_ids_past_the_database_range_are_invalid_not_a_server_error(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    event = await make_event(client)
    for number in (TOO_BIG, 2_147_483_648, 0):
        assert_refused(await client.get(f"/api/sessions/{number}"), "session_id")
        assert_refused(await client.patch(f"/api/venues/{number}", json={"name": "V"}), "venue_id")
        assert_refused(await client.get(f"/api/events/{event['slug']}/registrations?session={number}"), "session")
        assert_refused(await client.get(f"/api/events/{event['slug']}/check-in/counts?session={number}"), "session")
    assert (await client.get("/api/sessions/2147483647")).status_code == 404


async def test_text_longer_than_its_column_is_invalid_on_both_engines(
    client: AsyncTestClient[Any], accounts: Accounts
) -> None:
    await accounts.sign_in("admin")
    speaker = (await client.post("/api/speakers", json={"name": "Ada"})).json()
    assert_refused(await client.patch(f"/api/speakers/{speaker['slug']}", json={"job_title": "x" * 201}), "job_title")
    assert_refused(await client.post("/api/stakeholder-groups", json={"name": "G", "slug": "g" * 81}), "slug")
    group = await client.post("/api/stakeholder-groups", json={"name": "Long name " * 11 + "X"})
    assert group.status_code == 201, group.text
    assert len(group.json()["slug"]) <= 80
    again = await client.post("/api/stakeholder-groups", json={"name": "Long name " * 11 + "X!"})
    assert again.status_code == 201, again.text
    assert again.json()["slug"] == group.json()["slug"] + "-2"
    assert_refused(
        await client.post(
            "/api/organisations",
            json={"name": "O", "stakeholder_group_id": group.json()["id"], "website": "https://x.org/" + "a" * 300},
        ),
        "website",
    )
    long_email = "a" * 90 + "@example.org"
    organiser = {"email": long_email, "name": "N", "role": "checkin", "password": "a long enough password"}
    assert_refused(await client.post("/api/organisers", json=organiser), "email")


async def test_nul_characters_are_invalid_wherever_they_are(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    """PostgreSQL cannot store U+0000; SQLite could, so both refuse it before the database sees it."""
    event = await make_event(client, capacity=10)
    session = await make_session(client, event["slug"], kind="workshop", capacity=5)
    assert_refused(await client.post("/api/speakers", json={"name": "Ada", "bio": "line\u0000"}), "bio")
    assert_refused(await client.get("/api/organisations", params={"q": "\u0000"}), "q")
    assert_refused(await client.get("/api/events/%00"), "slug")
    assert_refused(await client.get("/api/outbox/counts", params={"event": "a\u0000"}), "event")
    assert_refused(
        await client.patch(f"/api/sessions/{session['id']}", json={"speakers": [], "description": "\u0000"}),
        "description",
    )
    nested = await client.post(
        f"/api/events/{event['slug']}/registrations",
        json={
            "name": "Dee",
            "email": "dee@example.org",
            "stakeholder_group": "other",
            "answers": {"1": ["fine", "not\u0000fine"]},
        },
    )
    assert_refused(nested, "answers.1[1]")
    # A backslash followed by "u0000" is ordinary text.
    literal = await client.post("/api/speakers", json={"name": "Ada", "bio": "\\u0000 is how JSON writes NUL"})
    assert literal.status_code == 201, literal.text
    assert literal.json()["bio"] == "\\u0000 is how JSON writes NUL"


def test_a_form_with_a_nul_character_is_refused_and_a_clean_one_still_reaches_the_handler() -> None:
    """The same refusal for forms, so that pages can use it too."""
    from litestar import Litestar, Request, post
    from litestar.testing import TestClient

    from events_app.core.api import refuse_nul_characters
    from events_app.core.errors import error_handler

    @post("/things/{slug:str}")
    async def handler(request: Request[Any, Any, Any]) -> dict[str, Any]:
        return {name: value for name, value in (await request.form()).items() if isinstance(value, str)}

    app = Litestar([handler], before_request=refuse_nul_characters, exception_handlers={Exception: error_handler})
    with TestClient(app) as plain:
        assert_refused(plain.post("/things/a", data={"name": "Ada\u0000"}), "name")
        assert_refused(plain.post("/things/a", data={"name": "Ada\u0000"}, files={"cv": ("cv.txt", b"x")}), "name")
        assert_refused(plain.post("/things/a%00", data={"name": "Ada"}), "slug")
        assert plain.post("/things/a", data={"name": "Ada"}).json() == {"name": "Ada"}
        # A file is bytes, not text: what it holds is the handler's business.
        upload = plain.post("/things/a", data={"name": "Ada"}, files={"cv": ("cv.bin", b"\x00\x01")})
        assert upload.status_code == 201, upload.text
        assert upload.json() == {"name": "Ada"}


async def test_numbers_typed_into_page_forms_are_checked_before_use(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    """Superscript digits pass str.isdigit() but not int(); numbers past the id range fail in PostgreSQL."""
    from events_app.feedback import responses
    from events_app.people.services import ensure_default_groups

    run(ensure_default_groups)
    event = await make_event(client, capacity=10)
    slug = event["slug"]
    session = await make_session(client, slug, kind="workshop", capacity=5)
    await client.get("/organiser/sign-in")
    html = {"accept": "text/html", "x-csrftoken": client.cookies.get("csrftoken") or ""}

    scanner = await client.get(f"/organiser/events/{slug}/check-in?session={TOO_BIG}", headers=html)
    assert scanner.status_code == 400, scanner.text
    scan = await client.post(
        f"/organiser/events/{slug}/check-in",
        data={"session_id": str(TOO_BIG), "registration_id": "²", "code": "not-a-ticket"},
        headers=html,
    )
    assert scan.status_code == 200, scan.text
    decide = await client.post(
        f"/organiser/events/{slug}/registrations/decide",
        data={"action": "approve", "ids": ["²", str(TOO_BIG)]},
        headers=html,
        follow_redirects=False,
    )
    assert decide.status_code == 303, decide.text

    person = {"name": "Bea", "email": "bea@example.org", "stakeholder_group": "other", "organisation_name": "OU"}
    registered = await client.post(
        f"/events/{slug}/register",
        data={**person, "session_ids": ["²", str(session["id"])]},
        headers=html,
        follow_redirects=False,
    )
    assert registered.status_code == 303, registered.text
    mine = (await client.get(f"/api/events/{slug}/registrations")).json()["items"][0]
    assert [booking["session_id"] for booking in mine["sessions"]] == [session["id"]]

    form = (await client.post(f"/api/events/{slug}/feedback-form", json={"template": "seminar"})).json()
    rating = next(q for q in form["questions"] if q["kind"] == "rating")
    token = responses.link_path(form["id"], mine["id"])
    answered = await client.post(token, data={f"q{rating['id']}": "²"}, headers=html)
    assert answered.status_code in (200, 400), answered.text

"""Web hardening: security headers, CSRF on every state-changing form and on the JSON API, rate limits with a
clear 429, a request size limit, session cookies, and a sign-in that does not say whether an account exists."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from events_app.core.settings import RateLimit, get_settings
from events_app.people.services import ensure_default_groups
from events_app.registration.tables import Registration
from tests.builders import make_event
from tests.conftest import PASSWORD, Accounts, reset_database

HTML = {"accept": "text/html"}
HEI = "higher-education-institution"


def header_of(response: Any, name: str) -> str:
    return str(response.headers.get(name, ""))


async def test_every_response_carries_the_security_headers(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    event = await make_event(client)
    for path in ("/", f"/events/{event['slug']}", "/api/events", "/no-such-page", "/calendar.ics"):
        response = await client.get(path, headers=HTML)
        assert header_of(response, "x-content-type-options") == "nosniff", path
        assert header_of(response, "referrer-policy") == "same-origin", path
        assert header_of(response, "x-frame-options") == "DENY", path
        csp = header_of(response, "content-security-policy")
        assert "frame-ancestors 'none'" in csp, path
        assert "script-src 'self'" in csp, path
        assert "unsafe-inline" not in csp, path


async def test_piccolo_admin_is_gone(client: AsyncTestClient[Any], accounts: Accounts) -> None:
    """The table editor that skipped every rule is no longer served: /admin is an ordinary missing page, for
    everyone, and nothing there takes a write."""
    for role in ("anonymous", "admin"):
        await accounts.sign_in(role)
        for path in ("/admin", "/admin/", "/admin/api/tables/event"):
            response = await client.get(path, headers=HTML, follow_redirects=False)
            assert response.status_code == 404, (role, path)
            assert "frame-ancestors 'none'" in header_of(response, "content-security-policy"), path
        posted = await client.post("/admin/api/tables/event/", json={"title": "Sneaked in"})
        assert posted.status_code == 404, role


async def test_strict_transport_security_only_behind_https() -> None:
    from events_app.app import create_app

    secure = dataclasses.replace(get_settings(), cookie_secure=True)
    async with AsyncTestClient(app=create_app(secure)) as secure_client:
        response = await secure_client.get("/healthz")
        assert header_of(response, "strict-transport-security").startswith("max-age=31536000")


# Forms that take no CSRF token, and why: the signed link in the address is the key, no session is used, and mail
# programs' one-click unsubscribe (RFC 8058) posts with no token.
NO_CSRF_TOKEN = ("/unsubscribe/",)


def _state_changing_form_routes() -> list[tuple[str, str]]:
    from events_app.app import create_app

    found = []
    for route in create_app().routes:
        path = route.path
        if path.startswith(("/api/", "/schema", "/static", *NO_CSRF_TOKEN)):
            continue
        for method in sorted(getattr(route, "methods", set())):
            if method in {"POST", "PUT", "PATCH", "DELETE"}:
                found.append((method, path))
    return found


FORM_ROUTES = _state_changing_form_routes()


def test_the_app_has_state_changing_forms() -> None:
    # Guards the next test against passing on an empty list.
    assert ("POST", "/organiser/sign-in") in FORM_ROUTES
    assert ("POST", "/events/{slug:str}/register") in FORM_ROUTES
    assert len(FORM_ROUTES) >= 15


async def test_every_state_changing_form_refuses_a_post_without_its_csrf_token(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    """A signed-in organiser's browser, lured to another site, posts to each form: all refused."""
    refused = []
    for method, template in FORM_ROUTES:
        path = re.sub(r"\{[a-z_]+:int\}", "1", re.sub(r"\{[a-z_]+:str\}", "x", template))
        response = await client.request(method, path, data={"anything": "1"}, headers=HTML)
        if response.status_code == 403 and "CSRF" in response.text:
            refused.append((method, template))
    assert refused == FORM_ROUTES


async def test_the_api_refuses_what_another_sites_page_sends_with_an_organisers_cookie(
    client: AsyncTestClient[Any], accounts: Accounts
) -> None:
    """The API is not behind the forms' CSRF token: a signed-in admin's browser, on a hostile page, sends what
    such a page can make it send. All refused, nothing changed; the site's own pages and scripts go through."""
    await accounts.sign_in("admin")
    event = await make_event(client)
    url = f"/api/events/{event['slug']}"
    intruder = {"email": "intruder@example.org", "name": "Intruder", "role": "admin", "password": PASSWORD}
    defaced = {"title": "Defaced"}
    attempts: list[tuple[str, str, dict[str, Any], int, str]] = [
        # A browser that says where the request came from: another site, a sibling subdomain, another origin.
        ("PATCH", url, {"json": defaced, "headers": {"sec-fetch-site": "cross-site"}}, 403, "cross_site"),
        ("PATCH", url, {"json": defaced, "headers": {"sec-fetch-site": "same-site"}}, 403, "cross_site"),
        (
            "POST",
            "/api/organisers",
            {"json": intruder, "headers": {"origin": "https://evil.example"}},
            403,
            "cross_site",
        ),
        ("PATCH", url, {"json": defaced, "headers": {"origin": "null"}}, 403, "cross_site"),  # a sandboxed frame
        # A browser too old to say: a <form> can send JSON-looking text/plain, or form fields, but never JSON.
        (
            "POST",
            "/api/organisers",
            {"content": json.dumps(intruder), "headers": {"content-type": "text/plain"}},
            415,
            "unsupported_media_type",
        ),
        ("POST", "/api/organisers", {"data": intruder}, 415, "unsupported_media_type"),
        ("POST", f"{url}/registrations/manual", {"data": {"name": "x"}}, 415, "unsupported_media_type"),
    ]
    for method, path, kwargs, status, code in attempts:
        response = await client.request(method, path, **kwargs)
        assert (response.status_code, response.json()["code"]) == (status, code), (method, path, kwargs)
    refused = await client.post("/api/organisers", content=json.dumps(intruder), headers={"content-type": "text/plain"})
    assert refused.json()["detail"] == (
        "The API takes JSON: send the body with Content-Type: application/json (not text/plain)."
    )
    assert (await client.get(url)).json()["title"] == event["title"]
    assert "intruder@example.org" not in [o["email"] for o in (await client.get("/api/organisers")).json()]

    # The site's own pages (the scanner's fetch: same origin, JSON) and scripts (no browser headers) go through.
    same_origin = {"sec-fetch-site": "same-origin", "origin": "http://testserver.local"}
    assert (await client.patch(url, json={"title": "Renamed"}, headers=same_origin)).status_code == 200
    assert (
        await client.patch(url, json={"title": "Renamed again"}, headers={"origin": "http://testserver.local"})
    ).status_code == 200
    assert (await client.patch(url, json={"title": "By a script"})).status_code == 200
    charset = {"content-type": "application/json; charset=utf-8"}
    assert (await client.patch(url, content=json.dumps({"title": "UTF-8"}), headers=charset)).status_code == 200
    assert (await client.get(url)).json()["title"] == "UTF-8"


async def test_sign_in_does_not_reveal_whether_an_account_exists(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any]
) -> None:
    email = accounts.create("organiser")
    wrong_password = await client.post("/api/auth/sign-in", json={"email": email, "password": "not the password"})
    no_account = await client.post("/api/auth/sign-in", json={"email": "nobody@example.org", "password": PASSWORD})
    assert wrong_password.status_code == no_account.status_code == 400
    assert wrong_password.json() == no_account.json()
    assert "id" not in wrong_password.cookies and "id" not in no_account.cookies
    # The page says the same in both cases too.
    page = await client.get("/organiser/sign-in")
    csrf = page.cookies.get("csrftoken") or client.cookies.get("csrftoken")
    bodies = []
    for who in (email, "nobody@example.org"):
        response = await client.post(
            "/organiser/sign-in",
            data={"email": who, "password": "not the password", "_csrf_token": csrf},
            headers=HTML,
        )
        assert response.status_code == 400
        bodies.append(response.text.replace(who, "EMAIL"))
    assert bodies[0] == bodies[1]


async def test_session_cookie_is_http_only_and_same_site(client: AsyncTestClient[Any], accounts: Accounts) -> None:
    email = accounts.create("organiser")
    response = await client.post("/api/auth/sign-in", json={"email": email, "password": PASSWORD})
    cookie = header_of(response, "set-cookie").lower()
    assert cookie.startswith("id=")
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "secure" not in cookie.split(";")[1:].__str__()  # plain HTTP in development


async def test_session_cookie_is_secure_behind_https() -> None:
    from events_app.app import create_app

    secure = dataclasses.replace(get_settings(), cookie_secure=True)
    async with AsyncTestClient(app=create_app(secure), base_url="https://testserver.local") as secure_client:
        secure_client.blocking_portal.call(reset_database)
        accounts = Accounts(secure_client, secure_client.blocking_portal.call)
        email = accounts.create("organiser")
        response = await secure_client.post("/api/auth/sign-in", json={"email": email, "password": PASSWORD})
        assert response.status_code == 200
        parts = [p.strip().lower() for p in header_of(response, "set-cookie").split(";")]
        assert {"secure", "httponly", "samesite=lax"} <= set(parts)


LIMIT = RateLimit(requests=3, seconds=60)


@pytest.fixture
async def limited() -> AsyncIterator[tuple[AsyncTestClient[Any], Accounts]]:
    """The app with low limits: three tries a minute at each door."""
    from events_app.app import create_app

    settings = dataclasses.replace(
        get_settings(),
        rate_limit_sign_in=LIMIT,
        rate_limit_registration=LIMIT,
        rate_limit_feedback=LIMIT,
        max_body_bytes=20_000,
    )
    async with AsyncTestClient(app=create_app(settings)) as limited_client:
        limited_client.blocking_portal.call(reset_database)
        limited_client.blocking_portal.call(ensure_default_groups)
        yield limited_client, Accounts(limited_client, limited_client.blocking_portal.call)


def _assert_too_many(response: Any) -> None:
    assert response.status_code == 429, response.text
    problem = response.json()
    assert problem["title"] == "Too many requests"
    assert "wait a minute" in problem["detail"]
    assert int(response.headers["retry-after"]) > 0


async def test_sign_in_is_rate_limited_per_address(limited: tuple[AsyncTestClient[Any], Accounts]) -> None:
    client, accounts = limited
    email = accounts.create("organiser")
    for _ in range(LIMIT.requests):
        wrong = await client.post("/api/auth/sign-in", json={"email": email, "password": "guess"})
        assert wrong.status_code == 400
    # Even the right password waits now: guessing cannot go on.
    _assert_too_many(await client.post("/api/auth/sign-in", json={"email": email, "password": PASSWORD}))
    page = await client.post("/organiser/sign-in", data={"email": email, "password": PASSWORD}, headers=HTML)
    assert page.status_code == 429
    assert "Too many attempts" in page.text
    # Asking for password-reset emails goes through the same door: no flood of emails from one address.
    forgot = await client.post("/organiser/forgot-password", data={"email": email}, headers=HTML)
    assert forgot.status_code == 429
    # Other doors and reading pages are not affected.
    assert (await client.get("/")).status_code == 200
    assert (await client.post("/api/feedback/open/unknown", json={"answers": {}})).status_code != 429


async def test_registration_is_rate_limited_and_a_refused_one_writes_nothing(
    limited: tuple[AsyncTestClient[Any], Accounts],
) -> None:
    client, accounts = limited
    await accounts.sign_in("organiser")
    event = await make_event(client, capacity=50)
    client.cookies.clear()
    url = f"/api/events/{event['slug']}/registrations"

    def person(n: int) -> dict[str, Any]:
        return {
            "name": f"Person {n}",
            "email": f"p{n}@example.org",
            "stakeholder_group": HEI,
            "organisation_name": "Uni",
        }

    for n in range(LIMIT.requests):
        response = await client.post(url, json=person(n))
        assert response.status_code == 202, response.text
    _assert_too_many(await client.post(url, json=person(99)))
    _assert_too_many(await client.post("/api/my/link", json={"email": "p1@example.org"}))
    # The HTML form is the same door: the same count per client address (three made-up addresses, then no more).
    form = await client.post(f"/events/{event['slug']}/register", data=person(98), headers=HTML)
    assert form.status_code == 429

    async def emails() -> list[str]:
        rows = await Registration.select(Registration.delegate.email).where(Registration.event == event["id"])
        return sorted(r["delegate.email"] for r in rows)

    assert client.blocking_portal.call(emails) == ["p0@example.org", "p1@example.org", "p2@example.org"]


async def test_feedback_answers_are_rate_limited(limited: tuple[AsyncTestClient[Any], Accounts]) -> None:
    client, _ = limited
    for _ in range(LIMIT.requests):
        assert (await client.post("/api/feedback/open/unknown", json={"answers": {}})).status_code == 404
    _assert_too_many(await client.post("/api/feedback/open/unknown", json={"answers": {}}))
    _assert_too_many(await client.post("/feedback/some-token", data={"q": "1"}))


async def test_a_request_larger_than_the_limit_is_refused_and_writes_nothing(
    limited: tuple[AsyncTestClient[Any], Accounts],
) -> None:
    client, accounts = limited
    await accounts.sign_in("organiser")
    event = await make_event(client, capacity=50)
    client.cookies.clear()
    huge = {"name": "Big", "email": "big@example.org", "stakeholder_group": HEI, "access_needs": "x" * 50_000}
    response = await client.post(f"/api/events/{event['slug']}/registrations", json=huge)
    assert response.status_code == 413, response.text
    assert response.json()["detail"] == "What was sent is too large for this service to accept."

    async def count() -> int:
        return int(await Registration.count().where(Registration.event == event["id"]))

    assert client.blocking_portal.call(count) == 0


async def test_a_nul_character_sent_to_a_page_is_refused_naming_the_field(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    event = await make_event(client, capacity=5)
    page = await client.get(f"/events/{event['slug']}/register?organisation=a%00b", headers=HTML)
    assert page.status_code == 400
    assert "organisation" in page.text
    assert "U+0000" in page.text

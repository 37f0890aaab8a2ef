"""Signing in and out, and organiser accounts. Who may call which route: tests/accounts/test_access_matrix.py."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from tests.builders import DAY
from tests.conftest import PASSWORD, Accounts

EVENT = {"title": "Forum", "kind": "forum_meeting", "starts_at": f"{DAY}T10:00:00", "ends_at": f"{DAY}T12:00:00"}


async def test_organiser_accounts_are_for_admins(client: AsyncTestClient[Any], accounts: Accounts) -> None:
    new = {"email": "new@example.org", "name": "New Person", "role": "checkin", "password": "a long enough password"}
    await accounts.sign_in("organiser")
    assert (await client.get("/api/organisers")).status_code == 403
    assert (await client.post("/api/organisers", json=new)).status_code == 403
    await accounts.sign_in("admin")
    created = await client.post("/api/organisers", json=new)
    assert created.status_code == 201, created.text
    assert created.json()["role"] == "checkin"
    short = await client.post("/api/organisers", json={**new, "email": "b@example.org", "password": "short"})
    assert (short.status_code, short.json()["field"]) == (400, "password")
    again = await client.post("/api/organisers", json=new)
    assert (again.status_code, again.json()["field"]) == (409, "email")
    promoted = await client.patch(f"/api/organisers/{created.json()['id']}", json={"role": "organiser"})
    assert promoted.json()["role"] == "organiser"


async def test_sign_in_sets_a_safe_cookie_and_sign_out_ends_the_session(
    client: AsyncTestClient[Any], accounts: Accounts
) -> None:
    email = accounts.create("organiser")
    response = await client.post("/api/auth/sign-in", json={"email": email.upper(), "password": PASSWORD})
    assert response.status_code == 200
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP in tests; Secure behind HTTPS or with COOKIE_SECURE
    me = await client.get("/api/auth/me")
    assert me.json()["role"] == "organiser"
    token = client.cookies.get("id")
    assert (await client.post("/api/auth/sign-out")).status_code == 204
    client.cookies.set("id", token or "")
    assert (await client.get("/api/auth/me")).status_code == 401


async def test_sign_in_does_not_say_whether_the_account_exists(
    client: AsyncTestClient[Any], accounts: Accounts
) -> None:
    email = accounts.create("organiser")
    wrong_password = await client.post("/api/auth/sign-in", json={"email": email, "password": "not it"})
    no_account = await client.post("/api/auth/sign-in", json={"email": "nobody@example.org", "password": "not it"})
    assert wrong_password.status_code == no_account.status_code == 400
    assert wrong_password.json()["detail"] == no_account.json()["detail"]


async def test_deactivated_organiser_is_signed_out(client: AsyncTestClient[Any], accounts: Accounts) -> None:
    await accounts.sign_in("organiser")
    organiser_cookie = client.cookies.get("id")
    await accounts.sign_in("admin")
    organisers = (await client.get("/api/organisers")).json()
    target = next(o for o in organisers if o["role"] == "organiser")
    assert (await client.patch(f"/api/organisers/{target['id']}", json={"active": False})).status_code == 200
    client.cookies.clear()
    client.cookies.set("id", organiser_cookie or "")
    assert (await client.get("/api/auth/me")).status_code == 401


async def test_sign_in_page_form_and_organiser_page(client: AsyncTestClient[Any], accounts: Accounts) -> None:
    email = accounts.create("organiser")
    redirect = await client.get("/organiser", headers={"accept": "text/html"}, follow_redirects=False)
    assert redirect.status_code == 303
    assert redirect.headers["location"].startswith("/organiser/sign-in")
    form = await client.get("/organiser/sign-in")
    assert form.status_code == 200
    csrf = client.cookies.get("csrftoken")
    assert csrf
    bad = await client.post("/organiser/sign-in", data={"email": email, "password": "wrong", "_csrf_token": csrf})
    assert bad.status_code == 400
    assert "not right" in bad.text
    no_token = await client.post("/organiser/sign-in", data={"email": email, "password": PASSWORD})
    assert no_token.status_code == 403
    good = await client.post(
        "/organiser/sign-in",
        data={"email": email, "password": PASSWORD, "_csrf_token": csrf, "next": "https://evil.example/"},
        follow_redirects=False,
    )
    assert good.status_code == 303
    assert good.headers["location"] == "/organiser"
    page = await client.get("/organiser")
    assert page.status_code == 200
    assert "Signed in as Test organiser" in page.text


async def test_admin_created_event_shows_on_public_pages(client: AsyncTestClient[Any], accounts: Accounts) -> None:
    """The issue's 'done when': sign in as the admin, create an event, see it in public."""
    await accounts.sign_in("admin")
    created = await client.post(
        "/api/events", json={**EVENT, "status": "published", "online_url": "https://meet.example.org/f"}
    )
    assert created.status_code == 201
    await accounts.sign_in("anonymous")
    home = await client.get("/")
    assert "Forum" in home.text
    assert "National forum meeting" in home.text
    assert (await client.get(created.json()["url"])).status_code == 200

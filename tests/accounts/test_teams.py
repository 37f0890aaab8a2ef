"""Organiser accounts on pages (issue 16, part 5): an admin invites someone by email, who sets a password from the
link and is signed in; roles change; a deactivated account is signed out and cannot sign in; a forgotten password
is reset by an emailed link. Links work once and expire; nothing says whether an address has an account."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar.testing import AsyncTestClient

from events_app.accounts import links
from tests.accounts.teams_helpers import NEW_PASSWORD, aged_token, emails, link_in, post_form
from tests.conftest import PASSWORD, Accounts

INVITE = {"email": "nia@example.org", "name": "Nia <b>Evans</b>", "role": "checkin"}
CHOSEN = {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}


async def _sign_in(client: AsyncTestClient[Any], email: str, password: str) -> int:
    client.cookies.clear()
    return int((await client.post("/api/auth/sign-in", json={"email": email, "password": password})).status_code)


def _account_id(run: Callable[..., Any], email: str) -> int:
    from events_app.accounts import services

    return int(next(o.id for o in run(services.list_organisers) if o.email == email))


async def test_an_admin_invites_someone_who_chooses_a_password_from_the_email(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any]
) -> None:
    await accounts.sign_in("admin")
    sent = await post_form(client, "/organiser/accounts", INVITE)
    assert sent.status_code == 303, sent.text
    listed = await client.get("/organiser/accounts", params={"notice": "x"})
    assert "nia@example.org" in listed.text and "Invited: no password yet" in listed.text
    assert "Nia &lt;b&gt;Evans&lt;/b&gt;" in listed.text

    ((to, text, html),) = emails(run, "organiser_invite")
    assert to == "nia@example.org"
    path = link_in(text)
    assert path.startswith("/organiser/set-password/") and path in html
    assert "Nia &lt;b&gt;Evans&lt;/b&gt;" in html and "7 days" in text and "check-in staff" in text
    # Until the password is chosen the account cannot sign in, whatever is typed.
    assert await _sign_in(client, "nia@example.org", "") == 400

    page = await client.get(path)
    assert page.status_code == 200 and "nia@example.org" in page.text
    assert page.headers["cache-control"] == "no-store"
    mismatch = await post_form(client, path, {"password": NEW_PASSWORD, "password_again": "something else"})
    assert mismatch.status_code == 400 and "not the same" in mismatch.text
    short = await post_form(client, path, {"password": "short", "password_again": "short"})
    assert short.status_code == 400 and "at least 12 characters" in short.text

    done = await post_form(client, path, CHOSEN)
    assert done.status_code == 303 and done.headers["location"].startswith("/organiser?notice=Welcome")
    me = await client.get("/api/auth/me")
    assert me.status_code == 200 and me.json()["email"] == "nia@example.org" and me.json()["role"] == "checkin"
    # The link worked once: now it opens nothing, and cannot set another password.
    assert (await client.get(path)).status_code == 404
    again = await post_form(
        client, path, {"password": "yet another password", "password_again": "yet another password"}
    )
    assert again.status_code == 404 and "does not work" in again.text
    assert await _sign_in(client, "nia@example.org", "yet another password") == 400
    assert await _sign_in(client, "nia@example.org", NEW_PASSWORD) == 200


async def test_invitations_refuse_wrong_fields_and_existing_addresses(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any]
) -> None:
    await accounts.sign_in("admin")
    wrong = await post_form(client, "/organiser/accounts", {"email": "not an address", "name": "", "role": "boss"})
    assert wrong.status_code == 400
    for words in ('href="#email"', 'href="#name"', 'href="#role"', 'id="role-error"', "Name: please fill this in"):
        assert words in wrong.text
    taken = await post_form(client, "/organiser/accounts", {**INVITE, "email": accounts.create("organiser")})
    assert taken.status_code == 400 and "already exists" in taken.text
    assert emails(run, "organiser_invite") == []


async def test_an_invitation_sent_again_and_withdrawn(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any]
) -> None:
    await accounts.sign_in("admin")
    await post_form(client, "/organiser/accounts", INVITE)
    user_id = _account_id(run, "nia@example.org")
    page = await client.get(f"/organiser/accounts/{user_id}/edit")
    assert "Send the invitation again" in page.text and 'id="scope"' in page.text
    assert (await post_form(client, f"/organiser/accounts/{user_id}/invite", {})).status_code == 303
    first, second = (link_in(text) for _, text, _ in emails(run, "organiser_invite"))
    assert (await client.get(first)).status_code == (await client.get(second)).status_code == 200
    withdrawn = await post_form(client, f"/organiser/accounts/{user_id}/deactivate", {})
    assert withdrawn.status_code == 303
    assert (await client.get(first)).status_code == (await client.get(second)).status_code == 404
    not_invited = await post_form(client, f"/organiser/accounts/{user_id}/invite", {})
    assert not_invited.status_code == 400 and "not waiting for an invitation" in not_invited.text


async def test_an_admin_changes_a_role_but_not_their_own(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any]
) -> None:
    staff = accounts.create("checkin")
    await accounts.sign_in("admin")
    staff_id = _account_id(run, staff)
    saved = await post_form(client, f"/organiser/accounts/{staff_id}/edit", {"role": "organiser"})
    assert saved.status_code == 303
    assert 'value="organiser" checked' in (await client.get(f"/organiser/accounts/{staff_id}/edit")).text
    await accounts.sign_in("checkin")
    assert (await client.get("/api/auth/me")).json()["role"] == "organiser"
    await accounts.sign_in("admin")
    me = _account_id(run, "admin@example.org")
    own = await client.get(f"/organiser/accounts/{me}/edit")
    assert "You cannot lower your own role" in own.text and "Save the role" not in own.text
    lowered = await post_form(client, f"/organiser/accounts/{me}/edit", {"role": "checkin"})
    assert lowered.status_code == 400 and "cannot lower your own role" in lowered.text
    assert (await client.get("/api/auth/me")).json()["role"] == "admin"


async def test_a_deactivated_account_is_signed_out_and_cannot_sign_in(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any]
) -> None:
    await accounts.sign_in("organiser")
    their_session = client.cookies.get("id") or ""
    email = "organiser@example.org"
    await post_form(client, "/organiser/forgot-password", {"email": email})
    ((_, text, _),) = emails(run, "password_reset")
    reset = link_in(text)

    await accounts.sign_in("admin")
    user_id = _account_id(run, email)
    done = await post_form(client, f"/organiser/accounts/{user_id}/deactivate", {})
    assert done.status_code == 303
    assert "is deactivated and signed out" in (await client.get(done.headers["location"])).text
    client.cookies.clear()
    client.cookies.set("id", their_session)
    assert (await client.get("/api/auth/me")).status_code == 401
    refused = await client.post("/api/auth/sign-in", json={"email": email, "password": PASSWORD})
    assert refused.status_code == 400 and refused.json()["code"] == "sign_in_failed"
    # The reset link sent before stops working, and asking for a new one sends nothing.
    assert (await client.get(reset)).status_code == 404
    await post_form(client, "/organiser/forgot-password", {"email": email})
    assert len(emails(run, "password_reset")) == 1

    await accounts.sign_in("admin")
    assert (await post_form(client, f"/organiser/accounts/{user_id}/reactivate", {})).status_code == 303
    assert await _sign_in(client, email, PASSWORD) == 200


async def test_a_reset_link_works_once(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any]
) -> None:
    email = accounts.create("organiser")
    await accounts.sign_in("organiser")
    other_session = client.cookies.get("id") or ""
    client.cookies.clear()
    asked = await post_form(client, "/organiser/forgot-password", {"email": email.upper()})
    assert asked.status_code == 303
    ((to, text, html),) = emails(run, "password_reset")
    path = link_in(text)
    assert to == email and path.startswith("/organiser/reset-password/") and path in html and "1 hour" in text
    # A reset link is not an invitation link (each is signed for its own purpose).
    assert (await client.get(path.replace("reset-password", "set-password"))).status_code == 404

    done = await post_form(client, path, CHOSEN)
    assert done.status_code == 303
    assert (await client.get("/api/auth/me")).json()["email"] == email
    assert await _sign_in(client, email, PASSWORD) == 400
    assert await _sign_in(client, email, NEW_PASSWORD) == 200
    client.cookies.set("id", other_session)  # the session from before the reset has ended
    assert (await client.get("/api/auth/me")).status_code == 401

    client.cookies.clear()
    used = await post_form(
        client, path, {"password": "a third long password", "password_again": "a third long password"}
    )
    assert used.status_code == 404 and "Ask for a new password link" in used.text
    assert await _sign_in(client, email, NEW_PASSWORD) == 200


async def test_links_expire(client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any]) -> None:
    email = accounts.create("organiser")
    user_id = _account_id(run, email)
    fresh_enough = aged_token(run, links.RESET, [user_id, 1], 59 * 60)
    assert (await client.get(f"/organiser/reset-password/{fresh_enough}")).status_code == 200
    stale = aged_token(run, links.RESET, [user_id, 1], 3601)
    assert (await client.get(f"/organiser/reset-password/{stale}")).status_code == 404
    refused = await post_form(client, f"/organiser/reset-password/{stale}", CHOSEN)
    assert refused.status_code == 404
    assert await _sign_in(client, email, PASSWORD) == 200

    await accounts.sign_in("admin")
    await post_form(client, "/organiser/accounts", INVITE)
    invited = _account_id(run, "nia@example.org")
    six_days = aged_token(run, links.INVITE, [invited, 1], 6 * 24 * 3600)
    eight_days = aged_token(run, links.INVITE, [invited, 1], 7 * 24 * 3600 + 1)
    client.cookies.clear()
    assert (await client.get(f"/organiser/set-password/{six_days}")).status_code == 200
    assert (await client.get(f"/organiser/set-password/{eight_days}")).status_code == 404
    assert (await post_form(client, f"/organiser/set-password/{eight_days}", CHOSEN)).status_code == 404
    assert await _sign_in(client, "nia@example.org", NEW_PASSWORD) == 400


async def test_forgot_password_never_says_whether_an_address_has_an_account(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any]
) -> None:
    email = accounts.create("organiser")
    answers = []
    for address in (email, "nobody@example.org"):
        client.cookies.clear()
        sent = await post_form(client, "/organiser/forgot-password", {"email": address})
        page = await client.get(sent.headers["location"])
        answers.append(
            (sent.status_code, sent.headers["location"], page.text.replace(client.cookies.get("csrftoken") or "", ""))
        )
    assert answers[0] == answers[1]
    assert "If that address has an organiser account" in answers[0][2]
    assert [to for to, _, _ in emails(run, "password_reset")] == [email]
    empty = await post_form(client, "/organiser/forgot-password", {"email": ""})
    assert empty.status_code == 400 and "please fill this in" in empty.text


async def test_the_sign_in_page_offers_a_new_password(client: AsyncTestClient[Any]) -> None:
    page = await client.get("/organiser/sign-in")
    assert 'href="/organiser/forgot-password"' in page.text


async def test_the_dashboard_links_accounts_for_admins_only(client: AsyncTestClient[Any], accounts: Accounts) -> None:
    await accounts.sign_in("organiser")
    assert 'href="/organiser/accounts"' not in (await client.get("/organiser")).text
    await accounts.sign_in("admin")
    assert 'href="/organiser/accounts"' in (await client.get("/organiser")).text

"""Sign-in is throttled per account as well as per address (issue 16, part 5): after 10 failed sign-ins within
15 minutes an address is refused for 15 minutes, whatever address the attempts come from, with the right password
too; an address without an account is refused exactly alike, so the refusal tells nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar.testing import AsyncTestClient

from events_app.accounts import throttle
from events_app.accounts.tables import SignInFailure
from tests.accounts.teams_helpers import post_form
from tests.conftest import PASSWORD, Accounts

T0 = datetime(2030, 3, 1, 12, 0, tzinfo=UTC)


def test_ten_failures_within_fifteen_minutes_lock_for_fifteen_minutes_after_the_last() -> None:
    ten = [T0 - timedelta(minutes=i) for i in range(10)]  # newest first, over nine minutes
    assert throttle.locked_until(ten, T0) == T0 + timedelta(minutes=15)
    assert throttle.locked_until(ten, T0 + timedelta(minutes=14, seconds=59)) == T0 + timedelta(minutes=15)
    assert throttle.locked_until(ten, T0 + timedelta(minutes=15)) is None
    assert throttle.locked_until(ten[:9], T0) is None
    spread = [T0 - timedelta(minutes=2 * i) for i in range(10)]  # eighteen minutes: never ten within fifteen
    assert throttle.locked_until(spread, T0) is None


async def _attempt(client: AsyncTestClient[Any], email: str, password: str) -> Any:
    client.cookies.clear()
    return await client.post("/api/auth/sign-in", json={"email": email, "password": password})


def _age_failures(run: Callable[..., Any], minutes: int) -> None:
    async def age() -> None:
        rows = await SignInFailure.select(SignInFailure.id, SignInFailure.failed_at)
        for row in rows:
            moved = row["failed_at"] - timedelta(minutes=minutes)
            await SignInFailure.update({SignInFailure.failed_at: moved}).where(SignInFailure.id == row["id"])

    run(age)


async def test_an_account_is_locked_after_ten_failures_whatever_the_password_then_free_again(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any]
) -> None:
    email = accounts.create("organiser")
    other = accounts.create("admin")
    for _ in range(9):
        assert (await _attempt(client, email, "wrong password")).status_code == 400
    assert (await _attempt(client, email, "wrong password")).status_code == 400  # the tenth: counted, then locked
    locked = await _attempt(client, email, PASSWORD)
    assert locked.status_code == 429
    assert locked.json()["code"] == "sign_in_locked" and locked.json()["field"] == "email"
    assert "try again in 15 minutes" in locked.json()["detail"]
    # Other accounts sign in from the same address as ever: the lock is the account's.
    assert (await _attempt(client, other, PASSWORD)).status_code == 200
    # The sign-in page says the same, and the lock holds for the address in any case.
    client.cookies.clear()
    page = await post_form(client, "/organiser/sign-in", {"email": email.upper(), "password": PASSWORD})
    assert page.status_code == 429 and "Too many failed sign-ins" in page.text

    _age_failures(run, 14)
    assert (await _attempt(client, email, PASSWORD)).status_code == 429
    _age_failures(run, 1)
    assert (await _attempt(client, email, PASSWORD)).status_code == 200
    # A success starts the count again: nine more failures do not lock.
    for _ in range(9):
        await _attempt(client, email, "wrong password")
    assert (await _attempt(client, email, PASSWORD)).status_code == 200


async def test_the_lock_does_not_tell_which_addresses_have_accounts(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any]
) -> None:
    email = accounts.create("organiser")
    answers = []
    for address in (email, "nobody@example.org"):
        for _ in range(10):
            await _attempt(client, address, "wrong password")
        answers.append((await _attempt(client, address, "wrong password")).json())
    assert answers[0] == answers[1]
    assert answers[0]["status"] == 429

    async def kept() -> list[str]:
        return [r["account_key"] for r in await SignInFailure.select(SignInFailure.account_key)]

    keys = run(kept)
    assert len(keys) == 20 and not any("@" in key or "example" in key for key in keys)


async def test_a_password_reset_frees_a_locked_account(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any]
) -> None:
    from tests.accounts.teams_helpers import NEW_PASSWORD, emails, link_in

    email = accounts.create("organiser")
    for _ in range(10):
        await _attempt(client, email, "wrong password")
    assert (await _attempt(client, email, PASSWORD)).status_code == 429
    await post_form(client, "/organiser/forgot-password", {"email": email})
    ((_, text, _),) = emails(run, "password_reset")
    done = await post_form(client, link_in(text), {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert done.status_code == 303
    assert (await _attempt(client, email, NEW_PASSWORD)).status_code == 200

"""Sign-in throttled per account (the rate limit in core.security counts per client address): after
FAILURES_ALLOWED refused sign-ins within WINDOW, the address typed is refused for LOCKED_FOR, whatever address the
attempts come from and whether or not an account has it (so the refusal tells nobody which addresses have one)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from events_app.accounts.errors import SignInThrottled
from events_app.accounts.tables import SignInFailure
from events_app.core.settings import current_settings
from events_app.core.timezones import utc_now

FAILURES_ALLOWED = 10
WINDOW = timedelta(minutes=15)
LOCKED_FOR = timedelta(minutes=15)
KEEP_FOR = WINDOW + LOCKED_FOR  # older failures no longer count towards anything


def account_key(email: str) -> str:
    """A keyed hash of the address as typed (compared lower-case): the table never holds what people type."""
    secret = current_settings().secret_key.encode()
    return hmac.new(secret, f"sign-in:{email}".encode(), hashlib.sha256).hexdigest()


def locked_until(failures: list[datetime], now: datetime) -> datetime | None:
    """When the last FAILURES_ALLOWED failures (newest first) all fell within WINDOW, the account is refused until
    LOCKED_FOR after the newest of them (attempts while locked are not counted, so the lock does not grow)."""
    if len(failures) < FAILURES_ALLOWED:
        return None
    newest, oldest = failures[0], failures[FAILURES_ALLOWED - 1]
    if newest - oldest > WINDOW:
        return None
    until = newest + LOCKED_FOR
    return until if now < until else None


async def check(email: str) -> None:
    """Refuse (SignInThrottled) while the address is locked; before any password is checked."""
    rows = await (
        SignInFailure.select(SignInFailure.failed_at)
        .where(SignInFailure.account_key == account_key(email))
        .order_by(SignInFailure.failed_at, ascending=False)
        .limit(FAILURES_ALLOWED)
    )
    now = utc_now()
    until = locked_until([r["failed_at"] for r in rows], now)
    if until is not None:
        minutes = max(1, -(-int((until - now).total_seconds()) // 60))
        raise SignInThrottled(wait=f"{minutes} minute{'' if minutes == 1 else 's'}")


async def record_failure(email: str) -> None:
    now = utc_now()
    await SignInFailure.delete().where(SignInFailure.failed_at < now - KEEP_FOR)
    await SignInFailure.insert(SignInFailure(account_key=account_key(email), failed_at=now))


async def forget_failures(email: str) -> None:
    """A successful sign-in starts the count again."""
    await SignInFailure.delete().where(SignInFailure.account_key == account_key(email))

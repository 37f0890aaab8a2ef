"""Personal calendar feed tokens: random, one live token per delegate, turned over on request."""

from __future__ import annotations

import secrets

from events_app.core.crud import not_found
from events_app.core.database import write_transaction
from events_app.core.timezones import utc_now
from events_app.people.tables import Delegate, DelegateFeed


def feed_path(token: str) -> str:
    return f"/calendar/{token}.ics"


async def feed_token(delegate_id: int) -> str:
    """The delegate's live token, made on first use."""
    row = (
        await DelegateFeed.select(DelegateFeed.token)
        .where((DelegateFeed.delegate == delegate_id) & DelegateFeed.revoked_at.is_null())
        .first()
    )
    if row is not None:
        return str(row["token"])
    async with write_transaction():
        row = (
            await DelegateFeed.select(DelegateFeed.token)
            .where((DelegateFeed.delegate == delegate_id) & DelegateFeed.revoked_at.is_null())
            .first()
        )
        if row is not None:
            return str(row["token"])
        token = secrets.token_urlsafe(16)
        await DelegateFeed.insert(DelegateFeed(delegate=delegate_id, token=token, created_at=utc_now()))
    return token


async def turn_over(delegate_id: int) -> str:
    """Revoke the delegate's feed token (its URL stops working at once) and issue a new one."""
    if not await Delegate.exists().where(Delegate.id == delegate_id):
        raise not_found("delegate", delegate_id)
    async with write_transaction():
        await DelegateFeed.update({DelegateFeed.revoked_at: utc_now()}).where(
            (DelegateFeed.delegate == delegate_id) & DelegateFeed.revoked_at.is_null()
        )
        token = secrets.token_urlsafe(16)
        await DelegateFeed.insert(DelegateFeed(delegate=delegate_id, token=token, created_at=utc_now()))
    return token


async def delegate_for_token(token: str) -> int | None:
    if not token or len(token) > 64:
        return None
    row = (
        await DelegateFeed.select(DelegateFeed.delegate)
        .where((DelegateFeed.token == token) & DelegateFeed.revoked_at.is_null())
        .first()
    )
    return int(row["delegate"]) if row else None

"""The outbox for organisers: what was sent, what waits, what failed and why; and sending failed mail again."""

from __future__ import annotations

from typing import Any

import msgspec
from piccolo.columns import Column
from piccolo.custom_types import Combinable
from piccolo.query.functions.aggregate import Count

from events_app.accounts import scopes
from events_app.core import database
from events_app.core.crud import not_found
from events_app.core.rows import Row
from events_app.core.schema import Page
from events_app.core.timezones import utc_now
from events_app.mail import outbox, recipes
from events_app.mail.errors import AlreadySent, NotFailed
from events_app.mail.schemas import (
    OutboxCounts,
    OutboxEntry,
    OutboxMessageDetail,
    OutboxStatus,
    RetryResult,
)
from events_app.mail.tables import OutboxAttachment, OutboxMessage
from events_app.programme.tables import Event

SUMMARY_COLUMNS = [c for c in OutboxMessage._meta.columns if c._meta.name not in ("text_body", "html_body")]


def _entry(row: Row) -> OutboxEntry:
    """An outbox row (without its bodies) as organisers see it; the event column is shown as event_id."""
    return msgspec.convert({**row, "event_id": row["event"]}, OutboxEntry)


def _in_scope() -> Combinable | None:
    """A limited organiser sees only messages about the events of its scope (accounts/scopes.py): not those
    about other events, nor those about no event (a delegate's link goes to people of every region)."""
    return scopes.active().owns(OutboxMessage.event)


async def _event_id(slug: str) -> int:
    rows = await scopes.where(Event.select(Event.id), scopes.active().event_filter()).where(Event.slug == slug)
    if not rows:
        raise not_found("event", slug)
    return int(rows[0]["id"])


async def list_outbox(
    *, status: OutboxStatus | None, event: str | None, to: str | None, limit: int, offset: int
) -> Page[OutboxEntry]:
    query = OutboxMessage.select(*SUMMARY_COLUMNS)
    count = OutboxMessage.count()
    conditions: list[Combinable] = [c for c in [_in_scope()] if c is not None]
    if status:
        conditions.append(OutboxMessage.status == status)
    if event:
        conditions.append(OutboxMessage.event == await _event_id(event))
    if to:
        conditions.append(database.contains_text(to, OutboxMessage.to_email))
    for condition in conditions:
        query = query.where(condition)
        count = count.where(condition)
    rows = await query.order_by(OutboxMessage.id, ascending=False).limit(limit).offset(offset)
    return Page(items=[_entry(r) for r in rows], total=await count, limit=limit, offset=offset)


async def counts(event: str | None = None) -> OutboxCounts:
    query = OutboxMessage.select(OutboxMessage.status, Count(OutboxMessage.id, alias="n")).group_by(
        OutboxMessage.status
    )
    if event:
        query = query.where(OutboxMessage.event == await _event_id(event))
    query = scopes.where(query, _in_scope())
    return OutboxCounts(**{row["status"]: row["n"] for row in await query})


async def failed_by_event() -> dict[int | None, int]:
    """Failed messages counted by event (None: mail about no event, such as a delegate's link), in one query."""
    query = OutboxMessage.select(OutboxMessage.event, Count(OutboxMessage.id, alias="n"))
    rows = await scopes.where(query, _in_scope()).where(OutboxMessage.status == "failed").group_by(OutboxMessage.event)
    return {(int(r["event"]) if r["event"] is not None else None): int(r["n"]) for r in rows}


async def get_message(message_id: int) -> OutboxMessageDetail:
    rows = await scopes.where(OutboxMessage.select(), _in_scope()).where(OutboxMessage.id == message_id)
    if not rows:
        raise not_found("message", message_id)
    attachments = (
        await OutboxAttachment.select(
            OutboxAttachment.filename,
            OutboxAttachment.content_type,
            OutboxAttachment.content,
            OutboxAttachment.made_from,
        )
        .where(OutboxAttachment.message == message_id)
        .order_by(OutboxAttachment.position)
    )
    row = rows[0]
    sizes = [{"filename": a["filename"], "content_type": a["content_type"], "size": _size(a)} for a in attachments]
    return msgspec.convert({**row, "event_id": row["event"], "attachments": sizes}, OutboxMessageDetail)


def _size(attachment: Row) -> int | None:
    """The file's size as sent (drawn from its recipe where it is drawn at send time); None if it cannot be drawn."""
    try:
        return len(outbox.Attachment.of(attachment).drawn().content)
    except recipes.UndrawableAttachment:
        return None


_REQUEUE: dict[Column | str, Any] = {
    OutboxMessage.status: "queued",
    OutboxMessage.failed_at: None,
    OutboxMessage.lease_until: None,
}


async def retry(message_id: int) -> OutboxMessageDetail:
    """Queue a failed message again. A sent message is never sent twice; a waiting one is already queued."""
    async with database.write_transaction():
        query = scopes.where(OutboxMessage.select(OutboxMessage.status), _in_scope())
        rows = await query.where(OutboxMessage.id == message_id)
        if not rows:
            raise not_found("message", message_id)
        status = rows[0]["status"]
        if status == "sent":
            raise AlreadySent()
        if status != "failed":
            raise NotFailed()
        await OutboxMessage.update({**_REQUEUE, OutboxMessage.send_after: utc_now()}).where(
            (OutboxMessage.id == message_id) & (OutboxMessage.status == "failed")
        )
    outbox.wake_sender()
    return await get_message(message_id)


async def retry_failed(event: str | None = None) -> RetryResult:
    """Queue every failed message again (of one event, or all)."""
    condition: Combinable = OutboxMessage.status == "failed"
    if event:
        condition = condition & (OutboxMessage.event == await _event_id(event))
    if (in_scope := _in_scope()) is not None:
        condition = condition & in_scope
    async with database.write_transaction():
        requeued = await OutboxMessage.count().where(condition)
        await OutboxMessage.update({**_REQUEUE, OutboxMessage.send_after: utc_now()}).where(condition)
    outbox.wake_sender()
    return RetryResult(requeued=requeued)

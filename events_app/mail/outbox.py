"""Writing messages to the outbox: call `enqueue` inside the transaction of the change that causes the mail,
so both are committed together or not at all."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr

from events_app.core.email_address import normalise_email
from events_app.core.settings import current_settings
from events_app.core.timezones import utc_now
from events_app.mail.render import RenderedMail
from events_app.mail.tables import OutboxAttachment, OutboxMessage


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content_type: str  # e.g. "image/png" or "text/calendar; method=REQUEST"
    content: bytes


def one_line(text: str, limit: int) -> str:
    """Header text on one line: CR, LF and every other run of whitespace become one space."""
    return " ".join(text.split())[:limit]


def sender_domain() -> str:
    _, address = parseaddr(current_settings().mail.sender)
    return address.rpartition("@")[2] or "localhost"


def new_message_id() -> str:
    return f"<{uuid.uuid4().hex}@{sender_domain()}>"


async def enqueue(
    *,
    to_email: str,
    to_name: str,
    mail: RenderedMail,
    attachments: Sequence[Attachment] = (),
    event_id: int | None = None,
    created_by: int | None = None,
    dedupe_key: str | None = None,
    send_after: datetime | None = None,
    list_unsubscribe: str = "",
) -> int | None:
    """Queue one message; returns its id, or None when a message with this `dedupe_key` is already queued.
    `list_unsubscribe`: the https address that stops mail of this kind (network mailings), sent as a header."""
    to_email = normalise_email(to_email)  # the forms' own rule, so what they took is never refused here
    now = utc_now()
    row = OutboxMessage(
        message_id=new_message_id(),
        kind=mail.kind,
        to_email=to_email,
        to_name=one_line(to_name, 200),
        subject=one_line(mail.subject, 500),
        text_body=mail.text,
        html_body=mail.html,
        status="queued",
        send_after=send_after or now,
        dedupe_key=dedupe_key,
        event=event_id,
        created_by=created_by,
        created_at=now,
        list_unsubscribe=one_line(list_unsubscribe, 500),
    )
    query = OutboxMessage.insert(row).returning(OutboxMessage.id)
    if dedupe_key is not None:
        query = query.on_conflict(target=OutboxMessage.dedupe_key, action="DO NOTHING")
    inserted = await query
    if not inserted:
        return None
    message_id = int(inserted[0]["id"])
    if attachments:
        await OutboxAttachment.insert(
            *[
                OutboxAttachment(
                    message=message_id,
                    position=position,
                    filename=one_line(a.filename, 200),
                    content_type=one_line(a.content_type, 200),
                    content=a.content,
                )
                for position, a in enumerate(attachments)
            ]
        )
    return message_id


_listeners: set[asyncio.Event] = set()


def wake_sender() -> None:
    """Tell this process's senders that new mail is committed (call after the transaction, not inside it)."""
    for listener in tuple(_listeners):
        listener.set()


def listen_for_mail() -> asyncio.Event:
    """An event, on the running loop, that `wake_sender` sets; pair with `stop_listening`."""
    listener = asyncio.Event()
    _listeners.add(listener)
    return listener


def stop_listening(listener: asyncio.Event) -> None:
    _listeners.discard(listener)

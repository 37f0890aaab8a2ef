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

# An INSERT statement ({} for each value) and its values.
Together = tuple[str, Sequence[object]]


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
    together: Together | None = None,
) -> int | None:
    """Queue one message; returns its id, or None when a message with this `dedupe_key` is already queued.
    `list_unsubscribe`: the https address that stops mail of this kind (network mailings), sent as a header.
    `together` (PostgreSQL): another INSERT, sent in the same statement (one round trip fewer), done in any case."""
    to_email = normalise_email(to_email)  # the forms' own rule, so what they took is never refused here
    now = utc_now()
    values = (
        new_message_id(),
        mail.kind,
        to_email,
        one_line(to_name, 200),
        one_line(mail.subject, 500),
        mail.text,
        mail.html,
        send_after or now,
        dedupe_key,
        event_id,
        created_by,
        now,
        one_line(list_unsubscribe, 500),
    )
    conflict = " ON CONFLICT (dedupe_key) DO NOTHING" if dedupe_key is not None else ""
    prefix, before = (f"WITH together AS ({together[0]}) ", together[1]) if together is not None else ("", ())
    inserted = await OutboxMessage.raw(prefix + _INSERT_MESSAGE + conflict + " RETURNING id", *before, *values)
    if not inserted:
        return None
    message_id = int(inserted[0]["id"])
    if attachments:
        rows = ", ".join(["({}, {}, {}, {}, {})"] * len(attachments))
        arguments = []
        for position, a in enumerate(attachments):
            arguments += [message_id, position, one_line(a.filename, 200), one_line(a.content_type, 200), a.content]
        await OutboxAttachment.raw(_INSERT_ATTACHMENTS + rows, *arguments)
    return message_id


# The outbox's inserts, written out: a registration writes its email inside the event's lock, and building these
# through Piccolo cost about 1.8 ms of CPU there (issue 20's profile). The columns not named take their defaults.
_INSERT_MESSAGE = (
    "INSERT INTO outbox_message (message_id, kind, to_email, to_name, subject, text_body, html_body, status, "
    "attempts, send_after, lease_until, last_error, smtp_response, dedupe_key, event, created_by, created_at, "
    "sent_at, failed_at, list_unsubscribe, erased_at) "
    "VALUES ({}, {}, {}, {}, {}, {}, {}, 'queued', 0, {}, NULL, '', '', {}, {}, {}, {}, NULL, NULL, {}, NULL)"
)
_INSERT_ATTACHMENTS = "INSERT INTO outbox_attachment (message, position, filename, content_type, content) VALUES "


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

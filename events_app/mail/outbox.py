"""Writing messages to the outbox: call `enqueue` inside the transaction of the change that causes the mail,
so both are committed together or not at all."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr
from typing import Any, Protocol

from events_app.core.database import run_sql, value_rows
from events_app.core.email_address import normalise_email
from events_app.core.settings import current_settings
from events_app.core.timezones import utc_now
from events_app.mail import recipes
from events_app.mail.render import RenderedMail


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with a message: its bytes, or what they are drawn from when it is sent (mail/recipes.py)."""

    filename: str
    content_type: str  # e.g. "image/png" or "text/calendar; method=REQUEST"
    content: bytes = b""
    made_from: str = ""  # a recipe, where `content` is empty

    def drawn(self) -> Attachment:
        """The attachment with its bytes (UndrawableAttachment: its recipe cannot be read)."""
        if not self.made_from:
            return self
        return Attachment(self.filename, self.content_type, recipes.draw(self.made_from))

    @classmethod
    def drawn_later(cls, filename: str, content_type: str, recipe: recipes.Recipe) -> Attachment:
        return cls(filename, content_type, made_from=recipes.written(recipe))

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> Attachment:
        """An outbox_attachment row as it was stored."""
        return cls(row["filename"], row["content_type"], bytes(row["content"]), row["made_from"])


def one_line(text: str, limit: int) -> str:
    """Header text on one line: CR, LF and every other run of whitespace become one space."""
    return " ".join(text.split())[:limit]


def sender_domain() -> str:
    _, address = parseaddr(current_settings().mail.sender)
    return address.rpartition("@")[2] or "localhost"


def new_message_id() -> str:
    return f"<{uuid.uuid4().hex}@{sender_domain()}>"


class Outgoing(Protocol):
    """One message to queue, as `enqueue_many` takes it."""

    @property
    def to_email(self) -> str: ...
    @property
    def to_name(self) -> str: ...
    @property
    def mail(self) -> RenderedMail: ...
    @property
    def attachments(self) -> Sequence[Attachment]: ...
    @property
    def event_id(self) -> int | None: ...


def _row(
    to_email: str,
    to_name: str,
    mail: RenderedMail,
    *,
    event_id: int | None,
    created_by: int | None,
    dedupe_key: str | None,
    send_after: datetime | None,
    list_unsubscribe: str,
    now: datetime,
) -> tuple[object, ...]:
    return (
        new_message_id(),
        mail.kind,
        normalise_email(to_email),  # the forms' own rule, so what they took is never refused here
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
    values = _row(
        to_email,
        to_name,
        mail,
        event_id=event_id,
        created_by=created_by,
        dedupe_key=dedupe_key,
        send_after=send_after,
        list_unsubscribe=list_unsubscribe,
        now=utc_now(),
    )
    conflict = " ON CONFLICT (dedupe_key) DO NOTHING" if dedupe_key is not None else ""
    inserted = await run_sql(_INSERT_MESSAGE + _VALUES + conflict + " RETURNING id", *values)
    if not inserted:
        return None
    message_id = int(inserted[0]["id"])
    await _attach([(message_id, attachments)])
    return message_id


async def enqueue_many(messages: Sequence[Outgoing]) -> None:
    """Queue several messages in one statement (and their attachments in one more): a batch of registrations."""
    if not messages:
        return
    now = utc_now()
    rows = [
        _row(
            m.to_email,
            m.to_name,
            m.mail,
            event_id=m.event_id,
            created_by=None,
            dedupe_key=None,
            send_after=None,
            list_unsubscribe="",
            now=now,
        )
        for m in messages
    ]
    inserted = await run_sql(
        _INSERT_MESSAGE + ", ".join([_VALUES] * len(rows)) + " RETURNING id, message_id",
        *[value for row in rows for value in row],
    )
    ids = {r["message_id"]: int(r["id"]) for r in inserted}
    await _attach([(ids[str(row[0])], m.attachments) for row, m in zip(rows, messages, strict=True)])


async def _attach(messages: list[tuple[int, Sequence[Attachment]]]) -> None:
    arguments: list[object] = []
    for message_id, attachments in messages:
        for position, a in enumerate(attachments):
            filename, content_type = one_line(a.filename, 200), one_line(a.content_type, 200)
            arguments += [message_id, position, filename, content_type, a.content, a.made_from]
    if arguments:
        await run_sql(_INSERT_ATTACHMENTS + value_rows(len(arguments) // 6, 6), *arguments)


# The outbox's inserts, written out: a registration writes its email inside the event's lock, and building these
# through Piccolo cost about 1.8 ms of CPU there (issue 20's profile). The columns not named take their defaults.
_INSERT_MESSAGE = (
    "INSERT INTO outbox_message (message_id, kind, to_email, to_name, subject, text_body, html_body, status, "
    "attempts, send_after, lease_until, last_error, smtp_response, dedupe_key, event, created_by, created_at, "
    "sent_at, failed_at, list_unsubscribe, erased_at) "
    "VALUES "
)
_VALUES = "({}, {}, {}, {}, {}, {}, {}, 'queued', 0, {}, NULL, '', '', {}, {}, {}, {}, NULL, NULL, {}, NULL)"
_INSERT_ATTACHMENTS = (
    "INSERT INTO outbox_attachment (message, position, filename, content_type, content, made_from) VALUES "
)


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

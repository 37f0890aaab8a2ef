"""Forgetting a person in the outbox, for an erasure: mail not sent yet is dropped; mail already sent stays only
as a count (its kind, status and times), with no address, name, subject, body, server answer or attachment;
the .eml files written for it are deleted.

Call `forget_recipient` inside the erasure's transaction and `delete_files` after it commits, so that a
rolled-back erasure never leaves rows pointing at files that are gone."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from events_app.core import database
from events_app.core.settings import current_settings
from events_app.core.timezones import utc_now
from events_app.mail.tables import OutboxAttachment, OutboxMessage
from events_app.mail.transport import eml_name

UNSENT = ("queued", "sending", "failed")


@dataclass(frozen=True, slots=True)
class Forgotten:
    dropped: int  # unsent messages deleted
    kept_as_counts: int  # sent messages emptied
    files: tuple[Path, ...]  # .eml files to delete once the transaction has committed


def eml_path(message_id: str, folder: Path | None = None) -> Path:
    """Where the file transport wrote a message (transport.FileTransport names files by the Message-ID)."""
    return (folder or current_settings().mail.outbox_dir) / eml_name(message_id)


async def forget_recipient(email: str) -> Forgotten:
    """Every message to this address, or with it in its subject or bodies, is dropped (unsent) or emptied."""
    email = email.strip()
    if not email:
        return Forgotten(0, 0, ())
    about = database.contains_text(
        email, OutboxMessage.to_email, OutboxMessage.subject, OutboxMessage.text_body, OutboxMessage.html_body
    )
    rows = await OutboxMessage.select(OutboxMessage.id, OutboxMessage.message_id, OutboxMessage.status).where(about)
    if not rows:
        return Forgotten(0, 0, ())
    ids = [r["id"] for r in rows]
    unsent = [r["id"] for r in rows if r["status"] in UNSENT]
    sent = [r["id"] for r in rows if r["status"] not in UNSENT]
    await OutboxAttachment.delete().where(OutboxAttachment.message.is_in(ids))
    if unsent:
        await OutboxMessage.delete().where(OutboxMessage.id.is_in(unsent))
    if sent:
        await OutboxMessage.update(
            {
                OutboxMessage.to_email: "",
                OutboxMessage.to_name: "",
                OutboxMessage.subject: "",
                OutboxMessage.text_body: "",
                OutboxMessage.html_body: "",
                OutboxMessage.smtp_response: "",
                OutboxMessage.last_error: "",
                OutboxMessage.list_unsubscribe: "",
                OutboxMessage.erased_at: utc_now(),
            }
        ).where(OutboxMessage.id.is_in(sent))
    return Forgotten(
        dropped=len(unsent), kept_as_counts=len(sent), files=tuple(eml_path(r["message_id"]) for r in rows)
    )


async def delete_files(forgotten: Forgotten) -> None:
    """Delete the .eml files of forgotten messages (those never written are simply not there)."""

    def unlink_all() -> None:
        for path in forgotten.files:
            path.unlink(missing_ok=True)

    if forgotten.files:
        await asyncio.to_thread(unlink_all)

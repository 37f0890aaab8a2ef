"""What the outbox shows organisers."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec

OutboxStatus = Literal["queued", "sending", "sent", "failed"]


class OutboxEntry(msgspec.Struct):
    id: int
    message_id: str
    kind: str
    to_email: str
    to_name: str
    subject: str
    status: OutboxStatus
    attempts: int
    send_after: datetime
    last_error: str
    smtp_response: str
    event_id: int | None
    created_at: datetime
    sent_at: datetime | None
    failed_at: datetime | None
    erased_at: datetime | None  # the recipient's data was erased: no address, subject or body kept


class AttachmentInfo(msgspec.Struct):
    filename: str
    content_type: str
    size: int | None  # in bytes, as sent; None where the file cannot be drawn (written by another version)


class OutboxMessageDetail(OutboxEntry):
    text_body: str
    html_body: str
    attachments: list[AttachmentInfo]


class OutboxCounts(msgspec.Struct):
    queued: int = 0
    sending: int = 0
    sent: int = 0
    failed: int = 0


class RetryResult(msgspec.Struct):
    requeued: int

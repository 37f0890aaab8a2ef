"""The sender: claims due messages, delivers them, and records the outcome.

A message moves queued -> sending -> sent | queued (retry later) | failed. Claiming marks a batch as
`sending` with a lease, in one short transaction: on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so
several workers take different rows; on SQLite under the database's write lock. Delivery runs outside
any transaction. A message is marked sent the moment the server accepts it and is never claimed again;
a worker that dies mid-batch leaves leases that expire after MAIL_LEASE_SECONDS, and only the messages
it had not finished go out again."""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from piccolo.columns.combination import Or

from events_app.core import database
from events_app.core.settings import MailSettings
from events_app.core.timezones import utc_now
from events_app.mail import erasure, outbox, recipes
from events_app.mail.message import CLAIMED_COLUMNS, OutgoingMail, build_email
from events_app.mail.tables import OutboxAttachment, OutboxMessage
from events_app.mail.transport import DeliveryFailed, Transport, transport_for

logger = logging.getLogger(__name__)


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    server_unavailable: bool = False
    errors: list[str] = field(default_factory=list)

    @property
    def claimed(self) -> int:
        return self.sent + self.retried + self.failed

    def add(self, other: DeliveryReport) -> None:
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        self.server_unavailable = self.server_unavailable or other.server_unavailable
        self.errors.extend(other.errors)


def retry_delay(attempts: int, settings: MailSettings) -> float:
    """Exponential backoff with a cap and a little jitter, so workers do not retry in lockstep."""
    delay: float = min(settings.retry_max_seconds, settings.retry_base_seconds * 2.0 ** max(0, attempts - 1))
    return delay * random.uniform(0.9, 1.0)  # noqa: S311 - jitter, not a secret


async def claim(settings: MailSettings, now: datetime, limit: int) -> list[OutgoingMail]:
    """Lease up to `limit` due messages to this worker."""
    due = Or(
        (OutboxMessage.status == "queued") & (OutboxMessage.send_after <= now),
        (OutboxMessage.status == "sending") & (OutboxMessage.lease_until < now),
    )
    async with database.write_transaction():
        query = database.locked(
            OutboxMessage.select(OutboxMessage.id)
            .where(due)
            .order_by(OutboxMessage.send_after)
            .order_by(OutboxMessage.id)
            .limit(limit),
            skip_locked=True,
        )
        ids = [row["id"] for row in await query]
        if not ids:
            return []
        lease = now + timedelta(seconds=settings.lease_seconds)
        await OutboxMessage.update(
            {
                OutboxMessage.status: "sending",
                OutboxMessage.lease_until: lease,
                OutboxMessage.attempts: OutboxMessage.attempts + 1,
            }
        ).where(OutboxMessage.id.is_in(ids))
    rows = await OutboxMessage.select(*CLAIMED_COLUMNS).where(OutboxMessage.id.is_in(ids)).order_by(OutboxMessage.id)
    return [OutgoingMail.of(r) for r in rows]


async def _attachments(ids: list[int]) -> dict[int, list[outbox.Attachment]]:
    found: dict[int, list[outbox.Attachment]] = {i: [] for i in ids}
    rows = await (
        OutboxAttachment.select()
        .where(OutboxAttachment.message.is_in(ids))
        .order_by(OutboxAttachment.message)
        .order_by(OutboxAttachment.position)
    )
    for row in rows:
        found[row["message"]].append(outbox.Attachment.of(row))
    return found


def _drawn(attachments: list[outbox.Attachment]) -> list[outbox.Attachment]:
    """Tickets and invitations drawn now, one message at a time, outside any transaction (mail/recipes.py)."""
    drawn = []
    for attachment in attachments:
        try:
            drawn.append(attachment.drawn())
        except recipes.UndrawableAttachment as unreadable:  # sending it again would not help
            reason = f"The attachment {attachment.filename} could not be drawn: {unreadable}."
            raise DeliveryFailed(reason, permanent=True) from unreadable
    return drawn


# Written out: one statement per message sent, and building it through Piccolo cost more than running it.
_MARK_SENT = (
    "UPDATE outbox_message SET status = 'sent', sent_at = {}, lease_until = NULL, smtp_response = {}, "
    "last_error = '' WHERE id = {} AND status = 'sending' RETURNING id"
)


async def _mark_sent(mail: OutgoingMail, response: str, settings: MailSettings) -> None:
    marked = await database.run_sql(_MARK_SENT, utc_now(), response[:2000], mail.id)
    if not marked and not await OutboxMessage.exists().where(OutboxMessage.id == mail.id):
        # Dropped while on its way (its recipient was erased): the file written for it goes too.
        await erasure.delete_files(erasure.Forgotten(0, 0, (erasure.eml_path(mail.message_id, settings.outbox_dir),)))


async def _mark_unsent(mail: OutgoingMail, failure: DeliveryFailed, settings: MailSettings, now: datetime) -> bool:
    """Record a failure; returns True if the message will be retried."""
    reason = failure.reason
    permanent = failure.permanent
    if not permanent and now >= mail.created_at + timedelta(hours=settings.give_up_hours):
        permanent = True
        reason = f"Gave up after {mail.attempts} attempts in {settings.give_up_hours:g} hours: {reason}"
    values: dict[Any, Any] = {OutboxMessage.last_error: reason[:2000], OutboxMessage.lease_until: None}
    if permanent:
        values |= {OutboxMessage.status: "failed", OutboxMessage.failed_at: utc_now()}
    else:
        retry_at = now + timedelta(seconds=retry_delay(mail.attempts, settings))
        values |= {OutboxMessage.status: "queued", OutboxMessage.send_after: retry_at}
    await OutboxMessage.update(values).where((OutboxMessage.id == mail.id) & (OutboxMessage.status == "sending"))
    return not permanent


async def deliver_batch(
    settings: MailSettings, transport: Transport, *, now: datetime | None = None, limit: int | None = None
) -> DeliveryReport:
    """Claim one batch and deliver it over one connection."""
    now = now or utc_now()
    report = DeliveryReport()
    rows = await claim(settings, now, limit or settings.batch_size)
    if not rows:
        return report
    attachments = await _attachments([r.id for r in rows])
    for index, row in enumerate(rows):
        try:
            response = await transport.send(build_email(row, _drawn(attachments[row.id]), settings))
        except DeliveryFailed as failure:
            pending = rows[index:] if failure.connection else [row]
            for unsent in pending:
                if await _mark_unsent(unsent, failure, settings, now):
                    report.retried += 1
                else:
                    report.failed += 1
            report.errors.append(failure.reason)
            logger.warning("Mail to message %s not delivered: %s", row.id, failure.reason)
            if failure.connection:
                report.server_unavailable = True
                break
            continue
        await _mark_sent(row, response, settings)
        report.sent += 1
    return report


async def deliver_due(settings: MailSettings, *, now: datetime | None = None) -> DeliveryReport:
    """Deliver every message due now, batch after batch, until none is left or the server is unreachable."""
    total = DeliveryReport()
    async with transport_for(settings) as transport:
        while True:
            report = await deliver_batch(settings, transport, now=now)
            total.add(report)
            if report.claimed == 0 or report.server_unavailable:
                return total


async def run(settings: MailSettings, stop: asyncio.Event) -> None:
    """The sender loop: deliver what is due, then sleep until woken or the poll interval passes."""
    listener = outbox.listen_for_mail()
    try:
        while not stop.is_set():
            listener.clear()
            try:
                report = await deliver_due(settings)
                if report.claimed:
                    logger.info("Mail: %s sent, %s to retry, %s failed", report.sent, report.retried, report.failed)
            except Exception:
                logger.exception("Mail sender: unexpected error; trying again shortly")
            waits = [asyncio.ensure_future(listener.wait()), asyncio.ensure_future(stop.wait())]
            _, pending = await asyncio.wait(waits, timeout=settings.poll_seconds, return_when=asyncio.FIRST_COMPLETED)
            for waiter in pending:
                waiter.cancel()
    finally:
        outbox.stop_listening(listener)

"""Scheduled emails: reminders before an event and feedback requests after it.

Every tick looks for events inside a sending window and queues one message per confirmed delegate
with a dedupe key (`reminder:<registration>:<offset>`), which the outbox stores under a unique
constraint: however many workers tick, and however often the service restarts, each delegate gets
each reminder once. A window closes when the event starts (reminders) or a week after the request
was due (feedback), so a server that was down does not send stale mail when it comes back."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from events_app.core.database import write_transaction
from events_app.core.settings import MailSettings
from events_app.core.timezones import utc_now
from events_app.mail import outbox
from events_app.mail.context import mail_event_from_row
from events_app.programme.rows import EventRow
from events_app.programme.tables import Event
from events_app.registration import notify
from events_app.registration.rows import Registrant
from events_app.registration.tables import Registration

logger = logging.getLogger(__name__)

FEEDBACK_WINDOW = timedelta(days=7)

# The feedback domain says where a delegate gives feedback on an event: registration id -> link, or
# None when the event has no open feedback form (then no request is sent).
FeedbackLinks = Callable[[int], Awaitable[dict[int, str] | None]]
feedback_links: list[FeedbackLinks] = []


def offset_label(offset: timedelta) -> str:
    """'1d' -> 'tomorrow', '1h' -> 'in one hour': how a reminder says when the event starts."""
    minutes = int(offset.total_seconds() // 60)
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return "tomorrow" if days == 1 else f"in {days} days"
    if minutes % 60 == 0:
        hours = minutes // 60
        return "in one hour" if hours == 1 else f"in {hours} hours"
    return f"in {minutes} minutes"


def offset_key(offset: timedelta) -> str:
    return f"{int(offset.total_seconds() // 60)}m"


async def _confirmed(event_id: int) -> list[Registrant]:
    return await notify.recipients((Registration.event == event_id) & (Registration.status == "confirmed"))


async def queue_reminders(offsets: list[timedelta], now: datetime) -> int:
    """Queue the reminders now due; returns how many were new. Of the reminders due for an event, only the
    nearest goes: someone who registers 50 minutes before the start (or a server back from an outage) gets
    "in one hour", not "tomorrow" as well, since "tomorrow" is no longer ahead of them."""
    queued = 0
    ordered = sorted(offsets, reverse=True)
    for n, offset in enumerate(ordered):
        nearer = ordered[n + 1] if n + 1 < len(ordered) else timedelta(0)
        events = await Event.select().where(
            (Event.status == "published") & (Event.starts_at > now + nearer) & (Event.starts_at <= now + offset)
        )
        for event in map(EventRow.of, events):
            mail_event = await mail_event_from_row(event)
            async with write_transaction():
                for row in await _confirmed(event.id):
                    sessions = await notify.booked_sessions(row.registration_id, event.timezone)
                    queued += await notify.queue(
                        "reminder",
                        event=event,
                        delegate=row,
                        mail_event=mail_event,
                        sessions=sessions,
                        extra={"starts_in": offset_label(offset)},
                        dedupe_key=f"reminder:{row.registration_id}:{offset_key(offset)}",
                    )
    return queued


async def queue_feedback_requests(after: timedelta, now: datetime) -> int:
    queued = 0
    events = await Event.select().where(
        (Event.status == "published") & (Event.ends_at <= now - after) & (Event.ends_at > now - after - FEEDBACK_WINDOW)
    )
    for event in map(EventRow.of, events):
        links: dict[int, str] | None = None
        for provider in feedback_links:
            links = await provider(event.id)
            if links is not None:
                break
        if not links:
            continue
        mail_event = await mail_event_from_row(event)
        async with write_transaction():
            for row in await _confirmed(event.id):
                link = links.get(row.registration_id)
                if link is None:
                    continue
                queued += await notify.queue(
                    "feedback_request",
                    event=event,
                    delegate=row,
                    mail_event=mail_event,
                    extra={"feedback_url": link, "closes": ""},
                    dedupe_key=f"feedback:{row.registration_id}",
                )
    return queued


async def tick(settings: MailSettings, now: datetime | None = None) -> int:
    now = now or utc_now()
    queued = await queue_reminders(settings.reminder_offsets, now)
    queued += await queue_feedback_requests(settings.feedback_after, now)
    if queued:
        outbox.wake_sender()
    return queued


async def run(settings: MailSettings, stop: asyncio.Event, every_seconds: float = 60) -> None:
    """Queue scheduled mail once a minute until stopped."""
    while not stop.is_set():
        try:
            queued = await tick(settings)
            if queued:
                logger.info("Scheduled mail: queued %s", queued)
        except Exception:
            logger.exception("Scheduled mail: unexpected error; trying again next minute")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=every_seconds)

"""Scheduled jobs: places never confirmed by email are released; reminders before an event and feedback requests
after it are queued.

Every tick looks for events inside a sending window (each event's own reminders and feedback time, or the
site's: programme.event_settings) and queues one message per confirmed delegate
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
from events_app.programme import event_settings
from events_app.programme.rows import EventRow
from events_app.programme.settings_schemas import LONGEST_FEEDBACK_AFTER as LONGEST_FEEDBACK_MINUTES
from events_app.programme.settings_schemas import LONGEST_REMINDER
from events_app.programme.tables import Event
from events_app.registration import notify, ownership
from events_app.registration.rows import Registrant
from events_app.registration.tables import Registration

logger = logging.getLogger(__name__)

FEEDBACK_WINDOW = timedelta(days=7)
LONGEST_FEEDBACK_AFTER = timedelta(minutes=LONGEST_FEEDBACK_MINUTES)

# The feedback domain says where a delegate gives feedback on an event: registration id -> link, or None when
# the event has no open feedback form (then no request is sent); with a time, only a form made by then counts.
FeedbackLinks = Callable[[int, datetime | None], Awaitable[dict[int, str] | None]]
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
    """Confirmed places, less those still held for the owner of the address to confirm by email."""
    return await notify.recipients(
        (Registration.event == event_id) & (Registration.status == "confirmed") & Registration.hold_expires_at.is_null()
    )


async def place_modes(event: EventRow) -> dict[int, str]:
    """How each place at a hybrid event is taken (in person or online): who gets a join link in reminders."""
    if event.attendance_mode != "hybrid":
        return {}
    rows = await Registration.select(Registration.id, Registration.attendance_mode).where(
        (Registration.event == event.id) & (Registration.status == "confirmed")
    )
    return {r["id"]: r["attendance_mode"] for r in rows}


def due_reminder(offsets: list[timedelta], starts_at: datetime, now: datetime) -> timedelta | None:
    """Of the reminders due for an event, only the nearest goes: someone who registers 50 minutes before the
    start (or a server back from an outage) gets "in one hour", not "tomorrow" as well, since "tomorrow" is no
    longer ahead of them. None before the first reminder is due, and once the event has started."""
    if starts_at <= now:
        return None
    due = [offset for offset in offsets if starts_at <= now + offset]
    return min(due) if due else None


async def queue_reminders(site: MailSettings, now: datetime) -> int:
    """Queue the reminders now due, each event by its own settings (or the site's); returns how many were new."""
    queued = 0
    lookahead = max([LONGEST_REMINDER, *site.reminder_offsets])
    events = await Event.select().where(
        (Event.status == "published") & (Event.starts_at > now) & (Event.starts_at <= now + lookahead)
    )
    for event in map(EventRow.of, events):
        offset = due_reminder(event_settings.reminders(event, site), event.starts_at, now)
        if offset is None:
            continue
        mail_event = await mail_event_from_row(event)
        async with write_transaction():
            modes = await place_modes(event)
            for row in await _confirmed(event.id):
                sessions = await notify.booked_sessions(row.registration_id, event.timezone)
                queued += await notify.queue(
                    "reminder",
                    event=event,
                    delegate=row,
                    mail_event=mail_event,
                    sessions=sessions,
                    join_for=row.registration_id,
                    place_mode=modes.get(row.registration_id, "in_person"),
                    extra={"starts_in": offset_label(offset)},
                    dedupe_key=f"reminder:{row.registration_id}:{offset_key(offset)}",
                )
    return queued


async def queue_feedback_requests(site: MailSettings, now: datetime) -> int:
    """Queue the feedback requests now due, each event by its own settings (or the site's). Only a form that
    was there when its requests fell due counts here: for a form made later, the organisers' feedback page
    says so and offers to send them (`queue_feedback_requests_for` with no `made_by`)."""
    queued = 0
    longest = max(site.feedback_after, LONGEST_FEEDBACK_AFTER)
    events = await Event.select().where(
        (Event.status == "published") & (Event.ends_at <= now) & (Event.ends_at > now - longest - FEEDBACK_WINDOW)
    )
    for event in map(EventRow.of, events):
        due = event_settings.feedback_due(event, site)
        if due <= now < due + FEEDBACK_WINDOW:
            queued += await queue_feedback_requests_for(event, made_by=due) or 0
    return queued


async def queue_feedback_requests_for(event: EventRow, *, made_by: datetime | None) -> int | None:
    """Queue one event's feedback requests, once per delegate whoever asks (the dedupe key). None when the
    event has no open feedback form (made by `made_by`, if given): there is nothing to ask."""
    links: dict[int, str] | None = None
    for provider in feedback_links:
        links = await provider(event.id, made_by)
        if links is not None:
            break
    if links is None:
        return None
    queued = 0
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
    """One round of the scheduled jobs: places never confirmed by email are released (and the waiting lists move
    up), then reminders and feedback requests are queued. Returns how many reminders and requests it queued."""
    now = now or utc_now()
    released = await ownership.expire_holds(now)
    if released:
        logger.info("Places not confirmed by email: released %s", released)
    queued = await queue_reminders(settings, now)
    queued += await queue_feedback_requests(settings, now)
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

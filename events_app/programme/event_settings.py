"""An event's own mail settings, resolved against the site's: which reminders go, when feedback requests go.

The event row holds null for "as the site says" (REMINDERS_BEFORE, FEEDBACK_REQUEST_AFTER), "" for no
reminders; this is the one place that reads them, for the scheduler and the pages alike."""

from __future__ import annotations

from datetime import datetime, timedelta

from events_app.core import durations
from events_app.core.settings import MailSettings, current_settings
from events_app.programme import settings_schemas
from events_app.programme.events import event_row
from events_app.programme.rows import EventRow


def reminders(event: EventRow, site: MailSettings) -> list[timedelta]:
    """The reminders that go before this event, longest first (empty: none)."""
    if event.reminder_offsets is None:
        return sorted(site.reminder_offsets, reverse=True)
    return durations.parse(event.reminder_offsets)


def feedback_after(event: EventRow, site: MailSettings) -> timedelta:
    """How long after the end this event's feedback requests go."""
    return site.feedback_after if event.feedback_after is None else timedelta(minutes=event.feedback_after)


def feedback_due(event: EventRow, site: MailSettings) -> datetime:
    """When this event's feedback requests are due (UTC)."""
    return event.ends_at + feedback_after(event, site)


def mail_settings(event: EventRow, site: MailSettings) -> settings_schemas.EventMailSettings:
    return settings_schemas.EventMailSettings(
        reminder_offsets=event.reminder_offsets,
        feedback_after=event.feedback_after,
        email_note=event.email_note,
        reminders=[int(d.total_seconds() // 60) for d in reminders(event, site)],
        feedback_request_after=int(feedback_after(event, site).total_seconds() // 60),
        confirm_email_hours=event.confirm_email_hours,
    )


async def get_mail_settings(slug: str) -> settings_schemas.EventMailSettings:
    """An event's mail settings as the organisers' API shows them (drafts too)."""
    return mail_settings(await event_row(slug, include_drafts=True), current_settings().mail)

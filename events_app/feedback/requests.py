"""Feedback requests for the organisers: whether and when they went out (read from the outbox), and sending
them now when the form was made after they were due (through the scheduler's own path, once per delegate)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from events_app.core import durations, templating
from events_app.core.settings import current_settings
from events_app.core.timezones import in_zone, utc_now
from events_app.feedback import forms
from events_app.feedback.errors import EventNotOverYet, NoOpenFeedbackForm
from events_app.feedback.rows import FormRow
from events_app.mail import outbox
from events_app.mail.tables import OutboxMessage
from events_app.programme import event_settings
from events_app.programme.rows import EventRow
from events_app.registration import schedule

KIND = "feedback_request"


@dataclass(frozen=True, slots=True)
class RequestsSent:
    """The feedback request emails of one event in the outbox. Times in UTC."""

    count: int  # queued at all (sent, waiting or failed)
    sent: int
    failed: int
    first_sent: datetime | None
    last_sent: datetime | None
    first_queued: datetime | None

    @property
    def waiting(self) -> int:
        return self.count - self.sent - self.failed


@dataclass(frozen=True, slots=True)
class FeedbackRequests:
    """What the organisers' feedback page says about the requests."""

    timezone: str  # the event's, for the times the page shows
    after: timedelta  # after the end, by the event's setting or the site's
    due: datetime  # UTC
    sent: RequestsSent
    form_made_late: bool  # the form was made after the requests were due: the scheduler leaves them alone
    offer_send_now: bool  # nothing went out, and nothing will by itself: the page offers a button

    def at(self, moment: datetime) -> str:
        """'Tuesday 9 June 2026 at 18:00', in the event's zone."""
        local = in_zone(moment, self.timezone)
        return f"{templating.longdate(local)} at {templating.hm(local)}"

    @property
    def after_words(self) -> str:
        return durations.words(self.after)


async def requests_sent(event_id: int) -> RequestsSent:
    rows = await OutboxMessage.select(OutboxMessage.status, OutboxMessage.created_at, OutboxMessage.sent_at).where(
        (OutboxMessage.event == event_id) & (OutboxMessage.kind == KIND)
    )
    sent_at = sorted(r["sent_at"] for r in rows if r["status"] == "sent" and r["sent_at"] is not None)
    return RequestsSent(
        count=len(rows),
        sent=sum(1 for r in rows if r["status"] == "sent"),
        failed=sum(1 for r in rows if r["status"] == "failed"),
        first_sent=sent_at[0] if sent_at else None,
        last_sent=sent_at[-1] if sent_at else None,
        first_queued=min((r["created_at"] for r in rows), default=None),
    )


async def feedback_requests(event: EventRow, form: FormRow | None, now: datetime | None = None) -> FeedbackRequests:
    now = now or utc_now()
    site = current_settings().mail
    due = event_settings.feedback_due(event, site)
    sent = await requests_sent(event.id)
    late = form is not None and form.created_at > due
    missed = now >= due + schedule.FEEDBACK_WINDOW  # past the scheduler's window: it sends nothing now
    ended = event.ends_at <= now and event.status == "published"
    offer = form is not None and forms.is_open(form, now) and ended and sent.count == 0 and (late or missed)
    return FeedbackRequests(
        timezone=event.timezone,
        after=event_settings.feedback_after(event, site),
        due=due,
        sent=sent,
        form_made_late=late,
        offer_send_now=offer,
    )


async def send_requests_now(event: EventRow) -> int:
    """Queue the event's feedback requests now, whatever the time set for them: each delegate gets one (the
    same dedupe key as the scheduled ones). Returns how many were new."""
    if event.ends_at > utc_now():
        raise EventNotOverYet()
    queued = await schedule.queue_feedback_requests_for(event, made_by=None)
    if queued is None:
        raise NoOpenFeedbackForm()
    if queued:
        outbox.wake_sender()
    return queued

"""What an event's own mail settings take and give in the API: reminders before it, when feedback requests go
after it, a note for its emails (kept apart from schemas.py, which holds the rest of the programme's)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import msgspec
from msgspec import Meta

from events_app.core import durations
from events_app.core.schema import NORMALISE

MAX_REMINDERS = 5
LONGEST_REMINDER = timedelta(days=30)
LONGEST_FEEDBACK_AFTER = 14 * 24 * 60  # minutes


def reminder_offsets_rule(text: str) -> str:
    """An event's reminders as stored: "" (none) or durations before the start, longest first ("1d,1h")."""
    try:
        found = durations.parse(text)
    except ValueError as exc:
        raise ValueError(f"{exc}: write {durations.LIKE}, or leave it empty for none") from None
    if len(found) > MAX_REMINDERS:
        raise ValueError(f"please give at most {MAX_REMINDERS} reminders")
    if any(d < timedelta(minutes=1) or d > LONGEST_REMINDER for d in found):
        raise ValueError("each reminder should be between 1 minute and 30 days before the start")
    return durations.labels(found)


ReminderOffsets = Annotated[
    str,
    Meta(
        max_length=60,
        description="reminders before the start: durations like 1d, 2h or 30m, comma-separated; empty for none",
        extra={NORMALISE: reminder_offsets_rule},
    ),
]
FeedbackAfter = Annotated[
    int, Meta(ge=0, le=LONGEST_FEEDBACK_AFTER, description="minutes after the end that feedback requests go")
]
EmailNote = Annotated[str, Meta(max_length=2000)]
LONGEST_EMAIL_HOLD = 168  # hours: a week
ConfirmEmailHours = Annotated[
    int,
    Meta(
        ge=1,
        le=LONGEST_EMAIL_HOLD,
        description="hours a place made without signing in is held for the owner of the address to confirm it by "
        "email (1 to 168); null: places are not held",
    ),
]


class EventMailSettings(msgspec.Struct):
    """An event's own mail settings (null: the site's) and what they come to: the reminders that will go
    (minutes before the start, longest first) and when feedback requests go (minutes after the end)."""

    reminder_offsets: str | None
    feedback_after: int | None
    email_note: str
    reminders: list[int]
    feedback_request_after: int
    confirm_email_hours: int | None = None  # null: places are not held for an email confirmation

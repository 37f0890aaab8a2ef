"""The event settings form: reminders (the site's, none, or the event's own times), when feedback requests go
(the site's, or the event's own time), a note for confirmation and reminder emails, and how long a place made
without signing in is held for the owner of the address to confirm it by email. Read into the
programme's EventUpdate, with every wrong field named in the form's words."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from events_app.core import durations
from events_app.core.settings import MailSettings
from events_app.core.validation import FieldError, InvalidFields, check
from events_app.programme import schemas, settings_schemas
from events_app.programme.rows import EventRow

LABELS = {
    "reminder_offsets": "Reminder times",
    "feedback_after": "Feedback request time",
    "email_note": "Note",
    "confirm_email_hours": "Hours to confirm by email",
}
LONGEST_FEEDBACK_AFTER = timedelta(minutes=settings_schemas.LONGEST_FEEDBACK_AFTER)


def values_of_event(event: EventRow) -> dict[str, str]:
    """The event's settings as the form shows them."""
    if event.reminder_offsets is None:
        reminders, offsets = "site", ""
    elif event.reminder_offsets == "":
        reminders, offsets = "none", ""
    else:
        reminders, offsets = "custom", event.reminder_offsets.replace(",", ", ")
    after = "" if event.feedback_after is None else durations.label(timedelta(minutes=event.feedback_after))
    return {
        "reminders": reminders,
        "reminder_offsets": offsets,
        "feedback": "site" if event.feedback_after is None else "custom",
        "feedback_after": after,
        "email_note": event.email_note,
        "check_out": "yes" if event.check_out else "",
        "confirm_email_hours": "" if event.confirm_email_hours is None else str(event.confirm_email_hours),
        "certificates_enabled": "yes" if event.certificates_enabled else "",
    }


def site_words(site: MailSettings) -> dict[str, str]:
    """The site's own settings in words, for the 'as the site says' choices."""
    return {
        "reminders": durations.words_list(site.reminder_offsets) or "none",
        "feedback": durations.words(site.feedback_after),
    }


def _feedback_minutes(text: str) -> int | FieldError:
    words = f"{LABELS['feedback_after']}: please give one time like 2h or 1d (at most 14 days)"
    try:
        after = durations.parse_one(text)
    except ValueError:
        return FieldError("feedback_after", words)
    if after > LONGEST_FEEDBACK_AFTER:
        return FieldError("feedback_after", words)
    return int(after.total_seconds() // 60)


def _reminders(form: Mapping[str, str]) -> str | FieldError | None:
    """None: the site's reminders; "": none; else the times typed (checked by the schema)."""
    choice = form.get("reminders", "")
    if choice == "site":
        return None
    if choice == "none":
        return ""
    if choice != "custom":
        return FieldError("reminder_offsets", "Reminders: please choose one of the three")
    if offsets := form.get("reminder_offsets", ""):
        return offsets
    words = "please give the times, like 2d, 3h, or choose 'No reminders'"
    return FieldError("reminder_offsets", f"{LABELS['reminder_offsets']}: {words}")


def _feedback(form: Mapping[str, str]) -> int | FieldError | None:
    """None: the site's time; else minutes after the end."""
    choice = form.get("feedback", "")
    if choice == "site":
        return None
    if choice != "custom":
        return FieldError("feedback_after", "Feedback requests: please choose one of the two")
    return _feedback_minutes(form.get("feedback_after", ""))


def _confirm_hours(form: Mapping[str, str]) -> int | FieldError | None:
    """None: places are not held; else the hours a place made without signing in waits for its confirmation."""
    text = form.get("confirm_email_hours", "").strip().lower().removesuffix("h").removesuffix("hours").strip()
    if not text:
        return None
    longest = settings_schemas.LONGEST_EMAIL_HOLD
    if not text.isdigit() or not 1 <= int(text) <= longest:
        words = f"please give a whole number of hours from 1 to {longest} (a week), or leave it empty to hold no places"
        return FieldError("confirm_email_hours", f"{LABELS['confirm_email_hours']}: {words}")
    return int(text)


def read_settings_form(form: Mapping[str, str]) -> schemas.EventUpdate:
    """The posted form as an EventUpdate of the per-event settings, or InvalidFields naming every wrong field."""
    errors: list[FieldError] = []
    values: dict[str, object] = {
        "email_note": form.get("email_note", ""),
        "check_out": form.get("check_out") == "yes",
        "certificates_enabled": form.get("certificates_enabled") == "yes",  # a checkbox: absent when not ticked
    }
    for field, value in (
        ("reminder_offsets", _reminders(form)),
        ("feedback_after", _feedback(form)),
        ("confirm_email_hours", _confirm_hours(form)),
    ):
        if isinstance(value, FieldError):
            errors.append(value)
        else:
            values[field] = value
    wrong = {e.field for e in errors}
    try:
        data = check(values, schemas.EventUpdate, LABELS, strict=False)
    except InvalidFields as exc:
        errors += [e for e in exc.errors if e.field not in wrong]
    if errors:
        order = list(LABELS)
        raise InvalidFields(sorted(errors, key=lambda e: order.index(e.field) if e.field in order else len(order)))
    return data

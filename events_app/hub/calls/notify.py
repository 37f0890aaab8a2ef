"""What submitters are told, through the outbox: the confirm-and-edit links when they submit, and each decision
once (the outbox's dedupe key), in the transaction of the change that causes the email."""

from __future__ import annotations

from events_app.core import tokens
from events_app.core.settings import current_settings
from events_app.core.templating import longdate
from events_app.hub.calls import schemas
from events_app.mail import outbox
from events_app.mail.render import render

CONFIRM = "call-confirm"  # the purposes of the two signed links (core/tokens.py)
EDIT = "call-edit"
CONFIRM_VALID_SECONDS = 30 * 86_400
EDIT_VALID_SECONDS = 400 * 86_400  # the call's closing time is what ends editing; the link only outlives it
DECISION_MAILS = {"accepted": "call_accepted", "declined": "call_declined", "waiting": "call_waiting"}


def confirm_path(call_slug: str, submission_id: int) -> str:
    return f"/calls/{call_slug}/confirm/{tokens.sign(CONFIRM, submission_id)}"


def edit_path(call_slug: str, submission_id: int) -> str:
    return f"/calls/{call_slug}/submissions/{tokens.sign(EDIT, submission_id)}"


def _closes(call: schemas.Call) -> str:
    if call.closes_at is None:
        return ""
    return f"{longdate(call.closes_at)}, {call.closes_at:%H:%M} ({call.timezone})"


async def received(call: schemas.Call, submission_id: int, *, name: str, email: str, title: str) -> None:
    base = current_settings().base_url
    mail = render(
        "call_received",
        {
            "recipient_name": name,
            "call_title": call.title,
            "submission_title": title,
            "confirm_url": base + confirm_path(call.slug, submission_id),
            "edit_url": base + edit_path(call.slug, submission_id),
            "closes": _closes(call),
        },
    )
    await outbox.enqueue(to_email=email, to_name=name, mail=mail, event_id=call.event_id)


async def decided(call: schemas.Call, submission: schemas.Submission) -> None:
    """The decision's email, once per submission and decision (kept waiting twice is told once)."""
    mail = render(
        DECISION_MAILS[submission.status],
        {
            "recipient_name": submission.name,
            "call_title": call.title,
            "submission_title": submission.title,
            "event_title": call.event_title or "",
            "kind": call.kind,
        },
    )
    await outbox.enqueue(
        to_email=submission.email,
        to_name=submission.name,
        mail=mail,
        event_id=call.event_id,
        dedupe_key=f"call-decision:{submission.id}:{submission.status}",
    )

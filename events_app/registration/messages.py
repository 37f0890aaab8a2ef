"""Organisers write to an event's registrants (all of them, or one stakeholder group or status), preview
the message as it will arrive, and send it: one outbox message per person, queued in one transaction."""

from __future__ import annotations

import hashlib
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from events_app.core.database import write_transaction
from events_app.mail import outbox
from events_app.mail.context import mail_event_from_row
from events_app.mail.render import render
from events_app.people.errors import UnknownStakeholderGroup
from events_app.people.tables import StakeholderGroup
from events_app.programme.rows import EventRow
from events_app.registration import notify
from events_app.registration.rows import Recipient, Registrant
from events_app.registration.tables import Registration

Audience = Literal["confirmed", "waitlisted", "pending"]


class OrganiserMessage(msgspec.Struct, forbid_unknown_fields=True):
    subject: Annotated[str, Meta(min_length=1, max_length=200)]
    body: Annotated[str, Meta(min_length=1, max_length=20_000)]
    statuses: Annotated[list[Audience], Meta(min_length=1, max_length=3)] = msgspec.field(
        default_factory=lambda: ["confirmed"]
    )
    stakeholder_group: Annotated[str, Meta(max_length=80)] | None = None


_SAMPLE = Recipient(id=0, name="Delegate name", email="", token_version=1, erased_at=None)  # previews to nobody


class MessagePreview(msgspec.Struct):
    recipients: int
    subject: str
    text: str
    html: str


class MessageSent(msgspec.Struct):
    queued: int
    already_sent: int


async def _recipients(event_id: int, message: OrganiserMessage) -> list[Registrant]:
    condition = (Registration.event == event_id) & Registration.status.is_in(list(message.statuses))
    if message.stakeholder_group:
        group = (
            await StakeholderGroup.select(StakeholderGroup.id)
            .where(StakeholderGroup.slug == message.stakeholder_group)
            .first()
        )
        if group is None:
            raise UnknownStakeholderGroup(slug=message.stakeholder_group)
        condition = condition & (Registration.stakeholder_group == group["id"])  # as registered, as the list shows
    return await notify.recipients(condition)


def _context(message: OrganiserMessage, sender_name: str) -> dict[str, object]:
    return {"subject": " ".join(message.subject.split()), "body": message.body.strip(), "sender_name": sender_name}


async def preview(event: EventRow, message: OrganiserMessage, sender_name: str) -> MessagePreview:
    recipients = await _recipients(event.id, message)
    sample = recipients[0] if recipients else _SAMPLE
    mail = render(
        "organiser_message",
        {
            **_context(message, sender_name),
            "recipient_name": sample.name,
            "event": await mail_event_from_row(event),
            "manage_url": notify.manage_url(sample.id, sample.token_version),
        },
    )
    return MessagePreview(recipients=len(recipients), subject=mail.subject, text=mail.text, html=mail.html)


async def send(event: EventRow, message: OrganiserMessage, sender_name: str, organiser_id: int) -> MessageSent:
    """Queue the message to each recipient once: sending the same message again (a double click, a retry)
    reaches only people who did not have it yet."""
    mail_event = await mail_event_from_row(event)
    fingerprint = hashlib.sha256(f"{message.subject}\x00{message.body}".encode()).hexdigest()[:20]
    queued = 0
    async with write_transaction():
        recipients = await _recipients(event.id, message)
        for person in recipients:
            new = await notify.queue(
                "organiser_message",
                event=event,
                delegate=person,
                mail_event=mail_event,
                extra=_context(message, sender_name),
                dedupe_key=f"message:{fingerprint}:{person.registration_id}",
                created_by=organiser_id,
            )
            queued += new
    outbox.wake_sender()
    return MessageSent(queued=queued, already_sent=len(recipients) - queued)

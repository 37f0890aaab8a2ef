"""Attachments drawn when they are sent. A ticket's QR image and a calendar invitation cost about 3 ms of CPU a
message to make; a registration queues its email inside the event's lock, so what the outbox stores for them is
what they are made from (a few hundred bytes of JSON: the signed ticket code; the calendar entry and invitation as
they were when the message was queued). The sender draws them just before it sends the message, and the
organisers' outbox draws them to tell their size. Drawing is deterministic: the same recipe gives the same bytes,
so what the outbox holds is still what was sent."""

from __future__ import annotations

import msgspec

from events_app.calendar import ics
from events_app.tickets import qr


class TicketImage(msgspec.Struct, frozen=True, tag="ticket"):
    """A ticket's QR code as a PNG for a phone's screen."""

    code: str


class CalendarInvitation(msgspec.Struct, frozen=True, tag="invitation"):
    """An event as an iCalendar invitation (METHOD:REQUEST) or its withdrawal (METHOD:CANCEL)."""

    name: str
    entry: ics.Entry
    invitation: ics.Invitation


Recipe = TicketImage | CalendarInvitation


class UndrawableAttachment(ValueError):
    """A stored recipe this version cannot read."""


def written(recipe: Recipe) -> str:
    return msgspec.json.encode(recipe).decode()


def draw(recipe: str) -> bytes:
    """The attachment's bytes, from what `written` stored."""
    try:
        found = msgspec.json.decode(recipe, type=Recipe)
    except msgspec.DecodeError as exc:  # ValidationError is a DecodeError
        raise UndrawableAttachment("what it is drawn from was written by another version of events_app") from exc
    if isinstance(found, TicketImage):
        return qr.png(found.code, "phone")
    return ics.calendar(found.name, [found.entry], invitation=found.invitation)

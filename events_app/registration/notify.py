"""The emails registration sends, queued in the outbox inside the caller's transaction."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr
from functools import lru_cache
from typing import Any

from events_app.calendar import ics
from events_app.core import calendar_links, templating, tokens
from events_app.core.settings import current_settings
from events_app.core.timezones import in_zone
from events_app.mail import outbox, recipes
from events_app.mail.context import MailEvent, mail_event_from_row
from events_app.mail.outbox import Attachment
from events_app.mail.render import RenderedMail, render
from events_app.people.tables import Delegate
from events_app.programme.rows import EventRow, SessionRow
from events_app.programme.tables import Event, Room, Session
from events_app.registration.join_links import join_url, joins_online
from events_app.registration.rows import Recipient, Registrant
from events_app.registration.schemas import BookingStatus, RegistrationStatus
from events_app.registration.tables import Registration, SessionBooking
from events_app.tickets import codes

MANAGE = "manage"
MANAGE_MAX_AGE = 400 * 24 * 3600  # links in confirmations must last until the event, however far ahead
MANAGE_VALID_FOR = "400 days"


def manage_token(delegate_id: int, token_version: int) -> str:
    return tokens.sign(MANAGE, [delegate_id, token_version])


def manage_url(delegate_id: int, token_version: int) -> str:
    return f"{current_settings().base_url}/my/{manage_token(delegate_id, token_version)}"


# The owner of an address answers a registration someone made with it: "this wasn't me" releases the place, and
# where the event asks for it, "confirm your place" keeps it. Each link is signed (HMAC-SHA1, 160 bits, a salt per
# purpose) and names one registration; each opens a page with a button, so a mail scanner that follows links
# changes nothing.
NOT_ME = "not-me"
CONFIRM_PLACE = "confirm-place"
CONFIRM_MAX_AGE = 8 * 24 * 3600  # longer than the longest hold (168 hours); the hold itself is checked too


def not_me_url(registration_id: int) -> str:
    return f"{current_settings().base_url}/registrations/not-me/{tokens.sign(NOT_ME, registration_id)}"


def confirm_url(registration_id: int) -> str:
    return f"{current_settings().base_url}/registrations/confirm/{tokens.sign(CONFIRM_PLACE, registration_id)}"


def moment_words(moment: datetime, timezone: str) -> str:
    """'Tuesday 9 June 2026 at 14:30 UK time (Europe/London, BST)': a deadline in an email, its zone named."""
    local = in_zone(moment, timezone)
    return f"{templating.longdate(local)} at {templating.hm(local)} {templating.zonelabel(timezone, local)}"


async def _delegate(delegate_id: int) -> Recipient:
    row = await Delegate.select().where(Delegate.id == delegate_id).first()
    if row is None:
        raise LookupError(f"No delegate {delegate_id}")
    return Recipient.of(row)


async def booked_sessions(registration_id: int, timezone: str) -> list[dict[str, str]]:
    """The sessions a delegate holds or waits for, as lines for an email."""
    bookings = await SessionBooking.select(
        SessionBooking.session, SessionBooking.status, SessionBooking.waitlist_position
    ).where((SessionBooking.registration == registration_id) & SessionBooking.status.is_in(["confirmed", "waitlisted"]))
    if not bookings:
        return []
    sessions = {
        s["id"]: s
        for s in await Session.select(
            Session.id, Session.title, Session.starts_at, Session.ends_at, Session.room, Session.join_url
        ).where(Session.id.is_in([b["session"] for b in bookings]))
    }
    room_ids = [s["room"] for s in sessions.values() if s["room"]]
    rooms = (
        {r["id"]: r["name"] for r in await Room.select(Room.id, Room.name).where(Room.id.is_in(room_ids))}
        if room_ids
        else {}
    )
    lines = []
    for booking in sorted(bookings, key=lambda b: sessions[b["session"]]["starts_at"]):
        s = sessions[booking["session"]]
        start, end = in_zone(s["starts_at"], timezone), in_zone(s["ends_at"], timezone)
        title = (
            s["title"]
            if booking["status"] == "confirmed"
            else (f"{s['title']} (waiting list, number {booking['waitlist_position']})")
        )
        held = booking["status"] == "confirmed" and s["join_url"]
        lines.append(
            {
                "title": title,
                "when": f"{templating.hm(start)} to {templating.hm(end)}",
                "room": rooms.get(s["room"], ""),
                "join_url": join_url(registration_id, s["id"]) if held else "",  # its own meeting, their own link
            }
        )
    return lines


def attendance_words(event: EventRow, mode: str) -> dict[str, str]:
    """How the delegate attends, for emails about a hybrid event ("in person" or "online"); "" elsewhere."""
    if event.attendance_mode != "hybrid":
        return {"attendance": ""}
    return {"attendance": "online" if mode == "online" else "in person"}


def session_lines(
    sessions: list[SessionRow],
    booked: list[tuple[BookingStatus, int | None]],
    timezone: str,
    registration_id: int | None = None,
) -> list[dict[str, str]]:
    """Lines for an email from sessions just booked (no query): waiting ones say so; a place held in a session
    with a meeting of its own carries the delegate's join link to it."""
    lines = []
    for session, (status, position) in zip(sessions, booked, strict=True):
        if status not in ("confirmed", "waitlisted"):
            continue
        start, end = in_zone(session.starts_at, timezone), in_zone(session.ends_at, timezone)
        title = session.title if status == "confirmed" else f"{session.title} (waiting list, number {position})"
        joins = status == "confirmed" and session.join_url and registration_id is not None
        lines.append(
            {
                "title": title,
                "when": f"{templating.hm(start)} to {templating.hm(end)}",
                "room": "",
                "join_url": join_url(registration_id, session.id) if joins and registration_id else "",
            }
        )
    return lines


TICKETS = ("registration_confirmed", "promoted", "approved")  # a place is confirmed: here is the ticket
# Messages to a confirmed place that carry the delegate's own join link, where the place is taken online.
JOIN_KINDS = ("registration_confirmed", "promoted", "approved", "reminder", "event_changed", "session_changed")
INVITATIONS = {
    "registration_confirmed": "REQUEST",
    "promoted": "REQUEST",
    "approved": "REQUEST",
    "event_changed": "REQUEST",
    "registration_cancelled": "CANCEL",
    "event_cancelled": "CANCEL",
}


def invitation(kind: str, event: EventRow, mail_event: MailEvent, delegate: Recipient) -> Attachment:
    """The event as an iCalendar invitation (METHOD:REQUEST) or its withdrawal (METHOD:CANCEL): mail programs
    offer to add it to, or remove it from, the delegate's calendar."""
    method = INVITATIONS[kind]
    facts = ics.facts_of(
        event,
        sequence=event.sequence,
        created=event.created_at,
        updated=event.updated_at,
        where=mail_event.where,
        geo=mail_event.geo,
        url=mail_event.url,
        join_url=mail_event.join_url,
    )
    entry = ics.event_entry(facts, outbox.sender_domain(), withdrawn=method == "CANCEL")
    sender_name, sender_email = parseaddr(current_settings().mail.sender)
    invited = ics.Invitation(
        method=method,
        organizer_email=sender_email or "events@localhost",
        organizer_name=sender_name or "Organisers",
        attendee_email=delegate.email,
        attendee_name=delegate.name,
    )
    recipe = recipes.CalendarInvitation(event.title, entry, invited)  # drawn when the message is sent
    return Attachment.drawn_later("invite.ics", f"text/calendar; method={method}", recipe)


def calendar_context(event: EventRow, mail_event: MailEvent) -> dict[str, str]:
    """The "add to your calendar" links of an email: the same for every message about this event as it is."""
    return dict(_calendar_links(event, mail_event, calendar_links.mail_url()))


@lru_cache(maxsize=256)  # a rush's emails are about one event: the links are made once, not once a message
def _calendar_links(event: EventRow, mail_event: MailEvent, site: str) -> tuple[tuple[str, str], ...]:
    joining = f"\n\nJoin online: {mail_event.join_url}" if mail_event.join_url else ""
    details = f"{event.summary}\n\n{mail_event.url}{joining}".strip()
    return (
        ("google", calendar_links.google_add(event.title, event.starts_at, event.ends_at, details, mail_event.where)),
        ("outlook", calendar_links.outlook_add(event.title, event.starts_at, event.ends_at, details, mail_event.where)),
        ("subscribe", calendar_links.webcal(f"/events/{event.slug}/calendar.ics", site)),
    )


async def queue(
    kind: str,
    *,
    event: EventRow,
    delegate: Recipient,
    mail_event: MailEvent,
    sessions: list[dict[str, str]] | None = None,
    position: int | None = None,
    extra: Mapping[str, object] | None = None,
    dedupe_key: str | None = None,
    created_by: int | None = None,
    ticket_for: int | None = None,
    join_for: int | None = None,
    place_mode: str = "in_person",
) -> bool:
    """Queue one message to a delegate from values already in hand (no queries but the outbox insert).
    False when nothing was queued: the delegate's details are erased, or the dedupe key was used already.
    A confirmed place (`ticket_for`, or `join_for` where no ticket goes) taken online gets its own join link."""
    prepared = prepare(
        kind,
        event=event,
        delegate=delegate,
        mail_event=mail_event,
        sessions=sessions,
        position=position,
        extra=extra,
        ticket_for=ticket_for,
        join_for=join_for,
        place_mode=place_mode,
    )
    if prepared is None:
        return False
    queued = await outbox.enqueue(
        to_email=prepared.to_email,
        to_name=prepared.to_name,
        mail=prepared.mail,
        attachments=prepared.attachments,
        event_id=prepared.event_id,
        dedupe_key=dedupe_key,
        created_by=created_by,
    )
    return queued is not None


@dataclass(frozen=True, slots=True)
class Prepared:
    """One message to a delegate, rendered and with its attachments, not yet in the outbox."""

    to_email: str
    to_name: str
    mail: RenderedMail
    attachments: list[Attachment]
    event_id: int


def prepare(
    kind: str,
    *,
    event: EventRow,
    delegate: Recipient,
    mail_event: MailEvent,
    sessions: list[dict[str, str]] | None = None,
    position: int | None = None,
    extra: Mapping[str, object] | None = None,
    ticket_for: int | None = None,
    join_for: int | None = None,
    place_mode: str = "in_person",
) -> Prepared | None:
    """What `queue` writes, rendered without a query (None for an erased delegate)."""
    if delegate.erased_at is not None:
        return None
    joining = join_for if join_for is not None else ticket_for if position is None else None
    if joining is not None and kind in JOIN_KINDS and joins_online(event.attendance_mode, place_mode):
        mail_event = dataclasses.replace(mail_event, join_url=join_url(joining))
    invite = kind in INVITATIONS and not (kind == "approved" and position is not None)  # approved to wait: no
    # a place taken online has no door to show a ticket at: its join link is in the message instead
    ticket = (
        ticket_for is not None
        and kind in TICKETS
        and position is None
        and not joins_online(event.attendance_mode, place_mode)
    )
    attachments = [invitation(kind, event, mail_event, delegate)] if invite else []
    if ticket:
        code = codes.issue(event.id, ticket_for)  # type: ignore[arg-type]
        attachments.append(Attachment.drawn_later("ticket.png", "image/png", recipes.TicketImage(code)))
    context: dict[str, object] = {  # a template's context
        "recipient_name": delegate.name,
        "event": mail_event,
        "manage_url": manage_url(delegate.id, delegate.token_version),
        "sessions": sessions or [],
        "position": position,
        "ticket_attached": ticket,
        "invitation_attached": invite,
        "calendar": calendar_context(event, mail_event),
        "by_organiser": False,
        "reason": "",
        "email_note": event.email_note,  # the organisers' note (access, parking ...): confirmations and reminders
        "registered_as": "",  # what whoever registered typed (name, organisation), quoted to the owner
        "not_me_url": "",  # "this wasn't me": releases the place
        "confirm_url": "",  # the place is held until the owner of the address confirms it
        "hold_until": "",
        "attendance": "",  # a hybrid event: "in person" or "online" (attendance_words)
    }
    context.update(extra or {})
    return Prepared(delegate.email, delegate.name, render(kind, context), attachments, event.id)


async def send(
    kind: str,
    registration_id: int,
    *,
    extra: Mapping[str, object] | None = None,
    event: MailEvent | None = None,
    dedupe_key: str | None = None,
) -> None:
    """Queue one message about a registration to its delegate, reading what it needs."""
    registration = await Registration.select().where(Registration.id == registration_id).first()
    if registration is None:
        return
    found = await Event.select().where(Event.id == registration["event"]).first()
    if found is None:
        return
    event_row = EventRow.of(found)
    held = registration["hold_expires_at"]  # not confirmed by email yet: no ticket, and the link to confirm
    extra = {**attendance_words(event_row, registration["attendance_mode"]), **(extra or {})}
    await queue(
        kind,
        event=event_row,
        delegate=await _delegate(registration["delegate"]),
        mail_event=event or await mail_event_from_row(event_row),
        sessions=await booked_sessions(registration_id, event_row.timezone),
        position=registration["waitlist_position"],
        ticket_for=registration_id if registration["status"] == "confirmed" and held is None else None,
        place_mode=registration["attendance_mode"],
        extra=(
            {
                "confirm_url": confirm_url(registration_id),
                "hold_until": moment_words(held, event_row.timezone),
                **extra,
            }
            if held is not None
            else extra
        ),
        dedupe_key=dedupe_key,
    )


async def send_manage_link(delegate_id: int, *, dedupe_key: str | None = None) -> None:
    delegate = await _delegate(delegate_id)
    if delegate.erased_at is not None:
        return
    await outbox.enqueue(
        to_email=delegate.email,
        to_name=delegate.name,
        mail=render(
            "manage_link",
            {
                "recipient_name": delegate.name,
                "manage_url": manage_url(delegate.id, delegate.token_version),
                "valid_for": MANAGE_VALID_FOR,
            },
        ),
        dedupe_key=dedupe_key,
    )


async def recipients(condition: Any) -> list[Registrant]:
    """Registrations matching `condition`, each with its delegate as `queue` wants it (and the
    `registration_id`); erased delegates are left out: there is nobody to write to."""
    rows = await (
        Registration.select(
            Registration.id.as_alias("registration_id"),
            Registration.delegate.id.as_alias("id"),
            Registration.delegate.name.as_alias("name"),
            Registration.delegate.email.as_alias("email"),
            Registration.delegate.token_version.as_alias("token_version"),
            Registration.delegate.erased_at.as_alias("erased_at"),
        )
        .where(condition)
        .order_by(Registration.id)
    )
    return [Registrant.of(r) for r in rows if r["erased_at"] is None]


STATUS_MESSAGES: dict[RegistrationStatus, str] = {
    "confirmed": "registration_confirmed",
    "waitlisted": "waitlisted",
    "pending": "pending_approval",
}

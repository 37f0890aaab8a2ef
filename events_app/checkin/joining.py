"""A delegate follows their own join link (/join/{token}): the place is checked, the join recorded once (the one
rule, checkin/online.py) and the delegate sent on to the meeting. Only a confirmed place's link leads there;
every other answer is a page in plain words that never holds the meeting's address.

The meeting opens JOIN_OPENS_BEFORE its start and closes at its end: a link followed earlier says when it opens,
and one followed afterwards says the meeting has ended, and neither is counted as attendance (a mail program that
opens every link when the reminder arrives, an hour ahead, records nobody)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from events_app.checkin.errors import (
    JoinEventCancelled,
    JoinLinkInvalid,
    JoinNoSessionPlace,
    JoinNotOnline,
    JoinPlaceGone,
    JoinPlaceNotConfirmed,
)
from events_app.checkin.online import record_online_attendance
from events_app.core import tokens
from events_app.people.tables import Delegate
from events_app.programme.rows import EventRow, SessionRow
from events_app.programme.tables import Event, Session
from events_app.registration.join_links import joins_online, read_join_token
from events_app.registration.rows import RegistrationRow
from events_app.registration.tables import Registration, SessionBooking

JOIN_OPENS_BEFORE = timedelta(minutes=30)
NOT_CONFIRMED_WORDS = {"pending": "waiting for approval", "waitlisted": "on the waiting list"}

JoinState = Literal["go", "early", "ended", "no_address"]


@dataclass(frozen=True, slots=True)
class Join:
    """Where a join link leads now: to the meeting (`go`, with its address), or to a page saying it opens at
    `opens_at`, has ended, or has no address yet (the organisers have not added it)."""

    state: JoinState
    title: str
    timezone: str
    opens_at: datetime
    ends_at: datetime
    event_url: str
    address: str = ""


async def _registration(token: str) -> tuple[RegistrationRow, int | None]:
    try:
        registration_id, session_id = read_join_token(token)
    except tokens.InvalidToken:
        raise JoinLinkInvalid() from None
    row = await Registration.select().where(Registration.id == registration_id).first()
    if row is None:
        raise JoinLinkInvalid()
    return RegistrationRow.of(row), session_id


async def _place_holds(registration: RegistrationRow, event: EventRow) -> None:
    """The place behind the link: the person is not erased, the event is on, the place is confirmed."""
    erased = await Delegate.exists().where((Delegate.id == registration.delegate) & Delegate.erased_at.is_not_null())
    if erased:
        raise JoinPlaceGone(title=event.title, state="erased")
    if event.status == "cancelled":
        raise JoinEventCancelled(title=event.title)
    if registration.status in ("cancelled", "declined"):
        raise JoinPlaceGone(title=event.title, state=registration.status)
    if registration.status != "confirmed" or registration.hold_expires_at is not None:
        state = NOT_CONFIRMED_WORDS.get(registration.status, "waiting for you to confirm it by email")
        raise JoinPlaceNotConfirmed(title=event.title, state=state)


async def _session(registration: RegistrationRow, event: EventRow, session_id: int) -> SessionRow:
    """A session with a meeting of its own: open to every confirmed place, or, where it has a capacity of its
    own, to those holding a place in it."""
    row = await Session.select().where((Session.id == session_id) & (Session.event == event.id)).first()
    if row is None or not row["join_url"]:
        raise JoinLinkInvalid()
    session = SessionRow.of(row)
    if session.status == "cancelled":
        raise JoinEventCancelled(title=session.title)
    if session.capacity is not None:
        booked = await SessionBooking.exists().where(
            (SessionBooking.registration == registration.id)
            & (SessionBooking.session == session.id)
            & (SessionBooking.status == "confirmed")
        )
        if not booked:
            raise JoinNoSessionPlace()
    return session


async def follow_join_link(token: str, now: datetime) -> Join:
    """Where the link leads at `now`; a join within the meeting's hours is recorded (once per place: later
    joins are counted). Raises a JoinRefused (a page for people) for anything but a confirmed place."""
    registration, session_id = await _registration(token)
    found = await Event.select().where(Event.id == registration.event).first()
    if found is None or found["status"] == "draft":
        raise JoinLinkInvalid()
    event = EventRow.of(found)
    await _place_holds(registration, event)
    if session_id is not None:
        session = await _session(registration, event, session_id)
        title, starts_at, ends_at, address = session.title, session.starts_at, session.ends_at, session.join_url
    else:
        if not joins_online(event.attendance_mode, registration.attendance_mode):
            if event.attendance_mode == "in_person":
                raise JoinLinkInvalid()
            raise JoinNotOnline(title=event.title)
        title, starts_at, ends_at, address = event.title, event.starts_at, event.ends_at, event.online_url
    opens_at = starts_at - JOIN_OPENS_BEFORE
    state: JoinState = "go"
    if now < opens_at:
        state = "early"
    elif now > ends_at:
        state = "ended"
    elif not address:
        state = "no_address"
    if state == "go":
        await record_online_attendance(
            event_id=event.id, registration_id=registration.id, session_id=session_id, at=now, source="link"
        )
    return Join(
        state=state,
        title=title,
        timezone=event.timezone,
        opens_at=opens_at,
        ends_at=ends_at,
        event_url=f"/events/{event.slug}",
        address=address if state == "go" else "",
    )

"""Who attended an event: the one rule that certificates (and anything else that asks) read.

A registration attended when it has a check-in that was not undone, at the event's door or at one of its
sessions, or a record of joining it online: checkin/attended.py holds that rule, and this module asks it."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from events_app.checkin import attended as who
from events_app.programme.tables import Session
from events_app.registration.rows import RegistrationRow
from events_app.registration.tables import SessionBooking


async def attended_ids(registration_ids: Collection[int]) -> set[int]:
    """Those of the registrations whose person attended, in person or online (for a page listing several)."""
    return await who.attended_ids(registration_ids)


async def attended(registration: RegistrationRow) -> bool:
    return registration.id in await attended_ids([registration.id])


@dataclass(frozen=True, slots=True)
class SessionAttended:
    title: str
    starts_at: datetime
    ends_at: datetime


async def sessions_attended(registration_id: int) -> tuple[list[SessionAttended], bool]:
    """The sessions a person attended, in time order, and whether that comes from a record of them at the sessions
    (checked in at the door or joined online: True) or, where there is none, from the sessions they booked and had
    a confirmed place in (False). Cancelled sessions are left out."""
    present = await who.sessions_attended_ids(registration_id)
    from_check_ins = bool(present)
    if from_check_ins:
        ids = list(present)
    else:
        booked = await SessionBooking.select(SessionBooking.session).where(
            (SessionBooking.registration == registration_id) & (SessionBooking.status == "confirmed")
        )
        ids = [row["session"] for row in booked]
    if not ids:
        return [], False
    rows = (
        await Session.select(Session.title, Session.starts_at, Session.ends_at)
        .where(Session.id.is_in(ids) & (Session.status != "cancelled"))
        .order_by(Session.starts_at)
        .order_by(Session.id)
    )
    return [SessionAttended(r["title"], r["starts_at"], r["ends_at"]) for r in rows], from_check_ins

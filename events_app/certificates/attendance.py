"""Who attended an event: the one rule that certificates (and anything else that asks) read.

Today a registration attended when it has a check-in that was not undone, at the event's door or at one of its
sessions. Online attendance (issue 18) extends `attended_ids` with its own record; every caller goes on asking
the same question."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from events_app.checkin.tables import CheckIn
from events_app.programme.tables import Session
from events_app.registration.rows import RegistrationRow
from events_app.registration.tables import SessionBooking


async def attended_ids(registration_ids: Collection[int]) -> set[int]:
    """Those of the registrations whose person attended (in one query, for a page listing several)."""
    if not registration_ids:
        return set()
    rows = await CheckIn.select(CheckIn.registration).where(
        CheckIn.registration.is_in(list(registration_ids)) & CheckIn.undone_at.is_null()
    )
    return {row["registration"] for row in rows}


async def attended(registration: RegistrationRow) -> bool:
    return registration.id in await attended_ids([registration.id])


@dataclass(frozen=True, slots=True)
class SessionAttended:
    title: str
    starts_at: datetime
    ends_at: datetime


async def sessions_attended(registration_id: int) -> tuple[list[SessionAttended], bool]:
    """The sessions a person attended, in time order, and whether that comes from check-ins at the sessions'
    doors (True) or, where there are none, from the sessions they booked and had a confirmed place in (False).
    Cancelled sessions are left out."""
    checked = await CheckIn.select(CheckIn.session).where(
        (CheckIn.registration == registration_id) & CheckIn.undone_at.is_null() & CheckIn.session.is_not_null()
    )
    from_check_ins = bool(checked)
    if from_check_ins:
        ids = list({row["session"] for row in checked})
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

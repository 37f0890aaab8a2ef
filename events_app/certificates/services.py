"""Certificates of attendance: what one says, the PDF for the delegate, and checking a verification code.

What a certificate says (`Facts`):
- the name the registration was made with (the delegate's own name if that is empty);
- the event's title and its date or dates, in the event's time zone;
- hours: the sum of the lengths of the sessions the person was checked into at the sessions' doors, where there
  are such check-ins; otherwise the event's length (for an event over several days: the hours from the start
  time to the end time, counted on each day), in quarter hours;
- the sessions attended: by check-ins at the sessions' doors, else the sessions booked with a confirmed place;
- the network's name, and the verification address.
A certificate is offered when the event has certificates turned on and the person attended
(attendance.attended). Its verification code signs the registration and a digest of all of the above, so the
verification page can say "genuine", or that the record has changed since the certificate was made."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from events_app.certificates import codes
from events_app.certificates.attendance import attended_ids, sessions_attended
from events_app.certificates.errors import CertificatesOff, NotAttended
from events_app.core.calendar_links import mail_url
from events_app.core.crud import not_found
from events_app.core.templating import SITE_NAME
from events_app.core.timezones import in_zone
from events_app.documents.certificates import Certificate, certificate_pdf
from events_app.programme.rows import EventRow
from events_app.programme.tables import Event
from events_app.registration.tables import Registration


@dataclass(frozen=True, slots=True)
class Facts:
    registration_id: int
    event_id: int
    event_slug: str
    name: str
    event_title: str
    dates: str
    hours: str
    sessions: list[str]
    erased: bool
    certificates_enabled: bool

    def words(self) -> list[str]:
        """Everything the certificate says, in order: what its verification code's digest covers."""
        return [str(self.registration_id), self.name, self.event_title, self.dates, self.hours, *self.sessions]


def dates_in_words(event: EventRow) -> str:
    """'Wednesday 12 June 2030'; '12 to 14 June 2030'; '30 June to 2 July 2030'; across a new year, both years."""
    first = in_zone(event.starts_at, event.timezone).date()
    last = in_zone(event.ends_at, event.timezone).date()
    if first == last:
        return f"{first:%A} {first.day} {first:%B %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day} to {last.day} {last:%B %Y}"
    if first.year == last.year:
        return f"{first.day} {first:%B} to {last.day} {last:%B %Y}"
    return f"{first.day} {first:%B %Y} to {last.day} {last:%B %Y}"


def event_length(event: EventRow) -> timedelta:
    """The event's hours: start to end on one day; over several days, the start time to the end time on each
    day (real time, so a day with a clock change counts as it was)."""
    zone = ZoneInfo(event.timezone)
    start, end = in_zone(event.starts_at, event.timezone), in_zone(event.ends_at, event.timezone)
    days = (end.date() - start.date()).days + 1
    if days == 1:
        return event.ends_at - event.starts_at
    total = timedelta()
    for offset in range(days):
        day = start.date() + timedelta(days=offset)
        opens = datetime.combine(day, start.timetz().replace(tzinfo=None), tzinfo=zone)
        closes = datetime.combine(day, end.timetz().replace(tzinfo=None), tzinfo=zone)
        if closes <= opens:  # through the night: the whole stretch is one sitting
            return event.ends_at - event.starts_at
        total += closes - opens
    return total


def hours_in_words(length: timedelta) -> str:
    """In quarter hours: '7', '7.5', '1.25'."""
    quarters = round(length.total_seconds() / 900)
    return f"{quarters / 4:.2f}".rstrip("0").rstrip(".")


async def facts(registration_id: int) -> Facts | None:
    row = await (
        Registration.select(
            Registration.event,
            Registration.name,
            Registration.delegate.name.as_alias("delegate_name"),
            Registration.delegate.erased_at.as_alias("erased_at"),
        )
        .where(Registration.id == registration_id)
        .first()
    )
    if row is None:
        return None
    event_values = await Event.select().where(Event.id == row["event"]).first()
    assert event_values is not None  # a registration's event cannot be deleted (ON DELETE RESTRICT)
    event = EventRow.of(event_values)
    sessions, from_check_ins = await sessions_attended(registration_id)
    length = sum((s.ends_at - s.starts_at for s in sessions), timedelta()) if from_check_ins else event_length(event)
    return Facts(
        registration_id=registration_id,
        event_id=event.id,
        event_slug=event.slug,
        name=row["name"] or row["delegate_name"],
        event_title=event.title,
        dates=dates_in_words(event),
        hours=hours_in_words(length),
        sessions=[s.title for s in sessions],
        erased=row["erased_at"] is not None,
        certificates_enabled=event.certificates_enabled,
    )


def verify_url(code: str) -> str:
    """The site's own address (BASE_URL), never the Host a request named: the certificate leaves the site, as
    an email does."""
    return f"{mail_url()}/certificates/{code}"


async def downloadable(registration_ids: Collection[int]) -> set[int]:
    """Those of the registrations that have a certificate: their event offers them and they attended."""
    if not registration_ids:
        return set()
    offered = await Registration.select(Registration.id).where(
        Registration.id.is_in(list(registration_ids)) & (Registration.event.certificates_enabled == True)  # noqa: E712
    )
    return await attended_ids([row["id"] for row in offered])


async def pdf_for_delegate(delegate_id: int, registration_id: int) -> bytes:
    """The delegate's own certificate; another's registration is not found, and the refusals say why."""
    mine = await Registration.exists().where(
        (Registration.id == registration_id) & (Registration.delegate == delegate_id)
    )
    found = await facts(registration_id) if mine else None
    if found is None:
        raise not_found("registration", registration_id)
    if not found.certificates_enabled:
        raise CertificatesOff(event=found.event_title)
    if not await attended_ids([registration_id]):
        raise NotAttended(event=found.event_title)
    code = codes.issue(registration_id, codes.digest(found.words()))
    return certificate_pdf(
        Certificate(
            name=found.name,
            event_title=found.event_title,
            dates=found.dates,
            hours=found.hours,
            sessions=found.sessions,
            network=SITE_NAME,
            verify_url=verify_url(code),
        )
    )


Verdict = Literal["genuine", "changed", "not_genuine", "erased", "not_attended"]


@dataclass(frozen=True, slots=True)
class Verification:
    verdict: Verdict
    facts: Facts | None = None  # what the record says now (never for an erased person's certificate)


async def verify(code: str) -> Verification:
    """What the site can say about a certificate's code, without anyone signing in."""
    try:
        read = codes.read(code.strip())
    except codes.InvalidCode:
        return Verification("not_genuine")
    found = await facts(read.registration_id)
    if found is None:
        return Verification("not_genuine")
    if found.erased:
        return Verification("erased")
    if not await attended_ids([read.registration_id]):
        return Verification("not_attended")
    if codes.digest(found.words()) != read.digest:
        return Verification("changed", found)
    return Verification("genuine", found)

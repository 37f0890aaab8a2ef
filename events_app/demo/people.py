"""The demo's delegates: registrations from every sector (a waiting list, requests for approval), and a
hybrid seminar three weeks ago with its check-ins, its delegates who joined online, and feedback."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from typing import Any

from events_app.demo.data import FIRST_NAMES, LAST_NAMES, ORGANISATIONS
from events_app.demo.programme import at
from events_app.programme import events
from events_app.programme import schemas as s
from events_app.programme.rows import EventRow
from events_app.programme.tables import Event


def person_name(n: int, first_shift: int, last_step: int) -> tuple[str, str]:
    """The n-th demo delegate's first and last name: no two alike among a hundred, so the door search
    never shows two identical people."""
    first = FIRST_NAMES[(n + first_shift) % len(FIRST_NAMES)]
    last = LAST_NAMES[(n * last_step + n // len(FIRST_NAMES)) % len(LAST_NAMES)]
    return first, last


def email_at(first: str, last: str, organisation: str) -> str:
    """An address at the person's organisation (under the reserved example.org): first.last@kingsgate-university.example.org."""
    plain = unicodedata.normalize("NFKD", f"{first}.{last}").encode("ascii", "ignore").decode().lower()
    domain = re.sub(
        r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", organisation).encode("ascii", "ignore").decode().lower()
    )
    return f"{plain.replace(' ', '')}@{domain.strip('-')}.example.org"


async def registrations() -> None:
    """Delegates from every sector, so organisers see counts by group, a waiting list and pending requests."""
    from events_app.registration import register as registration
    from events_app.registration.schemas import RegistrationCreate

    organisations = ORGANISATIONS
    rows = await (
        Event.select(Event.slug, Event.kind, Event.capacity, Event.attendance_mode)
        .where((Event.status == "published") & Event.capacity.is_not_null())
        .order_by(Event.capacity)  # the smallest seminar fills up and gets a waiting list
    )
    wanted = {"conference": 48, "seminar": 64, "forum_meeting": 6}
    seen: set[str] = set()
    for event in rows:
        count = wanted.get(event["kind"], 0)
        if not count or event["kind"] in seen:
            continue
        seen.add(event["kind"])
        for n in range(count):
            first, last = person_name(n, 0, 7)
            name, group, _ = organisations[n % len(organisations)]
            data = RegistrationCreate(
                name=f"{first} {last}",
                email=email_at(first, last, name),
                stakeholder_group=group,
                organisation_name=name,
                access_needs="Step-free access" if n % 11 == 0 else "",
                dietary_needs="Vegetarian" if n % 4 == 0 else "",
                consent_to_contact=n % 3 != 0,
                # At a hybrid event each delegate says how they attend: one in four online.
                attendance_mode=(
                    ("online" if n % 4 == 0 else "in_person") if event["attendance_mode"] == "hybrid" else None
                ),
            )
            await registration.register(await events.event_row(event["slug"], include_drafts=True), data)


async def past_seminar(today: date) -> None:
    """A hybrid seminar three weeks ago: a third of its delegates took online places and joined through their own
    links, the others came to the room and were checked in; with feedback, so the attendance (in person and
    online), feedback and collaboration pages have something to show."""
    from events_app.checkin import services as checkin
    from events_app.checkin.online import record_online_attendance
    from events_app.feedback import forms, responses
    from events_app.feedback.schemas import FormCreate, ResponseIn
    from events_app.programme.tables import Series, Venue
    from events_app.registration import register as registration
    from events_app.registration.schemas import AttendanceMode, RegistrationCreate

    run = await Series.select(Series.id).where(Series.slug == "seminar-series").first()
    hub = await Venue.select(Venue.id).where(Venue.name == "Bright Sparks Science Trust Hub").first()
    day = today + timedelta(days=2)
    seminar = await events.create_event(
        s.EventCreate(
            title="Seminar: Community partners in university outreach",
            slug="seminar-community-partners",
            kind="seminar",
            status="published",
            summary="How charities and universities plan outreach together: what worked, what did not.",
            starts_at=at(day, 13),
            ends_at=at(day, 14, 30),
            attendance_mode="hybrid" if hub else "online",
            venue_id=hub["id"] if hub else None,
            online_url="https://meet.example.org/seminar-series",
            series_id=run["id"] if run else None,
            capacity=40,
        )
    )
    ids = []
    online: set[int] = set()
    for n in range(24):
        mode: AttendanceMode = "online" if n % 3 == 0 else "in_person"
        first, last = person_name(n, 3, 3)
        name, group, _ = ORGANISATIONS[(n * 5) % len(ORGANISATIONS)]
        result = await registration.register(
            await events.event_row(seminar.slug, include_drafts=True),
            RegistrationCreate(
                name=f"{first} {last}",
                email=email_at(first, last, name),
                stakeholder_group=group,
                organisation_name=name,
                attendance_mode=mode if hub else None,
            ),
        )
        assert result.registration is not None
        ids.append(result.registration.id)
        if mode == "online":
            online.add(result.registration.id)
    form = await forms.create_form(seminar.slug, FormCreate(template="seminar"))
    q = {question.label: str(question.id) for question in form.questions}
    for n, registration_id in enumerate(ids[:14]):
        # Untyped on purpose: feedback answers of mixed kinds (ratings, yes/no, text), as a delegate sends them
        answers: dict[str, Any] = {
            q["Overall, how useful was the event for your work?"]: 3 + n % 3,
            q["Was the level right?"]: ["About right", "Too introductory", "About right"][n % 3],
            q["Did you meet someone from another sector you will work with?"]: n % 4 != 0,
            q["How much did hearing from other sectors add to your understanding?"]: 2 + n % 4,
        }
        if n % 5 == 0:
            answers[q["What will you do together, or differently, because of this event?"]] = (
                "Plan a joint summer school with a local charity."
            )
        token = responses.link_path(form.id, registration_id).removeprefix("/feedback/")
        await responses.submit_linked(token, ResponseIn(answers=answers))
    # Move it into the past: the demo shows an event that has happened (its messages were already sent).
    three_weeks = timedelta(days=23)
    await Event.update(
        {Event.starts_at: Event.starts_at - three_weeks, Event.ends_at: Event.ends_at - three_weeks}
    ).where(Event.slug == seminar.slug)
    # People arrive from a quarter of an hour before the start, on the seminar's own day three weeks ago; those
    # with online places join through their own links instead (the one rule that records a join).
    row = await event_row_for(seminar.slug)
    for n, registration_id in enumerate(ids[:20]):
        arrived = row.starts_at - timedelta(minutes=15) + timedelta(minutes=n)
        if registration_id in online:
            await record_online_attendance(
                event_id=row.id, registration_id=registration_id, session_id=None, at=arrived, source="link"
            )
        else:
            await checkin.check_in(row, registration_id, staff_id=None, at=arrived, method="scan")


async def event_row_for(slug: str) -> EventRow:
    from events_app.programme.events import event_row

    return await event_row(slug, include_drafts=True)

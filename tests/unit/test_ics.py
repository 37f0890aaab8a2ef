"""iCalendar documents without HTTP: read back by icalendar and vobject, times right on both sides of the
clocks changing (the repeated hour written in UTC), cancellations and invitations as calendars expect."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

import icalendar
import pytest
import vobject

from events_app.calendar.ics import Entry, Invitation, calendar, event_uid, session_uid

CREATED = datetime(2030, 1, 2, 10, 0, tzinfo=UTC)


def entry(**overrides: Any) -> Entry:
    values: dict[str, Any] = {
        "uid": event_uid(7, "events.example.org"),
        "summary": "National Conference",
        "starts_at": datetime(2030, 6, 12, 8, 0, tzinfo=UTC),
        "ends_at": datetime(2030, 6, 12, 16, 0, tzinfo=UTC),
        "timezone": "Europe/London",
        "sequence": 0,
        "last_modified": CREATED,
        "created": CREATED,
        **overrides,
    }
    return Entry(**values)


def vevents(body: bytes) -> list[Any]:
    """The VEVENTs; Any, as icalendar types a property as a union of every value type."""
    return list(icalendar.Calendar.from_ical(body).walk("VEVENT"))


def utc(prop: Any) -> datetime:
    moment: datetime = prop.dt
    return moment.astimezone(UTC)


def test_uids_are_stable_and_distinguish_events_from_sessions() -> None:
    assert event_uid(7, "events.example.org") == "event-7@events.example.org"
    assert session_uid(7, "events.example.org") == "session-7@events.example.org"
    assert event_uid(7, "events.example.org") != session_uid(7, "events.example.org")


def test_a_feed_is_a_published_calendar_both_parsers_read() -> None:
    body = calendar("Conference", [entry(location="Kingsgate Centre, London", url="https://e.example.org/c")])
    cal = icalendar.Calendar.from_ical(body)
    assert str(cal["X-WR-CALNAME"]) == "Conference"
    assert "METHOD" not in cal
    assert [str(z["TZID"]) for z in cal.walk("VTIMEZONE")] == ["Europe/London"]
    [event] = vevents(body)
    assert str(event["UID"]) == "event-7@events.example.org"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["LOCATION"]) == "Kingsgate Centre, London"
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert (utc(event["DTSTART"]), utc(event["DTEND"])) == (entry().starts_at, entry().ends_at)
    [other] = vobject.readOne(body.decode("utf-8")).vevent_list
    assert other.dtstart.value.astimezone(UTC) == entry().starts_at


@pytest.mark.parametrize(
    ("starts", "zone_written"),
    [
        (datetime(2030, 3, 31, 0, 30, tzinfo=UTC), "Europe/London"),  # 00:30 GMT, before the clocks go forward
        (datetime(2030, 3, 31, 1, 30, tzinfo=UTC), "Europe/London"),  # 02:30 BST, after
        (datetime(2030, 10, 27, 0, 30, tzinfo=UTC), None),  # 01:30 BST: a wall time that happens twice
        (datetime(2030, 10, 27, 1, 30, tzinfo=UTC), None),  # 01:30 GMT, the second time round
        (datetime(2030, 10, 27, 2, 30, tzinfo=UTC), "Europe/London"),  # 02:30 GMT: once only
    ],
)
def test_times_are_right_across_the_clocks_changing(starts: datetime, zone_written: str | None) -> None:
    ends = starts + timedelta(minutes=20)
    [event] = vevents(calendar("Night", [entry(starts_at=starts, ends_at=ends)]))
    assert (utc(event["DTSTART"]), utc(event["DTEND"])) == (starts, ends)
    assert event["DTSTART"].params.get("TZID") == zone_written


def test_a_cancelled_entry_stays_marked_cancelled_with_its_sequence() -> None:
    [event] = vevents(calendar("Feed", [entry(cancelled=True, sequence=3)]))
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 3


def test_an_invitation_names_organiser_and_attendee_and_its_withdrawal_cancels() -> None:
    invitation = Invitation(
        method="REQUEST",
        organizer_email="events@hestem.example.org",
        organizer_name="HE STEM Access Network",
        attendee_email="sian@example.org",
        attendee_name="Siân Llewelyn",
    )
    body = calendar("Conference", [entry()], invitation=invitation)
    cal = icalendar.Calendar.from_ical(body)
    assert str(cal["METHOD"]) == "REQUEST"
    assert "X-WR-CALNAME" not in cal
    [event] = vevents(body)
    assert str(event["ORGANIZER"]) == "mailto:events@hestem.example.org"
    assert str(event["ATTENDEE"]) == "mailto:sian@example.org"
    assert event["ATTENDEE"].params["CN"] == "Siân Llewelyn"
    assert event["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"
    assert str(event["STATUS"]) == "CONFIRMED"
    withdrawn = calendar("Conference", [entry()], invitation=dataclasses.replace(invitation, method="CANCEL"))
    [gone] = vevents(withdrawn)
    assert str(icalendar.Calendar.from_ical(withdrawn)["METHOD"]) == "CANCEL"
    assert str(gone["STATUS"]) == "CANCELLED"
    assert gone["ATTENDEE"].params["PARTSTAT"] == "DECLINED"


def test_long_and_accented_text_is_folded_and_escaped() -> None:
    title = "Seminar yn Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch: café, crème; «STEM»"
    body = calendar("Feed", [entry(summary=title, description="commas, semicolons; a backslash \\ " * 5)])
    assert all(len(line) <= 75 for line in body.split(b"\r\n")), "every line folded to 75 octets"
    assert b"\\;" in body and b"\\," in body and b"\\\\" in body
    [event] = vevents(body)
    assert str(event["SUMMARY"]) == title


def test_an_empty_feed_is_still_a_calendar() -> None:
    cal = icalendar.Calendar.from_ical(calendar("Nothing yet", []))
    assert str(cal["VERSION"]) == "2.0"
    assert list(cal.walk("VEVENT")) == []

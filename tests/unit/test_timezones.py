"""Time zones without HTTP: naive times read as wall-clock time in the event's zone, the hour that never
happens refused by name, unknown zones refused naming the field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from events_app.core.errors import InvalidInput
from events_app.core.timezones import in_zone, to_utc, utc_now, zone

LONDON = zone("Europe/London")


def test_a_known_zone_is_returned_and_an_unknown_one_is_refused_naming_the_field() -> None:
    assert zone("Europe/Berlin").key == "Europe/Berlin"
    with pytest.raises(InvalidInput) as refused:
        zone("Europe/Atlantis", field="event_timezone")
    assert refused.value.field == "event_timezone"
    assert "'Europe/Atlantis' is not a known time zone" in str(refused.value)


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (datetime(2030, 1, 15, 9, 0), datetime(2030, 1, 15, 9, 0, tzinfo=UTC)),  # GMT: UTC+0
        (datetime(2030, 6, 12, 9, 0), datetime(2030, 6, 12, 8, 0, tzinfo=UTC)),  # BST: UTC+1
        (datetime(2030, 3, 31, 0, 30), datetime(2030, 3, 31, 0, 30, tzinfo=UTC)),  # just before the change
        (datetime(2030, 3, 31, 2, 0), datetime(2030, 3, 31, 1, 0, tzinfo=UTC)),  # just after it
    ],
)
def test_a_naive_time_is_wall_clock_time_in_the_zone(local: datetime, expected: datetime) -> None:
    assert to_utc(local, LONDON, field="starts_at") == expected


def test_the_hour_the_clocks_skip_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as refused:
        to_utc(datetime(2030, 3, 31, 1, 30), LONDON, field="starts_at")
    assert refused.value.field == "starts_at"
    assert "2030-03-31 01:30 does not exist in Europe/London" in str(refused.value)


def test_an_aware_time_keeps_its_moment_whatever_the_zone() -> None:
    new_york = datetime(2030, 6, 12, 9, 0, tzinfo=timezone(timedelta(hours=-4)))
    assert to_utc(new_york, LONDON, field="starts_at") == datetime(2030, 6, 12, 13, 0, tzinfo=UTC)


def test_in_zone_shows_a_moment_as_local_time_and_reads_naive_times_as_utc() -> None:
    moment = datetime(2030, 6, 12, 8, 0, tzinfo=UTC)
    assert in_zone(moment, "Europe/London").hour == 9
    assert in_zone(moment, "Europe/London").tzname() == "BST"
    assert in_zone(moment.replace(tzinfo=None), "Europe/London") == moment
    winter = in_zone(datetime(2030, 1, 15, 9, 0, tzinfo=UTC), "Europe/London")
    assert (winter.hour, winter.tzname()) == (9, "GMT")


def test_now_is_aware_and_in_utc() -> None:
    now = utc_now()
    assert now.utcoffset() == timedelta(0)
    assert abs(now - datetime.now(UTC)) < timedelta(seconds=5)

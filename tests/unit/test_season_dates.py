"""The calendar rules of runs, without a database: which day "the second Tuesday" is, where a day sits in its
month, monthly runs across the year's end, and a title's year moving with a copy."""

from __future__ import annotations

from datetime import date

from events_app.season.copies import next_year_title
from events_app.season.runs import monthly_days, nth_weekday, place_in_month
from events_app.season.schemas import RunRequest


def test_the_second_tuesday_and_the_last_friday() -> None:
    assert nth_weekday(2030, 6, "second", "tuesday") == date(2030, 6, 11)
    assert nth_weekday(2030, 10, "first", "tuesday") == date(2030, 10, 1)  # the 1st itself
    assert nth_weekday(2030, 6, "last", "friday") == date(2030, 6, 28)
    assert nth_weekday(2030, 8, "last", "saturday") == date(2030, 8, 31)  # the last day itself


def test_a_day_knows_its_place_in_its_month() -> None:
    assert place_in_month(date(2030, 6, 11)) == ("second", "tuesday")
    assert place_in_month(date(2030, 6, 28)) == ("fourth", "friday")
    assert place_in_month(date(2030, 7, 30)) == ("last", "tuesday")  # a fifth Tuesday: the last one


def test_a_monthly_run_crosses_the_years_end_and_starts_after_the_event() -> None:
    run = RunRequest(pattern="monthly", count=3)
    assert monthly_days(date(2030, 11, 12), run) == [date(2030, 12, 10), date(2031, 1, 14), date(2031, 2, 11)]
    # From a given day: the first month's day if it is not before it, else the next month's.
    later = RunRequest(pattern="monthly", count=2, week="first", weekday="monday", first=date(2031, 3, 5))
    assert monthly_days(date(2030, 11, 12), later) == [date(2031, 4, 7), date(2031, 5, 5)]


def test_a_year_in_the_title_moves_with_the_copy() -> None:
    assert next_year_title("National Conference 2027", 364) == "National Conference 2028"
    assert next_year_title("National Conference 2027", 30) == "National Conference 2027"
    assert next_year_title("Seminar: room 101", 364) == "Seminar: room 101"

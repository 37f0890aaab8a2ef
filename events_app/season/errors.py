"""Refusals of copies and runs, each with a stable code."""

from __future__ import annotations

from events_app.core.errors import InvalidInput


class RunNeedsDates(InvalidInput):
    code = "run_needs_dates"
    message = "Dates: please give at least one date for the copies"
    field = "dates"


class RunDatesRepeated(InvalidInput):
    code = "run_dates_repeated"
    message = "Dates: {date} is listed twice; give each date once"
    field = "dates"


class RoundNeedsDate(InvalidInput):
    code = "round_needs_date"
    message = "Date: please give the day of the round's meetings"
    field = "date"


class RoundNeedsRegions(InvalidInput):
    code = "round_needs_regions"
    message = "Regions: please choose at least one region"
    field = "regions"


class UnknownRegion(InvalidInput):
    code = "unknown_region"
    message = "There is no region '{region}'"


class RegionListedTwice(InvalidInput):
    code = "region_listed_twice"
    message = "The region '{region}' is listed twice; a round has one meeting per region"


class RegionHasNoSeries(InvalidInput):
    code = "region_has_no_series"
    message = "No series belongs to the region '{region}': give a series its region on the Series page first"


class SeriesNotInRegion(InvalidInput):
    code = "series_not_in_region"
    message = "The series '{series}' is not the series of the region '{region}'"


class DayOutOfRange(InvalidInput):
    code = "day_out_of_range"
    message = "{day} is too far from today: give a day between the years 1970 and 2200"
    field = "date"

"""What the impact pages and API call: the report for a query string, the same report as CSV, and the public
page's switch and figures (public.py)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date

from events_app.core.csv_export import csv_bytes
from events_app.core.timezones import utc_now
from events_app.impact import filters, periods
from events_app.impact.public import is_public, public_figures, set_public
from events_app.impact.report import impact_report
from events_app.impact.schemas import Attendance, Figures, ImpactQuery, ImpactReport

__all__ = ["csv_of", "is_public", "public_figures", "report_for", "set_public", "today"]

NOT_RECORDED = "not recorded"


def today() -> date:
    """Today in UK time: the report's ranges are UK days."""
    return periods.uk_day(utc_now())


async def report_for(params: Mapping[str, str]) -> ImpactReport:
    """The report the query string asks for (InvalidFields naming each wrong field)."""
    return await impact_report(await filters.resolve(params, today()), utc_now())


def _online(attendance: Attendance) -> object:
    return NOT_RECORDED if attendance.online is None else attendance.online


def _either(attendance: Attendance) -> object:
    return NOT_RECORDED if attendance.either is None else attendance.either


def _figure_rows(section: str, row: str, figures: Figures) -> Iterator[tuple[object, ...]]:
    yield section, row, "Registrations", figures.registrations
    yield section, row, "Attended in person", figures.attendance.in_person
    yield section, row, "Attended online", _online(figures.attendance)
    yield section, row, "Attended either way", _either(figures.attendance)
    yield section, row, "People", figures.people
    yield section, row, "People who attended", figures.people_attended
    yield section, row, "Organisations", figures.organisations


def _query_rows(query: ImpactQuery) -> Iterator[tuple[object, ...]]:
    yield "Report", "Range", "From", query.start.isoformat()
    yield "Report", "Range", "To", query.end.isoformat()
    yield "Report", "Filter", "Region", query.region or "all"
    yield "Report", "Filter", "Series", query.series or "all"
    yield "Report", "Filter", "Kind", query.kind or "all"


def _rows(report: ImpactReport) -> Iterator[tuple[object, ...]]:
    """Every figure of the report once, as (section, row, measure, value): long, so a spreadsheet pivots it."""
    yield from _query_rows(report.query)
    yield "Total", "All events", "Events held", report.events
    yield from _figure_rows("Total", "All events", report.totals)
    yield "Total", "All events", "First-timers", report.newcomers.first_timers
    yield "Total", "All events", "Returners", report.newcomers.returners
    for row in report.by_sector:
        yield from _figure_rows("Sector", row.label, row.figures)
    for row in report.by_region:
        yield from _figure_rows("Region", row.label, row.figures)
    sessions = report.sessions
    yield "Sessions", "All sessions", "Sessions held", sessions.sessions
    yield "Sessions", "All sessions", "With a record of who was there", sessions.recorded
    yield "Sessions", "All sessions", "University and civil society together", sessions.together
    for answer in report.collaboration:
        for sector in answer.by_sector:
            yield "Collaboration", answer.label, f"{sector.label}: answers", sector.count
            if sector.mean is not None:
                yield "Collaboration", answer.label, f"{sector.label}: mean (1 to 5)", sector.mean
            if sector.percent_yes is not None:
                yield "Collaboration", answer.label, f"{sector.label}: % yes", sector.percent_yes
    section = "Term" if report.query.by == "term" else "Month"
    for point in report.trend:
        yield section, point.label, "Events held", point.events
        yield section, point.label, "Registrations", point.registrations
        yield section, point.label, "Attended in person", point.attendance.in_person
        yield section, point.label, "Attended online", _online(point.attendance)
        yield section, point.label, "People", point.people
    for line in report.event_lines:
        name = f"{line.title} ({line.ended.isoformat()})"
        yield "Event", name, "Registrations", line.registrations
        yield "Event", name, "Attended in person", line.attendance.in_person
        yield "Event", name, "Attended online", _online(line.attendance)
        yield "Event", name, "Attended either way", _either(line.attendance)


def csv_of(report: ImpactReport) -> bytes:
    return csv_bytes(["Section", "Row", "Measure", "Value"], _rows(report))

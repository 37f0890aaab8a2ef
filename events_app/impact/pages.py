"""The impact pages: the organisers' report (/organiser/impact, with its filters, CSV link and the public
page's switch) and the public page of totals (/impact, 404 while it is off)."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromQuery
from litestar.response import Template
from markupsafe import Markup

from events_app.accounts.guards import current_organiser, requires_organiser
from events_app.core.errors import DomainError
from events_app.core.validation import errors_of
from events_app.impact import charts, filters, periods, services
from events_app.impact.schemas import ImpactReport, PublicImpact
from events_app.organiser.forms import form_values, with_notice
from events_app.programme.schemas import EVENT_KIND_LABELS

NOTICE_LIMIT = 300
LIMITED = "Your account is limited to some events: it cannot publish the network's figures"
FIELDS = ("start", "end", "region", "series", "kind", "by")


def _quick_ranges(today: date) -> list[tuple[str, str]]:
    """Links for the usual ranges: the last 12 months, this academic year so far, the last one."""
    start, end = periods.last_twelve_months(today)
    this_start, this_end = periods.academic_year(today)
    last_start, last_end = periods.academic_year(this_start.replace(year=this_start.year - 1))
    return [
        ("The last 12 months", urlencode({"start": start, "end": end})),
        (f"Academic year {periods.academic_year_label(this_start)}", urlencode({"start": this_start, "end": this_end})),
        (f"Academic year {periods.academic_year_label(last_start)}", urlencode({"start": last_start, "end": last_end})),
    ]


def _charts(report: ImpactReport) -> dict[str, Markup]:
    """The report's charts; each says that the table beside it holds the same figures."""
    unit = "term" if report.query.by == "term" else "month"
    return {
        "sector": charts.bars(
            "People by sector",
            "Bar chart of the people who registered, by sector; the table below holds the same figures.",
            [(row.label, row.figures.people) for row in report.by_sector],
        ),
        "region": charts.bars(
            "People by region",
            "Bar chart of the people who registered, by the region of their organisation; the table below holds "
            "the same figures.",
            [(row.label, row.figures.people) for row in report.by_region],
        ),
        "trend": charts.columns(
            f"Registrations by {unit}",
            f"Column chart of the registrations in each {unit} of the range, by the day each event ended; the table "
            "below holds the same figures.",
            [(point.short, point.registrations) for point in report.trend],
        ),
    }


def _can_switch(request: Request[Any, Any, Any]) -> bool:
    """The public page shows the whole network: an account limited to some events may not publish it."""
    organiser = current_organiser(request)
    return organiser is not None and not organiser.scope.limited


def _public_chart(figures: PublicImpact) -> Markup | None:
    """People by sector; a withheld figure has no bar (the table says "fewer than 5"), and with none shown, no
    chart at all."""
    rows = [(row.label, row.people.value) for row in figures.by_sector]
    if all(value is None for _, value in rows):
        return None
    return charts.bars(
        "People by sector",
        "Bar chart of the people who registered, by sector; figures under 5 are not drawn. The table below holds "
        "the same figures.",
        rows,
    )


class ImpactPages(Controller):
    include_in_schema = False

    @get("/organiser/impact", guards=[requires_organiser], name="organiser-impact")
    async def report_page(self, request: Request[Any, Any, Any], notice: FromQuery[str | None] = None) -> Template:
        values = {name: str(request.query_params.get(name, "")).strip()[:40] for name in FIELDS}
        given = {name: value for name, value in values.items() if value}
        report: ImpactReport | None = None
        errors = []
        try:
            report = await services.report_for(given)
        except DomainError as exc:
            errors = errors_of(exc)
        if report is not None:
            values.update(start=report.query.start.isoformat(), end=report.query.end.isoformat())
        return Template(
            "impact/report.html",
            context={
                "report": report,
                "values": values,
                "errors": errors,
                "field_errors": {e.field: e.message for e in reversed(errors)},
                "choices": await filters.choices(),
                "labels": filters.LABELS,
                "kind_labels": EVENT_KIND_LABELS,
                "quick_ranges": _quick_ranges(services.today()),
                "csv_query": urlencode({k: v for k, v in values.items() if v}),
                "public": await services.is_public(),
                "can_switch": _can_switch(request),
                "notice": (notice or "")[:NOTICE_LIMIT] or None,
                "report_charts": _charts(report) if report else {},
            },
            status_code=400 if errors else 200,
        )

    @post("/organiser/impact/public", guards=[requires_organiser], status_code=303)
    async def switch_public_page(self, request: Request[Any, Any, Any]) -> Response[Any]:
        if not _can_switch(request):
            raise PermissionDeniedException(detail=LIMITED)
        organiser = current_organiser(request)
        public = (await form_values(request)).get("public") == "on"
        await services.set_public(public, organiser.user_id if organiser else None)
        said = "The public impact page is on: /impact" if public else "The public impact page is off."
        return with_notice("/organiser/impact", said)

    @get("/impact", name="public-impact")
    async def public_page(self) -> Template:
        if not await services.is_public():
            raise NotFoundException(detail="There is no public impact page")
        figures = await services.public_figures(services.today())
        return Template(
            "impact/public.html",
            context={"figures": figures, "sector_chart": _public_chart(figures)},
        )

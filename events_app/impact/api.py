"""The impact report as JSON and CSV, for organisers (within their account's scope)."""

from __future__ import annotations

from typing import Annotated

from litestar import Response, get
from litestar.params import QueryParameter

from events_app.accounts.guards import requires_organiser
from events_app.core.api import ApiController
from events_app.core.csv_export import csv_response
from events_app.impact import services
from events_app.impact.schemas import ImpactReport

Start = Annotated[str | None, QueryParameter(description="first day, like 2025-08-01 (UK time)")]
End = Annotated[str | None, QueryParameter(description="last day, included, like 2026-07-31")]
RegionSlug = Annotated[str | None, QueryParameter(description="a region's slug: its series' events")]
SeriesSlug = Annotated[str | None, QueryParameter(description="a series' slug")]
Kind = Annotated[str | None, QueryParameter(description="conference, seminar, forum_meeting ...")]
By = Annotated[str | None, QueryParameter(description="trend by month (default) or term")]


def _params(**values: str | None) -> dict[str, str]:
    return {name: value for name, value in values.items() if value}


class ImpactController(ApiController):
    path = "/api/impact"
    tags = ["impact"]
    guards = [requires_organiser]

    @get("/", summary="The network's impact over a range (default: the 12 months to today), with filters")
    async def report(
        self,
        start: Start = None,
        end: End = None,
        region: RegionSlug = None,
        series: SeriesSlug = None,
        kind: Kind = None,
        by: By = None,
    ) -> ImpactReport:
        params = _params(start=start, end=end, region=region, series=series, kind=kind, by=by)
        return await services.report_for(params)

    @get("/report.csv", summary="The same report as CSV: one figure a row (UTF-8 with BOM)", media_type="text/csv")
    async def report_csv(
        self,
        start: Start = None,
        end: End = None,
        region: RegionSlug = None,
        series: SeriesSlug = None,
        kind: Kind = None,
        by: By = None,
    ) -> Response[bytes]:
        params = _params(start=start, end=end, region=region, series=series, kind=kind, by=by)
        report = await services.report_for(params)
        name = f"impact-{report.query.start.isoformat()}-to-{report.query.end.isoformat()}.csv"
        return csv_response(services.csv_of(report), name)

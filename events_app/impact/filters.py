"""The report's range and filters, read from a query string (the page's form and the API alike), every wrong
field named at once; and the choices the form offers (regions, the account's series, kinds)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from events_app.accounts import scopes
from events_app.core.errors import FieldError, InvalidFields
from events_app.impact import periods
from events_app.impact.schemas import Choice, ImpactQuery
from events_app.people.tables import Region
from events_app.programme.schemas import EVENT_KIND_LABELS, EventKind
from events_app.programme.tables import Series

LABELS = {"start": "From", "end": "To", "region": "Region", "series": "Series", "kind": "Kind", "by": "Trend by"}
TREND_CHOICES = (Choice("month", "Month"), Choice("term", "Term"))


@dataclass(frozen=True, slots=True)
class Resolved:
    """The query with its region and series as ids (None: no such filter)."""

    query: ImpactQuery
    region_id: int | None
    series_id: int | None


def _day(text: str, field: str) -> date | FieldError:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return FieldError(field, f"{LABELS[field]}: please give a date like 2026-09-01")


def read_query(params: Mapping[str, str], today: date) -> ImpactQuery:
    """The query string as an ImpactQuery: no dates given, the last 12 months to today. Refuses bad dates, a range
    that ends before it starts or spans more than ten years, and a kind or trend that is not on the list."""
    errors: list[FieldError] = []
    default_start, default_end = periods.last_twelve_months(today)
    start = _day(params["start"], "start") if params.get("start") else default_start
    end = _day(params["end"], "end") if params.get("end") else default_end
    for value in (start, end):
        if isinstance(value, FieldError):
            errors.append(value)
    if isinstance(start, date) and isinstance(end, date):
        if end < start:
            errors.append(FieldError("end", "To: please give a day on or after the From day"))
        elif (end - start).days > periods.LONGEST_RANGE_DAYS:
            errors.append(FieldError("start", "From: a report covers at most ten years"))
    kind = params.get("kind") or None
    if kind is not None and kind not in EVENT_KIND_LABELS:
        errors.append(FieldError("kind", "Kind: please choose one from the list"))
    by = params.get("by") or "month"
    if by not in ("month", "term"):
        errors.append(FieldError("by", "Trend by: please choose month or term"))
    if errors:
        raise InvalidFields(errors)
    assert isinstance(start, date)
    assert isinstance(end, date)
    return ImpactQuery(
        start=start,
        end=end,
        region=params.get("region") or None,
        series=params.get("series") or None,
        kind=kind,  # type: ignore[arg-type]  # checked against the kinds above
        by="term" if by == "term" else "month",
    )


async def _ids(region: str | None, series: str | None) -> tuple[int | None, int | None, list[FieldError]]:
    """The region and series named, as ids; a series outside the account's scope is not on its list."""
    errors: list[FieldError] = []
    region_id = series_id = None
    if region:
        row = await Region.select(Region.id).where(Region.slug == region).first()
        if row is None:
            errors.append(FieldError("region", "Region: please choose one from the list"))
        else:
            region_id = row["id"]
    if series:
        named = Series.select(Series.id).where(Series.slug == series)
        row = await scopes.where(named, scopes.active().series_filter()).first()
        if row is None:
            errors.append(FieldError("series", "Series: please choose one from the list"))
        else:
            series_id = row["id"]
    return region_id, series_id, errors


async def resolve(params: Mapping[str, str], today: date) -> Resolved:
    """The query string read and its region and series found, or InvalidFields naming every wrong field."""
    errors: list[FieldError] = []
    query: ImpactQuery | None = None
    try:
        query = read_query(params, today)
    except InvalidFields as exc:
        errors = list(exc.errors)
    region_id, series_id, unknown = await _ids(params.get("region"), params.get("series"))
    errors += unknown
    if errors or query is None:
        order = list(LABELS)
        raise InvalidFields(sorted(errors, key=lambda e: order.index(e.field)))
    return Resolved(query, region_id, series_id)


async def choices() -> dict[str, list[Choice]]:
    """What the form offers: every region, the series the account sees, every kind, month or term."""
    regions = await Region.select(Region.slug, Region.name).order_by(Region.name)
    series = await scopes.where(Series.select(Series.slug, Series.title), scopes.active().series_filter()).order_by(
        Series.title
    )
    kinds: list[tuple[EventKind, str]] = list(EVENT_KIND_LABELS.items())
    return {
        "region": [Choice(r["slug"], r["name"]) for r in regions],
        "series": [Choice(s["slug"], s["title"]) for s in series],
        "kind": [Choice(value, label) for value, label in kinds],
        "by": list(TREND_CHOICES),
    }

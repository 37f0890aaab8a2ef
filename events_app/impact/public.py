"""The public impact page (/impact): the switch organisers turn it on and off with, and its figures, which are
totals only (events, registrations, attendance, people and organisations, by sector and by region), with no
name, and with every figure under 5 withheld.

Suppression: a count of people (or of their registrations, attendance or organisations) under 5 is shown as
"fewer than 5". So that a withheld figure cannot be worked out from its column's total, a column with exactly
one withheld figure withholds the next smallest as well (complementary suppression); a total under 5 is
withheld too, and with it every figure of its column.

The figures are the network's (no filters, no scope) for the last 12 months to today, and are kept for ten
minutes per process, so the page costs the database little however often it is read."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import date

from events_app.core.database import write_transaction
from events_app.core.timezones import utc_now
from events_app.impact import periods
from events_app.impact.filters import Resolved
from events_app.impact.report import impact_report
from events_app.impact.schemas import Figures, ImpactQuery, PublicCell, PublicImpact, PublicRow
from events_app.impact.tables import PublicImpactSwitch

SMALLEST_SHOWN = 5
KEEP_SECONDS = 600
COLUMNS = ("registrations", "attendance", "people", "organisations")

_kept: dict[date, tuple[float, PublicImpact]] = {}


async def is_public() -> bool:
    row = await (
        PublicImpactSwitch.select(PublicImpactSwitch.public)
        .order_by(PublicImpactSwitch.at, ascending=False)
        .order_by(PublicImpactSwitch.id, ascending=False)
        .first()
    )
    return bool(row and row["public"])


async def set_public(public: bool, by_user_id: int | None) -> None:
    """Turn the page on or off: a new row, so when and who stay on record. The kept figures are dropped, so the
    page shows today's figures the moment it is turned on."""
    async with write_transaction():
        await PublicImpactSwitch.insert(PublicImpactSwitch(public=public, at=utc_now(), by=by_user_id))
    _kept.clear()


def suppress(values: Sequence[int], total: int) -> tuple[list[int | None], int | None]:
    """A column's figures and its total, with those that must not be shown as None (see the module's text)."""
    if total < SMALLEST_SHOWN:
        return [None] * len(values), None
    shown: list[int | None] = [v if v >= SMALLEST_SHOWN else None for v in values]
    if sum(1 for v in shown if v is None) == 1:
        candidates = [(v, n) for n, v in enumerate(values) if shown[n] is not None]
        if candidates:
            shown[min(candidates)[1]] = None
    return shown, total


def _values(figures: Figures, column: str) -> int:
    if column == "attendance":  # in person or online, each registration once
        a = figures.attendance
        return a.either if a.either is not None else a.in_person
    value: int = getattr(figures, column)
    return value


def _rows(labels: list[str], figures: list[Figures], totals: Figures) -> list[PublicRow]:
    columns = {c: suppress([_values(f, c) for f in figures], _values(totals, c))[0] for c in COLUMNS}
    return [PublicRow(label, *(PublicCell(columns[c][n]) for c in COLUMNS)) for n, label in enumerate(labels)]


async def public_figures(today: date) -> PublicImpact:
    """The page's figures for the 12 months to `today`, kept for ten minutes."""
    kept = _kept.get(today)
    if kept is not None and time.monotonic() - kept[0] < KEEP_SECONDS:
        return kept[1]
    start, end = periods.last_twelve_months(today)
    report = await impact_report(Resolved(ImpactQuery(start=start, end=end), None, None), utc_now())
    totals = report.totals
    shown_totals = {c: suppress([], _values(totals, c))[1] for c in COLUMNS}
    figures = PublicImpact(
        start=start,
        end=end,
        events=report.events,
        totals=PublicRow("All", *(PublicCell(shown_totals[c]) for c in COLUMNS)),
        by_sector=_rows([r.label for r in report.by_sector], [r.figures for r in report.by_sector], totals),
        by_region=_rows([r.label for r in report.by_region], [r.figures for r in report.by_region], totals),
    )
    _kept.clear()
    _kept[today] = (time.monotonic(), figures)
    return figures

"""The report's charts, drawn on the server as SVG: no JavaScript, sharp in print. Each has a title and a
description (what it shows and that the table beside it holds the same figures), so a screen reader hears
what the chart is and reads the figures in the table, its text alternative."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from markupsafe import Markup, escape

_ids = itertools.count(1)
BAR = "#0b4f8a"
INK = "#1b1b1f"
LINE = "#c9cdd3"


def _short(label: str, longest: int = 32) -> str:
    """A label that fits beside a bar (the table beside the chart has it whole)."""
    return label if len(label) <= longest else label[: longest - 1].rstrip() + "…"


def _open(title: str, description: str, width: int, height: int) -> list[str]:
    chart_id = f"impact-chart-{next(_ids)}"
    return [
        f'<svg role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" class="chart impact-chart">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]


def bars(title: str, description: str, rows: Sequence[tuple[str, int | float | None]]) -> Markup:
    """Horizontal bars, one per row: the label, the bar, the value (a dash where there is none)."""
    label_width, bar_width, row_height = 250, 300, 26
    maximum = max((v for _, v in rows if v), default=0)
    height = row_height * len(rows) + 10
    parts = _open(title, description, label_width + bar_width + 70, height)
    for n, (label, value) in enumerate(rows):
        y = 5 + n * row_height
        width = round(bar_width * value / maximum, 1) if value and maximum else 0
        shown = "–" if value is None else f"{value:g}"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" font-size="13" fill="{INK}">'
            f"{escape(_short(label))}</text>"
        )
        parts.append(f'<rect x="{label_width}" y="{y + 4}" width="{width}" height="18" fill="{BAR}"></rect>')
        parts.append(
            f'<text x="{label_width + width + 6}" y="{y + 17}" font-size="13" fill="{INK}">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped


def columns(title: str, description: str, points: Sequence[tuple[str, int]]) -> Markup:
    """Upright columns in time order (months or terms), each with its value above and a short label below."""
    column_width, gap, chart_height, top, bottom = 34, 10, 160, 20, 44
    width = max(len(points) * (column_width + gap) + gap, 200)
    maximum = max((v for _, v in points), default=0)
    parts = _open(title, description, width, top + chart_height + bottom)
    base = top + chart_height
    parts.append(f'<line x1="0" y1="{base}" x2="{width}" y2="{base}" stroke="{LINE}" stroke-width="1"></line>')
    for n, (label, value) in enumerate(points):
        x = gap + n * (column_width + gap)
        height = round(chart_height * value / maximum, 1) if maximum else 0
        parts.append(f'<rect x="{x}" y="{base - height}" width="{column_width}" height="{height}" fill="{BAR}"></rect>')
        parts.append(
            f'<text x="{x + column_width / 2}" y="{base - height - 5}" text-anchor="middle" font-size="12" '
            f'fill="{INK}">{value}</text>'
        )
        for line, word in enumerate(label.split(" ", 1)):  # "Sep 2026": the month over the year
            parts.append(
                f'<text x="{x + column_width / 2}" y="{base + 16 + line * 14}" text-anchor="middle" '
                f'font-size="11" fill="{INK}">{escape(word)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped

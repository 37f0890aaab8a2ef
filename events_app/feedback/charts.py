"""Charts drawn on the server as SVG: no JavaScript, sharp in print, with a title for screen readers
(every chart sits next to a table holding the same figures)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from markupsafe import Markup, escape

_ids = itertools.count(1)
BAR = "#0b4f8a"
INK = "#1b1b1f"


def bars(title: str, rows: Sequence[tuple[str, float | None]], maximum: float, suffix: str = "") -> Markup:
    """Horizontal bars, one per row: the label, the bar, the value."""
    chart_id = f"chart-{next(_ids)}"
    label_width, bar_width, row_height = 230, 300, 26
    height = row_height * len(rows) + 10
    parts = [
        f'<svg role="img" aria-labelledby="{chart_id}" viewBox="0 0 {label_width + bar_width + 70} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" class="chart">',
        f'<title id="{chart_id}">{escape(title)}</title>',
    ]
    for n, (label, value) in enumerate(rows):
        y = 5 + n * row_height
        width = 0 if not value or not maximum else round(bar_width * value / maximum, 1)
        shown = "–" if value is None else (f"{value:g}{suffix}")
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" font-size="13" fill="{INK}">'
            f"{escape(label[:34])}</text>"
        )
        parts.append(f'<rect x="{label_width}" y="{y + 4}" width="{width}" height="18" fill="{BAR}"></rect>')
        parts.append(
            f'<text x="{label_width + width + 6}" y="{y + 17}" font-size="13" fill="{INK}">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped

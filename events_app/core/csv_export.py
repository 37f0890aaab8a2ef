"""The one CSV writer every export uses: UTF-8 with a byte-order mark (so Excel reads accents and Welsh letters
right), CRLF line ends, and cells that would start a formula shown as text, never run (CSV injection)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from litestar import Response

BOM = "\ufeff"
# A spreadsheet runs a cell starting with one of these as a formula (tab and CR too, in some programs).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """Spreadsheet-safe text: a cell that starts like a formula gets a leading apostrophe, so it shows as text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A whole CSV document: the header, then each row, every cell made safe; quoting as the csv module does
    (a cell with a comma, a quote or a line break is quoted, so line breaks stay inside their cell)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([cell(v) for v in header])
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return (BOM + buffer.getvalue()).encode("utf-8")


def csv_response(body: bytes, filename: str) -> Response[bytes]:
    """A CSV download: never cached (it holds people's data), saved under `filename`."""
    return Response(
        body,
        media_type="text/csv",  # Litestar adds "; charset=utf-8"
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )

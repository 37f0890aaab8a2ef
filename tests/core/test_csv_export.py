"""The one CSV writer: what a person opening an export in Excel or LibreOffice relies on."""

from __future__ import annotations

import csv
import io

import pytest

from events_app.core.csv_export import cell, csv_bytes, csv_response


def _read(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_starts_with_a_byte_order_mark_and_keeps_accents() -> None:
    body = csv_bytes(["Name"], [["Siân Llewelyn"], ["Zoë Ó Súilleabháin"]])
    assert body.startswith(b"\xef\xbb\xbf")
    assert _read(body) == [["Name"], ["Siân Llewelyn"], ["Zoë Ó Súilleabháin"]]
    assert body.count(b"\r\n") == 3  # Windows line ends, one per row


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_a_cell_that_starts_like_a_formula_is_text(value: str) -> None:
    assert _read(csv_bytes(["Organisation"], [[value]]))[1] == ["'" + value]


def test_ordinary_values_are_left_as_they_are() -> None:
    assert [cell(v) for v in ("a=b", "x-1", 12, None, "", "name@example.org")] == [
        "a=b",
        "x-1",
        "12",
        "",
        "",
        "name@example.org",
    ]


def test_commas_quotes_and_line_breaks_stay_inside_their_cell() -> None:
    rows = _read(csv_bytes(["A", "B"], [['Smith, "Jo"', "line one\nline two\r\nline three"]]))
    assert rows == [["A", "B"], ['Smith, "Jo"', "line one\nline two\r\nline three"]]


def test_the_header_is_neutralised_too() -> None:
    """Question labels are typed by organisers and become column names."""
    assert _read(csv_bytes(["=cmd()"], []))[0] == ["'=cmd()"]


def test_a_download_is_named_and_never_cached() -> None:
    response = csv_response(b"x", "registrations-demo.csv")
    assert response.headers["Content-Disposition"] == 'attachment; filename="registrations-demo.csv"'
    assert response.headers["Cache-Control"] == "no-store"
    assert response.media_type == "text/csv"

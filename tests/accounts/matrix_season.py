"""Access-matrix rows for copies and runs (joined into MATRIX by tests/accounts/test_access_matrix.py)."""

from __future__ import annotations

from tests.accounts.matrix_parts import Body, Expected, form, json, organiser_api, organiser_page

# A year on from the seeded event, a week apart: the copy keeps its room, so two copies on one day would clash.
COPY_DAY, PAGE_DAY = "2031-06-11", "2031-06-18"

# (method, path) -> (status per role, body): reads and changes that leave the seeded objects in place
PAGES: dict[tuple[str, str], tuple[Expected, Body | None]] = {
    ("POST", "/api/events/{slug:str}/copy"): (organiser_api(201), json({"date": COPY_DAY})),
    # A preview: the copies are listed, nothing is made.
    ("POST", "/api/events/{slug:str}/runs"): (organiser_api(200), json({"pattern": "weekly", "count": 2})),
    ("GET", "/organiser/events/{slug:str}/copy"): (organiser_page(200), None),
    ("POST", "/organiser/events/{slug:str}/copy"): (organiser_page(303), form({"date": PAGE_DAY, "title": "Copy"})),
    ("GET", "/organiser/events/{slug:str}/repeat"): (organiser_page(200), None),
    ("POST", "/organiser/events/{slug:str}/repeat"): (organiser_page(200), form({"pattern": "weekly", "count": "2"})),
}

# Run after every other row but the matrix's own last block: rows that remove or cancel seeded objects
LAST: dict[tuple[str, str], tuple[Expected, Body | None]] = {}

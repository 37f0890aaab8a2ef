"""Access-matrix rows for the impact report and the public impact page (joined into MATRIX by
tests/accounts/test_access_matrix.py)."""

from __future__ import annotations

from tests.accounts.matrix_parts import Body, Expected, form, organiser_api, organiser_page, public

# (method, path) -> (status per role, body): reads, and a switch left as it was (off)
PAGES: dict[tuple[str, str], tuple[Expected, Body | None]] = {
    ("GET", "/api/impact"): (organiser_api(200), None),
    ("GET", "/api/impact/report.csv"): (organiser_api(200), None),
    ("GET", "/organiser/impact"): (organiser_page(200), None),
    ("POST", "/organiser/impact/public"): (organiser_page(303), form({"public": "off"})),
    # Off until an organiser turns it on: not found, for everyone alike.
    ("GET", "/impact"): (public(404), None),
}

LAST: dict[tuple[str, str], tuple[Expected, Body | None]] = {}

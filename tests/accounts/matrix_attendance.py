"""Access-matrix rows for recording online attendance from a meeting platform's export (issue 18, part 5): organisers
with rights on the event, not the door staff (joined into MATRIX by tests/accounts/test_access_matrix.py)."""

from __future__ import annotations

from tests.accounts.matrix_parts import Body, Expected, form, json, organiser_api, organiser_page

EMPTY_EXPORT = "email,joined_at\n"  # the header alone: read, and nothing to record

# (method, path) -> (status per role, body): none of them changes what the other rows use
PAGES: dict[tuple[str, str], tuple[Expected, Body | None]] = {
    ("GET", "/organiser/events/{slug:str}/attendance/import"): (organiser_page(200), None),
    ("POST", "/organiser/events/{slug:str}/attendance/import"): (organiser_page(200), form({"text": EMPTY_EXPORT})),
    ("POST", "/api/events/{slug:str}/attendance/online-import"): (organiser_api(200), json({"csv": EMPTY_EXPORT})),
}

"""Access-matrix rows for the organisers' care of feedback: the open link closed or opened again, and a written
answer deleted (joined into MATRIX by tests/accounts/test_access_matrix.py)."""

from __future__ import annotations

from tests.accounts.matrix_parts import Body, Expected, form, organiser_api, organiser_page

# (method, path) -> (status per role, body): changes that leave the seeded form and answer as they were
PAGES: dict[tuple[str, str], tuple[Expected, Body | None]] = {
    # Asked to open a link that is open: nothing changes.
    ("POST", "/organiser/events/{slug:str}/feedback/open-link"): (organiser_page(303), form({"open": "yes"})),
    # Without the box ticked nothing is deleted: the page comes back saying so.
    ("POST", "/organiser/events/{slug:str}/feedback/answers/{answer_id:int}/delete"): (organiser_page(303), form({})),
}

# Run after everything else: the seeded written answer is deleted.
LAST: dict[tuple[str, str], tuple[Expected, Body | None]] = {
    ("DELETE", "/api/events/{slug:str}/feedback/answers/{answer_id:int}"): (organiser_api(200), None),
}

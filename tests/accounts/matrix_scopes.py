"""Access-matrix rows for the page that sets an account's scope (joined into MATRIX by test_access_matrix.py)."""

from __future__ import annotations

from tests.accounts.matrix_parts import Body, Expected, form

# Admins only: an organiser page that needs the admin role.
ADMIN_PAGE: Expected = (303, 403, 403, 200)

# (method, path) -> (status per role, body): reads and changes that leave the seeded objects in place
PAGES: dict[tuple[str, str], tuple[Expected, Body | None]] = {
    ("GET", "/organiser/accounts/{user_id:int}/scope"): (ADMIN_PAGE, None),
    # Nothing ticked: the seeded account keeps seeing every event.
    ("POST", "/organiser/accounts/{user_id:int}/scope"): ((303, 403, 403, 303), form({})),
}

# Run after every other row but the matrix's own last block: rows that remove or cancel seeded objects
LAST: dict[tuple[str, str], tuple[Expected, Body | None]] = {}

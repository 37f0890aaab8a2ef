"""Access-matrix rows for timetable pages (joined into MATRIX by tests/accounts/test_access_matrix.py)."""

from __future__ import annotations

from tests.accounts.matrix_parts import Body, Expected

# (method, path) -> (status per role, body): reads and changes that leave the seeded objects in place
PAGES: dict[tuple[str, str], tuple[Expected, Body | None]] = {}

# Run after every other row but the matrix's own last block: rows that remove or cancel seeded objects
LAST: dict[tuple[str, str], tuple[Expected, Body | None]] = {}

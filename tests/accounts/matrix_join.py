"""Access-matrix rows for the delegates' own join links (joined into MATRIX by tests/accounts/test_access_matrix.py)."""

from __future__ import annotations

from tests.accounts.matrix_parts import Body, Expected, public

# (method, path) -> (status per role, body). The link is the key, whoever follows it, signed in or not: the seeded
# event is held in person, so its delegate's link answers the same page (no meeting to join) for every role alike.
# tests/checkin/test_join_links.py follows links of online events (early, recorded, refused).
PAGES: dict[tuple[str, str], tuple[Expected, Body | None]] = {
    ("GET", "/join/{token:str}"): (public(404), None),
}

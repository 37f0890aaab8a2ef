"""Access-matrix rows for hybrid places (joined into MATRIX by tests/accounts/test_access_matrix.py)."""

from __future__ import annotations

from tests.accounts.matrix_parts import Body, Expected, form, json, public

# (method, path) -> (status per role, body): reads and changes that leave the seeded objects in place
PAGES: dict[tuple[str, str], tuple[Expected, Body | None]] = {
    # The seeded event is in person only: the delegate's switch is refused in plain words, the page shown again.
    ("POST", "/my/{token:str}/registrations/{registration_id:int}/attendance"): (
        public(400),
        form({"attendance_mode": "online"}),
    ),
    ("POST", "/api/my/{token:str}/registrations/{registration_id:int}/attendance"): (
        public(409),
        json({"attendance_mode": "online"}),
    ),
}

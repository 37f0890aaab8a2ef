"""Access-matrix rows for name badges and certificates of attendance (joined into MATRIX by
tests/accounts/test_access_matrix.py)."""

from __future__ import annotations

from tests.accounts.matrix_parts import Body, Expected, checkin_page, form, organiser_page, public

# (method, path) -> (status per role, body): reads and changes that leave the seeded objects in place
PAGES: dict[tuple[str, str], tuple[Expected, Body | None]] = {
    ("GET", "/organiser/events/{slug:str}/badges"): (organiser_page(200), None),
    # Check-in staff print one person's badge from the scanner's answer.
    ("GET", "/organiser/events/{slug:str}/badges.pdf"): (checkin_page(200), None),
    (
        "POST",
        "/organiser/events/{slug:str}/badges/printed",
    ): (organiser_page(303), form(lambda s: {"ids": str(s.registration_id), "layout": "a6-1"})),
    # The seeded event does not offer certificates: refused past the link's check, in plain words.
    ("GET", "/my/{token:str}/registrations/{registration_id:int}/certificate.pdf"): (public(404), None),
    # Anyone may check a certificate; a code the site never issued is "not genuine".
    ("GET", "/certificates/{token:str}"): (public(404), None),
}

LAST: dict[tuple[str, str], tuple[Expected, Body | None]] = {}

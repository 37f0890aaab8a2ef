"""Access-matrix rows for an event's settings page and the feedback page's own actions (joined into MATRIX by
tests/accounts/test_access_matrix.py)."""

from __future__ import annotations

from tests.accounts.matrix_parts import Body, Expected, form, organiser_api, organiser_page

SETTINGS = {"reminders": "custom", "reminder_offsets": "2d, 1h", "feedback": "site", "email_note": "Bring ID"}

# (method, path) -> (status per role, body): reads and changes that leave the seeded objects in place
PAGES: dict[tuple[str, str], tuple[Expected, Body | None]] = {
    ("GET", "/api/events/{slug:str}/settings"): (organiser_api(200), None),
    ("GET", "/organiser/events/{slug:str}/settings"): (organiser_page(200), None),
    ("POST", "/organiser/events/{slug:str}/settings"): (organiser_page(303), form(SETTINGS)),
    ("GET", "/organiser/events/{slug:str}/feedback/qr.png"): (organiser_page(200), None),
    # The seeded event is ahead: its feedback requests cannot go yet, refused past the guard.
    ("POST", "/organiser/events/{slug:str}/feedback/send-requests"): (organiser_page(409), form({})),
}

LAST: dict[tuple[str, str], tuple[Expected, Body | None]] = {}

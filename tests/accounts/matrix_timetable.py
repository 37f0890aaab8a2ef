"""Access-matrix rows for timetable pages (joined into MATRIX by tests/accounts/test_access_matrix.py)."""

from __future__ import annotations

from tests.accounts.matrix_parts import Body, Expected, form, organiser_page
from tests.seed import DAY

# A new session clear of the seeded one (10:00-11:00 in Room A), and the seeded session's own times.
NEW_SESSION = {"title": "Panel", "kind": "panel", "starts_at": f"{DAY}T14:00", "ends_at": f"{DAY}T15:00"}

# (method, path) -> (status per role, body): reads and changes that leave the seeded objects in place
PAGES: dict[tuple[str, str], tuple[Expected, Body | None]] = {
    ("GET", "/organiser/events/{slug:str}/timetable"): (organiser_page(200), None),
    ("GET", "/organiser/events/{slug:str}/sessions/new"): (organiser_page(200), None),
    ("POST", "/organiser/events/{slug:str}/sessions"): (organiser_page(303), form(NEW_SESSION)),
    ("GET", "/organiser/events/{slug:str}/sessions/{session_id:int}/edit"): (organiser_page(200), None),
    (
        "POST",
        "/organiser/events/{slug:str}/sessions/{session_id:int}/edit",
    ): (organiser_page(303), form({"description": "Bring questions"})),
    # Without the confirming second submit, deleting only asks: the seeded session stays.
    ("POST", "/organiser/events/{slug:str}/sessions/{session_id:int}/delete"): (organiser_page(200), form({})),
    ("POST", "/organiser/events/{slug:str}/tracks"): (organiser_page(303), form({"name": "Workshops track"})),
    (
        "POST",
        "/organiser/events/{slug:str}/tracks/{track_id:int}/edit",
    ): (organiser_page(303), form({"name": "Main stage"})),
    ("POST", "/organiser/events/{slug:str}/tracks/{track_id:int}/delete"): (organiser_page(200), form({})),
}

# Run after every other row but the matrix's own last block: rows that remove or cancel seeded objects
LAST: dict[tuple[str, str], tuple[Expected, Body | None]] = {}

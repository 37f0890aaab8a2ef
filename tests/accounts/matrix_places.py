"""Access-matrix rows for venue and speaker pages (joined into MATRIX by tests/accounts/test_access_matrix.py)."""

from __future__ import annotations

from tests.accounts.matrix_parts import Body, Expected, form, organiser_api, organiser_page

# (method, path) -> (status per role, body): reads and changes that leave the seeded objects in place
PAGES: dict[tuple[str, str], tuple[Expected, Body | None]] = {
    # The speaker with their private contact email: organisers only
    ("GET", "/api/speakers/{slug:str}/private"): (organiser_api(200), None),
    ("GET", "/organiser/venues"): (organiser_page(200), None),
    ("POST", "/organiser/venues"): (organiser_page(303), form({"name": "Village hall", "city": "Taunton"})),
    ("GET", "/organiser/venues/{venue_id:int}/edit"): (organiser_page(200), None),
    ("POST", "/organiser/venues/{venue_id:int}/edit"): (organiser_page(303), form({"name": "Kingsgate House"})),
    ("POST", "/organiser/venues/{venue_id:int}/rooms"): (
        organiser_page(303),
        form({"name": "Room P", "capacity": "12"}),
    ),
    (
        "POST",
        "/organiser/venues/{venue_id:int}/rooms/{room_id:int}",
    ): (organiser_page(303), form({"name": "Room A", "capacity": "40"})),
    ("GET", "/organiser/speakers"): (organiser_page(200), None),
    ("POST", "/organiser/speakers"): (
        organiser_page(303),
        form({"name": "Bo Page", "contact_email": "bo@example.org"}),
    ),
    ("GET", "/organiser/speakers/{slug:str}/edit"): (organiser_page(200), None),
    (
        "POST",
        "/organiser/speakers/{slug:str}/edit",
    ): (organiser_page(303), form({"name": "Page Speaker", "job_title": "Chair"})),
}

# Run after every other row but the matrix's own last block: rows that remove or cancel seeded objects
LAST: dict[tuple[str, str], tuple[Expected, Body | None]] = {
    # A session is in the seeded room and an event at the seeded venue: removing them is refused past the guard.
    ("POST", "/organiser/venues/{venue_id:int}/rooms/{room_id:int}/delete"): (organiser_page(400), form({})),
    ("POST", "/organiser/venues/{venue_id:int}/delete"): (organiser_page(400), form({})),
    ("POST", "/organiser/speakers/{slug:str}/delete"): (organiser_page(303), form({})),
}

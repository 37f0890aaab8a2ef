"""Access-matrix rows for series and events pages (joined into MATRIX by tests/accounts/test_access_matrix.py)."""

from __future__ import annotations

from tests.accounts.matrix_parts import Body, Expected, form, organiser_page
from tests.seed import DAY, Seeded


def _event_form(s: Seeded) -> dict[str, str]:
    """The seeded event's edit form as its page fills it: nothing that people feel changes, so it is saved at once."""
    return {
        "title": f"National Conference {s.suffix}",
        "kind": "conference",
        "status": "published",
        "timezone": "Europe/London",
        "starts_at": f"{DAY}T09:00",
        "ends_at": f"{DAY}T17:00",
        "venue_id": str(s.venue_id),
        "series_id": str(s.series_id),
        "capacity": "50",
        "summary": "A day for everyone",
    }


NEW_EVENT = {
    "title": "Forum",
    "kind": "forum_meeting",
    "status": "draft",
    "starts_at": f"{DAY}T10:00",
    "ends_at": f"{DAY}T12:00",
}

# (method, path) -> (status per role, body): reads and changes that leave the seeded objects in place
PAGES: dict[tuple[str, str], tuple[Expected, Body | None]] = {
    ("GET", "/organiser/series"): (organiser_page(200), None),
    ("POST", "/organiser/series"): (organiser_page(303), form({"title": "Forum meetings"})),
    ("GET", "/organiser/series/{slug:str}/edit"): (organiser_page(200), None),
    ("POST", "/organiser/series/{slug:str}/edit"): (organiser_page(303), form({"title": "Seminars", "region_id": ""})),
    ("GET", "/organiser/events/new"): (organiser_page(200), None),
    ("POST", "/organiser/events/new"): (organiser_page(303), form(NEW_EVENT)),
    ("GET", "/organiser/events/{slug:str}/edit"): (organiser_page(200), None),
    ("POST", "/organiser/events/{slug:str}/edit"): (organiser_page(303), form(_event_form)),
    ("POST", "/organiser/events/{slug:str}/publish"): (organiser_page(303), form({})),  # published already
    ("GET", "/organiser/events/{slug:str}/cancel"): (organiser_page(200), None),
    # Without the confirmation the cancel page asks again (400) and the seeded event stays as it is.
    ("POST", "/organiser/events/{slug:str}/cancel"): (organiser_page(400), form({})),
}

# Run after every other row but the matrix's own last block: rows that remove or cancel seeded objects
LAST: dict[tuple[str, str], tuple[Expected, Body | None]] = {}

"""Access-matrix rows for the hub's resources: public pages, feed and API reads; organisers' pages and API writes
(joined into MATRIX by test_access_matrix.py). The seeded resource is published and presented at the event."""

from __future__ import annotations

from tests.accounts.matrix_parts import Body, Expected, form, json, organiser_api, organiser_page, public

PAGES: dict[tuple[str, str], tuple[Expected, Body | None]] = {
    ("GET", "/resources"): (public(200), None),
    ("GET", "/resources/feed.atom"): (public(200), None),
    ("GET", "/resources/{slug:str}"): (public(200), None),
    ("GET", "/api/resources"): (public(200), None),
    ("GET", "/api/resources/{slug:str}"): (public(200), None),
    ("GET", "/api/resource-themes"): (public(200), None),
    ("POST", "/api/resources"): (
        organiser_api(201),
        json({"title": "Family maths evenings", "themes": ["family-learning"]}),
    ),
    ("PATCH", "/api/resources/{slug:str}"): (organiser_api(200), json({"summary": "Mentors from a charity"})),
    # Published already: publishing again is refused past the guard.
    ("POST", "/api/resources/{slug:str}/publish"): (organiser_api(409), None),
    ("GET", "/organiser/resources"): (organiser_page(200), None),
    ("GET", "/organiser/resources/new"): (organiser_page(200), None),
    ("POST", "/organiser/resources/new"): (
        organiser_page(303),
        form({"title": "Teacher CPD evenings", "kind": "resource"}),
    ),
    ("GET", "/organiser/resources/{slug:str}/edit"): (organiser_page(200), None),
    (
        "POST",
        "/organiser/resources/{slug:str}/edit",
    ): (organiser_page(303), form({"title": "Mentoring with charities", "kind": "case_study", "themes": "mentoring"})),
    ("POST", "/organiser/resources/{slug:str}/publish"): (organiser_page(400), form({})),  # published already
    ("GET", "/organiser/resources/{slug:str}/materials"): (organiser_page(200), None),
    ("POST", "/organiser/resources/{slug:str}/materials/links"): (
        organiser_page(303),
        form({"title": "Recording", "url": "https://video.example.org/mentoring"}),
    ),
    ("POST", "/organiser/resources/{slug:str}/materials/files"): (organiser_page(400), form({"title": "No file"})),
    # The seeded material is the event's, not the resource's: not found here.
    ("POST", "/organiser/resources/{slug:str}/materials/{material_id:int}/edit"): (organiser_page(404), form({})),
    ("POST", "/organiser/resources/{slug:str}/materials/{material_id:int}/move"): (organiser_page(404), form({})),
    ("POST", "/organiser/resources/{slug:str}/materials/{material_id:int}/delete"): (organiser_page(404), form({})),
}

# Run after every other row: these take the seeded resource off the public pages, then remove it.
LAST: dict[tuple[str, str], tuple[Expected, Body | None]] = {
    ("POST", "/api/resources/{slug:str}/unpublish"): (organiser_api(200), None),
    ("POST", "/organiser/resources/{slug:str}/unpublish"): (organiser_page(400), form({})),  # a draft already
    ("POST", "/organiser/resources/{slug:str}/delete"): (organiser_page(303), form({})),
    ("DELETE", "/api/resources/{slug:str}"): (organiser_api(404), None),  # removed just above
}

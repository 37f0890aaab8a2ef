"""Access-matrix rows for organisation and stakeholder-group pages (joined into MATRIX by test_access_matrix.py)."""

from __future__ import annotations

from tests.accounts.matrix_parts import Body, Expected, form, organiser_page

# (method, path) -> (status per role, body): reads and changes that leave the seeded objects in place
PAGES: dict[tuple[str, str], tuple[Expected, Body | None]] = {
    ("GET", "/organiser/organisations"): (organiser_page(200), None),
    (
        "POST",
        "/organiser/organisations",
    ): (organiser_page(303), form(lambda s: {"name": "Page University", "stakeholder_group_id": str(s.group_id)})),
    ("GET", "/organiser/organisations/{slug:str}/edit"): (organiser_page(200), None),
    (
        "POST",
        "/organiser/organisations/{slug:str}/edit",
    ): (organiser_page(303), form(lambda s: {"name": "Page Trust", "stakeholder_group_id": str(s.group_id)})),
    ("GET", "/organiser/stakeholder-groups"): (organiser_page(200), None),
    ("POST", "/organiser/stakeholder-groups"): (
        organiser_page(303),
        form({"name": "Parents and carers", "sector_role": "other"}),
    ),
    ("GET", "/organiser/stakeholder-groups/{slug:str}/edit"): (organiser_page(200), None),
    (
        "POST",
        "/organiser/stakeholder-groups/{slug:str}/edit",
    ): (organiser_page(303), form({"name": "Funders", "sector_role": "funder", "description": "Who pays"})),
    ("POST", "/organiser/stakeholder-groups/{slug:str}/move"): (organiser_page(303), form({"direction": "down"})),
}

# Run after every other row but the matrix's own last block: rows that remove or cancel seeded objects
LAST: dict[tuple[str, str], tuple[Expected, Body | None]] = {
    ("POST", "/organiser/organisations/{slug:str}/delete"): (organiser_page(303), form({})),
    # Organisations belong to the seeded group: removing it is refused past the guard.
    ("POST", "/organiser/stakeholder-groups/{slug:str}/delete"): (organiser_page(400), form({})),
}

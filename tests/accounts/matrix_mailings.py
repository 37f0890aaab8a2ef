"""Access-matrix rows for network mailings, their unsubscribe page and the consent form (joined into MATRIX by
tests/accounts/test_access_matrix.py)."""

from __future__ import annotations

from tests.accounts.matrix_parts import Body, Expected, form, json, organiser_api, organiser_page, public

DRAFT = {"subject": "The network's year", "body": "Thank you for coming."}

# (method, path) -> (status per role, body)
PAGES: dict[tuple[str, str], tuple[Expected, Body | None]] = {
    ("GET", "/organiser/mailings"): (organiser_page(200), None),
    ("GET", "/organiser/mailings/new"): (organiser_page(200), None),
    ("POST", "/organiser/mailings/new"): (organiser_page(200), form({**DRAFT, "action": "preview"})),
    ("GET", "/api/mailings"): (organiser_api(200), None),
    ("POST", "/api/mailings/preview"): (organiser_api(200), json(DRAFT)),
    # The seeded delegate did not say they are happy to be contacted: refused past the guard, nothing sent.
    ("POST", "/api/mailings"): (organiser_api(422), json(DRAFT)),
    # The signed link is the key: no sign-in, and no CSRF token (mail programs' one-click POST has none).
    ("GET", "/unsubscribe/{token:str}"): (public(200), None),
    ("POST", "/unsubscribe/{token:str}"): (public(200), form({"List-Unsubscribe": "One-Click"})),
    # The delegate's own page (the emailed link): happy to be contacted, or not.
    ("POST", "/my/{token:str}/consent"): (public(303), form({"consent_to_contact": "yes"})),
}

LAST: dict[tuple[str, str], tuple[Expected, Body | None]] = {}

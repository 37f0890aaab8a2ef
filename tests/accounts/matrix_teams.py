"""Access-matrix rows for organiser accounts (admins only) and the password pages anyone may open (joined into
MATRIX by test_access_matrix.py). The seeded account (`user_id`) is a check-in account with a password."""

from __future__ import annotations

from tests.accounts.matrix_parts import Body, Expected, form, public

PASSWORD = {"password": "a long enough password", "password_again": "a long enough password"}


def admin_page(status: int) -> Expected:
    return (303, 403, 403, status)


# (method, path) -> (status per role, body): reads and changes that leave the seeded account as it is
PAGES: dict[tuple[str, str], tuple[Expected, Body | None]] = {
    ("GET", "/organiser/accounts"): (admin_page(200), None),
    (
        "POST",
        "/organiser/accounts",
    ): (admin_page(303), form({"email": "invited@example.org", "name": "Invited Person", "role": "checkin"})),
    ("GET", "/organiser/accounts/{user_id:int}/edit"): (admin_page(200), None),
    ("POST", "/organiser/accounts/{user_id:int}/edit"): (admin_page(303), form({"role": "checkin"})),
    # The seeded account has its password already: no invitation to send again, refused past the guard.
    ("POST", "/organiser/accounts/{user_id:int}/invite"): (admin_page(400), form({})),
    ("GET", "/organiser/forgot-password"): (public(200), None),
    ("POST", "/organiser/forgot-password"): (public(303), form({"email": "target@example.org"})),
    # The token in these paths is another link's (a calendar feed's): not a password link, for anyone.
    ("GET", "/organiser/set-password/{token:str}"): (public(404), None),
    ("POST", "/organiser/set-password/{token:str}"): (public(404), form(PASSWORD)),
    ("GET", "/organiser/reset-password/{token:str}"): (public(404), None),
    ("POST", "/organiser/reset-password/{token:str}"): (public(404), form(PASSWORD)),
}

# Run after every other row but the matrix's own last block: the seeded account is deactivated, then back
LAST: dict[tuple[str, str], tuple[Expected, Body | None]] = {
    ("POST", "/organiser/accounts/{user_id:int}/deactivate"): (admin_page(303), form({})),
    ("POST", "/organiser/accounts/{user_id:int}/reactivate"): (admin_page(303), form({})),
}

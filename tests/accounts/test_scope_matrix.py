"""The access matrix again, for accounts limited to one series (issue 16, part 5: scopes). Two worlds are seeded:
one in the account's series, one outside it. Every organiser route that names something of the world outside
(an event, its series, sessions, tracks, questions, registrations, delegates, check-ins, messages) answers 404, and
changes nothing; public routes answer as they do for anyone; and in its own world the limited account gets what
MATRIX gives its role, but where creating something outside its scope is refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from tests.accounts.matrix_parts import ROLES
from tests.accounts.test_access_matrix import MATRIX, ROUTES, Caller, _csrf_token, url_for
from tests.conftest import Accounts
from tests.seed import Seeded, path_values, seed

# Shared by every region: places, people's organisations and groups, the accounts themselves, and the hub of
# resources (the network's library, which every region's lead adds to).
NOT_ABOUT_EVENTS = (
    "/api/resources",
    "/organiser/resources",
    "/api/venues",
    "/api/rooms",
    "/organiser/venues",
    "/api/speakers",
    "/organiser/speakers",
    "/api/organisations",
    "/organiser/organisations",
    "/api/stakeholder-groups",
    "/organiser/stakeholder-groups",
    "/api/organisers",
    "/organiser/accounts",
)

# Inside its own scope a limited account gets what its role gets, but for these: a new event or series that
# names no series or region of its scope would be outside it, so it is refused (403; a page shows the form again, 400).
REFUSED_INSIDE = {
    ("POST", "/api/events"): 403,
    ("POST", "/organiser/events/new"): 400,
    ("POST", "/api/series"): 403,
    ("POST", "/organiser/series"): 400,
    # The seeded account given "every event" by a limited admin: wider than the admin's own scope.
    ("POST", "/organiser/accounts/{user_id:int}/scope"): 403,
    # The public impact page shows the whole network: a limited account may not switch it.
    ("POST", "/organiser/impact/public"): 403,
}


# Public routes whose answer depends on rights on the event: outside its scope a limited account is anyone.
PUBLIC_OUTSIDE = {("POST", "/api/events/{slug:str}/registrations"): 202}


def about_an_event(method: str, path: str) -> bool:
    return bool(ROUTES[(method, path)]) and "{" in path and not path.startswith(NOT_ABOUT_EVENTS)


async def limit(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any], role: str, to: Seeded
) -> None:
    """Give the `role` test account the scope of the inside world's series (as an admin), then sign in as it."""
    from events_app.accounts import services

    email = accounts.create(role)
    await accounts.sign_in("admin")
    user_id = next(o.id for o in run(services.list_organisers) if o.email == email)
    response = await client.patch(f"/api/organisers/{user_id}", json={"scope": {"series": [to.series]}})
    assert response.status_code == 200, response.text
    assert response.json()["scope"] == {"series": [to.series], "regions": []}
    await accounts.sign_in(role)


@pytest.mark.parametrize("role", ROLES[1:])
async def test_a_limited_account_meets_404_outside_its_scope(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any], role: str
) -> None:
    from events_app.accounts import services

    await accounts.sign_in("admin")
    target_email = accounts.create("checkin", "target@example.org")
    target = next(o for o in run(services.list_organisers) if o.email == target_email)
    inside = await seed(client, suffix="in", organiser_id=target.id)
    outside = await seed(client, suffix="out", organiser_id=target.id)
    await limit(client, accounts, run, role, inside)
    call = Caller(client, outside, await _csrf_token(client))
    column = ROLES.index(role)
    wrong: list[str] = []
    for method, path in MATRIX:
        if "{" not in path:
            continue
        allowed = MATRIX[(method, path)][0][column]
        if about_an_event(method, path):
            want = allowed if allowed in (401, 403) else 404
        elif not ROUTES[(method, path)]:
            want = PUBLIC_OUTSIDE.get((method, path), allowed)  # public: as for anyone, the limited account too
        else:
            continue
        response = await call(method, path, path_values(path, outside))
        if response.status_code != want:
            wrong.append(f"{method} {path}: {response.status_code}, not {want}: {response.text[:160]}")
    assert not wrong, f"{role} limited to {inside.series}:\n" + "\n".join(wrong)

    # Inside its scope the same account works as its role does.
    call = Caller(client, inside, call.csrf)
    for method, path in MATRIX:
        want = MATRIX[(method, path)][0][column]
        want = REFUSED_INSIDE.get((method, path), want) if want not in (401, 403) else want
        response = await call(method, path, path_values(path, inside))
        expected = (want, 303) if want == 303 else (want,)
        if response.status_code not in expected:
            wrong.append(f"{method} {path}: {response.status_code}, not {want}: {response.text[:160]}")
    assert not wrong, f"{role} limited to {inside.series}, inside:\n" + "\n".join(wrong)


def test_the_outside_run_covers_every_organiser_route_of_an_event() -> None:
    """The list the outside run skips is only of things every region shares: a new guarded route with a path
    parameter is checked for scope unless it is added there on purpose."""
    checked = [k for k in MATRIX if about_an_event(*k)]
    assert ("GET", "/api/registrations/{registration_id:int}") in checked
    assert ("GET", "/organiser/outbox/{message_id:int}") in checked
    assert ("GET", "/api/series/{slug:str}/feedback/results") in checked
    assert len(checked) > 60
    _ = url_for  # the matrix's own helper builds each URL

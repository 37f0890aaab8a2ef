"""Who may call what: every route of the app, for each of anonymous, check-in staff, organiser and admin, and the
status each gets. Requests name seeded objects (an event, a session, a registration, the delegate's signed links
...), so a status says whether access was granted, not that something was missing.

Reading the table: 401 is "sign in first" (an API), 303 for anonymous on an organiser page is the redirect to the
sign-in page (browsers ask for HTML), 403 is "your role is too low". Any other status for a role means the request
got past the guards: 2xx, a 303 after a form, or a refusal of the request itself (400, 409).
A new route fails `test_every_route_has_an_entry` until it is given a row here."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient

from tests.accounts import (
    matrix_attendance,
    matrix_calls,
    matrix_dashboard,
    matrix_documents,
    matrix_events,
    matrix_feedback,
    matrix_hub,
    matrix_hybrid,
    matrix_impact,
    matrix_join,
    matrix_mailings,
    matrix_materials,
    matrix_people,
    matrix_places,
    matrix_questions,
    matrix_scopes,
    matrix_season,
    matrix_settings,
    matrix_teams,
    matrix_timetable,
)
from tests.accounts.matrix_parts import (
    ROLES,
    Body,
    Expected,
    admin_api,
    checkin_api,
    checkin_page,
    form,
    json,
    organiser_api,
    organiser_page,
    public,
)
from tests.conftest import Accounts
from tests.seed import DAY, Seeded, path_values, seed

# Routes the matrix does not call, and why. (The OPTIONS answer Litestar adds to every path is left out of the
# table too: test_options_answers_are_the_same_for_everyone covers them all.)
EXCLUDED = {
    ("GET", "/static/{name:path}"): "static files: no guard and no data (style sheets, the scanner script)",
    ("HEAD", "/static/{name:path}"): "static files: no guard and no data",
}


def delegate(name: str) -> Body:
    """A new delegate for the seeded event (each role's run has its own database)."""
    return json(
        lambda s: {
            "name": name,
            "email": f"{name.lower()}@example.org",
            "stakeholder_group": s.group,
            "organisation_name": "Open University",
        }
    )


SESSION = {"title": "Panel", "kind": "panel", "starts_at": f"{DAY}T14:00:00", "ends_at": f"{DAY}T15:00:00"}
EVENT = {"title": "Forum", "kind": "forum_meeting", "starts_at": f"{DAY}T10:00:00", "ends_at": f"{DAY}T12:00:00"}
MESSAGE = {"subject": "Room change", "body": "We have moved to Room B.", "statuses": ["confirmed"]}

# (method, path) -> (expected status per role, request body). Requests go in this order: the last block changes
# or removes the seeded objects (deleting, erasing, cancelling, signing out) and so runs after everything else.
MATRIX: dict[tuple[str, str], tuple[Expected, Body | None]] = {
    # Public pages, feeds and the health check
    ("GET", "/healthz"): (public(200), None),
    ("GET", "/"): (public(200), None),
    ("GET", "/past"): (public(200), None),
    ("GET", "/events/{slug:str}"): (public(200), None),
    ("GET", "/series/{slug:str}"): (public(200), None),
    ("GET", "/speakers/{slug:str}"): (public(200), None),
    ("GET", "/calendar.ics"): (public(200), None),
    ("GET", "/events/{slug:str}/calendar.ics"): (public(200), None),
    ("GET", "/series/{slug:str}/calendar.ics"): (public(200), None),
    ("GET", "/calendar/{token:str}"): (public(200), None),
    # The OpenAPI schema and its viewer (Swagger UI, from this site's own files)
    ("GET", "/schema"): (public(200), None),
    ("GET", "/schema/openapi.json"): (public(200), None),
    ("GET", "/schema/openapi.yaml"): (public(200), None),
    ("GET", "/schema/openapi.yml"): (public(200), None),
    ("GET", "/schema/swagger"): (public(200), None),
    ("GET", "/schema/{path:str}"): (public(404), None),  # a viewer that is not there
    # Signing in (wrong password: a refusal anyone may get) and the organiser's pages
    ("GET", "/organiser/sign-in"): (public(200), None),
    ("POST", "/organiser/sign-in"): (public(400), form({"email": "nobody@example.org", "password": "wrong"})),
    ("POST", "/api/auth/sign-in"): (public(400), json({"email": "nobody@example.org", "password": "wrong"})),
    ("GET", "/api/auth/me"): (checkin_api(200), None),
    ("GET", "/organiser"): (checkin_page(200), None),
    # Organiser accounts: admins only
    ("GET", "/api/organisers"): (admin_api(200), None),
    (
        "POST",
        "/api/organisers",
    ): (
        admin_api(201),
        json({"email": "new@example.org", "name": "New", "role": "checkin", "password": "a long enough password"}),
    ),
    ("PATCH", "/api/organisers/{user_id:int}"): (admin_api(200), json({"role": "checkin"})),
    # Programme: everyone reads what is published, organisers write
    ("GET", "/api/events"): (public(200), None),
    ("GET", "/api/events/{slug:str}"): (public(200), None),
    ("GET", "/api/events/{slug:str}/sessions"): (public(200), None),
    ("POST", "/api/events"): (organiser_api(201), json(EVENT)),
    ("PATCH", "/api/events/{slug:str}"): (organiser_api(200), json({"summary": "A day for everyone"})),
    ("POST", "/api/events/{slug:str}/sessions"): (organiser_api(201), json(SESSION)),
    ("POST", "/api/events/{slug:str}/tracks"): (organiser_api(201), json({"name": "Second track"})),
    ("GET", "/api/sessions/{session_id:int}"): (public(200), None),
    ("PATCH", "/api/sessions/{session_id:int}"): (organiser_api(200), json({"description": "Bring questions"})),
    ("PATCH", "/api/tracks/{track_id:int}"): (organiser_api(200), json({"description": "The main room"})),
    ("GET", "/api/speakers"): (public(200), None),
    ("GET", "/api/speakers/{slug:str}"): (public(200), None),
    ("POST", "/api/speakers"): (organiser_api(201), json({"name": "Bo Speaker"})),
    ("PATCH", "/api/speakers/{slug:str}"): (organiser_api(200), json({"bio": "Works on access."})),
    ("GET", "/api/series"): (public(200), None),
    ("GET", "/api/series/{slug:str}"): (public(200), None),
    ("POST", "/api/series"): (organiser_api(201), json({"title": "Forum meetings"})),
    ("PATCH", "/api/series/{slug:str}"): (organiser_api(200), json({"description": "Every term"})),
    ("GET", "/api/venues"): (public(200), None),
    ("GET", "/api/venues/{venue_id:int}"): (public(200), None),
    ("POST", "/api/venues"): (organiser_api(201), json({"name": "Town hall"})),
    ("PATCH", "/api/venues/{venue_id:int}"): (organiser_api(200), json({"city": "Leeds"})),
    ("POST", "/api/venues/{venue_id:int}/rooms"): (organiser_api(201), json({"name": "Room B"})),
    ("PATCH", "/api/rooms/{room_id:int}"): (organiser_api(200), json({"capacity": 30})),
    # People
    ("GET", "/api/stakeholder-groups"): (public(200), None),
    ("GET", "/api/stakeholder-groups/{slug:str}"): (public(200), None),
    ("POST", "/api/stakeholder-groups"): (organiser_api(201), json({"name": "Employers"})),
    ("PATCH", "/api/stakeholder-groups/{slug:str}"): (organiser_api(200), json({"description": "Who pays"})),
    ("GET", "/api/regions"): (public(200), None),
    ("GET", "/api/organisations"): (public(200), None),
    ("GET", "/api/organisations/{slug:str}"): (public(200), None),
    (
        "POST",
        "/api/organisations",
    ): (organiser_api(201), json(lambda s: {"name": "Second University", "stakeholder_group_id": s.group_id})),
    ("PATCH", "/api/organisations/{slug:str}"): (organiser_api(200), json({"website": "https://uni.example.org"})),
    # Registration: anyone registers and manages their own with the emailed link; organisers see and decide
    ("GET", "/api/events/{slug:str}/questions"): (public(200), None),
    ("GET", "/api/events/{slug:str}/registration"): (public(200), None),
    # Anyone without rights on the event is told only "check your inbox" (202); organisers get the registration.
    ("POST", "/api/events/{slug:str}/registrations"): ((202, 202, 201, 201), delegate("Ann")),
    ("POST", "/api/my/link"): (public(202), json(lambda s: {"email": s.delegate_email})),
    ("GET", "/api/my/{token:str}"): (public(200), None),
    (
        "PATCH",
        "/api/my/{token:str}/registrations/{registration_id:int}",
    ): (public(200), json({"dietary_needs": "vegetarian"})),
    ("GET", "/events/{slug:str}/register"): (public(200), None),
    (
        "POST",
        "/events/{slug:str}/register",
    ): (
        public(303),
        form(
            lambda s: {
                "name": "Bea",
                "email": "bea@example.org",
                "stakeholder_group": s.group,
                "organisation_name": "Open University",
            }
        ),
    ),
    # The answer to the form says the same to everyone: check your inbox.
    ("GET", "/events/{slug:str}/registered"): (public(200), None),
    ("GET", "/tickets/{token:str}"): (public(200), None),
    # The owner of an address, from a registration's email: pages with a button (the seeded place is not held, so
    # there is nothing to confirm: refused past the guard).
    ("GET", "/registrations/not-me/{token:str}"): (public(200), None),
    ("GET", "/registrations/confirm/{token:str}"): (public(200), None),
    ("POST", "/registrations/confirm/{token:str}"): (public(409), form({})),
    ("GET", "/my"): (public(200), None),
    ("POST", "/my"): (public(303), form(lambda s: {"email": s.delegate_email})),
    ("GET", "/my/{token:str}"): (public(200), None),
    ("POST", "/my/{token:str}/registrations/{registration_id:int}"): (public(303), form({"dietary_needs": "none"})),
    ("GET", "/my/{token:str}/registrations/{registration_id:int}/ticket.png"): (public(200), None),
    ("GET", "/my/{token:str}/registrations/{registration_id:int}/ticket.svg"): (public(200), None),
    # Without the confirming tick these two only show the form again: the delegate keeps their place and data.
    ("POST", "/my/{token:str}/registrations/{registration_id:int}/cancel"): (public(400), form({})),
    ("POST", "/my/{token:str}/erase"): (public(400), form({})),
    ("GET", "/api/events/{slug:str}/registrations"): (organiser_api(200), None),
    ("GET", "/api/events/{slug:str}/registrations/counts"): (organiser_api(200), None),
    ("GET", "/api/events/{slug:str}/registrations.csv"): (organiser_api(200), None),
    ("POST", "/api/events/{slug:str}/registrations/manual"): (organiser_api(201), delegate("Cal")),
    (
        "POST",
        "/api/events/{slug:str}/questions",
    ): (organiser_api(201), json({"label": "Which workshop?", "kind": "text"})),
    ("POST", "/api/events/{slug:str}/messages/preview"): (organiser_api(200), json(MESSAGE)),
    ("POST", "/api/events/{slug:str}/messages"): (organiser_api(202), json(MESSAGE)),
    ("GET", "/api/registrations/{registration_id:int}"): (organiser_api(200), None),
    ("GET", "/api/registrations/{registration_id:int}/history"): (organiser_api(200), None),
    ("POST", "/api/registrations/approve"): (organiser_api(200), json(lambda s: {"ids": [s.registration_id]})),
    ("POST", "/api/registrations/decline"): (organiser_api(200), json(lambda s: {"ids": [s.registration_id]})),
    # A confirmed place is not on the waiting list: moving or promoting it is refused, past the guard.
    ("POST", "/api/registrations/{registration_id:int}/move"): (organiser_api(409), json({"position": 1})),
    ("POST", "/api/registrations/{registration_id:int}/promote"): (organiser_api(409), None),
    ("PATCH", "/api/questions/{question_id:int}"): (organiser_api(200), json({"label": "How did you find us?"})),
    ("GET", "/api/delegates/{delegate_id:int}/export"): (organiser_api(200), None),
    ("GET", "/organiser/events/{slug:str}/registrations"): (organiser_page(200), None),
    ("GET", "/organiser/registrations/{registration_id:int}"): (organiser_page(200), None),
    ("POST", "/organiser/registrations/{registration_id:int}/{action:str}"): (organiser_page(303), form({})),
    (
        "POST",
        "/organiser/events/{slug:str}/registrations/decide",
    ): (organiser_page(303), form(lambda s: {"action": "approve", "ids": str(s.registration_id)})),
    ("GET", "/organiser/events/{slug:str}/message"): (organiser_page(200), None),
    ("POST", "/organiser/events/{slug:str}/message"): (organiser_page(200), form({**MESSAGE, "statuses": "confirmed"})),
    # Check-in: check-in staff and above; undoing and attendance need an organiser
    ("GET", "/api/events/{slug:str}/check-in/public-key"): (checkin_api(200), None),
    ("GET", "/api/events/{slug:str}/check-in/offline"): (checkin_api(200), None),
    ("GET", "/api/events/{slug:str}/check-in/counts"): (checkin_api(200), None),
    ("GET", "/api/events/{slug:str}/check-in/search"): (checkin_api(200), lambda s: {"params": {"q": "Dee"}}),
    ("POST", "/api/events/{slug:str}/check-in/scan"): (checkin_api(200), json({"code": "not-a-ticket"})),
    ("POST", "/api/events/{slug:str}/check-in/sync"): (checkin_api(200), json({"scans": [{"code": "not-a-ticket"}]})),
    ("POST", "/api/events/{slug:str}/check-in/registrations/{registration_id:int}"): (checkin_api(200), json({})),
    ("GET", "/organiser/events/{slug:str}/check-in"): (checkin_page(200), None),
    ("POST", "/organiser/events/{slug:str}/check-in"): (checkin_page(200), form({"code": "not-a-ticket"})),
    ("GET", "/api/events/{slug:str}/attendance.csv"): (organiser_api(200), None),
    ("GET", "/organiser/events/{slug:str}/attendance"): (organiser_page(200), None),
    # Feedback: delegates answer with their link (or the open one); organisers build forms and read results
    ("GET", "/api/feedback/{token:str}"): (public(200), None),
    ("POST", "/api/feedback/{token:str}"): (public(200), json(lambda s: {"answers": {str(s.feedback_question_id): 5}})),
    (
        "POST",
        "/api/feedback/open/{open_token:str}",
    ): (public(201), json(lambda s: {"answers": {str(s.feedback_question_id): 4}, "stakeholder_group": s.group})),
    ("GET", "/feedback/{token:str}"): (public(200), None),
    ("POST", "/feedback/{token:str}"): (public(200), form(lambda s: {f"q{s.feedback_question_id}": "3"})),
    ("GET", "/feedback/open/{open_token:str}"): (public(200), None),
    (
        "POST",
        "/feedback/open/{open_token:str}",
    ): (  # the same browser answered through the API just above: one answer per browser, so it is refused
        public(409),
        form(lambda s: {f"q{s.feedback_question_id}": "4", "stakeholder_group": s.group}),
    ),
    ("GET", "/api/events/{slug:str}/feedback-form"): (organiser_api(200), None),
    # The seeded event has its form already: making another is refused, past the guard.
    ("POST", "/api/events/{slug:str}/feedback-form"): (organiser_api(409), json({})),
    ("PATCH", "/api/events/{slug:str}/feedback-form"): (organiser_api(200), json({"intro": "Five minutes, please."})),
    (
        "POST",
        "/api/events/{slug:str}/feedback-form/questions",
    ): (organiser_api(201), json({"kind": "text", "label": "Anything else?"})),
    ("PATCH", "/api/feedback-questions/{question_id:int}"): (organiser_api(200), json({"required": True})),
    (
        "POST",
        "/api/series/{slug:str}/feedback-template",
    ): (organiser_api(201), json(lambda s: {"event": s.event})),
    ("GET", "/api/events/{slug:str}/feedback/results"): (organiser_api(200), None),
    ("GET", "/api/events/{slug:str}/feedback/responses.csv"): (organiser_api(200), None),
    ("GET", "/api/events/{slug:str}/feedback/summary.csv"): (organiser_api(200), None),
    ("GET", "/api/events/{slug:str}/collaboration"): (organiser_api(200), None),
    ("GET", "/api/series/{slug:str}/feedback/results"): (organiser_api(200), None),
    ("GET", "/api/series/{slug:str}/collaboration"): (organiser_api(200), None),
    ("GET", "/organiser/events/{slug:str}/feedback"): (organiser_page(200), None),
    ("POST", "/organiser/events/{slug:str}/feedback"): (organiser_page(400), form({})),  # it has a form already
    ("GET", "/organiser/series/{slug:str}/feedback"): (organiser_page(200), None),
    # The outbox
    ("GET", "/api/outbox"): (organiser_api(200), None),
    ("GET", "/api/outbox/counts"): (organiser_api(200), None),
    ("GET", "/api/outbox/{message_id:int}"): (organiser_api(200), None),
    ("POST", "/api/outbox/{message_id:int}/retry"): (organiser_api(409), None),  # not failed: nothing to retry
    ("POST", "/api/outbox/retry-failed"): (organiser_api(200), None),
    ("GET", "/organiser/outbox"): (organiser_page(200), None),
    ("GET", "/organiser/outbox/{message_id:int}"): (organiser_page(200), None),
    ("GET", "/organiser/outbox/{message_id:int}/html"): (organiser_page(200), None),
    ("POST", "/organiser/outbox/{message_id:int}/retry"): (organiser_page(409), form({})),
    ("POST", "/organiser/outbox/retry-failed"): (organiser_page(303), form({})),
    # The organisers' workspace: dashboard, series and events, timetables, venues and speakers, people
    **matrix_dashboard.PAGES,
    **matrix_events.PAGES,
    **matrix_timetable.PAGES,
    **matrix_places.PAGES,
    **matrix_people.PAGES,
    **matrix_teams.PAGES,
    **matrix_settings.PAGES,
    **matrix_season.PAGES,
    **matrix_questions.PAGES,
    **matrix_feedback.PAGES,
    **matrix_scopes.PAGES,
    **matrix_impact.PAGES,
    **matrix_mailings.PAGES,
    **matrix_documents.PAGES,
    **matrix_materials.PAGES,
    **matrix_hybrid.PAGES,
    **matrix_join.PAGES,
    **matrix_attendance.PAGES,
    **matrix_hub.PAGES,
    **matrix_calls.PAGES,
    **matrix_events.LAST,
    **matrix_timetable.LAST,
    **matrix_places.LAST,
    **matrix_people.LAST,
    **matrix_teams.LAST,
    **matrix_settings.LAST,
    **matrix_season.LAST,
    **matrix_questions.LAST,
    **matrix_feedback.LAST,
    **matrix_scopes.LAST,
    **matrix_impact.LAST,
    **matrix_mailings.LAST,
    **matrix_documents.LAST,
    **matrix_materials.LAST,
    **matrix_hub.LAST,
    **matrix_calls.LAST,
    # Last: these change or remove what the rows above use.
    ("POST", "/api/delegates/{delegate_id:int}/calendar-token"): (organiser_api(200), None),
    ("POST", "/api/check-ins/{check_in_id:int}/undo"): (organiser_api(204), None),
    ("POST", "/api/my/{token:str}/registrations/{registration_id:int}/cancel"): (public(200), None),
    # Cancelled by the delegate just above: refused past the guard.
    ("POST", "/api/registrations/{registration_id:int}/cancel"): (organiser_api(409), json({"reason": "Moved"})),
    # "This wasn't me" on a place already cancelled: the page says so, and nothing changes.
    ("POST", "/registrations/not-me/{token:str}"): (public(200), form({})),
    ("POST", "/api/my/{token:str}/erase"): (public(204), None),
    ("POST", "/api/delegates/{delegate_id:int}/erase"): (organiser_api(204), None),
    ("DELETE", "/api/feedback-questions/{question_id:int}"): (organiser_api(200), None),
    ("DELETE", "/api/questions/{question_id:int}"): (organiser_api(200), None),
    ("DELETE", "/api/tracks/{track_id:int}"): (organiser_api(204), None),
    ("DELETE", "/api/speakers/{slug:str}"): (organiser_api(204), None),
    ("DELETE", "/api/organisations/{slug:str}"): (organiser_api(204), None),
    # Still in use (booked, timetabled, registered for, held there, with events, with organisations): deleting is
    # refused past the guard, and the seeded objects stay.
    ("DELETE", "/api/sessions/{session_id:int}"): (organiser_api(409), None),
    ("DELETE", "/api/rooms/{room_id:int}"): (organiser_api(409), None),
    ("DELETE", "/api/events/{slug:str}"): (organiser_api(409), None),
    ("DELETE", "/api/venues/{venue_id:int}"): (organiser_api(409), None),
    ("DELETE", "/api/series/{slug:str}"): (organiser_api(409), None),
    ("DELETE", "/api/stakeholder-groups/{slug:str}"): (organiser_api(409), None),
    ("POST", "/api/auth/sign-out"): (public(204), None),
    ("POST", "/organiser/sign-out"): (public(303), form({})),
}


def is_page(path: str) -> bool:
    """Routes a browser opens: asked for as HTML, and form posts carry the CSRF token."""
    return not path.startswith(("/api/", "/schema", "/healthz", "/calendar"))


def app_routes() -> dict[tuple[str, str], set[str]]:
    """Every method and path the app answers (but OPTIONS), with the names of the guards in front of it."""
    from events_app.app import create_app

    routes: dict[tuple[str, str], set[str]] = {}
    for route in create_app().routes:
        for handler in route.route_handlers if isinstance(route, HTTPRoute) else [route.route_handler]:
            guards = {guard.__name__ for layer in handler.ownership_layers for guard in (layer.guards or [])}
            for method in getattr(handler, "http_methods", None) or {"ASGI"}:
                if method != "OPTIONS":
                    routes[(method, route.path)] = guards
    return routes


ROUTES = app_routes()


def test_every_route_has_an_entry() -> None:
    listed = set(MATRIX) | set(EXCLUDED)
    assert not set(ROUTES) - listed, f"routes without an entry in MATRIX: {sorted(set(ROUTES) - listed)}"
    assert not listed - set(ROUTES), f"entries for routes that no longer exist: {sorted(listed - set(ROUTES))}"


@pytest.mark.parametrize(("method", "path"), list(MATRIX))
def test_the_entry_agrees_with_the_guards(method: str, path: str) -> None:
    """Anonymous is refused exactly where a guard is; check-in staff exactly where the guard needs an organiser;
    organisers exactly where it needs an admin; admins nowhere."""
    guards = ROUTES.get((method, path), set())
    anonymous, checkin, organiser, admin = MATRIX[(method, path)][0]
    if guards:
        assert anonymous == (303 if is_page(path) else 401)
    else:
        assert anonymous not in (401, 403)
    assert (checkin == 403) == bool(guards & {"requires_organiser", "requires_admin"})
    assert (organiser == 403) == ("requires_admin" in guards)
    assert admin not in (401, 403)


MISSING = {"slug": "no-such-thing", "token": "no-such-token", "open_token": "no-such-token"}
SIGN_IN_FIRST = "Sign in as an organiser to do this"


def url_for(path: str, values: dict[str, Any]) -> str:
    url = path.replace("{file_path:path}", "site.css").replace("{path:str}", "nothing-here")
    url = url.replace("{action:str}", "calendar")  # a new calendar feed address for the delegate
    for name, value in values.items():
        url = url.replace(f"{{{name}:str}}", str(value)).replace(f"{{{name}:int}}", str(value))
    assert "{" not in url, url
    return url


async def _csrf_token(client: AsyncTestClient[Any]) -> str:
    await client.get("/organiser/sign-in")
    token = client.cookies.get("csrftoken")
    assert token
    return token


class Caller:
    """Sends a route's request as a browser or an API client would: pages ask for HTML and post the CSRF token."""

    def __init__(self, client: AsyncTestClient[Any], seeded: Seeded, csrf: str) -> None:
        self.client = client
        self.seeded = seeded
        self.csrf = csrf

    async def __call__(self, method: str, path: str, values: dict[str, Any]) -> Any:
        headers = {"accept": "text/html"} if is_page(path) else {}
        if is_page(path) and method != "GET":
            headers["x-csrftoken"] = self.csrf
        body = MATRIX[(method, path)][1]
        kwargs = body(self.seeded) if body else {}
        url = url_for(path, values)
        return await self.client.request(method, url, headers=headers, follow_redirects=False, **kwargs)


def what_is_wrong(method: str, path: str, role: str, response: Any) -> str | None:
    want = MATRIX[(method, path)][0][ROLES.index(role)]
    if response.status_code != want:
        return f"{method} {path}: {response.status_code}, not {want}: {response.text[:200]}"
    if response.status_code == 303:
        # The redirect to the sign-in page is the refusal; any other one is the page's own answer.
        to_sign_in = response.headers["location"].startswith("/organiser/sign-in")
        if to_sign_in != (role == "anonymous" and bool(ROUTES[(method, path)])):
            return f"{method} {path}: 303 to {response.headers['location']}"
    if response.status_code in (401, 403) and not is_page(path):
        needed = "admin" if "requires_admin" in ROUTES[(method, path)] else "organiser"
        expected_detail = SIGN_IN_FIRST if response.status_code == 401 else f"This needs the {needed} role or above"
        if response.json()["detail"] != expected_detail:
            return f"{method} {path}: {response.status_code} says {response.json()['detail']!r}"
    return None


@pytest.mark.parametrize("role", ROLES)
async def test_access_matrix(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any], role: str
) -> None:
    from events_app.accounts import services

    await accounts.sign_in("admin")
    target_email = accounts.create("checkin", "target@example.org")
    target = next(o for o in run(services.list_organisers) if o.email == target_email)
    seeded = await seed(client, suffix="m", organiser_id=target.id)
    await accounts.sign_in(role)
    call = Caller(client, seeded, await _csrf_token(client))
    wrong: list[str] = []
    for method, path in MATRIX:
        values = path_values(path, seeded)
        refused = MATRIX[(method, path)][0][ROLES.index(role)] in (401, 403) or (
            role == "anonymous" and ROUTES[(method, path)]
        )
        if refused and "{" in path:
            # The guard answers before any lookup: a refusal does not tell whether the thing exists.
            missing = {name: MISSING.get(name, 2_000_000_000) for name in values}
            if problem := what_is_wrong(method, path, role, await call(method, path, missing)):
                wrong.append(f"(for something missing) {problem}")
        if problem := what_is_wrong(method, path, role, await call(method, path, values)):
            wrong.append(problem)
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


async def test_options_answers_are_the_same_for_everyone(client: AsyncTestClient[Any], accounts: Accounts) -> None:
    """The OPTIONS answers Litestar adds to every path (left out of MATRIX) carry no data and do not depend on who
    asks: 204, or 401 on paths whose controller has a guard (Litestar's authentication
    middleware skips OPTIONS, so the guard the OPTIONS handler inherits sees nobody signed in)."""
    paths = sorted({path for _, path in ROUTES})
    answers: dict[str, list[tuple[int, str]]] = {}
    for role in ("anonymous", "checkin", "organiser"):
        await accounts.sign_in(role)
        for path in paths:
            url = re.sub(r"\{\w+:(\w+)\}", lambda m: "1" if m.group(1) == "int" else "x", path)
            response = await client.options(url)
            answers.setdefault(path, []).append((response.status_code, response.headers.get("allow", "")))
    for path, seen in answers.items():
        assert len(set(seen)) == 1, (path, seen)
        assert seen[0][0] in (204, 401), (path, seen)

"""Who may do what: the session middleware puts the organiser on the connection; guards check the role."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from events_app.accounts import scopes, services
from events_app.accounts.roles import Role
from events_app.accounts.schemas import CurrentOrganiser

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None]]


class OrganiserSessionMiddleware(AbstractAuthenticationMiddleware):
    """Reads the session cookie; anonymous requests go on with `user` None (public pages need no sign-in)."""

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        token = connection.cookies.get(services.SESSION_COOKIE, "")
        organiser = await services.organiser_for_token(token) if token else None
        scopes.begin_request(organiser.scope if organiser else scopes.EVERYTHING)
        return AuthenticationResult(user=organiser, auth=token if organiser else None)


def current_organiser(connection: ASGIConnection[Any, Any, Any, Any]) -> CurrentOrganiser | None:
    user = connection.scope.get("user")
    return user if isinstance(user, CurrentOrganiser) else None


def requires_role(minimum: Role) -> Guard:
    # Async on purpose: Litestar runs a plain function guard in a worker thread, where setting the request's
    # scope (a context variable) would not reach the handler.
    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        organiser = current_organiser(connection)
        if organiser is None:
            raise NotAuthorizedException(detail="Sign in as an organiser to do this")
        if not organiser.role.allows(minimum):
            raise PermissionDeniedException(detail=f"This needs the {minimum.label} role or above")
        scopes.enforce()  # an organiser's route: the account's scope holds from here on (accounts/scopes.py)

    guard.__name__ = f"requires_{minimum.value}"
    return guard


requires_checkin = requires_role(Role.checkin)
requires_organiser = requires_role(Role.organiser)
requires_admin = requires_role(Role.admin)

"""Signing in and out (JSON), and organiser accounts for admins."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, patch, post
from litestar.datastructures import Cookie
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody

from events_app.accounts import schemas, services
from events_app.accounts.guards import current_organiser, requires_admin, requires_checkin
from events_app.core.api import ApiController
from events_app.core.params import AppSettings, PathId
from events_app.core.settings import Settings


def session_cookie(request: Request[Any, Any, Any], token: str, settings: Settings, *, clear: bool = False) -> Cookie:
    """HttpOnly, SameSite=Lax, and Secure when served over HTTPS (or COOKIE_SECURE is set)."""
    return Cookie(
        key=services.SESSION_COOKIE,
        value="" if clear else token,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure or request.url.scheme == "https",
        max_age=0 if clear else settings.session_hours * 3600,
    )


class AuthController(ApiController):
    path = "/api/auth"
    tags = ["accounts"]

    @post("/sign-in", status_code=200, summary="Sign in as an organiser; sets the session cookie")
    async def sign_in(
        self, request: Request[Any, Any, Any], data: JSONBody[schemas.SignIn], settings: AppSettings
    ) -> Response[schemas.CurrentOrganiser]:
        token, organiser = await services.sign_in(data.email, data.password, session_hours=settings.session_hours)
        return Response(organiser, cookies=[session_cookie(request, token, settings)])

    @post(
        "/sign-out",
        status_code=204,
        summary="End this session",
        responses={204: ResponseSpec(None, description="Signed out: the session cookie is cleared")},
    )
    async def sign_out(self, request: Request[Any, Any, Any], settings: AppSettings) -> Response[None]:
        token = request.cookies.get(services.SESSION_COOKIE)
        if token:
            await services.sign_out(token)
        return Response(
            None,
            status_code=204,
            cookies=[session_cookie(request, "", settings, clear=True)],
            headers=services.FORGET_THE_DEVICE,
        )

    @get("/me", guards=[requires_checkin], summary="Who is signed in")
    async def me(self, request: Request[Any, Any, Any]) -> schemas.CurrentOrganiser:
        organiser = current_organiser(request)
        assert organiser is not None  # the guard saw to it
        return organiser


class OrganiserController(ApiController):
    path = "/api/organisers"
    tags = ["accounts"]
    guards = [requires_admin]

    @get("/", summary="List organiser accounts")
    async def list_organisers(self) -> list[schemas.Organiser]:
        return await services.list_organisers()

    @post("/", summary="Create an organiser account")
    async def create_organiser(self, data: JSONBody[schemas.OrganiserCreate]) -> schemas.Organiser:
        return await services.create_organiser(data)

    @patch("/{user_id:int}", summary="Change an organiser's role or deactivate the account")
    async def update_organiser(
        self, request: Request[Any, Any, Any], user_id: PathId, data: JSONBody[schemas.OrganiserUpdate]
    ) -> schemas.Organiser:
        by = current_organiser(request)
        assert by is not None
        return await services.update_organiser(user_id, data, by=by)

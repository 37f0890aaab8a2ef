"""Organiser sign-in and sign-out pages, and the organiser's start page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery, URLEncodedBody
from litestar.response import Redirect, Template

from events_app.accounts import services
from events_app.accounts.api import session_cookie
from events_app.core.errors import DomainError
from events_app.core.params import AppSettings

Form = URLEncodedBody[dict[str, str]]


def _safe_next(target: str | None) -> str:
    """Only a path on this site, so the form cannot bounce people elsewhere."""
    if not target:
        return "/organiser"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/organiser"
    return target


class AccountPages(Controller):
    path = "/organiser"
    include_in_schema = False

    @get("/sign-in", name="sign-in")
    async def sign_in_form(self, next: FromQuery[str | None] = None) -> Template:
        return Template("accounts/sign_in.html", context={"next": _safe_next(next), "email": "", "error": None})

    @post("/sign-in", status_code=303)
    async def sign_in(self, request: Request[Any, Any, Any], data: Form, settings: AppSettings) -> Response[Any]:
        email, password = data.get("email", "")[:254], data.get("password", "")[:128]
        target = _safe_next(data.get("next"))
        try:
            token, _ = await services.sign_in(email, password, session_hours=settings.session_hours)
        except DomainError as exc:
            return Template(
                "accounts/sign_in.html",
                context={"next": target, "email": email, "error": exc.detail},
                status_code=exc.status_code,  # 429 while the address is locked (accounts.throttle)
            )
        return Redirect(target, status_code=303, cookies=[session_cookie(request, token, settings)])

    @post("/sign-out", status_code=303)
    async def sign_out(self, request: Request[Any, Any, Any], settings: AppSettings) -> Redirect:
        token = request.cookies.get(services.SESSION_COOKIE)
        if token:
            await services.sign_out(token)
        return Redirect(
            "/",
            status_code=303,
            cookies=[session_cookie(request, "", settings, clear=True)],
            headers=services.FORGET_THE_DEVICE,
        )

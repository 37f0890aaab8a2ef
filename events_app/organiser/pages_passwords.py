"""Pages anyone may open: "forgot password" (the answer is the same whether or not the address has an account),
and the emailed links that set a password: an invitation's (/organiser/set-password/{token}) and a reset's
(/organiser/reset-password/{token})."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from events_app.accounts import links, schemas, services
from events_app.accounts.api import session_cookie
from events_app.accounts.errors import LinkNotValid
from events_app.core.errors import DomainError, FieldError
from events_app.core.params import AppSettings
from events_app.core.validation import check, errors_of
from events_app.organiser import teams
from events_app.organiser.forms import form_values
from events_app.organiser.places_forms import error_context

PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}  # the link in the URL is the key
PASSWORD_LABELS = {"password": "New password", "password_again": "The new password again"}
PAGES = {
    links.INVITE: ("/organiser/set-password/", "Choose your password", "Save my password and sign in"),
    links.RESET: ("/organiser/reset-password/", "Choose a new password", "Save the new password and sign in"),
}
DONE = {
    links.INVITE: "Welcome: your password is saved and you are signed in",
    links.RESET: "Your new password is saved",
}


def _forgot_page(*, sent: bool, email: str = "", errors: list[FieldError] | None = None) -> Template:
    return Template(
        "accounts/forgot_password.html",
        context={"sent": sent, "values": {"email": email}, "notice": None, **error_context(errors or [])},
        status_code=400 if errors else 200,
    )


class PasswordPages(Controller):
    path = "/organiser"
    include_in_schema = False

    @get("/forgot-password", name="forgot-password")
    async def forgot_form(self, sent: FromQuery[str | None] = None) -> Template:
        return _forgot_page(sent=bool(sent))

    @post("/forgot-password", status_code=303)
    async def send_reset_link(self, request: Request[Any, Any, Any]) -> Response[Any]:
        email = (await form_values(request)).get("email", "")[:254]
        if not email:
            return _forgot_page(sent=False, errors=[FieldError("email", "Email address: please fill this in")])
        await teams.request_password_reset(email)
        return Redirect("/organiser/forgot-password?sent=1", status_code=303)

    async def _page(self, purpose: str, token: str, errors: list[FieldError] | None = None) -> Template:
        path, heading, button = PAGES[purpose]
        try:
            organiser, _ = await links.holder(purpose, token)
        except LinkNotValid as exc:
            context = {"heading": heading, "broken": exc.detail, "organiser": None, "notice": None}
            return Template(
                "accounts/set_password.html", context=context | error_context([]), status_code=404, headers=PRIVATE
            )
        return Template(
            "accounts/set_password.html",
            context={
                "heading": heading,
                "button": button,
                "action": f"{path}{token}",
                "organiser": organiser,
                "broken": None,
                "notice": None,
                **error_context(errors or []),
            },
            status_code=400 if errors else 200,
            headers=PRIVATE,
        )

    async def _save(
        self, request: Request[Any, Any, Any], purpose: str, token: str, settings: AppSettings
    ) -> Response[Any]:
        form = await form_values(request)
        values = {"password": form.get("password", "")[:200], "password_again": form.get("password_again", "")[:200]}
        try:
            data = check(values, schemas.PasswordChoice, PASSWORD_LABELS)
            organiser = await links.set_password(purpose, token, data)
        except LinkNotValid:
            return await self._page(purpose, token)
        except DomainError as exc:
            return await self._page(purpose, token, errors_of(exc))
        session = await services.start_session(organiser, session_hours=settings.session_hours)
        target = f"/organiser?{urlencode({'notice': DONE[purpose]})}"
        return Redirect(target, status_code=303, cookies=[session_cookie(request, session, settings)])

    @get("/set-password/{token:str}", name="set-password")
    async def set_password_form(self, token: FromPath[str]) -> Template:
        return await self._page(links.INVITE, token)

    @post("/set-password/{token:str}", status_code=303)
    async def set_password(
        self, request: Request[Any, Any, Any], token: FromPath[str], settings: AppSettings
    ) -> Response[Any]:
        return await self._save(request, links.INVITE, token, settings)

    @get("/reset-password/{token:str}", name="reset-password")
    async def reset_password_form(self, token: FromPath[str]) -> Template:
        return await self._page(links.RESET, token)

    @post("/reset-password/{token:str}", status_code=303)
    async def reset_password(
        self, request: Request[Any, Any, Any], token: FromPath[str], settings: AppSettings
    ) -> Response[Any]:
        return await self._save(request, links.RESET, token, settings)

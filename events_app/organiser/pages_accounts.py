"""Organiser accounts, for admins: the list, inviting someone by email, changing a role, deactivating and
reactivating an account, and sending an invitation again."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from events_app.accounts import schemas, services
from events_app.accounts.guards import current_organiser, requires_admin
from events_app.accounts.roles import Role
from events_app.core.errors import DomainError, FieldError
from events_app.core.validation import check
from events_app.organiser import teams
from events_app.organiser.forms import form_values, with_notice
from events_app.organiser.places_forms import error_context, refusal_errors

INVITE_FIELDS = ("email", "name", "role")
INVITE_LABELS = {"email": "Email address", "name": "Name", "role": "Role"}
ROLE_OPTIONS = [(role.value, role.label) for role in Role]
ROLE_HINTS = {
    Role.checkin: "checks people in at the door",
    Role.organiser: "builds events and sees registrations and feedback",
    Role.admin: "all of that, and organiser accounts",
}


def _by(request: Request[Any, Any, Any]) -> schemas.CurrentOrganiser:
    organiser = current_organiser(request)
    assert organiser is not None  # the guard saw to it
    return organiser


def status_of(account: schemas.Organiser) -> str:
    if account.invite_pending:
        return "Invited: no password yet"
    return "Active" if account.active else "Deactivated"


class OrganiserAccountPages(Controller):
    path = "/organiser/accounts"
    include_in_schema = False
    guards = [requires_admin]

    async def _list_page(
        self, values: Mapping[str, str], errors: list[FieldError], notice: str | None = None
    ) -> Template:
        return Template(
            "organiser/accounts.html",
            context={
                "accounts": await services.list_organisers(),
                "status_of": status_of,
                "values": values or {"role": Role.organiser.value},
                "role_options": ROLE_OPTIONS,
                "role_hints": ROLE_HINTS,
                "notice": notice,
                **error_context(errors),
            },
            status_code=400 if errors else 200,
        )

    @get("/", name="organiser-accounts")
    async def list_accounts(self, notice: FromQuery[str | None] = None) -> Template:
        return await self._list_page({}, [], (notice or "")[:300] or None)

    @post("/", status_code=303)
    async def invite(self, request: Request[Any, Any, Any]) -> Response[Any]:
        form = await form_values(request)
        values = {f: form.get(f, "") for f in INVITE_FIELDS}
        try:
            data = check(values, schemas.OrganiserInvite, INVITE_LABELS, strict=False)
            account = await teams.invite(data, by=_by(request))
        except DomainError as exc:
            return await self._list_page(form, refusal_errors(exc, INVITE_FIELDS))
        return with_notice("/organiser/accounts", f"Invitation sent to {account.email}")

    async def _account_page(
        self,
        request: Request[Any, Any, Any],
        account: schemas.Organiser,
        errors: list[FieldError] | None = None,
        notice: str | None = None,
    ) -> Template:
        return Template(
            "organiser/account_edit.html",
            context={
                "account": account,
                "status": status_of(account),
                "is_me": account.id == _by(request).user_id,
                "values": {"role": account.role.value},
                "role_options": ROLE_OPTIONS,
                "role_hints": ROLE_HINTS,
                "notice": notice,
                **error_context(errors or []),
            },
            status_code=400 if errors else 200,
        )

    @get("/{user_id:int}/edit", name="organiser-account")
    async def edit_account(
        self, request: Request[Any, Any, Any], user_id: FromPath[int], notice: FromQuery[str | None] = None
    ) -> Template:
        return await self._account_page(request, await services.get_organiser(user_id), notice=(notice or "")[:300])

    async def _change(
        self, request: Request[Any, Any, Any], user_id: int, data: schemas.OrganiserUpdate, prefix: str, done: str
    ) -> Response[Any]:
        account = await services.get_organiser(user_id)
        try:
            account = await services.update_organiser(user_id, data, by=_by(request))
        except DomainError as exc:
            errors = refusal_errors(exc, ("role",) if prefix == "" else (), prefix=prefix)
            return await self._account_page(request, account, errors)
        return with_notice(f"/organiser/accounts/{user_id}/edit", done.format(name=account.name))

    @post("/{user_id:int}/edit", status_code=303)
    async def change_role(self, request: Request[Any, Any, Any], user_id: FromPath[int]) -> Response[Any]:
        form = await form_values(request)
        try:
            data = check({"role": form.get("role", "")}, schemas.OrganiserUpdate, INVITE_LABELS)
        except DomainError as exc:
            account = await services.get_organiser(user_id)
            return await self._account_page(request, account, refusal_errors(exc, ("role",)))
        return await self._change(request, user_id, data, "", "{name} saved")

    @post("/{user_id:int}/deactivate", status_code=303)
    async def deactivate(self, request: Request[Any, Any, Any], user_id: FromPath[int]) -> Response[Any]:
        data = schemas.OrganiserUpdate(active=False)
        return await self._change(request, user_id, data, "deactivate-", "{name} is deactivated and signed out")

    @post("/{user_id:int}/reactivate", status_code=303)
    async def reactivate(self, request: Request[Any, Any, Any], user_id: FromPath[int]) -> Response[Any]:
        data = schemas.OrganiserUpdate(active=True)
        return await self._change(request, user_id, data, "reactivate-", "{name} can sign in again")

    @post("/{user_id:int}/invite", status_code=303)
    async def invite_again(self, request: Request[Any, Any, Any], user_id: FromPath[int]) -> Response[Any]:
        account = await services.get_organiser(user_id)
        try:
            account = await teams.invite_again(user_id, by=_by(request))
        except DomainError as exc:
            return await self._account_page(request, account, refusal_errors(exc, (), prefix="invite-"))
        return with_notice(f"/organiser/accounts/{user_id}/edit", f"Invitation sent again to {account.email}")

"""Which events an organiser or check-in account sees: its scope, set by an admin (the rule: accounts/scopes.py)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from events_app.accounts import schemas, services
from events_app.accounts.guards import current_organiser, requires_admin
from events_app.core.errors import DomainError, FieldError
from events_app.core.params import PathId
from events_app.core.validation import errors_of
from events_app.organiser.forms import form_list, with_notice
from events_app.organiser.places_forms import error_context
from events_app.people.services import list_regions
from events_app.programme.series import list_series

NOTICE_LIMIT = 300


def _by(request: Request[Any, Any, Any]) -> schemas.CurrentOrganiser:
    organiser = current_organiser(request)
    assert organiser is not None  # the guard saw to it
    return organiser


def describe(scope: schemas.ScopeNames, series: dict[str, str], regions: dict[str, str]) -> str:
    """The scope in words, for the page and its notice."""
    if not scope.series and not scope.regions:
        return "every event"
    parts = [f"the {regions.get(s, s)} region" for s in scope.regions]
    parts += [f"the series {series.get(s, s)}" for s in scope.series]
    return "only the events of " + " and ".join(parts)


def _errors(exc: DomainError) -> list[FieldError]:
    """A refusal's fields (`scope.series`, `scope.regions`) as the page's boxes; any other next to the button."""
    found = []
    for error in errors_of(exc):
        box = error.field.rsplit(".", 1)[-1]
        found.append(FieldError(box if box in ("series", "regions") else "submit", error.message))
    return found


class OrganiserScopePages(Controller):
    path = "/organiser/accounts"
    include_in_schema = False
    guards = [requires_admin]

    async def _page(
        self,
        request: Request[Any, Any, Any],
        account: schemas.Organiser,
        chosen: schemas.ScopeNames,
        errors: list[FieldError] | None = None,
        notice: str | None = None,
        status_code: int = 200,
    ) -> Template:
        by = _by(request)
        series = await list_series()  # a limited admin is offered its own scope only
        regions = [r for r in await list_regions() if not by.scope.limited or r.id in by.scope.region_ids]
        titles = {s.slug: s.title for s in series}
        names = {r.slug: r.name for r in regions}
        return Template(
            "organiser/account_scope.html",
            context={
                "account": account,
                "series": series,
                "regions": regions,
                "chosen": chosen,
                "now": describe(account.scope, titles, names),
                "limited_admin": by.scope.limited,
                "notice": (notice or "")[:NOTICE_LIMIT] or None,
                **error_context(errors or []),
            },
            status_code=status_code,
        )

    @get("/{user_id:int}/scope", name="organiser-account-scope")
    async def scope_form(
        self, request: Request[Any, Any, Any], user_id: PathId, notice: FromQuery[str | None] = None
    ) -> Template:
        account = await services.get_organiser(user_id)
        return await self._page(request, account, account.scope, notice=notice)

    @post("/{user_id:int}/scope")
    async def set_scope(self, request: Request[Any, Any, Any], user_id: PathId) -> Template | Redirect:
        chosen = schemas.ScopeNames(
            series=await form_list(request, "series", limit=200), regions=await form_list(request, "regions", limit=200)
        )
        account = await services.get_organiser(user_id)
        try:
            account = await services.update_organiser(user_id, schemas.OrganiserUpdate(scope=chosen), by=_by(request))
        except DomainError as exc:
            return await self._page(request, account, chosen, _errors(exc), status_code=exc.status_code)
        series = {s.slug: s.title for s in await list_series()}
        regions = {r.slug: r.name for r in await list_regions()}
        return with_notice(
            f"/organiser/accounts/{user_id}/scope",
            f"{account.name} now sees {describe(account.scope, series, regions)}",
        )

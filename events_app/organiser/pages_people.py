"""Organisations and stakeholder groups."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from events_app.accounts.guards import requires_organiser
from events_app.core.errors import DomainError, FieldError
from events_app.core.validation import check
from events_app.organiser.forms import form_values, optional, with_notice
from events_app.organiser.places_forms import choices, error_context, only_changes, refusal_errors
from events_app.people import schemas, services
from events_app.people.sectors import SECTOR_LABELS, SECTOR_ROLES

ORGANISATION_FIELDS = ("name", "stakeholder_group_id", "region_id", "website")
ORGANISATION_LABELS = {
    "name": "Organisation name",
    "stakeholder_group_id": "Stakeholder group",
    "region_id": "Region",
    "website": "Website",
}
GROUP_FIELDS = ("name", "sector_role", "description", "position")
GROUP_LABELS = {
    "name": "Group name",
    "sector_role": "Sector",
    "description": "Description",
    "position": "Place in the list",
}
SECTOR_OPTIONS = [(role, SECTOR_LABELS[role]) for role in SECTOR_ROLES]
CHOOSE_SECTOR = FieldError("sector_role", "Sector: choose what this group is from the list")
MOVES = {"up": -1, "down": 1}


def _organisation_values(form: Mapping[str, str]) -> dict[str, str | None]:
    return {
        "name": form.get("name", ""),
        "stakeholder_group_id": optional(form.get("stakeholder_group_id", "")),
        "region_id": optional(form.get("region_id", "")),
        "website": form.get("website", ""),
    }


def _organisation_form(organisation: schemas.Organisation) -> dict[str, str]:
    return {
        "name": organisation.name,
        "stakeholder_group_id": str(organisation.stakeholder_group.id),
        "region_id": str(organisation.region.id) if organisation.region else "",
        "website": organisation.website,
    }


def _organisation_current(organisation: schemas.Organisation) -> schemas.OrganisationUpdate:
    """The organisation as an update would set it, to compare a whole form against."""
    region = organisation.region.id if organisation.region else None
    return schemas.OrganisationUpdate(
        name=organisation.name,
        stakeholder_group_id=organisation.stakeholder_group.id,
        region_id=region,
        website=organisation.website,
    )


def _group_values(form: Mapping[str, str]) -> dict[str, str | None]:
    return {
        "name": form.get("name", ""),
        "sector_role": form.get("sector_role", ""),
        "description": form.get("description", ""),
        "position": form.get("position") or "0",
    }


def _group_errors(exc: DomainError) -> list[FieldError]:
    """The refusal's wrong fields in the order of the form, a sector that is not on the list in the words of the
    page (not the API's codes)."""
    errors = [CHOOSE_SECTOR if e.field == "sector_role" else e for e in refusal_errors(exc, GROUP_FIELDS)]
    order = {field: n for n, field in enumerate(GROUP_FIELDS)}
    return sorted(errors, key=lambda e: order.get(e.field, len(order)))


class OrganiserPeoplePages(Controller):
    path = "/organiser"
    include_in_schema = False
    guards = [requires_organiser]

    # Organisations ---------------------------------------------------------------------------------------------

    async def _choices(self) -> dict[str, object]:
        groups = await services.list_groups()
        return {
            "groups": groups,
            "group_options": choices(groups),
            "region_options": choices(await services.list_regions()),
        }

    async def _organisations_page(
        self,
        values: Mapping[str, str],
        errors: list[FieldError],
        notice: str | None = None,
        q: str | None = None,
        group: str | None = None,
    ) -> Template:
        search = (q or "").strip()[:200] or None
        page = await services.list_organisations(group=group or None, search=search, limit=500)
        return Template(
            "organiser/organisations.html",
            context={
                "page": page,
                "q": search or "",
                "group": group or "",
                "values": values,
                "notice": notice,
                **await self._choices(),
                **error_context(errors),
            },
            status_code=400 if errors else 200,
        )

    @get("/organisations", name="organiser-organisations")
    async def list_organisations(
        self,
        q: FromQuery[str | None] = None,
        group: FromQuery[str | None] = None,
        notice: FromQuery[str | None] = None,
    ) -> Template:
        return await self._organisations_page({}, [], notice, q, group)

    @post("/organisations", status_code=303)
    async def add_organisation(self, request: Request[Any, Any, Any]) -> Response[Any]:
        form = await form_values(request)
        try:
            data = check(_organisation_values(form), schemas.OrganisationCreate, ORGANISATION_LABELS, strict=False)
            organisation = await services.create_organisation(data)
        except DomainError as exc:
            return await self._organisations_page(form, refusal_errors(exc, ORGANISATION_FIELDS))
        return with_notice("/organiser/organisations", f"{organisation.name} added")

    async def _organisation_page(
        self,
        organisation: schemas.Organisation,
        values: Mapping[str, str] | None = None,
        errors: list[FieldError] | None = None,
        notice: str | None = None,
    ) -> Template:
        return Template(
            "organiser/organisation_edit.html",
            context={
                "organisation": organisation,
                "values": values if values is not None else _organisation_form(organisation),
                "notice": notice,
                **await self._choices(),
                **error_context(errors or []),
            },
            status_code=400 if errors else 200,
        )

    @get("/organisations/{slug:str}/edit", name="organiser-organisation")
    async def edit_organisation(self, slug: FromPath[str], notice: FromQuery[str | None] = None) -> Template:
        return await self._organisation_page(await services.get_organisation(slug), notice=notice)

    @post("/organisations/{slug:str}/edit", status_code=303)
    async def save_organisation(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Response[Any]:
        organisation = await services.get_organisation(slug)
        form = await form_values(request)
        try:
            data = check(_organisation_values(form), schemas.OrganisationUpdate, ORGANISATION_LABELS, strict=False)
            changes = only_changes(data, _organisation_current(organisation))
            organisation = await services.update_organisation(slug, changes)
        except DomainError as exc:
            return await self._organisation_page(organisation, form, refusal_errors(exc, ORGANISATION_FIELDS))
        return with_notice(f"/organiser/organisations/{organisation.slug}/edit", f"{organisation.name} saved")

    @post("/organisations/{slug:str}/delete", status_code=303)
    async def delete_organisation(self, slug: FromPath[str]) -> Response[Any]:
        organisation = await services.get_organisation(slug)
        try:
            await services.delete_organisation(slug)
        except DomainError as exc:
            errors = refusal_errors(exc, (), prefix="delete-")
            return await self._organisation_page(organisation, errors=errors)
        return with_notice("/organiser/organisations", f"{organisation.name} removed")

    # Stakeholder groups ----------------------------------------------------------------------------------------

    async def _groups_page(self, values: Mapping[str, str], errors: list[FieldError], notice: str | None) -> Template:
        return Template(
            "organiser/groups.html",
            context={
                "groups": await services.list_groups(),
                "sector_options": SECTOR_OPTIONS,
                "values": values,
                "notice": notice,
                **error_context(errors),
            },
            status_code=400 if errors else 200,
        )

    @get("/stakeholder-groups", name="organiser-groups")
    async def list_groups(self, notice: FromQuery[str | None] = None) -> Template:
        return await self._groups_page({}, [], notice)

    @post("/stakeholder-groups", status_code=303)
    async def add_group(self, request: Request[Any, Any, Any]) -> Response[Any]:
        form = await form_values(request)
        groups = await services.list_groups()
        values = _group_values(form) | {"position": str(max((g.position for g in groups), default=-1) + 1)}
        try:
            group = await services.create_group(
                check(values, schemas.StakeholderGroupCreate, GROUP_LABELS, strict=False)
            )
        except DomainError as exc:
            return await self._groups_page(form, _group_errors(exc), None)
        return with_notice("/organiser/stakeholder-groups", f"{group.name} added at the end of the list")

    async def _group_page(
        self,
        group: schemas.StakeholderGroup,
        values: Mapping[str, str] | None = None,
        errors: list[FieldError] | None = None,
        notice: str | None = None,
    ) -> Template:
        shown = values if values is not None else {f: str(getattr(group, f)) for f in GROUP_FIELDS}
        return Template(
            "organiser/group_edit.html",
            context={
                "group": group,
                "values": shown,
                "sector_options": SECTOR_OPTIONS,
                "notice": notice,
                **error_context(errors or []),
            },
            status_code=400 if errors else 200,
        )

    @get("/stakeholder-groups/{slug:str}/edit", name="organiser-group")
    async def edit_group(self, slug: FromPath[str], notice: FromQuery[str | None] = None) -> Template:
        return await self._group_page(await services.get_group(slug), notice=notice)

    @post("/stakeholder-groups/{slug:str}/edit", status_code=303)
    async def save_group(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Response[Any]:
        group = await services.get_group(slug)
        form = await form_values(request)
        try:
            data = check(_group_values(form), schemas.StakeholderGroupUpdate, GROUP_LABELS, strict=False)
            group = await services.update_group(slug, only_changes(data, group))
        except DomainError as exc:
            return await self._group_page(group, form, _group_errors(exc))
        return with_notice(f"/organiser/stakeholder-groups/{group.slug}/edit", f"{group.name} saved")

    @post("/stakeholder-groups/{slug:str}/move", status_code=303)
    async def move_group(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Response[Any]:
        form = await form_values(request)
        group = await services.get_group(slug)
        direction = form.get("direction", "")
        if direction not in MOVES:
            error = FieldError(f"move-{slug}", "Move: choose up or down")
            return await self._groups_page({}, [error], None)
        await services.move_group(slug, MOVES[direction])
        return with_notice("/organiser/stakeholder-groups", f"{group.name} moved {direction}")

    @post("/stakeholder-groups/{slug:str}/delete", status_code=303)
    async def delete_group(self, slug: FromPath[str]) -> Response[Any]:
        group = await services.get_group(slug)
        try:
            await services.delete_group(slug)
        except DomainError as exc:
            return await self._group_page(group, errors=refusal_errors(exc, (), prefix="delete-"))
        return with_notice("/organiser/stakeholder-groups", f"{group.name} removed")

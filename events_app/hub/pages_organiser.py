"""The organisers' hub pages: the list of resources (drafts and published), a new one, edit, publish, make a
draft again, remove. Each form goes through the hub's services; names are picked, not ids."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from events_app.accounts.guards import requires_organiser
from events_app.core.errors import DomainError, FieldError
from events_app.hub import forms, schemas, search, services
from events_app.hub.themes import KINDS, THEMES
from events_app.organiser.forms import form_list, form_values, with_notice
from events_app.organiser.places_forms import error_context, refusal_errors
from events_app.people.sectors import SECTOR_LABELS, SECTOR_ROLES

LIST_SIZE = 100


async def _posted(request: Request[Any, Any, Any]) -> forms.ResourceForm:
    values = await form_values(request)
    lists = {name: await form_list(request, name) for name in ("themes", "sectors", *forms.LINK_LISTS)}
    return forms.posted(values, lists)


class OrganiserResourcePages(Controller):
    path = "/organiser/resources"
    include_in_schema = False
    guards = [requires_organiser]

    @get("/", name="organiser-resources")
    async def list_resources(self, q: FromQuery[str | None] = None, notice: FromQuery[str | None] = None) -> Template:
        words = (q or "").strip()[:200] or None
        results = await services.search_resources(
            search.Filters(q=words, include_drafts=True), limit=LIST_SIZE, offset=0
        )
        return Template(
            "hub/organiser_list.html",
            context={"nav": "organiser", "results": results, "q": words or "", "notice": notice},
        )

    async def _form_page(
        self,
        form: forms.ResourceForm,
        resource: schemas.Resource | None,
        errors: list[FieldError] | None = None,
        notice: str | None = None,
    ) -> Template:
        choices = await services.link_choices()
        if resource is not None and resource.region and not form.values.get("region"):
            names = {name: value for value, name in choices.regions}
            form.values["region"] = names.get(resource.region.name, "")
        return Template(
            "hub/organiser_form.html",
            context={
                "nav": "organiser",
                "resource": resource,
                "form": form,
                "choices": choices,
                "themes": THEMES,
                "kinds": KINDS,
                "sectors": [(role, SECTOR_LABELS[role]) for role in SECTOR_ROLES],
                "notice": notice,
                **error_context(errors or []),
            },
            status_code=400 if errors else 200,
        )

    @get("/new", name="organiser-resource-new")
    async def new_resource(self) -> Template:
        return await self._form_page(forms.ResourceForm(values={"kind": "resource"}), None)

    @post("/new", status_code=303)
    async def create_resource(self, request: Request[Any, Any, Any]) -> Response[Any]:
        form = await _posted(request)
        try:
            resource_id = await services.create_resource(await forms.to_input(form))
        except DomainError as exc:
            return await self._form_page(form, None, refusal_errors(exc, forms.ORDER))
        resource = await services.get_resource_by_id(resource_id)
        return with_notice(f"/organiser/resources/{resource.slug}/edit", f"{resource.title} saved as a draft")

    @get("/{slug:str}/edit", name="organiser-resource")
    async def edit_resource(self, slug: FromPath[str], notice: FromQuery[str | None] = None) -> Template:
        resource = await services.get_resource(slug, include_drafts=True)
        return await self._form_page(forms.form_of(resource), resource, notice=notice)

    @post("/{slug:str}/edit", status_code=303)
    async def save_resource(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Response[Any]:
        resource = await services.get_resource(slug, include_drafts=True)
        form = await _posted(request)
        try:
            await services.update_resource(slug, await forms.to_input(form, slug))
        except DomainError as exc:
            return await self._form_page(form, resource, refusal_errors(exc, forms.ORDER))
        return with_notice(f"/organiser/resources/{slug}/edit", f"{form.values.get('title', '').strip()} saved")

    async def _status_change(self, slug: str, publish: bool) -> Response[Any]:
        resource = await services.get_resource(slug, include_drafts=True)
        try:
            if publish:
                await services.publish_resource(slug)
            else:
                await services.unpublish_resource(slug)
        except DomainError as exc:
            errors = refusal_errors(exc, (), prefix="status-")
            return await self._form_page(forms.form_of(resource), resource, errors)
        done = "published: it is on /resources now" if publish else "is a draft again: only organisers see it"
        return with_notice(f"/organiser/resources/{slug}/edit", f"{resource.title} {done}")

    @post("/{slug:str}/publish", status_code=303)
    async def publish_resource(self, slug: FromPath[str]) -> Response[Any]:
        return await self._status_change(slug, publish=True)

    @post("/{slug:str}/unpublish", status_code=303)
    async def unpublish_resource(self, slug: FromPath[str]) -> Response[Any]:
        return await self._status_change(slug, publish=False)

    @post("/{slug:str}/delete", status_code=303)
    async def delete_resource(self, slug: FromPath[str]) -> Response[Any]:
        resource = await services.get_resource(slug, include_drafts=True)
        await services.delete_resource(slug)
        return with_notice("/organiser/resources", f"{resource.title} removed")

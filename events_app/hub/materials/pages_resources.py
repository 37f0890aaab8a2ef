"""The organisers' materials page of a hub resource (`/organiser/resources/{slug}/materials`): files and links,
each for everyone or for organisers only (a resource has no event, so no registered delegates)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from events_app.accounts.guards import current_organiser, requires_organiser
from events_app.core.errors import DomainError
from events_app.core.params import PathId
from events_app.hub import schemas as hub_schemas
from events_app.hub import services as hub_services
from events_app.hub.materials import services
from events_app.hub.materials.pages import _errors, _upload, form_context
from events_app.hub.materials.schemas import VISIBILITY_LABELS
from events_app.organiser.forms import with_notice

LABELS = {k: v for k, v in VISIBILITY_LABELS.items() if k != "registered"}


def resource_materials_path(slug: str) -> str:
    return f"/organiser/resources/{slug}/materials"


async def _resource(slug: str) -> hub_schemas.Resource:
    return await hub_services.get_resource(slug, include_drafts=True)


def _fields(form: Any) -> dict[str, str]:
    return {k: str(v).strip()[:2000] for k, v in form.items() if isinstance(v, str) and k != "_csrf_token"}


async def resource_materials_page(
    resource: hub_schemas.Resource,
    *,
    notice: str | None = None,
    errors: list[Any] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    return Template(
        "hub/organiser_resource_materials.html",
        context={
            "resource": resource,
            "materials": await services.materials_for(resource_id=resource.id, audience="organisers"),
            "labels": LABELS,
            **form_context(notice, errors, values),
        },
        status_code=status_code,
    )


class OrganiserResourceMaterialPages(Controller):
    path = "/organiser/resources/{slug:str}/materials"
    include_in_schema = False
    guards = [requires_organiser]

    @get("/", name="organiser-resource-materials")
    async def page(self, slug: FromPath[str], notice: FromQuery[str | None] = None) -> Template:
        return await resource_materials_page(await _resource(slug), notice=notice)

    @post("/links", status_code=303)
    async def add_link(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Response[Any]:
        resource = await _resource(slug)
        fields = _fields(await request.form())
        values = {"title": fields.get("title", ""), "url": fields.get("url", "")}
        if fields.get("visibility"):
            values["visibility"] = fields["visibility"]
        organiser = current_organiser(request)
        try:
            made = await services.add_link(
                services.Target(resource_id=resource.id),
                services.parse_link(values),
                added_by=organiser.user_id if organiser else None,
            )
        except DomainError as exc:
            return await resource_materials_page(resource, errors=_errors(exc, "link"), values=fields, status_code=400)
        return with_notice(resource_materials_path(slug), f"Added the link '{made.title}'.")

    @post("/{material_id:int}/edit", status_code=303)
    async def edit(self, request: Request[Any, Any, Any], slug: FromPath[str], material_id: PathId) -> Response[Any]:
        resource = await _resource(slug)
        form = await request.form()
        values = {k: str(v).strip()[:2000] for k, v in form.items() if k in ("title", "visibility", "url")}
        await services.belongs_to_resource(material_id, resource.id)
        try:
            saved = await services.update_material(material_id, services.parse_update(values))
        except DomainError as exc:
            errors = _errors(exc, f"m{material_id}")
            return await resource_materials_page(resource, errors=errors, status_code=400)
        return with_notice(resource_materials_path(slug), f"Saved '{saved.title}'.")

    @post("/{material_id:int}/move", status_code=303)
    async def move(self, request: Request[Any, Any, Any], slug: FromPath[str], material_id: PathId) -> Response[Any]:
        resource = await _resource(slug)
        form = await request.form()
        await services.belongs_to_resource(material_id, resource.id)
        moved = await services.move_material(material_id, up=form.get("direction") != "down")
        return with_notice(resource_materials_path(slug), f"Moved '{moved.title}'.")

    @post("/{material_id:int}/delete", status_code=303)
    async def delete(self, slug: FromPath[str], material_id: PathId) -> Response[Any]:
        resource = await _resource(slug)
        await services.belongs_to_resource(material_id, resource.id)
        material = await services.get_material(material_id)
        await services.remove_material(material_id)
        return with_notice(resource_materials_path(slug), f"Removed '{material.title}'.")


class OrganiserResourceMaterialUploads(Controller):
    path = "/organiser/resources/{slug:str}/materials"
    include_in_schema = False
    guards = [requires_organiser]

    @post("/files", status_code=303)
    async def add_file(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Response[Any]:
        resource = await _resource(slug)
        fields, name, data = await _upload(request)
        values = {k: fields[k] for k in ("title", "visibility") if fields.get(k)}
        values.setdefault("title", "")
        organiser = current_organiser(request)
        try:
            made = await services.add_file(
                services.Target(resource_id=resource.id),
                values,
                upload_name=name,
                data=data,
                added_by=organiser.user_id if organiser else None,
            )
        except DomainError as exc:
            errors = _errors(exc, "file")
            return await resource_materials_page(resource, errors=errors, values=fields, status_code=exc.status_code)
        return with_notice(resource_materials_path(slug), f"Added the file '{made.title}' ({made.filename}).")


def upload_controller(body_limit: int) -> type[Controller]:
    """The upload route, with the body limit of this app's settings (as the event materials' uploads)."""
    return type(
        OrganiserResourceMaterialUploads.__name__,
        (OrganiserResourceMaterialUploads,),
        {"request_max_body_size": body_limit},
    )

"""JSON API for materials: anyone reads an event's or a session's public materials; organisers (within their
scope) read them all, add links, change, reorder and remove. Files are uploaded on the organisers' materials
page (the API takes JSON only)."""

from __future__ import annotations

from typing import Any, Literal

import msgspec
from litestar import Request, delete, get, patch, post
from litestar.params import JSONBody

from events_app.accounts.guards import current_organiser, requires_organiser
from events_app.accounts.roles import Role
from events_app.core.api import ApiController
from events_app.core.params import PathId
from events_app.hub.materials import services
from events_app.hub.materials.schemas import Audience, Material, MaterialLinkCreate, MaterialUpdate
from events_app.programme.dependencies import EVENT, PathEvent


class MaterialMove(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    direction: Literal["up", "down"]


def _audience(request: Request[Any, Any, Any]) -> Audience:
    organiser = current_organiser(request)
    return "organisers" if organiser is not None and organiser.role.allows(Role.organiser) else "public"


class EventMaterialController(ApiController):
    path = "/api/events/{slug:str}/materials"
    tags = ["materials"]
    dependencies = EVENT

    @get("/", summary="An event's own materials (public ones; organisers see all)")
    async def list_event_materials(self, request: Request[Any, Any, Any], event: PathEvent) -> list[Material]:
        return await services.list_materials(await services.event_target(event.id), _audience(request))

    @post("/", guards=[requires_organiser], summary="Add a link (a recording, a page) to an event")
    async def add_event_link(
        self, request: Request[Any, Any, Any], event: PathEvent, data: JSONBody[MaterialLinkCreate]
    ) -> Material:
        organiser = current_organiser(request)
        target = await services.event_target(event.id)
        return await services.add_link(target, data, added_by=organiser.user_id if organiser else None)


class SessionMaterialController(ApiController):
    path = "/api/sessions/{session_id:int}/materials"
    tags = ["materials"]

    @get("/", summary="A session's materials (public ones; organisers see all)")
    async def list_session_materials(self, request: Request[Any, Any, Any], session_id: PathId) -> list[Material]:
        audience = _audience(request)
        target = await services.session_target(session_id)
        if audience == "public":
            await services.refuse_unpublished(target)
        return await services.list_materials(target, audience)

    @post("/", guards=[requires_organiser], summary="Add a link (a recording, a page) to a session")
    async def add_session_link(
        self, request: Request[Any, Any, Any], session_id: PathId, data: JSONBody[MaterialLinkCreate]
    ) -> Material:
        organiser = current_organiser(request)
        target = await services.session_target(session_id)
        return await services.add_link(target, data, added_by=organiser.user_id if organiser else None)


class MaterialController(ApiController):
    path = "/api/materials"
    tags = ["materials"]
    guards = [requires_organiser]

    @get("/{material_id:int}", summary="One material")
    async def get_material(self, material_id: PathId) -> Material:
        return await services.get_material(material_id)

    @patch("/{material_id:int}", summary="Change a material's title, who can see it, or a link's address")
    async def update_material(self, material_id: PathId, data: JSONBody[MaterialUpdate]) -> Material:
        return await services.update_material(material_id, data)

    @post("/{material_id:int}/move", summary="Move a material up or down among its neighbours", status_code=200)
    async def move_material(self, material_id: PathId, data: JSONBody[MaterialMove]) -> Material:
        return await services.move_material(material_id, up=data.direction == "up")

    @delete("/{material_id:int}", summary="Remove a material (a file's stored copy goes too)")
    async def remove_material(self, material_id: PathId) -> None:
        await services.remove_material(material_id)

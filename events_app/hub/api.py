"""JSON API for the hub's resources: everyone searches and reads what is published; organisers read drafts and
write."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Request, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from events_app.accounts.guards import current_organiser, requires_organiser
from events_app.accounts.roles import Role
from events_app.core.api import ApiController
from events_app.core.params import Limit, Offset
from events_app.hub import schemas, search, services


def sees_drafts(request: Request[Any, Any, Any]) -> bool:
    organiser = current_organiser(request)
    return organiser is not None and organiser.role.allows(Role.organiser)


Words = Annotated[str | None, QueryParameter(description="words to look for", max_length=200)]
Choice = Annotated[str | None, QueryParameter(max_length=60)]
YearParameter = Annotated[int | None, QueryParameter(ge=1950, le=2100)]


class ResourceController(ApiController):
    path = "/api/resources"
    tags = ["hub"]

    @get("/", summary="Search the hub's resources (words, theme, sector, region, year); drafts for organisers")
    async def search_resources(
        self,
        request: Request[Any, Any, Any],
        q: Words = None,
        theme: Choice = None,
        sector: Choice = None,
        region: Annotated[str | None, QueryParameter(description="region slug", max_length=120)] = None,
        year: YearParameter = None,
        kind: FromQuery[schemas.ResourceKind | None] = None,
        drafts: Annotated[bool, QueryParameter(description="organisers: drafts too")] = False,
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> schemas.SearchResults:
        filters = search.Filters(
            q=q,
            theme=theme,
            sector=sector,
            region=region,
            year=year,
            kind=kind,
            include_drafts=drafts and sees_drafts(request),
        )
        return await services.search_resources(services.checked_filters(filters), limit=limit, offset=offset)

    @get("/{slug:str}", summary="One resource: its text, themes, organisations and where it was presented")
    async def get_resource(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> schemas.Resource:
        return await services.get_resource(slug, include_drafts=sees_drafts(request))

    @post("/", guards=[requires_organiser], summary="Add a resource or case study (a draft)")
    async def create_resource(self, data: JSONBody[schemas.ResourceCreate]) -> schemas.Resource:
        resource_id = await services.create_resource(await services.input_from_api(data))
        return await services.get_resource_by_id(resource_id)

    @patch("/{slug:str}", guards=[requires_organiser], summary="Change a resource (the fields sent)")
    async def update_resource(self, slug: FromPath[str], data: JSONBody[schemas.ResourceUpdate]) -> schemas.Resource:
        current = services.api_body_of(await services.get_resource(slug, include_drafts=True))
        changes = {f: v for f in data.__struct_fields__ if (v := getattr(data, f)) is not msgspec.UNSET}
        merged = msgspec.structs.replace(current, **changes)
        resource_id = await services.update_resource(slug, await services.input_from_api(merged))
        return await services.get_resource_by_id(resource_id)

    @post("/{slug:str}/publish", guards=[requires_organiser], status_code=200, summary="Publish a resource")
    async def publish_resource(self, slug: FromPath[str]) -> schemas.Resource:
        await services.publish_resource(slug)
        return await services.get_resource(slug, include_drafts=True)

    @post("/{slug:str}/unpublish", guards=[requires_organiser], status_code=200, summary="Make a resource a draft")
    async def unpublish_resource(self, slug: FromPath[str]) -> schemas.Resource:
        await services.unpublish_resource(slug)
        return await services.get_resource(slug, include_drafts=True)

    @delete("/{slug:str}", guards=[requires_organiser], summary="Remove a resource")
    async def delete_resource(self, slug: FromPath[str]) -> None:
        await services.delete_resource(slug)


class ResourceThemeController(ApiController):
    path = "/api/resource-themes"
    tags = ["hub"]

    @get("/", summary="The hub's themes (slug and label), the values a resource's `themes` take")
    async def list_themes(self) -> list[schemas.Label]:
        return services.theme_list()

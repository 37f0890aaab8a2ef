"""JSON API for stakeholder groups, regions and organisations: everyone reads, organisers write."""

from __future__ import annotations

from litestar import delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from events_app.accounts.guards import requires_organiser
from events_app.core.api import ApiController
from events_app.core.params import Limit, Offset
from events_app.core.schema import Page
from events_app.people import schemas, services


class StakeholderGroupController(ApiController):
    path = "/api/stakeholder-groups"
    tags = ["people"]

    @get("/", summary="List stakeholder groups")
    async def list_groups(self) -> list[schemas.StakeholderGroup]:
        return await services.list_groups()

    @get("/{slug:str}", summary="One stakeholder group")
    async def get_group(self, slug: FromPath[str]) -> schemas.StakeholderGroup:
        return await services.get_group(slug)

    @post("/", guards=[requires_organiser], summary="Add a stakeholder group")
    async def create_group(self, data: JSONBody[schemas.StakeholderGroupCreate]) -> schemas.StakeholderGroup:
        return await services.create_group(data)

    @patch("/{slug:str}", guards=[requires_organiser], summary="Change a stakeholder group")
    async def update_group(
        self, slug: FromPath[str], data: JSONBody[schemas.StakeholderGroupUpdate]
    ) -> schemas.StakeholderGroup:
        return await services.update_group(slug, data)

    @delete("/{slug:str}", guards=[requires_organiser], summary="Remove an unused stakeholder group")
    async def delete_group(self, slug: FromPath[str]) -> None:
        await services.delete_group(slug)


class RegionController(ApiController):
    path = "/api/regions"
    tags = ["people"]

    @get("/", summary="List regions")
    async def list_regions(self) -> list[schemas.Region]:
        return await services.list_regions()


class OrganisationController(ApiController):
    path = "/api/organisations"
    tags = ["people"]

    @get("/", summary="List organisations")
    async def list_organisations(
        self,
        group: FromQuery[str | None] = None,
        q: FromQuery[str | None] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[schemas.Organisation]:
        return await services.list_organisations(group=group, search=q, limit=limit, offset=offset)

    @get("/{slug:str}", summary="One organisation")
    async def get_organisation(self, slug: FromPath[str]) -> schemas.Organisation:
        return await services.get_organisation(slug)

    @post("/", guards=[requires_organiser], summary="Add an organisation")
    async def create_organisation(self, data: JSONBody[schemas.OrganisationCreate]) -> schemas.Organisation:
        return await services.create_organisation(data)

    @patch("/{slug:str}", guards=[requires_organiser], summary="Change an organisation")
    async def update_organisation(
        self, slug: FromPath[str], data: JSONBody[schemas.OrganisationUpdate]
    ) -> schemas.Organisation:
        return await services.update_organisation(slug, data)

    @delete("/{slug:str}", guards=[requires_organiser], summary="Remove an organisation")
    async def delete_organisation(self, slug: FromPath[str]) -> None:
        await services.delete_organisation(slug)

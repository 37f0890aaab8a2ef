from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from events_app.core.schema import URL_PATTERN, Id, Name, Position, ShortName, ShortSlug, Slug, Summary
from events_app.people.sectors import SectorRole

Website = Annotated[str, Meta(max_length=300, pattern=URL_PATTERN, description="an http:// or https:// address")]


class StakeholderGroup(msgspec.Struct):
    """A group as everyone reads it. `sector_role` is what the group is, whatever it is called (reports by
    sector read it); `sector_label` is that role in plain words."""

    id: int
    slug: str
    name: str
    description: str
    position: int
    sector_role: SectorRole
    sector_label: str


class StakeholderGroupCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: ShortName
    slug: ShortSlug | None = None
    description: Summary = ""
    position: Position = 0
    sector_role: SectorRole = "other"


class StakeholderGroupUpdate(msgspec.Struct, forbid_unknown_fields=True):
    name: ShortName | msgspec.UnsetType = msgspec.UNSET
    slug: ShortSlug | msgspec.UnsetType = msgspec.UNSET
    description: Summary | msgspec.UnsetType = msgspec.UNSET
    position: Position | msgspec.UnsetType = msgspec.UNSET
    sector_role: SectorRole | msgspec.UnsetType = msgspec.UNSET


class Region(msgspec.Struct):
    id: int
    slug: str
    name: str


class GroupRef(msgspec.Struct):
    id: int
    slug: str
    name: str


class Organisation(msgspec.Struct):
    id: int
    slug: str
    name: str
    website: str
    stakeholder_group: GroupRef
    region: Region | None


class OrganisationCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    stakeholder_group_id: Id
    slug: Slug | None = None
    region_id: Id | None = None
    website: Website = ""


class OrganisationUpdate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name | msgspec.UnsetType = msgspec.UNSET
    slug: Slug | msgspec.UnsetType = msgspec.UNSET
    stakeholder_group_id: Id | msgspec.UnsetType = msgspec.UNSET
    region_id: Id | msgspec.UnsetType | None = msgspec.UNSET
    website: Website | msgspec.UnsetType = msgspec.UNSET

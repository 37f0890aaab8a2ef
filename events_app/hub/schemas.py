"""What comes in and goes out of the hub: resources as people read them, and the API's bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from events_app.core.schema import Id, LongText, Slug
from events_app.people.sectors import SectorRole

ResourceKind = Literal["resource", "case_study"]
Title = Annotated[str, Meta(min_length=1, max_length=200)]
ResourceSummaryText = Annotated[str, Meta(max_length=1000)]
ThemeSlug = Annotated[str, Meta(min_length=1, max_length=60, description="a theme's slug (see the hub's themes)")]
Year = Annotated[int, Meta(ge=1950, le=2100)]
LinkName = Annotated[str, Meta(min_length=1, max_length=200)]


class Label(msgspec.Struct):
    """A value kept as a slug, with the words people read."""

    slug: str
    label: str


class Region(msgspec.Struct):
    slug: str
    name: str


class OrganisationRef(msgspec.Struct):
    slug: str
    name: str


class EventRef(msgspec.Struct):
    slug: str
    title: str
    starts_at: datetime
    url: str


class SessionRef(msgspec.Struct):
    id: int
    title: str
    event_slug: str
    event_title: str
    url: str


class SpeakerRef(msgspec.Struct):
    slug: str
    name: str
    url: str


class MaterialRef(msgspec.Struct):
    """A public material attached to a resource (the materials part of the hub provides them)."""

    title: str
    url: str
    description: str = ""


class ResourceSummary(msgspec.Struct):
    """A resource in a list or a search result."""

    id: int
    slug: str
    kind: ResourceKind
    kind_label: str
    title: str
    summary: str
    themes: list[Label]
    sectors: list[Label]
    region: Region | None
    year: int | None
    status: str
    published_at: datetime | None
    updated_at: datetime
    url: str


class Resource(msgspec.Struct):
    """A resource or case study whole: what it is, who was involved, and where it was presented."""

    id: int
    slug: str
    kind: ResourceKind
    kind_label: str
    title: str
    summary: str
    body: str
    themes: list[Label]
    sectors: list[Label]
    region: Region | None
    year: int | None
    status: str
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime
    organisations: list[OrganisationRef]
    events: list[EventRef]
    sessions: list[SessionRef]
    speakers: list[SpeakerRef]
    materials: list[MaterialRef]
    url: str


class FacetCount(msgspec.Struct):
    value: str
    label: str
    count: int


class Facets(msgspec.Struct):
    """How many of the resources found have each theme, sector, region and year (each counted with the other
    filters applied, not its own)."""

    themes: list[FacetCount]
    sectors: list[FacetCount]
    regions: list[FacetCount]
    years: list[FacetCount]


class SearchResults(msgspec.Struct):
    items: list[ResourceSummary]
    total: int
    limit: int
    offset: int
    facets: Facets


class ResourceCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new resource (a draft). Organisations, events and speakers by slug, sessions by id."""

    title: Title
    kind: ResourceKind = "resource"
    summary: ResourceSummaryText = ""
    body: LongText = ""
    themes: list[ThemeSlug] = msgspec.field(default_factory=list)
    sectors: list[SectorRole] = msgspec.field(default_factory=list)
    region: Slug | None = None
    year: Year | None = None
    organisations: list[Slug] = msgspec.field(default_factory=list)
    events: list[Slug] = msgspec.field(default_factory=list)
    sessions: list[Id] = msgspec.field(default_factory=list)
    speakers: list[Slug] = msgspec.field(default_factory=list)
    slug: Slug | None = None


class ResourceUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """A change: only the fields sent change; a list sent replaces the list."""

    title: Title | msgspec.UnsetType = msgspec.UNSET
    kind: ResourceKind | msgspec.UnsetType = msgspec.UNSET
    summary: ResourceSummaryText | msgspec.UnsetType = msgspec.UNSET
    body: LongText | msgspec.UnsetType = msgspec.UNSET
    themes: list[ThemeSlug] | msgspec.UnsetType = msgspec.UNSET
    sectors: list[SectorRole] | msgspec.UnsetType = msgspec.UNSET
    region: Slug | msgspec.UnsetType | None = msgspec.UNSET
    year: Year | msgspec.UnsetType | None = msgspec.UNSET
    organisations: list[Slug] | msgspec.UnsetType = msgspec.UNSET
    events: list[Slug] | msgspec.UnsetType = msgspec.UNSET
    sessions: list[Id] | msgspec.UnsetType = msgspec.UNSET
    speakers: list[Slug] | msgspec.UnsetType = msgspec.UNSET
    slug: Slug | msgspec.UnsetType = msgspec.UNSET

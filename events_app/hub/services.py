"""The hub's rules for resources: every write of a resource goes through here (pages, API, calls, demo)."""

from __future__ import annotations

from dataclasses import dataclass, field

from events_app.core.crud import unique_slug
from events_app.core.database import write_transaction
from events_app.core.timezones import utc_now
from events_app.hub.tables import Resource, ResourceLink, ResourceOrganisation
from events_app.people.sectors import SectorRole


@dataclass(frozen=True, slots=True)
class ResourceInput:
    """What a resource is made from. `organisations` are organisation ids in order; `events`, `sessions` and
    `speakers` are ids of where it was presented."""

    title: str
    summary: str = ""
    body: str = ""
    kind: str = "resource"  # resource, case_study
    themes: tuple[str, ...] = ()
    sectors: tuple[SectorRole, ...] = ()
    region: int | None = None
    year: int | None = None
    organisations: tuple[int, ...] = ()
    events: tuple[int, ...] = ()
    sessions: tuple[int, ...] = ()
    speakers: tuple[int, ...] = field(default_factory=tuple)
    slug: str | None = None


async def create_resource(data: ResourceInput) -> int:
    """Make a draft resource with its organisations and links, in one transaction; its id."""
    now = utc_now()
    async with write_transaction():
        slug = await unique_slug(Resource, data.title, explicit=data.slug)
        resource = Resource(
            slug=slug,
            kind=data.kind,
            title=data.title,
            summary=data.summary,
            body=data.body,
            themes=list(data.themes),
            sectors=list(data.sectors),
            region=data.region,
            year=data.year,
            status="draft",
            created_at=now,
            updated_at=now,
        )
        await resource.save()
        resource_id = int(resource.id)
        if data.organisations:
            await ResourceOrganisation.insert(
                *(
                    ResourceOrganisation(resource=resource_id, organisation=org, position=i)
                    for i, org in enumerate(data.organisations)
                )
            )
        links = [ResourceLink(resource=resource_id, event=i) for i in data.events]
        links += [ResourceLink(resource=resource_id, session=i) for i in data.sessions]
        links += [ResourceLink(resource=resource_id, speaker=i) for i in data.speakers]
        if links:
            await ResourceLink.insert(*links)
    return resource_id

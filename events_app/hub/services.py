"""The hub's rules for resources: every write of a resource goes through here (pages, API, calls, demo), and each
write keeps the search index (hub.search) in the same transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from events_app.core.crud import unique_slug
from events_app.core.database import write_transaction
from events_app.core.errors import FieldError, InvalidFields
from events_app.core.rows import Row
from events_app.core.timezones import utc_now
from events_app.hub import errors, schemas, search
from events_app.hub.materials import services as materials
from events_app.hub.tables import Resource, ResourceLink, ResourceOrganisation
from events_app.hub.themes import KINDS, THEMES, theme_label
from events_app.people.sectors import SECTOR_LABELS, SECTOR_ROLES, SectorRole, sector_role
from events_app.people.tables import Organisation, Region
from events_app.programme.tables import Event, Session, SessionSpeaker, Speaker

PUBLIC_EVENT_STATUSES = ("published", "cancelled")  # announced events: their pages are public


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


# Checking what comes in ----------------------------------------------------------------------------------------

LIMITS = {"title": 200, "summary": 1000, "body": 20_000}
LABELS = {
    "title": "Title",
    "summary": "Summary",
    "body": "Text",
    "kind": "Kind",
    "themes": "Themes",
    "sectors": "Sectors",
    "region": "Region",
    "year": "Year",
    "organisations": "Organisations",
    "events": "Events",
    "sessions": "Sessions",
    "speakers": "Speakers",
    "slug": "Address",
}


async def _missing(table: Any, ids: Iterable[int]) -> list[int]:
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    found = {r["id"] for r in await table.select(table.id).where(table.id.is_in(wanted))}
    return [i for i in wanted if i not in found]


async def _check(data: ResourceInput) -> ResourceInput:
    """The input tidied (title trimmed, lists without repeats), or every wrong field named in plain words."""
    wrong: list[FieldError] = []
    title = " ".join(data.title.split())
    if not title:
        wrong.append(FieldError("title", "Title: please fill this in"))
    for name, limit in LIMITS.items():
        value = title if name == "title" else getattr(data, name)
        if len(value) > limit:
            wrong.append(FieldError(name, f"{LABELS[name]}: at most {limit:,} characters, please shorten it"))
    if data.kind not in KINDS:
        wrong.append(FieldError("kind", "Kind: choose a resource or a case study"))
    if unknown := [t for t in data.themes if t not in THEMES]:
        wrong.append(
            FieldError("themes", f"Themes: '{unknown[0]}' is not one of the hub's themes; choose from the list")
        )
    if unknown_sectors := [s for s in data.sectors if s not in SECTOR_ROLES]:
        wrong.append(FieldError("sectors", f"Sectors: '{unknown_sectors[0]}' is not a sector; choose from the list"))
    if data.region is not None and await _missing(Region, [data.region]):
        wrong.append(FieldError("region", "Region: choose one from the list, or leave it empty"))
    if data.year is not None and not 1950 <= data.year <= 2100:
        wrong.append(FieldError("year", "Year: a year like 2026 (from 1950 to 2100), or leave it empty"))
    for name, table, what in (
        ("organisations", Organisation, "organisation"),
        ("events", Event, "event"),
        ("sessions", Session, "session"),
        ("speakers", Speaker, "speaker"),
    ):
        if missing := await _missing(table, getattr(data, name)):
            wrong.append(FieldError(name, f"{LABELS[name]}: there is no {what} with id {missing[0]}"))
    if wrong:
        raise InvalidFields(wrong, status_code=422)
    return replace(
        data,
        title=title,
        themes=tuple(dict.fromkeys(data.themes)),
        sectors=tuple(dict.fromkeys(data.sectors)),
        organisations=tuple(dict.fromkeys(data.organisations)),
        events=tuple(dict.fromkeys(data.events)),
        sessions=tuple(dict.fromkeys(data.sessions)),
        speakers=tuple(dict.fromkeys(data.speakers)),
    )


async def check_input(data: ResourceInput) -> None:
    """Every wrong field of an input, named (for a form that shows them all before saving anything)."""
    await _check(data)


# Writing -------------------------------------------------------------------------------------------------------


async def _write_links(resource_id: int, data: ResourceInput) -> None:
    await ResourceOrganisation.delete().where(ResourceOrganisation.resource == resource_id)
    await ResourceLink.delete().where(ResourceLink.resource == resource_id)
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


async def create_resource(data: ResourceInput) -> int:
    """Make a draft resource with its organisations and links, and index its words, in one transaction; its id."""
    data = await _check(data)
    now = utc_now()
    async with write_transaction():
        slug = await unique_slug(Resource, data.title, explicit=data.slug)
        rows = await Resource.insert(
            Resource(
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
        ).returning(Resource.id)
        resource_id = int(rows[0]["id"])
        await _write_links(resource_id, data)
        await search.index_resource(resource_id)
    return resource_id


async def _row(slug: str) -> Row:
    row = await Resource.select(Resource.id, Resource.title, Resource.status).where(Resource.slug == slug).first()
    if row is None:
        raise errors.ResourceNotFound(slug=slug)
    return row


async def update_resource(slug: str, data: ResourceInput) -> int:
    """Replace a resource's words, themes, sectors, organisations and links (its status stays); its id."""
    current = await _row(slug)
    data = await _check(data)
    async with write_transaction():
        new_slug = slug if data.slug in (None, slug) else await unique_slug(Resource, "", explicit=data.slug)
        await Resource.update(
            {
                Resource.slug: new_slug,
                Resource.kind: data.kind,
                Resource.title: data.title,
                Resource.summary: data.summary,
                Resource.body: data.body,
                Resource.themes: list(data.themes),
                Resource.sectors: list(data.sectors),
                Resource.region: data.region,
                Resource.year: data.year,
                Resource.updated_at: utc_now(),
            }
        ).where(Resource.id == current["id"])
        await _write_links(current["id"], data)
        await search.index_resource(current["id"])
    return int(current["id"])


async def publish_resource(slug: str) -> None:
    """Public from now: on /resources, in searches and in the feed (newest first by this time)."""
    current = await _row(slug)
    if current["status"] == "published":
        raise errors.AlreadyPublished(title=current["title"])
    now = utc_now()
    async with write_transaction():
        await Resource.update(
            {Resource.status: "published", Resource.published_at: now, Resource.updated_at: now}
        ).where(Resource.id == current["id"])


async def unpublish_resource(slug: str) -> None:
    """Back to a draft: gone from public pages, searches and the feed; organisers still see it."""
    current = await _row(slug)
    if current["status"] != "published":
        raise errors.NotPublished(title=current["title"])
    async with write_transaction():
        await Resource.update(
            {Resource.status: "draft", Resource.published_at: None, Resource.updated_at: utc_now()}
        ).where(Resource.id == current["id"])


async def delete_resource(slug: str) -> None:
    """Remove a resource with its links, its words and its materials; their stored files go once the deletion
    has committed (a failed deletion keeps them)."""
    current = await _row(slug)
    async with write_transaction():
        keys = await materials.stored_keys(resource_id=current["id"])
        await search.forget_resource(current["id"])
        await Resource.delete().where(Resource.id == current["id"])
    if keys:
        await materials.delete_stored(keys)


# Reading -------------------------------------------------------------------------------------------------------

_SUMMARY_COLUMNS = (
    Resource.id,
    Resource.slug,
    Resource.kind,
    Resource.title,
    Resource.summary,
    Resource.themes,
    Resource.sectors,
    Resource.year,
    Resource.status,
    Resource.published_at,
    Resource.updated_at,
    Resource.region.slug.as_alias("region_slug"),
    Resource.region.name.as_alias("region_name"),
)


def _listed(value: Any) -> list[str]:
    loaded = json.loads(value) if isinstance(value, str) else value
    return [str(v) for v in loaded or []]


def _themes(value: Any) -> list[schemas.Label]:
    return [schemas.Label(slug=t, label=theme_label(t)) for t in _listed(value)]


def _sectors(value: Any) -> list[schemas.Label]:
    return [schemas.Label(slug=s, label=SECTOR_LABELS[sector_role(s)]) for s in _listed(value)]


def _region(row: Row) -> schemas.Region | None:
    return schemas.Region(slug=row["region_slug"], name=row["region_name"]) if row["region_slug"] else None


def _summary(row: Row) -> schemas.ResourceSummary:
    return schemas.ResourceSummary(
        id=row["id"],
        slug=row["slug"],
        kind=row["kind"],
        kind_label=KINDS.get(row["kind"]) or str(row["kind"]),
        title=row["title"],
        summary=row["summary"],
        themes=_themes(row["themes"]),
        sectors=_sectors(row["sectors"]),
        region=_region(row),
        year=row["year"],
        status=row["status"],
        published_at=row["published_at"],
        updated_at=row["updated_at"],
        url=f"/resources/{row['slug']}",
    )


async def _summaries(ids: Sequence[int]) -> list[schemas.ResourceSummary]:
    if not ids:
        return []
    rows = {r["id"]: r for r in await Resource.select(*_SUMMARY_COLUMNS).where(Resource.id.is_in(list(ids)))}
    return [_summary(rows[i]) for i in ids if i in rows]


def _facets(rows: list[search.FacetRow], filters: search.Filters, regions: list[tuple[str, str]]) -> schemas.Facets:
    """Each filter's choices with how many resources each would find, the other filters applied."""

    def keep(row: search.FacetRow, skip: str) -> bool:
        return (
            (skip == "theme" or not filters.theme or filters.theme in row.themes)
            and (skip == "sector" or not filters.sector or filters.sector in row.sectors)
            and (skip == "region" or not filters.region or filters.region == row.region)
            and (skip == "year" or filters.year is None or filters.year == row.year)
        )

    def counted(skip: str, values_of: Any) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in rows:
            if keep(row, skip):
                for value in values_of(row):
                    counts[str(value)] = counts.get(str(value), 0) + 1
        return counts

    themes = counted("theme", lambda r: r.themes)
    sectors = counted("sector", lambda r: r.sectors)
    region_counts = counted("region", lambda r: [r.region] if r.region else [])
    years = counted("year", lambda r: [r.year] if r.year is not None else [])
    return schemas.Facets(
        themes=[schemas.FacetCount(t, label, themes.get(t, 0)) for t, label in THEMES.items()],
        sectors=[schemas.FacetCount(s, SECTOR_LABELS[s], sectors.get(s, 0)) for s in SECTOR_ROLES],
        regions=[schemas.FacetCount(slug, name, region_counts.get(slug, 0)) for slug, name in regions],
        years=[schemas.FacetCount(y, y, n) for y, n in sorted(years.items(), reverse=True)],
    )


async def search_resources(filters: search.Filters, *, limit: int = 20, offset: int = 0) -> schemas.SearchResults:
    """One page of the resources that match the words and filters, best match first (newest first without words),
    with the count beside each filter's choices."""
    found = await search.find(filters, limit=limit, offset=offset)
    regions = [(r["slug"], r["name"]) for r in await Region.select(Region.slug, Region.name).order_by(Region.name)]
    return schemas.SearchResults(
        items=await _summaries(found.ids),
        total=found.total,
        limit=limit,
        offset=offset,
        facets=_facets(await search.facet_rows(filters), filters, regions),
    )


async def _resource_row(slug: str, *, include_drafts: bool) -> Row:
    query = Resource.select(*_SUMMARY_COLUMNS, Resource.body, Resource.created_at).where(Resource.slug == slug)
    if not include_drafts:
        query = query.where(Resource.status == "published")
    row = await query.first()
    if row is None:
        raise errors.ResourceNotFound(slug=slug)
    return row


async def _links(resource_id: int, *, public: bool) -> tuple[list[Any], list[Any], list[Any]]:
    """Where the resource was presented: events, sessions, speakers. The public sees only announced events' ones."""
    link = ResourceLink
    events = link.select(
        link.event.slug.as_alias("slug"), link.event.title.as_alias("title"), link.event.starts_at.as_alias("starts")
    ).where((link.resource == resource_id) & link.event.is_not_null())
    sessions = link.select(
        link.session.id.as_alias("id"),
        link.session.title.as_alias("title"),
        link.session._.event._.slug.as_alias("event_slug"),
        link.session._.event._.title.as_alias("event_title"),
    ).where((link.resource == resource_id) & link.session.is_not_null())
    speakers = link.select(
        link.speaker.id.as_alias("id"), link.speaker.slug.as_alias("slug"), link.speaker.name.as_alias("name")
    ).where((link.resource == resource_id) & link.speaker.is_not_null())
    if public:
        events = events.where(link.event.status.is_in(list(PUBLIC_EVENT_STATUSES)))
        sessions = sessions.where(link.session._.event._.status.is_in(list(PUBLIC_EVENT_STATUSES)))
        announced = SessionSpeaker.select(SessionSpeaker.speaker).where(
            SessionSpeaker.session._.event._.status.is_in(list(PUBLIC_EVENT_STATUSES))
        )
        speakers = speakers.where(link.speaker.is_in(announced))
    event_rows = await events.order_by(link.event.starts_at)
    session_rows = await sessions.order_by(link.session.starts_at)
    speaker_rows = await speakers.order_by(link.speaker.name)
    return (
        [schemas.EventRef(r["slug"], r["title"], r["starts"], f"/events/{r['slug']}") for r in event_rows],
        [
            schemas.SessionRef(r["id"], r["title"], r["event_slug"], r["event_title"], f"/events/{r['event_slug']}")
            for r in session_rows
        ],
        [schemas.SpeakerRef(r["slug"], r["name"], f"/speakers/{r['slug']}") for r in speaker_rows],
    )


async def public_materials(resource_id: int) -> list[schemas.MaterialRef]:
    """The public materials attached to a resource (the hub's materials part keeps them)."""
    from events_app.hub.materials import services as materials

    found = await materials.materials_for(resource_id=resource_id, audience="public")
    return [schemas.MaterialRef(title=m.title, url=m.href, description=m.filename) for m in found]


async def _resource(row: Row, *, public: bool) -> schemas.Resource:
    organisations = (
        await ResourceOrganisation.select(
            ResourceOrganisation.organisation.slug.as_alias("slug"),
            ResourceOrganisation.organisation.name.as_alias("name"),
        )
        .where(ResourceOrganisation.resource == row["id"])
        .order_by(ResourceOrganisation.position)
    )
    events, sessions, speakers = await _links(row["id"], public=public)
    summary = _summary(row)
    return schemas.Resource(
        id=summary.id,
        slug=summary.slug,
        kind=summary.kind,
        kind_label=summary.kind_label,
        title=summary.title,
        summary=summary.summary,
        body=row["body"],
        themes=summary.themes,
        sectors=summary.sectors,
        region=summary.region,
        year=summary.year,
        status=summary.status,
        published_at=summary.published_at,
        created_at=row["created_at"],
        updated_at=summary.updated_at,
        organisations=[schemas.OrganisationRef(o["slug"], o["name"]) for o in organisations],
        events=events,
        sessions=sessions,
        speakers=speakers,
        materials=await public_materials(row["id"]),
        url=summary.url,
    )


async def get_resource(slug: str, *, include_drafts: bool) -> schemas.Resource:
    """A resource whole. The public (`include_drafts` False) gets 404 for a draft and sees only announced links."""
    return await _resource(await _resource_row(slug, include_drafts=include_drafts), public=not include_drafts)


async def get_resource_by_id(resource_id: int) -> schemas.Resource:
    row = await Resource.select(Resource.slug).where(Resource.id == resource_id).first()
    if row is None:
        raise errors.ResourceNotFound(slug=resource_id)
    return await get_resource(row["slug"], include_drafts=True)


async def newest_published(limit: int = 50) -> list[schemas.Resource]:
    """The Atom feed's entries: published resources, newest first."""
    rows = (
        await Resource.select(Resource.slug)
        .where(Resource.status == "published")
        .order_by(Resource.published_at, ascending=False)
        .limit(limit)
    )
    return [await get_resource(r["slug"], include_drafts=False) for r in rows]


# From the API's slugs and the pages' names to ids ---------------------------------------------------------------


async def _ids_by(table: Any, column: Any, keys: Sequence[Any], *, field_name: str, what: str) -> tuple[int, ...]:
    if not keys:
        return ()
    rows = await table.select(table.id, column.as_alias("key")).where(column.is_in(list(keys)))
    found = {r["key"]: r["id"] for r in rows}
    if missing := [k for k in keys if k not in found]:
        raise InvalidFields([FieldError(field_name, f"{LABELS[field_name]}: there is no {what} '{missing[0]}'")])
    return tuple(found[k] for k in keys)


async def _region_id(slug: str | None) -> int | None:
    if not slug:
        return None
    row = await Region.select(Region.id).where(Region.slug == slug).first()
    if row is None:
        raise InvalidFields([FieldError("region", f"Region: there is no region '{slug}'; choose one from the list")])
    return int(row["id"])


async def input_from_api(data: schemas.ResourceCreate) -> ResourceInput:
    """An API body (organisations, events and speakers by slug; sessions by id) as the input the rules take,
    naming every unknown one."""
    wrong: list[FieldError] = []
    found: dict[str, Any] = {}
    lookups: dict[str, Any] = {
        "region": _region_id(data.region),
        "organisations": _ids_by(
            Organisation, Organisation.slug, data.organisations, field_name="organisations", what="organisation"
        ),
        "events": _ids_by(Event, Event.slug, data.events, field_name="events", what="event"),
        "sessions": _ids_by(Session, Session.id, data.sessions, field_name="sessions", what="session"),
        "speakers": _ids_by(Speaker, Speaker.slug, data.speakers, field_name="speakers", what="speaker"),
    }
    for name, lookup in lookups.items():
        try:
            found[name] = await lookup
        except InvalidFields as exc:
            wrong += exc.errors
    if wrong:
        raise InvalidFields(wrong, status_code=422)
    return ResourceInput(
        title=data.title,
        summary=data.summary,
        body=data.body,
        kind=data.kind,
        themes=tuple(data.themes),
        sectors=tuple(data.sectors),
        region=found["region"],
        year=data.year,
        organisations=found["organisations"],
        events=found["events"],
        sessions=found["sessions"],
        speakers=found["speakers"],
        slug=data.slug,
    )


def api_body_of(resource: schemas.Resource) -> schemas.ResourceCreate:
    """A resource as the API body that would make it: the base a PATCH's fields are laid over."""
    return schemas.ResourceCreate(
        title=resource.title,
        kind=resource.kind,
        summary=resource.summary,
        body=resource.body,
        themes=[t.slug for t in resource.themes],
        sectors=[sector_role(s.slug) for s in resource.sectors],
        region=resource.region.slug if resource.region else None,
        year=resource.year,
        organisations=[o.slug for o in resource.organisations],
        events=[e.slug for e in resource.events],
        sessions=[s.id for s in resource.sessions],
        speakers=[s.slug for s in resource.speakers],
        slug=resource.slug,
    )


@dataclass(frozen=True, slots=True)
class LinkChoices:
    """What an organiser can pick by name on the resource form."""

    organisations: list[str]
    events: list[str]
    sessions: list[str]
    speakers: list[str]
    regions: list[tuple[str, str]]


SESSION_SEPARATOR = " — "  # "Event title — Session title": how the form names a session


async def link_choices() -> LinkChoices:
    organisations = await Organisation.select(Organisation.name).order_by(Organisation.name)
    events = await Event.select(Event.title).order_by(Event.starts_at, ascending=False)
    sessions = await Session.select(Session.title, Session.event.title.as_alias("event")).order_by(Session.starts_at)
    speakers = await Speaker.select(Speaker.name).order_by(Speaker.name)
    regions = await Region.select(Region.id, Region.name).order_by(Region.name)
    return LinkChoices(
        organisations=list(dict.fromkeys(r["name"] for r in organisations)),
        events=list(dict.fromkeys(r["title"] for r in events)),
        sessions=list(dict.fromkeys(f"{r['event']}{SESSION_SEPARATOR}{r['title']}" for r in sessions)),
        speakers=list(dict.fromkeys(r["name"] for r in speakers)),
        regions=[(str(r["id"]), r["name"]) for r in regions],
    )


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass(frozen=True, slots=True)
class LinkIds:
    organisations: tuple[int, ...] = ()
    events: tuple[int, ...] = ()
    sessions: tuple[int, ...] = ()
    speakers: tuple[int, ...] = ()


async def ids_from_names(
    *, organisations: Sequence[str], events: Sequence[str], sessions: Sequence[str], speakers: Sequence[str]
) -> LinkIds:
    """The form's names (one a line) as ids, every name not found named with its field. A name shared by two
    (two events called "Forum") takes the newest."""
    wrong: list[FieldError] = []
    found: dict[str, tuple[int, ...]] = {}
    session_rows = await Session.select(Session.id, Session.title, Session.event.title.as_alias("event")).order_by(
        Session.starts_at, ascending=False
    )
    tables: dict[str, tuple[list[Any], str, Sequence[str]]] = {
        "organisations": (
            [
                (r["id"], r["name"])
                for r in await Organisation.select(Organisation.id, Organisation.name).order_by(
                    Organisation.id, ascending=False
                )
            ],
            "organisation",
            organisations,
        ),
        "events": (
            [
                (r["id"], r["title"])
                for r in await Event.select(Event.id, Event.title).order_by(Event.starts_at, ascending=False)
            ],
            "event",
            events,
        ),
        "sessions": (
            [(r["id"], f"{r['event']}{SESSION_SEPARATOR}{r['title']}") for r in session_rows],
            "session (write it as: event title — session title)",
            sessions,
        ),
        "speakers": (
            [
                (r["id"], r["name"])
                for r in await Speaker.select(Speaker.id, Speaker.name).order_by(Speaker.id, ascending=False)
            ],
            "speaker",
            speakers,
        ),
    }
    for name, (rows, what, wanted) in tables.items():
        by_name: dict[str, int] = {}
        for row_id, text in rows:
            by_name.setdefault(_key(text), row_id)
        missing = [w for w in wanted if _key(w) not in by_name]
        if missing:
            wrong.append(FieldError(name, f"{LABELS[name]}: there is no {what} called '{missing[0]}'"))
        found[name] = tuple(dict.fromkeys(by_name[_key(w)] for w in wanted if _key(w) in by_name))
    if wrong:
        raise InvalidFields(wrong)
    return LinkIds(**found)


def checked_filters(filters: search.Filters) -> search.Filters:
    """A search's filters, or a 400 naming each one that is not a choice (a theme or sector not on the list)."""
    wrong: list[FieldError] = []
    if filters.q is not None and len(filters.q) > 200:
        wrong.append(FieldError("q", "Words: at most 200 characters, please shorten the search"))
    if filters.theme and filters.theme not in THEMES:
        wrong.append(FieldError("theme", f"Theme: '{filters.theme}' is not one of the hub's themes"))
    if filters.sector and filters.sector not in SECTOR_ROLES:
        wrong.append(FieldError("sector", f"Sector: '{filters.sector}' is not a sector"))
    if filters.kind and filters.kind not in KINDS:
        wrong.append(FieldError("kind", "Kind: resource or case_study"))
    if filters.year is not None and not 1950 <= filters.year <= 2100:
        wrong.append(FieldError("year", "Year: a year like 2026"))
    if wrong:
        raise InvalidFields(wrong)
    return filters


def theme_list() -> list[schemas.Label]:
    return [schemas.Label(slug=slug, label=label) for slug, label in THEMES.items()]

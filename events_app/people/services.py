"""Stakeholder groups, regions and organisations: the rules for creating, changing and removing them."""

from __future__ import annotations

from events_app.core.crud import changes_of, constraint_guard, not_found, require, unique_slug
from events_app.core.database import contains_text, write_transaction
from events_app.core.ordering import moved
from events_app.core.rows import Row
from events_app.core.schema import Page
from events_app.people import schemas
from events_app.people.errors import GroupInUse, GroupNameTaken
from events_app.people.sectors import SECTOR_LABELS, SectorRole, sector_role
from events_app.people.tables import Organisation, Region, StakeholderGroup

DEFAULT_GROUPS = [
    ("higher-education-institution", "Higher education institution"),
    ("third-sector-organisation", "Third-sector organisation"),
    ("school-or-college", "School or college"),
    ("funder", "Funder"),
    ("policymaker", "Policymaker"),
    ("employer", "Employer"),
    ("student", "Student"),
    ("other", "Other"),
]
# What each default group is (the groups an organiser adds say it themselves): reports by sector read these.
DEFAULT_SECTOR_ROLES: dict[str, SectorRole] = {
    "higher-education-institution": "university",
    "third-sector-organisation": "civil_society",
    "school-or-college": "school_college",
    "funder": "funder",
    "policymaker": "policy",
    "employer": "employer",
    "student": "other",
    "other": "other",
}


# Stakeholder groups -------------------------------------------------------------------------


def _group(row: Row) -> schemas.StakeholderGroup:
    role = sector_role(row["sector_role"])
    return schemas.StakeholderGroup(
        id=row["id"],
        slug=row["slug"],
        name=row["name"],
        description=row["description"],
        position=row["position"],
        sector_role=role,
        sector_label=SECTOR_LABELS[role],
    )


async def list_groups() -> list[schemas.StakeholderGroup]:
    rows = await StakeholderGroup.select().order_by(StakeholderGroup.position).order_by(StakeholderGroup.name)
    return [_group(r) for r in rows]


async def get_group(slug: str) -> schemas.StakeholderGroup:
    row = await StakeholderGroup.select().where(StakeholderGroup.slug == slug).first()
    if row is None:
        raise not_found("stakeholder group", slug)
    return _group(row)


async def _group_name_free(name: str, exclude_id: int | None = None) -> None:
    query = StakeholderGroup.exists().where(StakeholderGroup.name == name)
    if exclude_id is not None:
        query = query.where(StakeholderGroup.id != exclude_id)
    if await query:
        raise GroupNameTaken(name=name)


async def create_group(data: schemas.StakeholderGroupCreate) -> schemas.StakeholderGroup:
    await _group_name_free(data.name)
    slug = await unique_slug(StakeholderGroup, data.name, explicit=data.slug)
    row = StakeholderGroup(
        slug=slug,
        name=data.name,
        description=data.description,
        position=data.position,
        sector_role=data.sector_role,
    )
    await constraint_guard(row.save(), field="slug", unique_message="That stakeholder group already exists")
    return await get_group(slug)


async def update_group(slug: str, data: schemas.StakeholderGroupUpdate) -> schemas.StakeholderGroup:
    current = await get_group(slug)
    changes = changes_of(data)
    if "name" in changes:
        await _group_name_free(changes["name"], exclude_id=current.id)
    if "slug" in changes:
        changes["slug"] = await unique_slug(StakeholderGroup, "", explicit=changes["slug"], exclude_id=current.id)
    if changes:
        await constraint_guard(
            StakeholderGroup.update(changes).where(StakeholderGroup.id == current.id).run(),
            field="slug",
            unique_message="That stakeholder group already exists",
        )
    return await get_group(changes.get("slug", slug))


async def delete_group(slug: str) -> None:
    group = await get_group(slug)
    if await Organisation.exists().where(Organisation.stakeholder_group == group.id):
        raise GroupInUse(group=group.name)
    await constraint_guard(
        StakeholderGroup.delete().where(StakeholderGroup.id == group.id).run(),
        field="slug",
        unique_message="",
        in_use_message=f"'{group.name}' is still in use",
    )


async def move_group(slug: str, places: int) -> list[schemas.StakeholderGroup]:
    """Move a group up (places < 0) or down the list everyone sees (forms, reports): the groups are numbered again
    0, 1, 2 ... in their new order, so groups that shared a position (added without one) get their own."""
    async with write_transaction():
        groups = {g.slug: g for g in await list_groups()}
        order = moved(list(groups), slug, places)
        if order is None:
            raise not_found("stakeholder group", slug)
        for position, each in enumerate(groups[s] for s in order):
            if each.position != position:
                await StakeholderGroup.update({StakeholderGroup.position: position}).where(
                    StakeholderGroup.id == each.id
                )
    return await list_groups()


async def ensure_default_groups() -> None:
    """The eight groups of the network, each with its sector role; organisers may add more (and may change a
    default group's role: a group that is there already is left as it is)."""
    for position, (slug, name) in enumerate(DEFAULT_GROUPS):
        if not await StakeholderGroup.exists().where(StakeholderGroup.slug == slug):
            role = DEFAULT_SECTOR_ROLES[slug]
            await StakeholderGroup(slug=slug, name=name, position=position, sector_role=role).save()


# Regions ------------------------------------------------------------------------------------


async def list_regions() -> list[schemas.Region]:
    rows = await Region.select().order_by(Region.name)
    return [schemas.Region(**r) for r in rows]


# Organisations ------------------------------------------------------------------------------

_ORG_COLUMNS = (
    Organisation.id,
    Organisation.slug,
    Organisation.name,
    Organisation.website,
    Organisation.stakeholder_group.id.as_alias("group_id"),
    Organisation.stakeholder_group.slug.as_alias("group_slug"),
    Organisation.stakeholder_group.name.as_alias("group_name"),
    Organisation.region.id.as_alias("region_id"),
    Organisation.region.slug.as_alias("region_slug"),
    Organisation.region.name.as_alias("region_name"),
)


def organisation_from_row(row: Row) -> schemas.Organisation:
    region = (
        schemas.Region(id=row["region_id"], slug=row["region_slug"], name=row["region_name"])
        if row["region_id"] is not None
        else None
    )
    return schemas.Organisation(
        id=row["id"],
        slug=row["slug"],
        name=row["name"],
        website=row["website"],
        stakeholder_group=schemas.GroupRef(id=row["group_id"], slug=row["group_slug"], name=row["group_name"]),
        region=region,
    )


async def list_organisations(
    *, group: str | None = None, search: str | None = None, limit: int = 50, offset: int = 0
) -> Page[schemas.Organisation]:
    query = Organisation.select(*_ORG_COLUMNS)
    count = Organisation.count()
    if group:
        query = query.where(Organisation.stakeholder_group.slug == group)
        count = count.where(Organisation.stakeholder_group.slug == group)
    if search:
        query = query.where(contains_text(search, Organisation.name))
        count = count.where(contains_text(search, Organisation.name))
    rows = await query.order_by(Organisation.name).limit(limit).offset(offset)
    return Page(items=[organisation_from_row(r) for r in rows], total=await count, limit=limit, offset=offset)


async def organisation_names() -> list[str]:
    """Every organisation's name, in order: the suggestions on the registration form."""
    return [r["name"] for r in await Organisation.select(Organisation.name).order_by(Organisation.name)]


async def organisation_by_name(name: str) -> schemas.Organisation | None:
    """The organisation a person means by a typed name: the same name, ignoring case and runs of spaces."""
    wanted = " ".join(name.split()).casefold()
    if not wanted:
        return None
    rows = await Organisation.select(Organisation.slug, Organisation.name).order_by(Organisation.id)
    slug = next((r["slug"] for r in rows if " ".join(r["name"].split()).casefold() == wanted), None)
    return await get_organisation(slug) if slug is not None else None


async def get_organisation(slug: str) -> schemas.Organisation:
    row = await Organisation.select(*_ORG_COLUMNS).where(Organisation.slug == slug).first()
    if row is None:
        raise not_found("organisation", slug)
    return organisation_from_row(row)


async def create_organisation(data: schemas.OrganisationCreate) -> schemas.Organisation:
    await require(StakeholderGroup, data.stakeholder_group_id, field="stakeholder_group_id", what="stakeholder group")
    await require(Region, data.region_id, field="region_id", what="region")
    slug = await unique_slug(Organisation, data.name, explicit=data.slug)
    row = Organisation(
        slug=slug,
        name=data.name,
        stakeholder_group=data.stakeholder_group_id,
        region=data.region_id,
        website=data.website,
    )
    await constraint_guard(row.save(), field="slug", unique_message=f"The slug '{slug}' is already used")
    return await get_organisation(slug)


async def update_organisation(slug: str, data: schemas.OrganisationUpdate) -> schemas.Organisation:
    current = await get_organisation(slug)
    changes = changes_of(data)
    if "stakeholder_group_id" in changes:
        await require(
            StakeholderGroup, changes["stakeholder_group_id"], field="stakeholder_group_id", what="stakeholder group"
        )
        changes["stakeholder_group"] = changes.pop("stakeholder_group_id")
    if "region_id" in changes:
        await require(Region, changes["region_id"], field="region_id", what="region")
        changes["region"] = changes.pop("region_id")
    if "slug" in changes:
        changes["slug"] = await unique_slug(Organisation, "", explicit=changes["slug"], exclude_id=current.id)
    if changes:
        await constraint_guard(
            Organisation.update(changes).where(Organisation.id == current.id).run(),
            field="slug",
            unique_message="That slug is already used",
        )
    return await get_organisation(changes.get("slug", slug))


async def delete_organisation(slug: str) -> None:
    current = await get_organisation(slug)
    await Organisation.delete().where(Organisation.id == current.id)

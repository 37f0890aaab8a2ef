"""Series: named runs of events, each with a page and (later) a calendar feed of its own."""

from __future__ import annotations

from events_app.accounts import scopes
from events_app.accounts.errors import OutsideScope
from events_app.core.crud import changes_of, constraint_guard, not_found, require, unique_slug
from events_app.core.rows import Row
from events_app.people.schemas import Region as RegionOut
from events_app.people.tables import Region
from events_app.programme import schemas
from events_app.programme.errors import SeriesInUse
from events_app.programme.tables import Event, Series

_COLUMNS = (
    Series.id,
    Series.slug,
    Series.title,
    Series.description,
    Series.region.id.as_alias("region_id"),
    Series.region.slug.as_alias("region_slug"),
    Series.region.name.as_alias("region_name"),
)


def _series(row: Row) -> schemas.Series:
    region = (
        RegionOut(id=row["region_id"], slug=row["region_slug"], name=row["region_name"])
        if row["region_id"] is not None
        else None
    )
    return schemas.Series(
        id=row["id"],
        slug=row["slug"],
        title=row["title"],
        description=row["description"],
        region=region,
        url=f"/series/{row['slug']}",
    )


async def list_series() -> list[schemas.Series]:
    query = scopes.where(Series.select(*_COLUMNS), scopes.active().series_filter())
    return [_series(r) for r in await query.order_by(Series.title)]


async def get_series(slug: str) -> schemas.Series:
    query = scopes.where(Series.select(*_COLUMNS), scopes.active().series_filter())
    row = await query.where(Series.slug == slug).first()
    if row is None:
        raise not_found("series", slug)
    return _series(row)


def _region_in_scope(region_id: int | None) -> None:
    """A limited account gives a new series one of its own regions, so that the series is in its scope. (Moving a
    series it sees to another region cannot widen what it sees, so that needs no check.)"""
    scope = scopes.active()
    if scope.limited and region_id not in scope.region_ids:
        raise OutsideScope("Your account is limited to some regions: pick one of them", field="region_id")


async def create_series(data: schemas.SeriesCreate) -> schemas.Series:
    await require(Region, data.region_id, field="region_id", what="region")
    _region_in_scope(data.region_id)
    slug = await unique_slug(Series, data.title, explicit=data.slug)
    row = Series(slug=slug, title=data.title, description=data.description, region=data.region_id)
    await constraint_guard(row.save(), field="slug", unique_message=f"The slug '{slug}' is already used")
    return await get_series(slug)


async def update_series(slug: str, data: schemas.SeriesUpdate) -> schemas.Series:
    current = await get_series(slug)
    changes = changes_of(data)
    if "region_id" in changes:
        await require(Region, changes["region_id"], field="region_id", what="region")
        changes["region"] = changes.pop("region_id")
    if "slug" in changes:
        changes["slug"] = await unique_slug(Series, "", explicit=changes["slug"], exclude_id=current.id)
    if changes:
        await constraint_guard(
            Series.update(changes).where(Series.id == current.id).run(),
            field="slug",
            unique_message="That slug is already used",
        )
    return await get_series(changes.get("slug", slug))


async def delete_series(slug: str) -> None:
    current = await get_series(slug)
    if await Event.exists().where(Event.series == current.id):
        raise SeriesInUse(title=current.title)
    await constraint_guard(
        Series.delete().where(Series.id == current.id).run(),
        field="slug",
        unique_message="",
        in_use_message="Some accounts are limited to this series: change which events they see first",
    )

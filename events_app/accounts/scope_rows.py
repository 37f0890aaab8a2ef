"""Reading and setting an account's scope rows (the rule they feed is accounts/scopes.py)."""

from __future__ import annotations

from collections.abc import Sequence

from events_app.accounts import schemas
from events_app.accounts.errors import ScopeTooWide, UnknownScopeNames
from events_app.accounts.scopes import Scope
from events_app.accounts.tables import Organiser, OrganiserScope
from events_app.core.database import write_transaction
from events_app.people.tables import Region
from events_app.programme.tables import Series


async def scope_of(user_id: int) -> Scope:
    """The scope of the account of this user (loaded with the session)."""
    rows = await OrganiserScope.select(OrganiserScope.series, OrganiserScope.region).where(
        OrganiserScope.organiser.user == user_id
    )
    return Scope(
        series_ids=sorted(r["series"] for r in rows if r["series"] is not None),
        region_ids=sorted(r["region"] for r in rows if r["region"] is not None),
    )


async def scope_names(user_ids: Sequence[int]) -> dict[int, schemas.ScopeNames]:
    """Each account's scope by slug, in one query."""
    if not user_ids:
        return {}
    rows = await OrganiserScope.select(
        OrganiserScope.organiser.user.as_alias("user_id"),
        OrganiserScope.series.slug.as_alias("series"),
        OrganiserScope.region.slug.as_alias("region"),
    ).where(OrganiserScope.organiser.user.is_in(list(user_ids)))
    names = {user_id: schemas.ScopeNames() for user_id in user_ids}
    for row in rows:
        found = names[row["user_id"]]
        if row["series"] is not None:
            found.series.append(row["series"])
        if row["region"] is not None:
            found.regions.append(row["region"])
    for found in names.values():
        found.series.sort()
        found.regions.sort()
    return names


async def _ids(table: type[Series] | type[Region], slugs: list[str], what: str, field: str) -> list[int]:
    wanted = sorted(set(slugs))
    if not wanted:
        return []
    rows = await table.select(table.id, table.slug).where(table.slug.is_in(wanted))
    unknown = [s for s in wanted if s not in {r["slug"] for r in rows}]
    if unknown:
        raise UnknownScopeNames(what=what, names=", ".join(unknown), field=field)
    return sorted(r["id"] for r in rows)


async def resolve(names: schemas.ScopeNames) -> Scope:
    """Slugs to ids; every unknown slug is named."""
    return Scope(
        series_ids=list(await _ids(Series, names.series, "series", "scope.series")),
        region_ids=list(await _ids(Region, names.regions, "region", "scope.regions")),
    )


async def set_scope(user_id: int, names: schemas.ScopeNames, *, by: schemas.CurrentOrganiser) -> None:
    """Replace an account's scope. A limited account may not change its own scope, nor give one wider than its
    own (nor "everything"). Call inside the caller's write transaction or on its own."""
    new = await resolve(names)
    if by.scope.limited and (user_id == by.user_id or not await new.within(by.scope)):
        raise ScopeTooWide()
    organiser = await Organiser.select(Organiser.id).where(Organiser.user == user_id).first()
    if organiser is None:
        return
    async with write_transaction():
        await OrganiserScope.delete().where(OrganiserScope.organiser == organiser["id"])
        rows = [OrganiserScope(organiser=organiser["id"], series=s) for s in new.series_ids]
        rows += [OrganiserScope(organiser=organiser["id"], region=r) for r in new.region_ids]
        if rows:
            await OrganiserScope.insert(*rows)

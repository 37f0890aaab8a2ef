"""Small helpers every domain's services share: lookups that 404, slugs, and constraint errors."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, TypeVar

import msgspec
from piccolo.columns import Varchar
from piccolo.table import Table
from slugify import slugify

from events_app.core.database import is_foreign_key_violation, is_unique_violation
from events_app.core.errors import Conflict, NoSuchThing, NotFound, SlugTaken, UnknownReference

T = TypeVar("T")


async def exists(table: type[Table], **where: Any) -> bool:
    query = table.exists()
    for column, value in where.items():
        query = query.where(table._meta.get_column_by_name(column) == value)
    return bool(await query.run())


async def require(table: type[Table], row_id: int | None, *, field: str, what: str) -> None:
    """A reference in a request body must point at an existing row: 422 naming the field if not."""
    if row_id is not None and not await exists(table, id=row_id):
        raise UnknownReference(what=what, id=row_id, field=field)


def not_found(what: str, key: object) -> NotFound:
    return NoSuchThing(what=what, key=key)


async def unique_slug(table: type[Table], text: str, *, explicit: str | None, exclude_id: int | None = None) -> str:
    """The slug asked for (409 if taken), or one made from the title with -2, -3 ... added if needed."""
    column = table._meta.get_column_by_name("slug")
    pk = table._meta.primary_key

    async def taken(slug: str) -> bool:
        query = table.exists().where(column == slug)
        if exclude_id is not None:
            query = query.where(pk != exclude_id)
        return bool(await query.run())

    if explicit:
        if await taken(explicit):
            raise SlugTaken(slug=explicit)
        return explicit
    # Room for a "-N" suffix within the column (stakeholder group slugs hold 80 characters, others 120).
    room = column.length - 8 if isinstance(column, Varchar) and column.length else 100
    base = slugify(text, max_length=min(100, room), word_boundary=True) or "item"
    candidate, n = base, 1
    while await taken(candidate):
        n += 1
        candidate = f"{base}-{n}"
    return candidate


async def constraint_guard(write: Awaitable[T], *, field: str, unique_message: str, in_use_message: str = "") -> T:
    """Turn a database constraint refusal (a race the checks above lost) into a clear 409."""
    try:
        return await write
    except Exception as exc:
        if is_unique_violation(exc):
            raise Conflict(unique_message, field=field) from exc
        if is_foreign_key_violation(exc):
            raise Conflict(in_use_message or unique_message, field=field) from exc
        raise


def changes_of(data: msgspec.Struct) -> dict[Any, Any]:
    """The fields a PATCH body actually set (UNSET ones are left alone)."""
    return {f: v for f in data.__struct_fields__ if (v := getattr(data, f)) is not msgspec.UNSET}

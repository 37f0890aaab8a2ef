"""Serialising changes per event."""

from __future__ import annotations

from events_app.accounts import scopes
from events_app.core.crud import not_found
from events_app.core.database import for_update_of, locked, read_rows
from events_app.programme.rows import PUBLIC_STATUSES, EventRow
from events_app.programme.tables import Event

# The event's columns, written out once. Building `Event.select()` through Piccolo cost about 1.7 ms of CPU
# (some forty columns bundled anew each time), and every request about one event reads it, the rush's
# inside its lock (issue 20's profile): the everyday reads below take this SQL; the others keep Piccolo's.
_COLUMNS = ", ".join(f'e."{c._meta.db_column_name}"' for c in Event._meta.columns)
_EVENT = f'SELECT {_COLUMNS} FROM "event" e '  # noqa: S608 - the table's own column names
_PUBLIC = " AND e.status IN (" + ", ".join(f"'{status}'" for status in PUBLIC_STATUSES) + ")"


async def event_by_slug(slug: str, *, public_only: bool) -> EventRow | None:
    """The event of a slug (only a published or cancelled one when `public_only`), for a reader with no scope."""
    rows = await read_rows(_EVENT + "WHERE e.slug = {}" + (_PUBLIC if public_only else ""), slug)
    return EventRow.of(rows[0]) if rows else None


async def locked_event(event_id: int | None = None, slug: str | None = None) -> EventRow:
    """The event row, locked on PostgreSQL (SELECT ... FOR UPDATE) so that everything that counts places
    or checks the timetable serialises per event; on SQLite the immediate transaction already does."""
    if event_id is not None and scopes.active().event_filter() is None:  # a registration's: the common case
        rows = await read_rows(_EVENT + "WHERE e.id = {}" + for_update_of("e"), event_id)
        if not rows:
            raise not_found("event", event_id)
        return EventRow.of(rows[0])
    query = (
        Event.select().where(Event.id == event_id) if event_id is not None else Event.select().where(Event.slug == slug)
    )
    row = await locked(scopes.where(query, scopes.active().event_filter())).first()
    if row is None:
        raise not_found("event", slug if slug is not None else event_id)
    return EventRow.of(row)

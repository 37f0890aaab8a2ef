"""Serialising changes per event."""

from __future__ import annotations

from events_app.accounts import scopes
from events_app.core.crud import not_found
from events_app.core.database import locked
from events_app.programme.rows import EventRow
from events_app.programme.tables import Event


async def locked_event(event_id: int | None = None, slug: str | None = None) -> EventRow:
    """The event row, locked on PostgreSQL (SELECT ... FOR UPDATE) so that everything that counts places
    or checks the timetable serialises per event; on SQLite the immediate transaction already does."""
    query = (
        Event.select().where(Event.id == event_id) if event_id is not None else Event.select().where(Event.slug == slug)
    )
    row = await locked(scopes.where(query, scopes.active().event_filter())).first()
    if row is None:
        raise not_found("event", slug if slug is not None else event_id)
    return EventRow.of(row)

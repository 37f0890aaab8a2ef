"""What a request is about, resolved once for its handler: the event named by the `{slug}` in its path."""

from __future__ import annotations

from typing import Any, TypeAlias

from litestar import Request
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from events_app.accounts.guards import current_organiser
from events_app.programme import remembered
from events_app.programme.events import event_row
from events_app.programme.rows import PUBLIC_STATUSES, EventRow


async def provide_event(request: Request[Any, Any, Any], slug: FromPath[str]) -> EventRow:
    """The event of the path's slug, read once per request and handed to the handler and on to the services.
    A draft is there for signed-in staff (the guarded organiser and door pages); for anyone else it does
    not exist (404)."""
    return await event_row(slug, include_drafts=current_organiser(request) is not None)


async def provide_remembered_event(request: Request[Any, Any, Any], slug: FromPath[str]) -> EventRow:
    """`provide_event` from the events remembered for a few seconds (programme/remembered.py), for anyone not
    signed in, where the service reads the event again under its lock before it decides (a registration): the
    row remembered only names the event, and a rush reads it once, not once a request."""
    if current_organiser(request) is not None:
        return await provide_event(request, slug)
    generation, row = await remembered.recall(slug)
    if row is not None and row.status in PUBLIC_STATUSES:
        return row
    row = await event_row(slug, include_drafts=False)
    await remembered.remember(generation, row)
    return row


EVENT = {"event": Provide(provide_event)}  # a controller's `dependencies`
REMEMBERED_EVENT = {"event": Provide(provide_remembered_event)}  # a handler's, where its service locks the event
PathEvent: TypeAlias = NamedDependency[EventRow]  # a handler's `event` parameter

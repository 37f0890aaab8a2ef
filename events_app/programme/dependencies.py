"""What a request is about, resolved once for its handler: the event named by the `{slug}` in its path."""

from __future__ import annotations

from typing import Any, TypeAlias

from litestar import Request
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from events_app.accounts.guards import current_organiser
from events_app.programme.events import event_row
from events_app.programme.rows import EventRow


async def provide_event(request: Request[Any, Any, Any], slug: FromPath[str]) -> EventRow:
    """The event of the path's slug, read once per request and handed to the handler and on to the services.
    A draft is there for signed-in staff (the guarded organiser and door pages); for anyone else it does
    not exist (404)."""
    return await event_row(slug, include_drafts=current_organiser(request) is not None)


EVENT = {"event": Provide(provide_event)}  # a controller's `dependencies`
PathEvent: TypeAlias = NamedDependency[EventRow]  # a handler's `event` parameter

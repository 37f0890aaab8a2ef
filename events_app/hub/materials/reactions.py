"""Materials' reaction to the programme deleting an event or a session: the material rows go with it by cascade,
and their stored files go once that deletion has committed (a refused or rolled-back deletion keeps them)."""

from __future__ import annotations

from functools import partial

from events_app.hub.materials import services
from events_app.programme.reactions import EventDeleting, Reactions, SessionDeleting


async def on_event_deleting(change: EventDeleting) -> None:
    keys = await services.stored_keys(event_id=change.event.id)
    if keys:
        change.after_commit.append(partial(services.delete_stored, keys))


async def on_session_deleting(change: SessionDeleting) -> None:
    keys = await services.stored_keys(session_id=change.session.id)
    if keys:
        change.after_commit.append(partial(services.delete_stored, keys))


def register(registry: Reactions) -> None:
    registry.on(EventDeleting, on_event_deleting)
    registry.on(SessionDeleting, on_session_deleting)

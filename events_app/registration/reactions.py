"""Registration's reactions to programme changes: cancel registrations when an event is cancelled, tell
delegates of a changed time or place, promote from the waiting list when a capacity rises."""

from __future__ import annotations

from events_app.programme.reactions import EventCancelled, EventChanged, Reactions, SessionChanged
from events_app.registration import services


async def event_changed(change: EventChanged | EventCancelled) -> None:
    await services.on_event_changed(change.before.as_values(), change.after.as_values())


async def session_changed(change: SessionChanged) -> None:
    await services.on_session_changed(change.before.as_values(), change.after.as_values())


def register(registry: Reactions) -> None:
    registry.on(EventCancelled, event_changed)
    registry.on(EventChanged, event_changed)
    registry.on(SessionChanged, session_changed)

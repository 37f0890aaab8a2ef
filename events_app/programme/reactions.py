"""What other domains do when the programme changes, inside the same transaction as the change.

The programme knows nothing of registrations: it announces typed changes to a registry, and
`events_app.reactions.register_reactions` (called by `create_app` and `events-app worker`) says who reacts.
Nothing registers by being imported, so what runs is visible in one place."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from events_app.programme.rows import EventRow, SessionRow


@dataclass(frozen=True, slots=True)
class EventChanged:
    """An event was edited (times, place, capacity, status), but not cancelled."""

    before: EventRow
    after: EventRow


@dataclass(frozen=True, slots=True)
class EventCancelled:
    """An event went from any other status to cancelled."""

    before: EventRow
    after: EventRow


@dataclass(frozen=True, slots=True)
class SessionChanged:
    """A session was edited (times, room, capacity, status)."""

    before: SessionRow
    after: SessionRow


Change = EventChanged | EventCancelled | SessionChanged
C = TypeVar("C", EventChanged, EventCancelled, SessionChanged)
Reaction = Callable[[C], Awaitable[None]]


class Reactions:
    """Who reacts to which change, in the order they were registered."""

    def __init__(self) -> None:
        self._reactions: dict[type[Change], list[Callable[[Any], Awaitable[None]]]] = {}

    def on(self, change: type[C], reaction: Reaction[C]) -> None:
        """Register a reaction; registering the same one twice (a second create_app) keeps one."""
        reactions = self._reactions.setdefault(change, [])
        if reaction not in reactions:
            reactions.append(reaction)

    def registered(self, change: type[Change]) -> list[Callable[[Any], Awaitable[None]]]:
        return list(self._reactions.get(change, []))

    def clear(self) -> None:
        self._reactions.clear()

    async def announce(self, change: Change) -> None:
        """Run every reaction to this change, one after the other, in the caller's transaction."""
        for reaction in self._reactions.get(type(change), []):
            await reaction(change)


# The process's registry: the programme's services announce to it; register_reactions fills it.
registry = Reactions()

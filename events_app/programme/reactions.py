"""What other domains do when the programme changes, inside the same transaction as the change.

The programme knows nothing of registrations: it announces typed changes to a registry, and
`events_app.reactions.register_reactions` (called by `create_app` and `events-app worker`) says who reacts.
Nothing registers by being imported, so what runs is visible in one place."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
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


AfterCommit = Callable[[], Awaitable[None]]
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Deleting:
    """Rows about to be deleted (their dependants go by cascade). A reaction runs in the deleting transaction
    and may leave work for after it commits in `after_commit` (removing stored files): a deletion that is
    refused or rolled back leaves everything as it was."""

    after_commit: list[AfterCommit] = field(default_factory=list, kw_only=True)

    async def committed(self) -> None:
        """Run the work left for after the commit; one that fails is logged and the rest still run (the
        deletion itself has happened)."""
        for work in self.after_commit:
            try:
                await work()
            except Exception:
                log.exception("after deleting %s: %s failed", type(self).__name__, getattr(work, "__name__", work))


@dataclass(frozen=True, slots=True)
class EventDeleting(Deleting):
    """An event is about to be deleted, with its sessions."""

    event: EventRow


@dataclass(frozen=True, slots=True)
class SessionDeleting(Deleting):
    """A session is about to be deleted."""

    session: SessionRow


Change = EventChanged | EventCancelled | SessionChanged | EventDeleting | SessionDeleting
C = TypeVar("C", EventChanged, EventCancelled, SessionChanged, EventDeleting, SessionDeleting)
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

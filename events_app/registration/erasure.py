"""What other domains do when a delegate's data is erased, inside the erasure's transaction.

Registration knows nothing of feedback (it sits above): erasure announces a `DelegateErased` to this registry,
and `events_app.reactions.register_reactions` (called by `create_app` and `events-app worker`) says who takes part.
Nothing registers by being imported; an erasure with no step registered refuses to run rather than leave data
behind."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DelegateErased:
    """Who is being erased, as they were known before: their address, every name they registered under, and
    their registrations (which stay, as anonymous records)."""

    delegate_id: int
    email: str
    names: tuple[str, ...]
    registration_ids: tuple[int, ...]


ErasureStep = Callable[[DelegateErased], Awaitable[None]]


class ErasureSteps:
    def __init__(self) -> None:
        self._steps: list[ErasureStep] = []

    def on(self, step: ErasureStep) -> None:
        """Register a step; registering the same one twice (a second create_app) keeps one."""
        if step not in self._steps:
            self._steps.append(step)

    def registered(self) -> list[ErasureStep]:
        return list(self._steps)

    async def announce(self, erased: DelegateErased) -> None:
        for step in self._steps:
            await step(erased)


registry = ErasureSteps()

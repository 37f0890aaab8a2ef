"""What other domains do when the programme changes, inside the same transaction.

The programme knows nothing of registrations; registration registers its reactions here (waitlist
promotion when a capacity rises, cancelling registrations when an event is cancelled, telling
delegates of a changed time or place)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

Hook = Callable[[dict[str, Any], dict[str, Any]], Awaitable[None]]

event_changed: list[Hook] = []
session_changed: list[Hook] = []


async def run(hooks: list[Hook], before: dict[str, Any], after: dict[str, Any]) -> None:
    for hook in hooks:
        await hook(before, after)

"""The one rule for moving an item of an ordered list (questions on a form, stakeholder groups): where everything
stands after the move. The services write the new positions; this says what they are."""

from __future__ import annotations

from collections.abc import Hashable
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def moved(order: list[K], item: K, places: int) -> list[K] | None:
    """`order` with `item` moved up (places < 0) or down by that many places, stopping at either end; None when
    `item` is not in the list. Positions are then 0, 1, 2 ... in the returned order, so items that shared a
    position (added without one) each get their own."""
    if item not in order:
        return None
    rest = [k for k in order if k != item]
    here = order.index(item)
    rest.insert(min(max(here + places, 0), len(rest)), item)
    return rest

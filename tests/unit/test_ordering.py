"""The one reordering rule: an item moves by whole places, stops at either end, and an unknown one is None."""

from __future__ import annotations

from events_app.core.ordering import moved


def test_an_item_moves_up_or_down_and_stops_at_the_ends() -> None:
    assert moved([1, 2, 3], 2, -1) == [2, 1, 3]
    assert moved([1, 2, 3], 2, 1) == [1, 3, 2]
    assert moved([1, 2, 3], 1, -1) == [1, 2, 3]
    assert moved([1, 2, 3], 3, 5) == [1, 2, 3]
    assert moved(["a", "b", "c"], "c", -2) == ["c", "a", "b"]


def test_an_item_not_in_the_list_is_none() -> None:
    assert moved([1, 2, 3], 4, 1) is None

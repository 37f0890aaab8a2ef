"""Counting what a piece of work asks of the database: a test that says "one statement, however many rows"."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def counting() -> Iterator[list[int]]:
    """How many statements the database is sent inside the block (whichever loop sends them): `sent[0]`."""
    from events_app.core.database import get_engine

    engine = type(get_engine())
    original = engine.run_querystring
    sent = [0]

    async def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        sent[0] += 1
        return await original(self, *args, **kwargs)

    engine.run_querystring = counted  # type: ignore[method-assign]
    try:
        yield sent
    finally:
        engine.run_querystring = original  # type: ignore[method-assign]

"""An event's row remembered for a few seconds, for the door: a scanner sends a scan a second. Every change to an
event forgets what every process remembered (core/stores.py), so no door works from an event that has moved."""

from __future__ import annotations

import msgspec

from events_app.core.stores import Remembered
from events_app.programme.rows import EventRow

EVENT_CACHE_SECONDS = 5.0
_events = Remembered("events", EVENT_CACHE_SECONDS)
_ENCODER = msgspec.msgpack.Encoder()
_DECODER = msgspec.msgpack.Decoder(EventRow)


async def recall(slug: str, *, fresh: bool = False) -> tuple[str | None, EventRow | None]:
    """The generation to remember a row read now under, and the row remembered (None when `fresh` is asked or
    nothing is). Take it before reading the database."""
    generation = await _events.generation()
    if fresh:
        return generation, None
    found = await _events.get(generation, slug)
    return generation, None if found is None else _DECODER.decode(found)


async def generation() -> str | None:
    """What every change to an event changes, in every process (None when the shared store does not answer)."""
    return await _events.generation()


async def remember(generation: str | None, row: EventRow) -> None:
    await _events.set(generation, row.slug, _ENCODER.encode(row))


async def forget_event_rows() -> None:
    """After an event is changed or deleted (the change written): no process uses an event it remembered."""
    await _events.forget_all()

"""What the public event page shows of an event (its facts, timetable and public materials), kept while nothing
it depends on has changed: the most visited page of the site is then one version statement and the places count
(read fresh on every request, as is the time that opens and closes registration).

The version covers the event row (status, last change, SEQUENCE: a venue's change raises it), its sessions (last
change and count), its public materials (count and last change, as columns the hub hands over) and the
generation every change to an event bumps in every process (remembered.py). What has no timestamp of its own
(a speaker's biography, a track's name) is picked up when the entry expires, after CACHE_SECONDS. Organisers
are never served from it (they see drafts and addresses)."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

from events_app.core.database import read_rows
from events_app.programme import schemas
from events_app.programme.events import get_event
from events_app.programme.remembered import generation

CACHE_SECONDS = 10.0
CACHE_SIZE = 256

M = TypeVar("M")

_VERSION = (
    "SELECT e.status, e.updated_at, e.sequence, "
    "(SELECT COUNT(*) || '/' || MAX(s.updated_at) FROM event_session s WHERE s.event = e.id) AS sessions{} "
    'FROM "event" e WHERE e.slug = {{}}'
)


class PublicPages(Generic[M]):
    """The public page's event and materials by slug. `materials_of` reads an event's public materials;
    `materials_version` is the select-list columns saying whether they changed (over the event row `e`)."""

    def __init__(self, materials_of: Callable[[int], Awaitable[M]], materials_version: str) -> None:
        self.materials_of = materials_of
        self._version = _VERSION.format(", " + materials_version if materials_version else "")
        self._kept: OrderedDict[str, tuple[float, tuple[Any, ...], schemas.EventDetail, M]] = OrderedDict()

    async def event(self, slug: str) -> tuple[schemas.EventDetail, M]:
        """The published (or cancelled) event and its public materials; NotFound as the page's 404 otherwise."""
        kept_under = await generation()
        rows = await read_rows(self._version, slug)
        version = (kept_under, *rows[0].values()) if rows and kept_under is not None else None
        hit = self._kept.get(slug)
        if version is not None and hit is not None and hit[1] == version and time.monotonic() - hit[0] < CACHE_SECONDS:
            self._kept.move_to_end(slug)
            return hit[2], hit[3]
        detail = await get_event(slug, include_drafts=False)  # a draft or unknown slug: the usual 404
        materials = await self.materials_of(detail.id)
        if version is not None:
            self._kept[slug] = (time.monotonic(), version, detail, materials)
            self._kept.move_to_end(slug)
            while len(self._kept) > CACHE_SIZE:
                self._kept.popitem(last=False)
        return detail, materials

    def forget(self) -> None:
        self._kept.clear()

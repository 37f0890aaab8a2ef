"""What comes in and goes out about materials."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec

Visibility = Literal["public", "registered", "organisers"]
Audience = Visibility  # who is looking: the public, a delegate with a confirmed place, an organiser
VISIBILITY_LABELS = {
    "public": "Everyone",
    "registered": "Registered delegates",
    "organisers": "Organisers only",
}
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Url = Annotated[str, msgspec.Meta(min_length=1, max_length=1000, pattern=r"^https?://[^\s]+$")]


class Material(msgspec.Struct, frozen=True):
    """A material as pages and the API show it. `href`: the link itself, or where the file is served."""

    id: int
    kind: Literal["file", "link"]
    title: str
    href: str
    visibility: Visibility
    position: int
    event_id: int | None
    session_id: int | None
    resource_id: int | None
    filename: str = ""
    content_type: str = ""
    size: int = 0
    from_speaker: bool = False
    created_at: datetime | None = None


class MaterialLinkCreate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A recording or a page, by its address."""

    title: Title
    url: Url
    visibility: Visibility = "public"


class MaterialUpdate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    title: Title | None = None
    visibility: Visibility | None = None
    url: Url | None = None  # links only


class FileFields(msgspec.Struct, frozen=True):
    """The fields that come with an uploaded file."""

    title: Title
    visibility: Visibility = "public"


class EventMaterials(msgspec.Struct, frozen=True):
    """An event's materials and its sessions', for one audience."""

    event: list[Material]
    sessions: dict[int, list[Material]]

    @property
    def any(self) -> bool:
        return bool(self.event) or any(self.sessions.values())

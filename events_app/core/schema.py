"""Shared msgspec field types: one place for lengths and formats, enforced the same on both engines."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

import msgspec
from msgspec import Meta

from events_app.core.errors import NameRequired

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Slug = Annotated[
    str,
    Meta(min_length=1, max_length=120, pattern=SLUG_PATTERN, description="lower-case letters, digits and hyphens"),
]
# Stakeholder group and region slugs are shorter (their columns hold 80 characters).
ShortSlug = Annotated[
    str,
    Meta(min_length=1, max_length=80, pattern=SLUG_PATTERN, description="lower-case letters, digits and hyphens"),
]
Name = Annotated[str, Meta(min_length=1, max_length=200)]
ShortName = Annotated[str, Meta(min_length=1, max_length=120)]
Summary = Annotated[str, Meta(max_length=500)]
LongText = Annotated[str, Meta(max_length=20_000)]
URL_PATTERN = r"^(https?://\S+)?$"
Url = Annotated[str, Meta(max_length=500, pattern=URL_PATTERN, description="an http:// or https:// address")]
Postcode = Annotated[str, Meta(max_length=20)]
Position = Annotated[int, Meta(ge=0, le=10_000)]
Capacity = Annotated[int, Meta(ge=0, le=1_000_000)]
Latitude = Annotated[float, Meta(ge=-90, le=90)]
Longitude = Annotated[float, Meta(ge=-180, le=180)]
Id = Annotated[int, Meta(ge=1, le=2_147_483_647)]
TimeZoneName = Annotated[str, Meta(min_length=1, max_length=64)]

T = TypeVar("T")


def person_name(value: str, *, field: str = "name") -> str:
    """A person's name as it is kept and written in emails: trimmed, inner runs of spaces made one. A name
    of only spaces is no name (it made emails start "Dear ,")."""
    cleaned = " ".join(value.split())
    if not cleaned:
        raise NameRequired(field=field)
    return cleaned


class Page(msgspec.Struct, Generic[T]):
    """One page of a list: `items`, the `total` matching, and the `limit`/`offset` asked for."""

    items: list[T]
    total: int
    limit: int
    offset: int

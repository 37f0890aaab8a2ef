"""Shared msgspec field types: one place for lengths and formats, enforced the same on both engines."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Annotated, Generic, TypeVar

import msgspec
from msgspec import Meta

from events_app.core.email_address import MAX_LENGTH as EMAIL_MAX_LENGTH
from events_app.core.email_address import normalise_email
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

# A field whose Meta carries `extra={"normalise": f}` is checked and rewritten by f (which raises ValueError with a
# message for people) when a `Normalised` Struct is made, and by core.validation when it names every wrong field.
NORMALISE = "normalise"


def _email_meta(max_length: int) -> Meta:
    return Meta(
        min_length=1,
        max_length=max_length,
        description="an email address, like name@example.org",
        extra={NORMALISE: normalise_email},
    )


EmailAddress = Annotated[str, _email_meta(EMAIL_MAX_LENGTH)]
# An organiser's address is also their sign-in name, which Piccolo's BaseUser.username holds in 100 characters.
AccountEmailAddress = Annotated[str, _email_meta(100)]


def normaliser_of(kind: msgspec.inspect.Type) -> Callable[[str], str] | None:
    """The normalising rule of a field's type (looking inside `X | None` and `X | UnsetType`), if it has one."""
    if isinstance(kind, msgspec.inspect.Metadata):
        found = (kind.extra or {}).get(NORMALISE)
        return found if callable(found) else normaliser_of(kind.type)
    if isinstance(kind, msgspec.inspect.UnionType):
        for member in kind.types:
            if (found := normaliser_of(member)) is not None:
                return found
    return None


@functools.cache
def _normalised_fields(cls: type[msgspec.Struct]) -> tuple[tuple[str, Callable[[str], str]], ...]:
    info = msgspec.inspect.type_info(cls)
    assert isinstance(info, msgspec.inspect.StructType)
    return tuple((f.name, rule) for f in info.fields if (rule := normaliser_of(f.type)) is not None)


class Normalised(msgspec.Struct):
    """A Struct whose rule-carrying fields (such as EmailAddress) are checked and normalised whenever one is made:
    decoded by Litestar, converted from a form, or built in code."""

    def __post_init__(self) -> None:
        for name, rule in _normalised_fields(type(self)):
            value = getattr(self, name)
            if isinstance(value, str):
                setattr(self, name, rule(value))


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

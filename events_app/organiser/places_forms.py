"""What the venue, speaker, organisation and stakeholder-group pages (the places area) share: a form's wrong
fields as a page shows them (each next to its input, all in the summary), and a full form turned into only the
changes it makes."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any, TypeVar

import msgspec

from events_app.core.errors import DomainError, FieldError, NotFound
from events_app.core.validation import errors_of

S = TypeVar("S", bound=msgspec.Struct)
# Untyped on purpose: a page's context is whatever its template reads
Context = dict[str, object]


def error_context(errors: list[FieldError]) -> Context:
    """`errors` for the summary at the top, `field_errors` (input id -> its first message) next to each input."""
    return {"errors": errors, "field_errors": {e.field: e.message for e in reversed(errors)}}


def refusal_errors(
    exc: DomainError, fields: Collection[str], prefix: str = "", aliases: Mapping[str, str] | None = None
) -> list[FieldError]:
    """A refusal's wrong fields, named by the ids of the inputs on the page (`prefix` tells apart the forms of one
    page, such as each room's; `aliases` maps a service's field to the input that sets it). A refusal about
    something the form has no input for is shown with the form's button (`{prefix}submit`). Not found is not a
    wrong field: it is left to the 404 page."""
    if isinstance(exc, NotFound):
        raise exc
    found = []
    for error in errors_of(exc):
        field = error.field.split(".", 1)[0]
        field = (aliases or {}).get(field, field)
        found.append(FieldError(f"{prefix}{field if field in fields else 'submit'}", error.message))
    return found


def only_changes(data: S, current: msgspec.Struct) -> S:
    """An update from a whole form as only what it changes: a field equal to what is kept now is left unset, so
    saving a form untouched changes nothing (and tells no one)."""
    same = {
        f: msgspec.UNSET
        for f in data.__struct_fields__
        if (value := getattr(data, f)) is not msgspec.UNSET and getattr(current, f, msgspec.UNSET) == value
    }
    return msgspec.structs.replace(data, **same) if same else data


def choices(items: Iterable[Any]) -> list[tuple[str, str]]:
    """(value, text) pairs for a <select> of things with an id and a name (stakeholder groups, regions)."""
    return [(str(item.id), item.name) for item in items]

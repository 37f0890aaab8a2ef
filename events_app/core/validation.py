"""The one translation of validation errors into people's words, for pages and the JSON API alike.

msgspec stops at the first wrong value and describes it for programmers ("Expected `str` of length >= 1",
a regex). `check` converts input to a schema and, when that fails, checks every field on its own, so a person
hears about every wrong field at once, each named and explained in plain English."""

from __future__ import annotations

import functools
import re
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

import msgspec
from litestar import Request
from litestar.exceptions import ValidationException
from litestar.utils.scope.state import ScopeState

from events_app.core.errors import DomainError, FieldError, InvalidFields
from events_app.core.schema import normaliser_of

__all__ = ["FieldError", "InvalidFields", "check", "errors_of", "field_errors", "from_litestar", "plain_words"]

S = TypeVar("S", bound=msgspec.Struct)

FILL_IN = "please fill this in"
UNKNOWN_FIELD = "is not something this accepts; leave it out"
CHECK_VALUE = "please check this value"


def errors_of(exc: DomainError) -> list[FieldError]:
    """The wrong fields of any refusal, for a page: every one of invalid input, else the one it names."""
    if isinstance(exc, InvalidFields):
        return exc.errors
    return [FieldError(exc.field or "form", exc.detail)]


def label_of(field: str, labels: Mapping[str, str] | None = None) -> str:
    """How a message names its field: the page's own label (what the person sees beside it), else the field's
    name as it was sent (what an API client sent, as `session_ids.0`)."""
    labels = labels or {}
    return labels.get(field) or labels.get(field.split(".", 1)[0]) or field


_TYPE_WORDS = {
    "str": "text",
    "int": "a whole number",
    "float": "a number",
    "decimal": "a number",
    "bool": "true or false",
    "array": "a list",
    "object": "a set of named values",
    "datetime": "a date and time with its time zone, like 2026-05-01T09:30:00+01:00",
    "date": "a date, like 2026-05-01",
    "time": "a time of day, like 09:30",
    "uuid": "an identifier",
}
_PATH = re.compile(r" - at `\$(.*)`$")
_MISSING = re.compile(r"Object missing required field `([^`]+)`")
_UNKNOWN = re.compile(r"Object contains unknown field `([^`]+)`")
_EXPECTED_TYPE = re.compile(r"^Expected `([^`]+)`, got `([^`]+)`")
_LENGTH = re.compile(r"^Expected `(\w+)[^`]*` of length (>=|<=) (\d+)")
_BOUND = re.compile(r"^Expected `(?:int|float|decimal)[^`]*` (>=|<=|>|<) (-?[\d.]+)")
_PATTERN = re.compile(r"^Expected `str` matching regex")
_CHOICE = re.compile(r"^Invalid enum value")
_DATETIME = re.compile(r"(RFC3339|datetime|date|time)\b")


def _type_words(expected: str) -> str:
    members = [m.strip() for m in expected.split("|")]
    optional = "null" in members
    words = [_TYPE_WORDS.get(m, "a value of another kind") for m in members if m != "null"]
    text = " or ".join(dict.fromkeys(words)) or "empty"
    return f"{text} (or left empty)" if optional and words else text


def _path_suffix(path: str) -> str:
    """msgspec's `$.a[2].b` (after the field) as `.a.2.b`; a path through a mapping's values (`[...]`, the key
    unknown) stops at the mapping."""
    path = path.split("[...]", 1)[0]
    return re.sub(r"\[(\d+)\]", r".\1", path)


@functools.cache
def _info(kind: Any) -> msgspec.inspect.Type:
    return msgspec.inspect.type_info(kind)


def _description(kind: msgspec.inspect.Type) -> str | None:
    if isinstance(kind, msgspec.inspect.Metadata):
        return (kind.extra_json_schema or {}).get("description") or _description(kind.type)
    if isinstance(kind, msgspec.inspect.UnionType):
        return next((d for t in kind.types if (d := _description(t))), None)
    if isinstance(kind, (msgspec.inspect.ListType, msgspec.inspect.SetType, msgspec.inspect.FrozenSetType)):
        return _description(kind.item_type)
    return None


def _choices(kind: msgspec.inspect.Type) -> list[str]:
    if isinstance(kind, msgspec.inspect.Metadata):
        return _choices(kind.type)
    if isinstance(kind, msgspec.inspect.LiteralType):
        return [str(v) for v in kind.values]
    if isinstance(kind, msgspec.inspect.EnumType):
        return [str(member.value) for member in kind.cls]
    if isinstance(kind, (msgspec.inspect.UnionType)):
        return [c for t in kind.types for c in _choices(t)]
    if isinstance(kind, (msgspec.inspect.ListType, msgspec.inspect.SetType, msgspec.inspect.FrozenSetType)):
        return _choices(kind.item_type)
    return []


def plain_words(message: str, kind: msgspec.inspect.Type | None = None) -> str:
    """What a msgspec message means, for people: never its type names, regexes or wording. `kind` (the field's
    inspected type) supplies the words for a pattern (its description) and the list of choices."""
    message = _PATH.sub("", message)
    if _MISSING.search(message):
        return FILL_IN
    if _UNKNOWN.search(message):
        return UNKNOWN_FIELD
    if match := _LENGTH.match(message):
        kind_name, sign, number = match.group(1), match.group(2), int(match.group(3))
        if kind_name == "str":
            if sign == ">=":
                return FILL_IN if number <= 1 else f"please use at least {number} characters"
            return f"please use at most {number} characters"
        if sign == ">=":
            return "please choose at least one" if number <= 1 else f"please choose at least {number}"
        return f"please give at most {number}"
    if match := _BOUND.match(message):
        words = {">=": "at least", "<=": "at most", ">": "more than", "<": "less than"}[match.group(1)]
        return f"should be {words} {match.group(2)}"
    if _PATTERN.match(message):
        description = _description(kind) if kind is not None else None
        return f"should be {description}" if description else CHECK_VALUE
    if _CHOICE.match(message):
        choices = _choices(kind) if kind is not None else []
        return f"should be one of: {', '.join(choices)}" if choices else "is not one of the choices"
    if match := _EXPECTED_TYPE.match(message):
        expected, got = match.group(1), match.group(2)
        if got == "null" and "null" not in expected:
            return FILL_IN
        return f"should be {_type_words(expected)}"
    if _DATETIME.search(message) and message.startswith(("Invalid", "Expected")):
        return f"should be {_TYPE_WORDS['datetime']}"
    return CHECK_VALUE


def _error(field: str, words: str, labels: Mapping[str, str] | None) -> FieldError:
    return FieldError(field, f"{label_of(field, labels)}: {words}")


def _from_validation_error(
    field: str, exc: msgspec.ValidationError, kind: msgspec.inspect.Type | None, labels: Mapping[str, str] | None
) -> FieldError:
    if isinstance(exc.__cause__, ValueError):
        # A rule of ours (such as the email-address rule) refused it: its message is already for people.
        return _error(field or "body", str(exc.__cause__), labels)
    message = str(exc)
    path = _PATH.search(message)
    inner = field + _path_suffix(path.group(1)) if path else field
    if match := (_MISSING.search(message) or _UNKNOWN.search(message)):
        inner = f"{inner}.{match.group(1)}" if inner else match.group(1)
    return _error(inner or "body", plain_words(message, kind), labels)


def field_errors(
    data: Any, schema: type[msgspec.Struct], labels: Mapping[str, str] | None = None, *, strict: bool = True
) -> list[FieldError]:
    """Every wrong field of `data` (a dict from a form or a JSON body) for `schema`, each checked on its own."""
    if not isinstance(data, dict):
        return [FieldError("body", "What was sent should be a JSON object of named values")]
    info = _info(schema)
    assert isinstance(info, msgspec.inspect.StructType)
    hints = typing.get_type_hints(schema, include_extras=True)
    errors: list[FieldError] = []
    for f in info.fields:
        if f.encode_name not in data:
            if f.required:
                errors.append(_error(f.encode_name, FILL_IN, labels))
            continue
        try:
            value = msgspec.convert(data[f.encode_name], hints[f.name], strict=strict)
        except msgspec.ValidationError as exc:
            errors.append(_from_validation_error(f.encode_name, exc, f.type, labels))
            continue
        rule = normaliser_of(f.type)
        if rule is not None and isinstance(value, str):
            try:
                rule(value)
            except ValueError as exc:
                errors.append(_error(f.encode_name, str(exc), labels))
    if info.forbid_unknown_fields:
        known = {f.encode_name for f in info.fields}
        errors += [_error(str(key), UNKNOWN_FIELD, labels) for key in data if key not in known]
    wrong = {e.field for e in errors}
    for field, words in _across_fields(schema, data).items():
        if field not in wrong:
            errors.append(_error(field, words, labels))
    return errors


# Untyped on purpose: input of any schema's shape, before it is accepted
def _across_fields(schema: type[msgspec.Struct], data: dict[str, Any]) -> dict[str, str]:
    """A schema's rules across fields (`rules_across_fields(values)`, field -> words), so that they are reported
    together with every other wrong field rather than one round trip later by the service."""
    rules = getattr(schema, "rules_across_fields", None)
    return dict(rules(data)) if callable(rules) else {}


def check(data: Any, schema: type[S], labels: Mapping[str, str] | None = None, *, strict: bool = True) -> S:
    """`data` as a `schema`, or InvalidFields naming every wrong field in plain English."""
    try:
        return msgspec.convert(data, schema, strict=strict)
    except msgspec.ValidationError as exc:
        errors = field_errors(data, schema, labels, strict=strict) or [
            _from_validation_error("", exc, None, labels)  # a rule across fields: its own message
        ]
    raise InvalidFields(errors)


def _body_schema(request: Request[Any, Any, Any]) -> type[msgspec.Struct] | None:
    """The Struct a handler's `data` parameter takes, if it takes one."""
    try:
        annotation = request.route_handler.parsed_fn_signature.parameters["data"].annotation
    except (KeyError, AttributeError):
        return None
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
        return annotation
    return None


def from_litestar(request: Request[Any, Any, Any], exc: ValidationException) -> InvalidFields:
    """Litestar's refusal of a request's parameters or body (msgspec's first error, in its words) as every wrong
    field in people's words: the decoded JSON body, which Litestar keeps, is checked again field by field."""
    raw = [e for e in (exc.extra or []) if isinstance(e, dict)]
    errors: list[FieldError] = []
    schema = _body_schema(request)
    body = ScopeState.from_scope(request.scope).json
    body_refused = any(e.get("source") == "body" or e.get("key") == "data" for e in raw)
    if schema is not None and body_refused and isinstance(body, (dict, list, str, int, float, bool)):
        errors = field_errors(body, schema, strict=False)
    for item in raw:
        if item.get("source") == "body" or item.get("key") == "data":
            if not errors:
                key = str(item.get("key") or "")
                field = "" if key == "data" else key
                errors.append(_error(field or "body", plain_words(str(item.get("message", ""))), None))
            continue
        field = str(item.get("key") or "value")
        errors.append(_error(field, plain_words(str(item.get("message", ""))), None))
    return InvalidFields(errors or [FieldError("body", "What was sent could not be read: please check it")])

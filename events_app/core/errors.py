"""Domain errors and the one place that turns any error into a JSON problem or an HTML page."""

from __future__ import annotations

import contextlib
import importlib
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import msgspec
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.response import Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from events_app.core import database

logger = logging.getLogger(__name__)


class FieldError(msgspec.Struct, frozen=True):
    """One wrong field: `field` is its name as sent (a path such as `answers.3` inside it), `message` the
    plain-English sentence that names it and says what to do (core.validation writes them)."""

    field: str
    message: str


class Problem(msgspec.Struct, omit_defaults=True):
    """Why a request was refused: a message for people, a stable code for machines, and the field it is about."""

    status: int
    title: str
    detail: str
    code: str
    field: str | None  # the first wrong field (kept for clients written before `errors`)
    errors: list[FieldError] = msgspec.field(default_factory=list)  # every wrong field, each with its message


class DomainError(Exception):
    """A refusal a person can understand: a message, a stable code and, where it applies, the field.

    Each domain names its refusals in its own errors.py as subclasses with a `code` and a `message` (with
    {placeholders} filled from keyword arguments), so that catalogue() can list every one of them."""

    status_code = 400
    title = "Bad request"
    code = "bad_request"
    message = ""  # for people; {names} are filled from the keyword arguments of the raise
    field: str | None = None  # the field it is about, when it is always the same one

    def __init__(
        self, detail: str | None = None, *, field: str | None = None, code: str | None = None, **values: object
    ) -> None:
        detail = self.message.format(**values) if detail is None else detail
        super().__init__(detail)
        self.detail = detail
        self.field = field if field is not None else type(self).field
        if code is not None:
            self.code = code


class InvalidInput(DomainError):
    status_code = 422
    title = "Invalid input"
    code = "invalid"


class InvalidFields(InvalidInput):
    """Input with one or more wrong fields: every one of them, each with its message (core.validation writes
    them); `field` is the first, for clients written before `errors` listed them all."""

    status_code = 400
    message = "Some values are missing or wrong: each one is named, with what to change"

    def __init__(self, errors: list[FieldError], *, status_code: int | None = None) -> None:
        super().__init__("; ".join(e.message for e in errors) or None, field=errors[0].field if errors else None)
        self.errors = errors
        if status_code is not None:
            self.status_code = status_code  # 422: values that parse, but a rule of the service refuses them


class NotFound(DomainError):
    status_code = 404
    title = "Not found"
    code = "not_found"


class Conflict(DomainError):
    status_code = 409
    title = "Conflict"
    code = "conflict"


class InUse(Conflict):
    """Something others still point at; each domain says what and what to do first."""

    code = "in_use"


# Named refusals of core itself (time zones, references, slugs) --------------------------------------------


class UnknownTimeZone(InvalidInput):
    code = "unknown_time_zone"
    message = "'{name}' is not a known time zone (for example Europe/London)"


class TimeDoesNotExist(InvalidInput):
    code = "time_does_not_exist"
    message = "{time} does not exist in {zone} (the clocks go forward then)"


class NoSuchThing(NotFound):
    message = "There is no {what} '{key}'"


class NameRequired(InvalidInput):
    code = "name_required"
    message = "Name: please fill this in (a name cannot be only spaces)"
    field = "name"


class UnknownReference(InvalidInput):
    code = "unknown_reference"
    message = "There is no {what} with id {id}"


class SlugTaken(Conflict):
    code = "slug_taken"
    message = "The slug '{slug}' is already used; choose another"
    field = "slug"


# Questions on a form: the registration form's and the feedback form's follow the same rules ----------------


class ChoiceNeedsTwoOptions(InvalidInput):
    code = "choice_needs_two_options"
    message = "A choice question needs at least two options"
    field = "options"


class OptionsRepeated(InvalidInput):
    code = "options_repeated"
    message = "Options must be different and not blank"
    field = "options"


class OptionsNotTaken(InvalidInput):
    code = "options_not_taken"
    message = "A {kind} question has no options"
    field = "options"


class UnknownQuestion(InvalidInput):
    code = "unknown_question"
    message = "There is no question {key} on this form"


# The catalogue ---------------------------------------------------------------------------------------------

DOMAINS = (
    "core",
    "accounts",
    "people",
    "programme",
    "registration",
    "checkin",
    "calendar",
    "feedback",
    "mail",
    "badges",
    "certificates",
)


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    code: str
    status: int
    message: str
    name: str  # module and class, where a developer finds it


def catalogue() -> list[CatalogueEntry]:
    """Every named refusal a person can meet, by code: what a translator or a support person reads."""
    importlib.import_module("events_app.app")  # every module, so that no refusal defined anywhere is missed
    for domain in DOMAINS:
        with contextlib.suppress(ModuleNotFoundError):
            importlib.import_module(f"events_app.{domain}.errors")
    found: dict[type[DomainError], None] = {}
    waiting: list[type[DomainError]] = [DomainError]
    while waiting:
        cls = waiting.pop()
        for sub in cls.__subclasses__():
            if sub not in found:
                found[sub] = None
                waiting.append(sub)
    named = [cls for cls in found if "message" in vars(cls) and cls.__module__.startswith("events_app.")]
    entries = [
        CatalogueEntry(cls.code, cls.status_code, cls.message, f"{cls.__module__}.{cls.__qualname__}") for cls in named
    ]
    return sorted(entries, key=lambda entry: (entry.code, entry.message))


def catalogue_markdown() -> str:
    """docs/error-codes.md: the catalogue as a table (tests/test_error_catalogue.py keeps the file current)."""
    lines = [
        "# Error codes",
        "",
        "Every refusal a person can meet: the `code` an API answer carries (`application/problem+json`), its HTTP",
        "status, and the message people read. `{name}` is filled in when the error happens; a code on several",
        "rows is one kind of refusal (`not_found`, `in_use`) with the message of each case. Generated by",
        "`events_app.core.errors.catalogue_markdown()`; `tests/test_error_catalogue.py` fails when this file is stale.",
        "",
        "| Code | Status | Message |",
        "| --- | --- | --- |",
    ]
    lines += [f"| `{e.code}` | {e.status} | {e.message} |" for e in catalogue()]
    return "\n".join(lines) + "\n"


_HTTP_TITLES = {
    400: "Invalid input",
    401: "Sign-in required",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request too large",
    429: "Too many requests",
    500: "Something went wrong",
    503: "Service unavailable",
}


RETRY_AFTER_SECONDS = 2  # the database went away or was busy: the same request works again in a moment


def _problem(exc: Exception) -> Problem:
    if isinstance(exc, DomainError):
        return Problem(
            status=exc.status_code,
            title=exc.title,
            detail=exc.detail,
            field=exc.field,  # the first wrong field, as before `errors` listed them all
            code=exc.code,
            errors=field_errors(exc),
        )
    if isinstance(exc, HTTPException):
        status = exc.status_code
        detail = exc.detail
        if status == 429:
            detail = "Too many attempts from your address in a short time. Please wait a minute and try again."
        elif status == 413:
            detail = "What was sent is too large for this service to accept."
        return Problem(
            status=status,
            title=_HTTP_TITLES.get(status, "Error"),
            detail=detail,
            field=None,
            code=_HTTP_TITLES.get(status, "error").lower().replace(" ", "_").replace("-", "_"),
        )
    if database.is_refused_value(exc):
        # Input that slipped past validation: still the sender's mistake, and nothing was written.
        logger.warning("The database refused a value: %r", exc)
        return Problem(
            status=400,
            title="Invalid input",
            detail="A value was too long, out of range, or held a character that cannot be stored (such as U+0000).",
            field=None,
            code="invalid",
        )
    if database.is_unavailable(exc):
        logger.warning("Database unavailable: %r", exc)
        return Problem(
            status=503,
            title=_HTTP_TITLES[503],
            detail="The service cannot reach its database just now. Nothing was changed; please try again in a moment.",
            field=None,
            code="database_unavailable",
        )
    logger.exception("Unhandled error", exc_info=exc)
    return Problem(
        status=500,
        title=_HTTP_TITLES[500],
        detail="An unexpected error occurred. It has been logged.",
        field=None,
        code="server_error",
    )


def _wants_html(request: Request[Any, Any, Any]) -> bool:
    path = request.url.path
    if path.startswith(("/api/", "/schema", "/healthz")):
        return False
    return "text/html" in request.headers.get("accept", "")


def sign_in_location(path: str) -> str:
    """The sign-in form, then back to `path`: percent-encoded twice over (as a path, then as a query value), so
    no character of a crafted address (CR, LF, &, #) can end the header or the parameter."""
    return "/organiser/sign-in?" + urlencode({"next": quote(path, safe="/")}, safe="/")


def field_errors(exc: DomainError) -> list[FieldError]:
    """Every wrong field with its message for people: all of them for invalid input, else the one named."""
    listed: list[FieldError] | None = getattr(exc, "errors", None)
    if listed is not None:
        return listed
    return [FieldError(exc.field, exc.detail)] if exc.field else []


def error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    if isinstance(exc, ValidationException):
        from events_app.core.validation import from_litestar  # it builds on this module

        exc = from_litestar(request, exc)
    problem = _problem(exc)
    status = problem.status
    headers = dict(getattr(exc, "headers", None) or {})
    if status == 503:
        headers.setdefault("Retry-After", str(RETRY_AFTER_SECONDS))
    elif status == 429 and "Retry-After" not in headers:
        headers["Retry-After"] = str(headers.get("RateLimit-Reset", 60))
    if _wants_html(request):
        if status == 401:
            return Response(
                content="",
                status_code=303,
                headers={"Location": sign_in_location(request.url.path)},
            )
        return Template(
            template_name="error.html",
            context={"problem": problem},
            status_code=status,
            media_type=MediaType.HTML,
            headers=headers,
        )
    return Response(
        content=problem,
        status_code=status or HTTP_500_INTERNAL_SERVER_ERROR,
        media_type="application/problem+json",
        headers=headers,
    )

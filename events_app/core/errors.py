"""Domain errors and the one place that turns any error into a JSON problem or an HTML page."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from typing import Any

import asyncpg
import msgspec
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.response import Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

logger = logging.getLogger(__name__)


class Problem(msgspec.Struct, omit_defaults=True):
    """Why a request was refused: a message for people, a stable code for machines, and the field it is about."""

    status: int
    title: str
    detail: str
    code: str
    field: str | None
    # Litestar's validation details as it gives them (message, key, source): a JSON object of its own shape.
    errors: list[dict[str, object]] = msgspec.field(default_factory=list)


class DomainError(Exception):
    """A refusal a person can understand: a message, a stable code and, where it applies, the field."""

    status_code = 400
    title = "Bad request"
    code = "bad_request"

    def __init__(self, detail: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        if code is not None:
            self.code = code


class InvalidInput(DomainError):
    status_code = 422
    title = "Invalid input"
    code = "invalid"


class NotFound(DomainError):
    status_code = 404
    title = "Not found"
    code = "not_found"


class Conflict(DomainError):
    status_code = 409
    title = "Conflict"
    code = "conflict"


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


_UNKNOWN_FIELD = re.compile(r"(?:unknown|missing required) field `([^`]+)`")
_AT_PATH = re.compile(r"at `\$\.([^`]+)`")


def _field_of(key: object, message: str) -> str | None:
    """The field a validation message is about: msgspec names unknown and nested fields in the message."""
    if match := _UNKNOWN_FIELD.search(message):
        return match.group(1)
    if match := _AT_PATH.search(message):
        return match.group(1)
    return str(key) if key and key != "data" else None


# The database went away (a restart, a failover, a network blip) or is too busy to answer in time: the request
# changed nothing that committed, and the same request will work again in a moment.
RETRY_AFTER_SECONDS = 2
_DATABASE_UNAVAILABLE = (
    asyncpg.PostgresConnectionError,  # connection lost, cannot connect now (starting up, shutting down)
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.CrashShutdownError,
    asyncpg.exceptions.CannotConnectNowError,  # "the database system is starting up / shutting down"
    asyncpg.exceptions.TooManyConnectionsError,
    asyncpg.exceptions.ConnectionDoesNotExistError,
    asyncpg.InterfaceError,  # "connection is closed", "pool is closing"
    asyncpg.exceptions.InternalClientError,  # a connection left mid-operation when the server went away
    ConnectionError,  # refused or reset while connecting
    asyncio.TimeoutError,
)


_DATABASE_REFUSED_VALUE = (
    asyncpg.exceptions.CharacterNotInRepertoireError,
    asyncpg.exceptions.UntranslatableCharacterError,
    asyncpg.exceptions.StringDataRightTruncationError,
    asyncpg.exceptions.NumericValueOutOfRangeError,
)


def database_unavailable(exc: BaseException) -> bool:
    if isinstance(exc, _DATABASE_UNAVAILABLE):
        return True
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)


def _problem(exc: Exception) -> Problem:
    if isinstance(exc, DomainError):
        return Problem(
            status=exc.status_code,
            title=exc.title,
            detail=exc.detail,
            field=exc.field,
            code=exc.code,
        )
    if isinstance(exc, ValidationException):
        errors = [e for e in (exc.extra or []) if isinstance(e, dict)]
        first = errors[0] if errors else {}
        message = str(first.get("message") or exc.detail)
        field = _field_of(first.get("key"), message)
        detail = f"{field}: {message}" if field else str(message)
        return Problem(
            status=400,
            title="Invalid input",
            detail=detail,
            field=field,
            code="invalid",
            errors=errors,
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
    if isinstance(exc, _DATABASE_REFUSED_VALUE):
        # Input that slipped past validation: still the sender's mistake, and nothing was written.
        logger.warning("The database refused a value: %r", exc)
        return Problem(
            status=400,
            title="Invalid input",
            detail="A value was too long, out of range, or held a character that cannot be stored (such as U+0000).",
            field=None,
            code="invalid",
        )
    if database_unavailable(exc):
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


def error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
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
                headers={"Location": f"/organiser/sign-in?next={request.url.path}"},
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

"""What every JSON API controller shares: its operations document the refusals they can answer with (one
problem format, core.errors), and no value it takes may hold a NUL character."""

from __future__ import annotations

import inspect
import re
from typing import Any

import msgspec
from litestar import Controller, Request
from litestar.enums import RequestEncodingType
from litestar.exceptions import ClientException
from litestar.handlers import BaseRouteHandler, HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec

from events_app.core.errors import DomainError, Problem
from events_app.core.request import TOO_DEEP
from events_app.core.security import FEEDBACK_PATHS, REGISTRATION_PATHS, SIGN_IN_PATHS

PROBLEM_MEDIA_TYPE = "application/problem+json"


PROBLEMS = {
    400: "The request does not parse, or a value breaks a rule (`field` names it)",
    401: "Sign in as an organiser first",
    403: "Signed in, but this needs a higher role; or a change sent from another site's page",
    404: "Nothing by that name or number (or not published yet)",
    409: "Conflicts with what is there: a duplicate, something still in use, a state that does not allow it",
    410: "No longer open",
    413: "What was sent is larger than the service accepts",
    415: "A body that is not JSON (send Content-Type: application/json)",
    422: "Well-formed, but not acceptable (`field` names the value)",
    429: "Too many attempts from this address in a short time; try again after Retry-After seconds",
    503: "The database cannot be reached just now; nothing changed; try again after Retry-After seconds",
}
_RATE_LIMITED = (SIGN_IN_PATHS, REGISTRATION_PATHS, FEEDBACK_PATHS)
_PATH_PARAMETER = re.compile(r"\{(\w+)(?::\w+)?\}")


def problems(*statuses: int) -> dict[int, ResponseSpec]:
    """Response documentation for these error statuses, in the problem format."""
    return {
        status: ResponseSpec(
            data_container=Problem, media_type=PROBLEM_MEDIA_TYPE, description=PROBLEMS[status], generate_examples=False
        )
        for status in statuses
    }


def _refusals(handler: HTTPRouteHandler, path: str, guarded: bool) -> set[int]:
    statuses = {503}
    parameters = set(inspect.signature(handler.fn).parameters) - {"self", "request"}
    if parameters:
        statuses.add(400)
    if guarded:
        statuses |= {401, 403}
    if _PATH_PARAMETER.search(path) or parameters - {"data"}:
        statuses.add(404)  # a path or query parameter names something that is not there
    writes = bool(handler.http_methods - {"GET", "HEAD"})
    if writes:
        statuses |= {403, 415}  # from another site's page; a body that is not JSON (core.security)
    if parameters and writes:
        statuses |= {409, 422}
    if "data" in parameters:
        statuses.add(413)
    simple_path = _PATH_PARAMETER.sub(r"\1", path)
    if "POST" in handler.http_methods and any(pattern.match(simple_path) for pattern in _RATE_LIMITED):
        statuses.add(429)
    return statuses


class InvalidText(DomainError):
    status_code = 400
    title = "Invalid input"
    code = "nul_character"
    message = "{field}: text may not contain the NUL character (U+0000)"


NUL_MESSAGE = "text may not contain the NUL character (U+0000)"


def _nul_at(value: Any, where: str) -> str | None:
    """Where in a decoded JSON value a string (or a key) holds a NUL character, as `a.b[2]`; None if nowhere."""
    if isinstance(value, str):
        return where if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{where}.{key}" if where else str(key)
            if "\x00" in str(key):
                return inner
            if (found := _nul_at(item, inner)) is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            if (found := _nul_at(item, f"{where}[{index}]")) is not None:
                return found
    return None


async def refuse_nul_characters(request: Request[Any, Any, Any]) -> None:
    """PostgreSQL cannot store U+0000 in text (SQLite can): refuse it on both engines, in the path, the query
    string, a form or a JSON body, as invalid input naming the field, before anything reaches the database."""
    fields = [*request.path_params.items(), *request.query_params.multi_items()]
    form = request.content_type[0] in (RequestEncodingType.URL_ENCODED, RequestEncodingType.MULTI_PART)
    if form:
        fields += (await request.form()).multi_items()  # kept by the request: the handler reads it again
    for name, value in fields:
        if "\x00" in name or (isinstance(value, str) and "\x00" in value):
            raise InvalidText(f"{name}: {NUL_MESSAGE}", field=name)
    if form:
        return
    body = await request.body()  # kept by the request: the handler's own parsing reads it again
    if b"\\u0000" not in body and b"\x00" not in body:
        return
    try:
        data = msgspec.json.decode(body)
    except (msgspec.DecodeError, RecursionError):
        return  # the handler's parsing reports what is wrong with it
    try:
        where = _nul_at(data, "")
    except RecursionError:  # decoded, but deeper than this walk can follow
        raise ClientException(TOO_DEEP) from None
    if where is not None:
        raise InvalidText(f"{where or 'body'}: {NUL_MESSAGE}", field=where or None)


class ApiController(Controller):
    """A JSON API controller. Its operations document their refusals: 400 for parameters that do not parse, 401
    and 403 behind a guard, 404 with a path or query parameter, 403 and 415 on writes (another site's page, a
    body that is not JSON), 409 and 422 on writes that take values, 413 with a body, 429 where a rate limit
    applies, 503 everywhere; a handler's own `responses` (another success status, a 410) add to these. Values
    with a NUL character are refused (400) before the handler runs (the app's before_request)."""

    def get_route_handlers(self) -> list[BaseRouteHandler]:
        handlers = super().get_route_handlers()
        for handler in handlers:
            if not isinstance(handler, HTTPRouteHandler):
                continue
            guarded = bool(self.guards or handler.guards)
            statuses: set[int] = set()
            for handler_path in handler.paths:
                statuses |= _refusals(handler, f"{self.path.rstrip('/')}/{handler_path.lstrip('/')}", guarded)
            handler.responses = {**problems(*sorted(statuses)), **(handler.responses or {})}
        return handlers

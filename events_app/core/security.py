"""Security headers on every response; rate limits on the doors people can knock on without signing in
(sign-in, registration and the "email me my link" form, feedback answers); and the JSON API's guard against
changes sent from another site's page."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from litestar.datastructures import Headers, MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.exceptions import TooManyRequestsException
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from events_app.core.errors import DomainError
from events_app.core.settings import RateLimit, Settings
from events_app.core.stores import RequestCounter

ASGIMiddleware = Callable[[ASGIApp], ASGIApp]

# Pages load scripts, styles and images from this site only, and no page may be framed by another.
# No inline script or style anywhere (the one script, the scanner's, is a file).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# The scanner page alone may compile WebAssembly: the QR decoder (vendor/zxing-wasm) for browsers without
# BarcodeDetector. 'wasm-unsafe-eval' allows WebAssembly only, never eval() of JavaScript.
SCANNER_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
    "script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", 1
)


def security_headers(settings: Settings) -> list[tuple[bytes, bytes]]:
    headers = [
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        # Links carry tokens in their paths (/my/..., /feedback/...): never tell another site where people came from.
        (b"referrer-policy", b"same-origin"),
        (b"cross-origin-opener-policy", b"same-origin"),
        (b"permissions-policy", b"camera=(self), microphone=(), geolocation=(), payment=(), usb=()"),
    ]
    if settings.cookie_secure:
        headers.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
    return headers


def security_headers_hook(settings: Settings) -> Any:
    """A before-send hook: every HTTP response (pages, API, errors, 404s, static files) gets the headers above
    unless it sets them itself."""
    headers = [(name.decode(), value.decode()) for name, value in security_headers(settings)]

    async def add_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        present = MutableScopeHeaders.from_message(message)
        for name, value in headers:
            if name not in present:
                present[name] = value
        if "content-security-policy" not in present:
            present["content-security-policy"] = CONTENT_SECURITY_POLICY

    return add_headers


# POSTs that anyone may send, by bucket. Each bucket counts separately per client address.
SIGN_IN_PATHS = re.compile(r"^/(api/auth/sign-in|organiser/sign-in|organiser/forgot-password)$")
REGISTRATION_PATHS = re.compile(
    r"^/(api/events/[^/]+/registrations|events/[^/]+/register|my|api/my/link|calls/[^/]+|calls/[^/]+/submissions/[^/]+)$"
)
FEEDBACK_PATHS = re.compile(r"^/(api/)?feedback/(open/)?[^/]+$")


def _rate_limit(name: str, limit: RateLimit, paths: re.Pattern[str], settings: Settings) -> ASGIMiddleware:
    """Middleware: at most `limit.requests` POSTs to `paths` per client address in a window of `limit.seconds`
    that starts with the first of them; counted in one place for every process when REDIS_URL is set."""

    counter = RequestCounter(settings)

    def middleware(app: ASGIApp) -> ASGIApp:
        async def limited(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == ScopeType.HTTP and scope["method"] == "POST" and paths.match(scope["path"]):
                # uvicorn sets the client from X-Forwarded-For only for the proxies in FORWARDED_ALLOW_IPS.
                client = scope.get("client")
                address = client[0] if client else "127.0.0.1"
                count = await counter.count(f"{name}:{address}", limit.seconds)
                if count is not None and count.requests > limit.requests:
                    raise TooManyRequestsException(
                        headers={
                            "Retry-After": str(count.resets_in),
                            "RateLimit-Limit": str(limit.requests),
                            "RateLimit-Remaining": "0",
                            "RateLimit-Reset": str(count.resets_in),
                        }
                    )
            await app(scope, receive, send)

        return limited

    return middleware


def rate_limit_middleware(settings: Settings) -> list[ASGIMiddleware]:
    buckets = [
        ("sign_in", settings.rate_limit_sign_in, SIGN_IN_PATHS),
        ("registration", settings.rate_limit_registration, REGISTRATION_PATHS),
        ("feedback", settings.rate_limit_feedback, FEEDBACK_PATHS),
    ]
    return [_rate_limit(name, limit, paths, settings) for name, limit, paths in buckets if limit is not None]


# The JSON API ---------------------------------------------------------------------------------------------
# Its forms-free callers (the scanner page, scripts) are authenticated by the same session cookie as the pages,
# so the API needs its own defence against cross-site request forgery. Two rules, neither of which a script
# notices: a browser that says a change comes from another site (or another origin) is refused, the way Go's
# http.CrossOriginProtection decides it; and a body must be JSON, which another site's page cannot send without
# a CORS preflight that this service never grants (a <form> can send text/plain; old browsers send no Origin).

API_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_JSON_MEDIA_TYPE = re.compile(r"^application/(?:[\w.+-]+\+)?json$")


class CrossSiteRequest(DomainError):
    status_code = 403
    title = "Not allowed"
    code = "cross_site"
    message = (
        "Changes through the API must come from this site's own pages or from a script, not from another site's page."
    )


class UnsupportedMediaType(DomainError):
    status_code = 415
    title = "Unsupported media type"
    code = "unsupported_media_type"
    message = "The API takes JSON: send the body with Content-Type: application/json (not {media_type})."


def _from_another_site(headers: Headers) -> bool:
    fetch_site = headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    origin = headers.get("origin")
    if origin is None:
        return False  # not a browser, or one too old to say (the JSON rule covers those)
    return origin == "null" or origin.split("://", 1)[-1] != headers.get("host")


def check_api_write(headers: Headers) -> None:
    """Refuse a change to the API sent from another site's page, or with a body that is not JSON."""
    if _from_another_site(headers):
        raise CrossSiteRequest(
            "Changes through the API must come from this site's own pages or from a script, not from another "
            "site's page."
        )
    media_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
    has_body = headers.get("content-length", "0") not in ("", "0") or "transfer-encoding" in headers
    if (media_type or has_body) and not _JSON_MEDIA_TYPE.match(media_type):
        raise UnsupportedMediaType(
            f"The API takes JSON: send the body with Content-Type: application/json (not {media_type or 'none'})."
        )


def api_write_guard(app: ASGIApp) -> ASGIApp:
    """Middleware: check_api_write on every POST, PUT, PATCH and DELETE under /api/."""

    async def guard(scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == ScopeType.HTTP
            and scope["method"] in API_WRITE_METHODS
            and scope["path"].startswith("/api/")
        ):
            check_api_write(Headers.from_scope(scope))
        await app(scope, receive, send)

    return guard

"""Security headers on every response, and rate limits on the doors people can knock on without signing in:
sign-in, registration (and the "email me my link" form) and feedback answers."""

from __future__ import annotations

import re
from typing import Any

from litestar import Request
from litestar.datastructures import MutableScopeHeaders
from litestar.middleware import DefineMiddleware
from litestar.middleware.rate_limit import DurationUnit, RateLimitConfig, get_remote_address
from litestar.types import Message, Scope

from events_app.core.settings import RateLimit, Settings

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
# Piccolo Admin (a Vue application with inline code) and the OpenAPI viewers (scripts from a CDN) bring their
# own pages; they get every header but the Content-Security-Policy.
_OWN_PAGES = ("/admin", "/schema")


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
    """A before-send hook: every HTTP response (pages, API, errors, 404s, mounted apps) gets the headers above
    unless it sets them itself."""
    headers = [(name.decode(), value.decode()) for name, value in security_headers(settings)]

    async def add_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        present = MutableScopeHeaders.from_message(message)
        for name, value in headers:
            if name not in present:
                present[name] = value
        if not scope["path"].startswith(_OWN_PAGES) and "content-security-policy" not in present:
            present["content-security-policy"] = CONTENT_SECURITY_POLICY

    return add_headers


# POSTs that anyone may send, by bucket. Each bucket counts separately per client address.
SIGN_IN_PATHS = re.compile(r"^/(api/auth/sign-in|organiser/sign-in)$")
REGISTRATION_PATHS = re.compile(r"^/(api/events/[^/]+/registrations|events/[^/]+/register|my|api/my/link)$")
FEEDBACK_PATHS = re.compile(r"^/(api/)?feedback/(open/)?[^/]+$")

_UNITS: dict[int, DurationUnit] = {1: "second", 60: "minute", 3600: "hour", 86400: "day"}


def _rate_limit(name: str, limit: RateLimit, paths: re.Pattern[str]) -> DefineMiddleware:
    async def applies(request: Request[Any, Any, Any]) -> bool:
        return request.method == "POST" and paths.match(request.url.path) is not None

    def identifier(request: Request[Any, Any, Any]) -> str:
        # uvicorn sets the client from X-Forwarded-For only for the proxies in FORWARDED_ALLOW_IPS.
        return f"{name}:{get_remote_address(request)}"

    config = RateLimitConfig(
        rate_limit=(_UNITS[limit.seconds], limit.requests),
        check_throttle_handler=applies,
        identifier_for_request=identifier,
        store=f"rate_limit_{name}",
    )
    return config.middleware


def rate_limit_middleware(settings: Settings) -> list[DefineMiddleware]:
    buckets = [
        ("sign_in", settings.rate_limit_sign_in, SIGN_IN_PATHS),
        ("registration", settings.rate_limit_registration, REGISTRATION_PATHS),
        ("feedback", settings.rate_limit_feedback, FEEDBACK_PATHS),
    ]
    return [_rate_limit(name, limit, paths) for name, limit, paths in buckets if limit is not None]

"""Links that put events into people's calendars: subscribe (webcal, Google, Outlook.com) to a feed, or add
one event to Google Calendar or Outlook.com. Plain URL building; the feeds themselves are in calendar/."""

from __future__ import annotations

import re
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

from events_app.core.settings import current_settings

# The address the current request came to, when BASE_URL is not set (see `follow_request_address`).
_request_base: ContextVar[str | None] = ContextVar("request_base_url", default=None)
_HOST = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9.\-]{0,250})|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$")


def site_url() -> str:
    """The site's address for links shown in answers to a request: BASE_URL, or else the address the
    request came to (so a server on port 8080 links to 8080). Mail never uses this: see `mail_url`."""
    return _request_base.get() or current_settings().base_url


def mail_url() -> str:
    """The site's address for links in emails: BASE_URL, or the address the server was started on. Never
    the request's Host header, which whoever sends the request chooses."""
    return current_settings().base_url


def absolute(path: str, base: str | None = None) -> str:
    return (base or site_url()) + path


def webcal(path: str, base: str | None = None) -> str:
    """webcal:// makes phones and desktop calendars offer to subscribe."""
    url = absolute(path, base)
    return "webcal://" + url.split("://", 1)[1]


def follow_request_address(app: Any) -> Any:
    """ASGI middleware (used when BASE_URL is not set): links in pages, feeds and API answers name the
    scheme, host and port the request came to (after the trusted proxy's X-Forwarded-* headers)."""

    async def middleware(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        host = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"host"), "")
        scheme = scope.get("scheme", "http")
        token = _request_base.set(f"{scheme}://{host}" if _HOST.match(host) and scheme in ("http", "https") else None)
        try:
            await app(scope, receive, send)
        finally:
            _request_base.reset(token)

    return middleware


def google_subscribe(path: str) -> str:
    return "https://calendar.google.com/calendar/render?cid=" + quote(webcal(path), safe="")


def outlook_subscribe(path: str, name: str) -> str:
    return "https://outlook.live.com/calendar/0/addfromweb?" + urlencode({"url": absolute(path), "name": name})


def _google_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def google_add(title: str, starts_at: datetime, ends_at: datetime, details: str, location: str) -> str:
    query = {
        "action": "TEMPLATE",
        "text": title,
        "dates": f"{_google_time(starts_at)}/{_google_time(ends_at)}",
        "details": details,
        "location": location,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_add(title: str, starts_at: datetime, ends_at: datetime, details: str, location: str) -> str:
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": title,
        "startdt": starts_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "enddt": ends_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "body": details,
        "location": location,
    }
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(query)

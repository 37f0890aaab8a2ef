"""What the organisers' pages share: reading a posted form, times typed in an event's zone, notices after a
redirect."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from litestar import Request
from litestar.response import Redirect

from events_app.core.timezones import in_zone

MAX_FIELD = 30_000  # longer than any field takes: the schema's own limit names the field


async def form_values(request: Request[Any, Any, Any]) -> dict[str, str]:
    """Every single-valued field of a posted form, trimmed (the CSRF token left out). Repeated fields: `form_list`."""
    form = await request.form()
    return {k: str(v).strip()[:MAX_FIELD] for k, v in form.items() if k != "_csrf_token" and isinstance(v, str)}


async def form_list(request: Request[Any, Any, Any], name: str, limit: int = 50) -> list[str]:
    """A field sent more than once (ticked boxes, speakers in order), trimmed, empty ones left out."""
    form = await request.form()
    return [text for v in form.getall(name, [])[:limit] if isinstance(v, str) and (text := v.strip())]


def optional(value: str | None) -> str | None:
    """An empty box is 'not given' (None), for optional numbers, times and choices."""
    return value if value else None


def local_input(moment: datetime | None, timezone: str) -> str:
    """The value of an <input type="datetime-local"> for a stored time: the wall clock in the event's zone."""
    return in_zone(moment, timezone).strftime("%Y-%m-%dT%H:%M") if moment is not None else ""


def with_notice(path: str, notice: str) -> Redirect:
    """After a form: back to a page, which says what was done (`?notice=`)."""
    return Redirect(f"{path}?{urlencode({'notice': notice})}", status_code=303)

"""Links sent to people carry their tokens in the address (/my/..., /feedback/..., /calendar/....ics, /join/...,
/tickets/..., /unsubscribe/..., ?ticket=...): whoever can read the server's logs must not be able to open them.
Every log record made in the process (uvicorn's access log, the app's own, any library's) has them blanked as it
is made."""

from __future__ import annotations

import logging
import re
from typing import Any

REDACTED = "[redacted]"
_END = r"""[/?#\s"']"""
# A path that starts with one of these prefixes (alone, or after a scheme and host) carries a token next.
_TOKEN_IN_PATH = re.compile(
    rf"""(?P<prefix>(?:^|[\s"'(=,])(?:[a-z][a-z0-9+.-]*://[^/\s"']+)?/(?:api/)?"""
    rf"""(?:my|feedback(?:/open)?|calendar|tickets|unsubscribe|join)/)"""
    rf"""(?!(?:open|link)(?:{_END}|$))"""  # /feedback/open/... and "email me my link" are not tokens
    rf"""(?P<token>[^/?#\s"']+?)(?P<extension>\.(?:ics|png|svg))?(?={_END}|$)""",
    re.IGNORECASE,
)
_TOKEN_IN_QUERY = re.compile(r"""(?P<name>[?&](?:token|ticket)=)[^&#\s"']+""", re.IGNORECASE)


def redact(text: str) -> str:
    """`text` with every token in a path or query string replaced by [redacted]."""
    if "/" not in text and "=" not in text:
        return text
    text = _TOKEN_IN_PATH.sub(lambda m: f"{m['prefix']}{REDACTED}{m['extension'] or ''}", text)
    return _TOKEN_IN_QUERY.sub(lambda m: f"{m['name']}{REDACTED}", text)


def _redacted(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


def redact_tokens_in_log_records() -> None:
    """Wrap the process's log record factory (once): a record's message and string arguments are redacted as it
    is made, before any filter, handler or formatter (uvicorn's access formatter reads the arguments) sees it.
    Done at record creation because uvicorn and Litestar each configure their own loggers and handlers."""
    current = logging.getLogRecordFactory()
    if getattr(current, "redacts_tokens", False):
        return

    def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = current(*args, **kwargs)
        record.msg = _redacted(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _redacted(arg) for key, arg in record.args.items()}
        return record

    make_record.redacts_tokens = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(make_record)

"""The app's request class: a body its parsers cannot take is the sender's mistake (a 400 that says what is
wrong with it), never a 500. Litestar turns malformed JSON into a 400 itself, but not JSON nested deeper than
the decoder can go, nor a form field in an unknown character set or bytes that are not text."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import FormMultiDict
from litestar.exceptions import ClientException

TOO_DEEP = "The JSON body is nested too deeply to read. Send plain objects and lists, a few levels deep."
FORM_NOT_TEXT = "The form could not be read: a field is not text in the character set it names (send UTF-8)."


class BodyCheckedRequest(Request[Any, Any, Any]):
    """Every request (the CSRF middleware, the app's before_request and the handlers all use the app's class)."""

    async def json(self) -> Any:
        try:
            return await super().json()
        except RecursionError:  # msgspec stops at the interpreter's recursion limit, cleanly
            raise ClientException(TOO_DEEP) from None

    async def form(self) -> FormMultiDict:
        try:
            return await super().form()
        except (UnicodeDecodeError, LookupError):  # bytes that are not UTF-8; a charset Python does not know
            raise ClientException(FORM_NOT_TEXT) from None

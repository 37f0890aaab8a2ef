"""Query, path and form parameters many endpoints share."""

from typing import Annotated

from litestar.di import NamedDependency
from litestar.params import PathParameter, QueryParameter

from events_app.core.settings import Settings

Limit = Annotated[int, QueryParameter(ge=1, le=100, description="How many items per page (1-100)")]
Offset = Annotated[int, QueryParameter(ge=0, le=1_000_000, description="How many items to skip")]
# Ids are 32-bit on PostgreSQL: a larger number in a path is refused as invalid (400), not sent to the database.
MAX_ID = 2_147_483_647
PathId = Annotated[int, PathParameter(ge=1, le=MAX_ID, description="a number from 1 up")]
# A filter naming an id: the same bounds, so a huge number is refused as invalid rather than sent to the database.
QueryId = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID, description="an id (a number from 1 up)")]

# The settings create_app was given (app.py provides them), for a handler that needs one of them.
AppSettings = NamedDependency[Settings]


def form_id(value: object) -> int | None:
    """A number typed or posted in a page's form as an id; None unless it is plain digits ("²" passes
    str.isdigit() but not int()) within the id range."""
    text = str(value or "")
    if not (text.isascii() and text.isdigit()):
        return None
    return number if 1 <= (number := int(text)) <= MAX_ID else None

"""Query parameters many list endpoints share."""

from typing import Annotated

from litestar.params import QueryParameter

Limit = Annotated[int, QueryParameter(ge=1, le=100, description="How many items per page (1-100)")]
Offset = Annotated[int, QueryParameter(ge=0, le=1_000_000, description="How many items to skip")]

"""The call named by the `{slug}` of an organiser's path, read once per request within the account's scope."""

from __future__ import annotations

from typing import TypeAlias

from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from events_app.hub.calls import schemas, services


async def provide_call(slug: FromPath[str]) -> schemas.Call:
    return await services.get_call(slug, public=False)


CALL = {"call": Provide(provide_call)}
PathCall: TypeAlias = NamedDependency[schemas.Call]

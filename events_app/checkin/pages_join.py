"""/join/{token}: a delegate's own way into an online meeting. A confirmed place is recorded as joined and sent on
to the meeting (303, never cached, no Referer); anything else is a page in plain words without the address."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get
from litestar.params import FromPath
from litestar.response import Template

from events_app.checkin import joining
from events_app.checkin.errors import JoinRefused
from events_app.core.timezones import in_zone, utc_now

PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}  # the link in the URL is the key


class JoinPages(Controller):
    include_in_schema = False

    @get("/join/{token:str}", name="join")
    async def join(self, token: FromPath[str]) -> Response[Any]:
        try:
            outcome = await joining.follow_join_link(token, utc_now())
        except JoinRefused as exc:
            return Template(
                "checkin/join.html",
                context={"refused": exc, "join": None},
                status_code=exc.status_code,
                headers=PRIVATE,
            )
        if outcome.state == "go":
            return Response(content=b"", status_code=303, headers={**PRIVATE, "Location": outcome.address})
        return Template(
            "checkin/join.html",
            context={
                "refused": None,
                "join": outcome,
                "opens_at": in_zone(outcome.opens_at, outcome.timezone),
                "ends_at": in_zone(outcome.ends_at, outcome.timezone),
            },
            headers=PRIVATE,
        )

"""Calls in tests: made through the organisers' pages, sent through the public form, links read from the outbox."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from litestar.testing import AsyncTestClient

from events_app.mail.tables import OutboxMessage
from tests.organiser.places_helpers import notice_of, post_form

LINK = re.compile(r"https?://[^\s/]+(/calls/[^\s]+)")


async def make_call(client: AsyncTestClient[Any], **values: str) -> str:
    """A call made on the organisers' page (the client signed in as an organiser); its slug."""
    body = {"title": "Call for workshops 2031", "kind": "sessions", "status": "open", **values}
    location = notice_of(await post_form(client, "/organiser/calls", body))
    found = re.match(r"/organiser/calls/([^/]+)/edit", location)
    assert found, location
    return found.group(1)


def proposal(email: str = "ada@example.org", **overrides: Any) -> dict[str, Any]:
    return {
        "name": "Ada Lovelace",
        "email": email,
        "organisation_name": "Analytical Trust",
        "title": "Mentoring that lasts",
        "session_kind": "workshop",
        "summary": "Three years of peer mentoring between a university and four schools.",
        **overrides,
    }


async def submit(client: AsyncTestClient[Any], slug: str, values: dict[str, Any]) -> Any:
    return await post_form(client, f"/calls/{slug}", values)


def mails(run: Callable[..., Any], kind: str, to: str | None = None) -> list[dict[str, Any]]:
    async def read() -> list[dict[str, Any]]:
        query = OutboxMessage.select(OutboxMessage.to_email, OutboxMessage.text_body, OutboxMessage.subject)
        query = query.where(OutboxMessage.kind == kind)
        if to is not None:
            query = query.where(OutboxMessage.to_email == to)
        return list(await query.order_by(OutboxMessage.id))

    return run(read)  # type: ignore[no-any-return]


def links(body: str) -> tuple[str, str]:
    """The confirm link and the edit link of a `call_received` email (paths)."""
    found = LINK.findall(body)
    confirm = next(p for p in found if "/confirm/" in p)
    edit = next(p for p in found if "/submissions/" in p)
    return confirm, edit

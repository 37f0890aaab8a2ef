"""What the timetable page tests share: asking for HTML, the CSRF token, a conference with two rooms, the
session form's fields, and reading a page as a person does."""

from __future__ import annotations

import html
import re
from typing import Any

from litestar.testing import AsyncTestClient

from tests.builders import DAY, make_event, make_venue

HTML = {"accept": "text/html"}


async def csrf_token(client: AsyncTestClient[Any]) -> str:
    await client.get("/organiser", headers=HTML)
    token = client.cookies.get("csrftoken")
    assert token
    return token


async def conference(client: AsyncTestClient[Any]) -> tuple[dict[str, Any], dict[str, int]]:
    venue = await make_venue(client)  # Room A and Room B, 50 seats each
    event = await make_event(client, venue_id=venue["id"])  # 09:00-17:00 London time
    return event, {r["name"]: r["id"] for r in venue["rooms"]}


def session_form(csrf: str, **values: Any) -> dict[str, Any]:
    return {
        "_csrf_token": csrf,
        "speakers_listed": "1",
        "title": "Widening access panel",
        "kind": "panel",
        "status": "scheduled",
        "starts_at": f"{DAY}T10:00",
        "ends_at": f"{DAY}T11:00",
        "room_id": "",
        "track_id": "",
        "capacity": "",
        "description": "",
        **values,
    }


def text_of(response: Any) -> str:
    """The page as a person reads it: tags gone, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


def error_of(response: Any, field: str) -> str:
    found = re.search(rf'<p id="{field}-error" class="field-error">([^<]*)</p>', response.text)
    assert found, f"no error next to {field}: {text_of(response)[:600]}"
    return html.unescape(found.group(1))


async def sessions_of(client: AsyncTestClient[Any], slug: str) -> list[dict[str, Any]]:
    return (await client.get(f"/api/events/{slug}/sessions")).json()  # type: ignore[no-any-return]

"""What the teams tests share: posting a page's form as a browser does, and the links in the emails sent."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from litestar.testing import AsyncTestClient

from events_app.mail.tables import OutboxMessage

LINK = re.compile(r"/organiser/(set-password|reset-password)/([A-Za-z0-9_.\-]+)")
NEW_PASSWORD = "a brand new long password"


async def post_form(client: AsyncTestClient[Any], path: str, data: dict[str, str]) -> Any:
    """A form sent as a browser sends it: asking for HTML, with the CSRF token; redirects not followed."""
    if not client.cookies.get("csrftoken"):
        await client.get("/organiser/sign-in")
    token = client.cookies.get("csrftoken") or ""
    return await client.post(
        path, data={**data, "_csrf_token": token}, headers={"accept": "text/html"}, follow_redirects=False
    )


def emails(run: Callable[..., Any], kind: str) -> list[tuple[str, str, str]]:
    """(recipient, text, html) of every queued message of this kind, oldest first."""

    async def rows() -> list[tuple[str, str, str]]:
        found = await (
            OutboxMessage.select(OutboxMessage.to_email, OutboxMessage.text_body, OutboxMessage.html_body)
            .where(OutboxMessage.kind == kind)
            .order_by(OutboxMessage.id)
        )
        return [(r["to_email"], r["text_body"], r["html_body"]) for r in found]

    return run(rows)  # type: ignore[no-any-return]


def link_in(text: str) -> str:
    """The path of the password link in an email (without the host)."""
    match = LINK.search(text)
    assert match, f"no password link in: {text}"
    return match.group(0)


def aged_token(run: Callable[..., Any], purpose: str, value: list[int], seconds: int) -> str:
    """A token for `purpose` as if it had been signed `seconds` ago, with the app's own key and salt."""

    class Earlier(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - seconds

    async def sign() -> str:
        from events_app.core.settings import current_settings

        serializer = URLSafeTimedSerializer(current_settings().secret_key, salt=f"events_app:{purpose}", signer=Earlier)
        return str(serializer.dumps(value))

    return run(sign)  # type: ignore[no-any-return]

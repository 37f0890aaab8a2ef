"""create_app(settings) decides what the whole app uses: links in pages and emails follow the settings it was
given, not the environment; and only the entry points (settings.py, cli.py, app.py) load settings."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

from litestar.testing import AsyncTestClient

from events_app.app import create_app
from events_app.core.settings import get_settings
from events_app.mail.tables import OutboxMessage
from events_app.people.services import ensure_default_groups
from tests.builders import make_event
from tests.conftest import Accounts, reset_database
from tests.registration.conftest import delegate

PACKAGE = Path(__file__).resolve().parent.parent / "events_app"
ENTRY_POINTS = {"core/settings.py", "cli.py", "app.py"}


def test_only_the_entry_points_load_settings() -> None:
    callers = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        if name in ENTRY_POINTS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if called == "get_settings":
                    callers.append(f"{name}:{node.lineno}")
    assert callers == [], "take settings from create_app (a `settings` parameter or current_settings())"


async def test_links_in_pages_and_emails_follow_the_settings_the_app_was_given() -> None:
    assert get_settings().base_url != "https://events.example.test"
    elsewhere = dataclasses.replace(get_settings(), base_url="https://events.example.test")

    # The only app of this test: two at once would share (and fight over) the one database pool.
    async with AsyncTestClient(app=create_app(elsewhere)) as client:
        client.blocking_portal.call(reset_database)
        client.blocking_portal.call(ensure_default_groups)
        await Accounts(client, client.blocking_portal.call).sign_in("organiser")
        event = await make_event(client, capacity=5)
        client.cookies.clear()
        page = await client.get(f"/events/{event['slug']}", headers={"Accept": "text/html"})
        registered = await client.post(f"/api/events/{event['slug']}/registrations", json=delegate(1))
        assert registered.status_code == 202, registered.text

        async def confirmation() -> str:
            row = (
                await OutboxMessage.select(OutboxMessage.text_body)
                .where(OutboxMessage.to_email == "delegate1@example.org")
                .first()
            )
            assert row is not None
            return str(row["text_body"])

        body = client.blocking_portal.call(confirmation)

    assert f"webcal://events.example.test/events/{event['slug']}/calendar.ics" in page.text
    assert "https://events.example.test/my/" in body
    assert "https://events.example.test/registrations/not-me/" in body
    assert get_settings().base_url not in body

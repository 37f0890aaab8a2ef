"""Links name the address the service runs at when BASE_URL is not set (issue 14, part 6): a server on
port 8080 must not email, feed or show links to port 8000."""

from __future__ import annotations

import asyncio
import dataclasses
import re
from typing import Any

import httpx
import pytest
from litestar.testing import AsyncTestClient

from events_app.app import create_app
from events_app.core.settings import get_settings, load_settings
from tests.builders import make_event
from tests.conftest import Accounts, reset_database
from tests.live import LiveService, create_event, person


def test_without_base_url_mail_links_follow_port_and_the_served_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BASE_URL", raising=False)
    monkeypatch.delenv("EVENTS_APP_SERVED_URL", raising=False)
    monkeypatch.setenv("PORT", "8080")  # ./scripts/start exports it, so `events-app demo` links to 8080 too
    assert load_settings().base_url == "http://127.0.0.1:8080"
    monkeypatch.setenv("EVENTS_APP_SERVED_URL", "http://127.0.0.1:9090")  # what `events-app serve` sets
    assert load_settings().base_url == "http://127.0.0.1:9090"
    monkeypatch.setenv("BASE_URL", "https://events.example.org/")
    settings = load_settings()
    assert (settings.base_url, settings.links_follow_requests) == ("https://events.example.org", False)


async def test_pages_and_feeds_link_to_the_address_they_were_asked_at(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    assert get_settings().links_follow_requests  # the tests set no BASE_URL
    event = await make_event(client, title="Seminar", kind="seminar")
    on_8080 = "http://127.0.0.1:8080"
    page = (await client.get(f"{on_8080}{event['url']}")).text
    assert f"webcal://127.0.0.1:8080{event['url']}/calendar.ics" in page
    assert "127.0.0.1:8000" not in page
    feed = (await client.get(f"{on_8080}{event['url']}/calendar.ics")).text
    assert f"http://127.0.0.1:8080{event['url']}" in feed.replace("\r\n ", "")
    forged = (await client.get(f"{on_8080}{event['url']}", headers={"host": "evil.example/<x>"})).text
    assert "evil.example" not in forged


async def test_with_base_url_set_links_name_it_whatever_address_was_asked() -> None:
    configured = dataclasses.replace(get_settings(), base_url="https://events.example.org")
    assert not configured.links_follow_requests
    # The only app of this test: two at once would share (and fight over) the one database pool.
    async with AsyncTestClient(app=create_app(configured), base_url="http://127.0.0.1:8080") as client:
        client.blocking_portal.call(reset_database)
        await Accounts(client, client.blocking_portal.call).sign_in("organiser")
        event = await make_event(client, title="Seminar", kind="seminar")
        page = (await client.get(event["url"])).text
    assert f"webcal://events.example.org{event['url']}/calendar.ics" in page
    assert "127.0.0.1:8080" not in page


@pytest.mark.slow
def test_a_server_on_another_port_emails_links_to_that_port(live: LiveService) -> None:
    live.env.pop("BASE_URL", None)
    base = live.serve()
    event = asyncio.run(create_event(base, capacity=10))
    # The Host header is the sender's to choose: mail never takes its address from it.
    response = httpx.post(
        f"{base}/api/events/{event['slug']}/registrations", json=person(1), headers={"host": "evil.example"}, timeout=30
    )
    assert response.status_code == 202, response.text  # "check your inbox": the links are in the email
    [mail] = live.query("SELECT text_body FROM outbox_message WHERE kind = 'registration_confirmed'")
    links = set(re.findall(r"https?://[^\s/]+", mail["text_body"]))
    others = {"https://calendar.google.com", "https://outlook.live.com", "https://meet.example.org"}
    assert base in links and links <= {base, *others}, links
    assert f"{base}/my/" in mail["text_body"]
    assert f"{base}/registrations/not-me/" in mail["text_body"]

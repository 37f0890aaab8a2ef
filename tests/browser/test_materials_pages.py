"""Materials' pages in Chromium: the organisers' materials page (a file and a link on it), a speaker's page from
their signed link and the public event page showing materials, at 360 px and 1280 px: axe finds nothing to fix
(WCAG 2.2 AA) and nothing scrolls sideways. Without JavaScript, an organiser adds a link through the form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from playwright.async_api import expect

from tests.browser.conftest import sign_in
from tests.browser.test_organiser_pages import _check
from tests.builders import DAY, make_event, make_session, make_speaker
from tests.conftest import PASSWORD, Accounts

pytestmark = [pytest.mark.browser]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass(frozen=True)
class Seeded:
    email: str
    slug: str
    event_url: str
    speaker_path: str


async def _seed(client: AsyncTestClient[Any], accounts: Accounts) -> Seeded:
    """An event with a keynote by one speaker, a public file and a recording on it: through the API and the
    organisers' upload form, as an organiser would add them."""
    from events_app.hub.materials import speakers

    await accounts.sign_in("organiser")
    event = await make_event(client, title="Materials Forum")
    speaker = await make_speaker(client, "Amara Okafor")
    keynote = await make_session(
        client,
        event["slug"],
        title="Opening keynote",
        kind="keynote",
        starts_at=f"{DAY}T09:30:00",
        ends_at=f"{DAY}T10:30:00",
        speakers=[{"speaker_id": speaker["id"]}],
    )
    await client.get("/organiser/sign-in")
    uploaded = await client.post(
        f"/organiser/events/{event['slug']}/materials/files",
        data={"title": "Keynote slides", "visibility": "public", "session_id": str(keynote["id"])},
        files={"file": ("keynote-slides.pdf", PDF, "application/pdf")},
        headers={"x-csrftoken": client.cookies["csrftoken"], "accept": "text/html"},
        follow_redirects=False,
    )
    assert uploaded.status_code == 303, uploaded.text
    link = {"title": "Recording of the keynote", "url": "https://video.example.org/keynote"}
    assert (await client.post(f"/api/sessions/{keynote['id']}/materials", json=link)).status_code == 201
    token = speakers.speaker_token(speaker["id"], event["id"])
    return Seeded("organiser@example.org", event["slug"], event["url"], speakers.link_path(token))


@pytest.mark.page_check("postgres")
async def test_the_materials_pages_fit_a_phone_and_meet_wcag_2_2_aa(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any], server: str, browser: Any
) -> None:
    seeded = await _seed(client, accounts)
    problems: list[str] = []
    for width in (360, 1280):
        context = await browser.new_context(viewport={"width": width, "height": 800})
        page = await context.new_page()
        await sign_in(page, server, PASSWORD, seeded.email)
        await page.goto(f"{server}/organiser/events/{seeded.slug}/timetable")
        await page.get_by_role("link", name="Materials of Materials Forum").click()
        await expect(page.get_by_role("link", name="Keynote slides")).to_have_count(1)  # once the page has come
        problems += await _check(page, f"organisers' materials at {width}px", width)

        speaker_page = await page.goto(f"{server}{seeded.speaker_path}")
        assert speaker_page is not None and speaker_page.status == 200
        assert await page.get_by_role("link", name="Recording of the keynote").count() == 1
        problems += await _check(page, f"speaker's materials at {width}px", width)

        await page.goto(f"{server}{seeded.event_url}")
        assert await page.get_by_role("link", name="Keynote slides").count() == 1
        problems += await _check(page, f"event page with materials at {width}px", width)
        await context.close()
    assert problems == [], "\n\n".join(problems)


async def test_an_organiser_adds_a_link_without_javascript(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any], server: str, browser: Any
) -> None:
    seeded = await _seed(client, accounts)
    context = await browser.new_context(viewport={"width": 360, "height": 800}, java_script_enabled=False)
    page = await context.new_page()
    await sign_in(page, server, PASSWORD, seeded.email)
    await page.goto(f"{server}/organiser/events/{seeded.slug}/materials")
    form = page.locator("form[action$='/links']")
    await form.get_by_label("For").select_option(label="Opening keynote (09:30)")
    await form.get_by_label("Title").fill("Panel transcript")
    await form.get_by_label("Address (URL)").fill("not an address")
    await form.get_by_role("button").click()
    assert "Address (URL)" in await page.locator("#link-url-error").inner_text()
    await form.get_by_label("Address (URL)").fill("https://example.org/transcript")
    await form.get_by_role("button").click()
    assert "Added the link 'Panel transcript'" in await page.get_by_role("status").inner_text()
    await page.goto(f"{server}{seeded.event_url}")
    assert await page.get_by_role("link", name="Panel transcript").count() == 1
    await context.close()

"""The hub's pages in Chromium: the search (a filter chosen in its GET form, JavaScript off), a resource's
page, the organisers' list, edit form and materials page meet WCAG 2.2 AA (axe) at 360 px and 1280 px and
nothing scrolls sideways at 360 px.

Seeded through the API on the test's own client; `asyncio.timeout` bounds the whole test so it can never hold
up the suite."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from playwright.async_api import expect

from tests.browser.conftest import sign_in
from tests.browser.test_organiser_pages import _check
from tests.conftest import PASSWORD, Accounts

pytestmark = [pytest.mark.browser]

TITLE = "Mentoring schemes run with charities"
LIMIT_SECONDS = 90


async def _seed(client: AsyncTestClient[Any], accounts: Accounts) -> str:
    """Three resources, two published: the search has something to filter."""
    await accounts.sign_in("organiser")
    resources = [
        {
            "title": TITLE,
            "kind": "case_study",
            "themes": ["mentoring", "charity-partnerships"],
            "year": 2026,
            "summary": "Undergraduate mentors with pupils in coastal schools, for a year.",
            "body": "The charity recruits the schools.\n\nThe university trains its mentors.",
        },
        {"title": "A summer school for year 12", "themes": ["summer-schools"], "year": 2025},
        {"title": "Notes not yet published", "themes": ["mentoring"]},
    ]
    slugs = []
    for body in resources:
        made = await client.post("/api/resources", json=body)
        assert made.status_code == 201, made.text
        slugs.append(made.json()["slug"])
    for slug in slugs[:2]:
        assert (await client.post(f"/api/resources/{slug}/publish")).status_code == 200
    return str(slugs[0])


@pytest.mark.page_check("postgres")
async def test_the_hub_pages_fit_a_phone_and_meet_wcag_2_2_aa_and_search_without_javascript(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any], server: str, browser: Any
) -> None:
    async with asyncio.timeout(LIMIT_SECONDS):
        slug = await _seed(client, accounts)
        # The search form, sent without JavaScript: a GET form whose filter shows in the address.
        context = await browser.new_context(viewport={"width": 360, "height": 800}, java_script_enabled=False)
        page = await context.new_page()
        page.set_default_timeout(15_000)
        await page.goto(f"{server}/resources")
        await page.get_by_label("Theme").select_option("mentoring")
        await page.get_by_role("button", name="Search").click()
        assert "theme=mentoring" in page.url
        assert await page.get_by_role("link", name=TITLE).count() == 1
        assert await page.get_by_role("link", name="A summer school for year 12").count() == 0
        await context.close()
        # axe and the width are measured by scripts in the page: with JavaScript off, Chromium never answers
        # `page.evaluate` (how the first version of this test hung), so these contexts keep it on.
        problems: list[str] = []
        for width in (360, 1280):
            context = await browser.new_context(viewport={"width": width, "height": 800})
            page = await context.new_page()
            page.set_default_timeout(15_000)
            await page.goto(f"{server}/resources?theme=mentoring&year=2026")
            assert await page.get_by_role("link", name=TITLE).count() == 1
            problems += await _check(page, f"/resources filtered at {width}px", width)

            await page.get_by_role("link", name=TITLE).click()
            await expect(page.get_by_role("heading", name=TITLE)).to_have_count(1)  # once the page has come
            problems += await _check(page, f"a resource at {width}px", width)

            await page.goto(f"{server}/calls")  # the open calls, linked from every page's footer beside the hub
            assert await page.get_by_role("heading", name="Open calls").count() == 1
            problems += await _check(page, f"/calls at {width}px", width)

            await sign_in(page, server, PASSWORD, "organiser@example.org")
            for path in (
                "/organiser/resources",
                f"/organiser/resources/{slug}/edit",
                f"/organiser/resources/{slug}/materials",
            ):
                response = await page.goto(f"{server}{path}")
                assert response is not None and response.status == 200, path
                problems += await _check(page, f"{path} at {width}px", width)
            await context.close()
        assert problems == [], "\n\n".join(problems)

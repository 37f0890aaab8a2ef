"""Network mailings in Chromium: the list, the form with its preview and a refusal, and the unsubscribe page meet
WCAG 2.2 AA (axe) at 360 px and 1280 px with nothing scrolling sideways; with JavaScript off, an organiser previews
and sends, and a delegate stops the mailings by the link in theirs."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from playwright.async_api import expect

from tests.browser.test_organiser_events import _signed_in
from tests.browser.test_organiser_pages import _check
from tests.conftest import Accounts

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def _demo() -> str:
    from events_app import demo

    return await demo.load()


async def _unsubscribe_links() -> list[str]:
    from events_app.mail.tables import OutboxMessage

    rows = await OutboxMessage.select(OutboxMessage.text_body).where(OutboxMessage.kind == "network_mailing")
    links = [re.search(r"(/unsubscribe/[A-Za-z0-9_.\-]+)", row["text_body"]) for row in rows]
    assert len(links) >= 2 and all(links)
    return [link.group(1) for link in links if link]


async def test_an_organiser_writes_to_the_network_and_a_delegate_stops_it_on_a_phone(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any], server: str, browser: Any
) -> None:
    password = run(_demo)

    # Without JavaScript, on a phone: preview (after a refusal), then send.
    page = await _signed_in(browser, server, password, 360, javascript=False)
    await page.goto(f"{server}/organiser")
    await page.get_by_role("link", name="Network mailings").click()
    await page.get_by_role("link", name="New mailing").click()
    await page.get_by_role("button", name="Preview").click()
    await expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    await page.get_by_label("Subject").fill("The network's year")
    await page.get_by_label("Message").fill("Thank you for coming this year.\n\nHere is what we did together.")
    await page.get_by_role("button", name="Preview").click()
    status = await page.get_by_role("status").inner_text()
    assert re.search(r"\d+ (people|person) will get this; \d+ .* left out", status), status
    await page.get_by_role("button", name=re.compile(r"^Send to \d+")).click()
    assert (await page.get_by_role("status").inner_text()).startswith("Mailing queued for")
    await expect(page.get_by_role("cell", name="Everyone who registered for any event")).to_be_visible()
    await page.context.close()

    # The delegate, not signed in, with JavaScript off: the link in the mailing, a button, done.
    first, second = run(_unsubscribe_links)[:2]
    context = await browser.new_context(viewport={"width": 360, "height": 800}, java_script_enabled=False)
    delegate = await context.new_page()
    await delegate.goto(f"{server}{second}")
    await delegate.get_by_role("button", name="Stop these emails").click()
    assert "no more emails about the network" in await delegate.get_by_role("status").inner_text()
    await context.close()

    # Every state, checked by axe (which needs JavaScript) at both widths.
    problems: list[str] = []
    for width in (360, 1280):
        page = await _signed_in(browser, server, password, width)
        await page.goto(f"{server}/organiser/mailings")
        problems += await _check(page, f"the list at {width}px", width)
        await page.goto(f"{server}/organiser/mailings/new")
        problems += await _check(page, f"the form at {width}px", width)
        await page.get_by_role("button", name="Preview").click()
        await expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
        problems += await _check(page, f"a refused mailing at {width}px", width)
        await page.get_by_label("Subject").fill("News")
        await page.get_by_label("Message").fill("Our news.")
        await page.get_by_role("button", name="Preview").click()
        await expect(page.get_by_role("heading", name="Preview")).to_be_visible()
        problems += await _check(page, f"the preview at {width}px", width)
        await page.context.close()
        context = await browser.new_context(viewport={"width": width, "height": 800})
        delegate = await context.new_page()
        await delegate.goto(f"{server}{first}")
        problems += await _check(delegate, f"the unsubscribe page at {width}px", width)
        if width == 1280:
            await delegate.get_by_role("button", name="Stop these emails").click()
            await expect(delegate.get_by_role("status")).to_contain_text("no more emails")
            problems += await _check(delegate, f"unsubscribed at {width}px", width)
        await context.close()
    assert not problems, "\n".join(problems)

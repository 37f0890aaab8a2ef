"""The question editors in Chromium: on a phone (360 px) and a desktop (1280 px) axe finds nothing to fix
(WCAG 2.2 AA) and nothing scrolls sideways, in each state a person meets (a refused question, the check before
changing a form people have answered, a retired question); and, with JavaScript off and on, an organiser adds,
reorders and removes questions on the demo seminar's forms, which people have already answered."""

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

SEMINAR = "seminar-community-partners"  # the demo's past seminar: 24 registrations, 14 feedback responses


async def _demo() -> str:
    from events_app import demo

    return await demo.load()


async def _registration_labels(page: Any, server: str) -> list[str]:
    answer = await page.request.get(f"{server}/api/events/{SEMINAR}/questions")
    return [q["label"] for q in await answer.json()]


@pytest.mark.parametrize("javascript", [False, True])
async def test_an_organiser_changes_the_questions_of_an_answered_form_and_every_state_meets_wcag_2_2_aa(
    client: AsyncTestClient[Any],
    accounts: Accounts,
    run: Callable[..., Any],
    server: str,
    browser: Any,
    javascript: bool,
) -> None:
    password = run(_demo)
    problems: list[str] = []

    async def check(page: Any, where: str, width: int) -> list[str]:
        """axe runs as script in the page: the run with JavaScript checks each state; the one without it works."""
        return await _check(page, where, width) if javascript else []

    for width in (360, 1280):
        page = await _signed_in(browser, server, password, width, javascript=javascript)
        editor = f"{server}/organiser/events/{SEMINAR}/questions"
        await page.goto(f"{server}/organiser/events/{SEMINAR}/edit")
        await page.get_by_role("link", name="Registration questions").click()
        await page.wait_for_url(editor)
        problems += await check(page, f"registration questions at {width}px", width)
        await expect(page.get_by_text("24 registrations already came through this form")).to_be_visible()

        # A refused question: the summary and the field say what is wrong.
        await page.get_by_role("button", name="Add the question").click()
        await expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
        problems += await check(page, f"a refused question at {width}px", width)

        # The form has been answered: the first press shows the check, the second saves.
        for label in (f"Travel from {width}", f"Parking {width}"):
            await page.goto(editor)
            await page.get_by_label("Question", exact=True).fill(label)
            await page.get_by_role("button", name="Add the question").last.click()
            await expect(page.get_by_role("heading", name="Check before saving")).to_be_visible()
            assert label not in await _registration_labels(page, server)
            if label.startswith("Travel"):
                problems += await check(page, f"the check before adding at {width}px", width)
            await page.get_by_role("button", name="Add the question").first.click()
            await page.wait_for_url(f"{editor}?notice=*")
        labels = await _registration_labels(page, server)
        assert labels[-2:] == [f"Travel from {width}", f"Parking {width}"]

        await page.get_by_role("button", name=re.compile(rf'^Up\W+move "Parking {width}" up')).click()
        await page.wait_for_url(f"{editor}?notice=*")
        assert (await _registration_labels(page, server))[-2:] == [f"Parking {width}", f"Travel from {width}"]

        # Nobody answered it: removing deletes it, after the second step.
        await page.get_by_role("link", name=f"Parking {width}").click()
        problems += await check(page, f"a registration question at {width}px", width)
        await page.get_by_text("Remove this question", exact=True).click()
        await expect(page.get_by_text("Nobody has answered it yet: it is deleted.")).to_be_visible()
        await page.get_by_role("button", name="Yes, remove this question").click()
        await page.wait_for_url(f"{editor}?notice=*")
        assert f"Parking {width}" not in await _registration_labels(page, server)

        # The feedback form, answered 14 times: a question with answers is retired, and still in the results.
        feedback = f"{server}/organiser/events/{SEMINAR}/feedback-questions"
        await page.goto(feedback)
        problems += await check(page, f"feedback questions at {width}px", width)
        level = page.get_by_role("link", name="Was the level right?")
        if await level.count():
            await level.click()
            problems += await check(page, f"a feedback question at {width}px", width)
            await page.get_by_label("Help text").fill("Think of the talk and the discussion")
            await page.get_by_role("button", name="Save", exact=True).click()
            await expect(page.get_by_role("heading", name="Check before saving")).to_be_visible()
            problems += await check(page, f"the check before changing a feedback question at {width}px", width)
            await page.get_by_role("button", name="Save the change").click()
            await page.wait_for_url(f"{feedback}?notice=*")
            await page.get_by_role("link", name="Was the level right?").click()
            await page.get_by_text("Remove this question", exact=True).click()
            await expect(page.get_by_text("14 people answered it")).to_be_visible()
            await page.get_by_role("button", name="Yes, remove this question").click()
            await page.wait_for_url(f"{feedback}?notice=*")
        await expect(page.get_by_role("heading", name="Retired questions")).to_be_visible()
        problems += await check(page, f"feedback questions with a retired one at {width}px", width)
        await page.goto(f"{server}/organiser/events/{SEMINAR}/feedback")
        await expect(page.get_by_text("Retired: off the form")).to_be_visible()
        await page.context.close()
    assert not problems, "\n".join(problems)

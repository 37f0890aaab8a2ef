"""A call in Chromium, from a proposal sent on the public page to a draft session in the organiser's timetable
(the pages need no JavaScript; axe runs as script, so it is on): axe (WCAG 2.2 AA) finds nothing to fix on each
new page and nothing scrolls sideways, on a phone (360 px, the flow on both engines) and a desktop (1280 px, a
page check on one engine)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from playwright.async_api import expect

from tests.browser.conftest import sign_in
from tests.browser.test_organiser_pages import _check
from tests.builders import make_event
from tests.conftest import PASSWORD, Accounts
from tests.hub.calls.helpers import links, mails, make_call
from tests.organiser.places_helpers import notice_of, post_form

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def _flow(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any], server: str, browser: Any, width: int
) -> None:
    await accounts.sign_in("organiser")
    email = accounts.create("organiser")
    event = await make_event(client, title="Widening Access Conference 2031")
    slug = await make_call(client, event_id=str(event["id"]), closes_at="2030-06-01T17:00")
    notice_of(
        await post_form(
            client,
            f"/organiser/calls/{slug}/questions",
            {"label": "Who is it for?", "kind": "single", "options": "Teachers\nStudents"},
        )
    )
    problems: list[str] = []
    context = await browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=True)
    page = await context.new_page()

    # The submitter: a refused form names what is wrong, then the proposal goes in; the inbox holds the links.
    await page.goto(f"{server}/calls/{slug}")
    problems += await _check(page, f"the call at {width}px", width)
    await page.get_by_label("Your name").fill("Ada Lovelace")
    await page.get_by_label("Email address", exact=True).fill("ada@example.org")
    await page.get_by_role("button", name="Send my proposal").click()
    await expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    problems += await _check(page, f"a refused proposal at {width}px", width)
    await page.get_by_label("Title of your session").fill("Mentoring that lasts")
    await page.get_by_label("Workshop").check()
    await page.get_by_label("What the session is about").fill("Peer mentoring between a university and schools.")
    await page.get_by_label("Name of speaker 1").fill("Grace Hopper")
    await page.get_by_label("Email address of speaker 1").fill("grace@example.org")
    await page.get_by_label("Teachers").check()
    await page.get_by_role("button", name="Send my proposal").click()
    await expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    problems += await _check(page, f"after sending at {width}px", width)
    confirm, edit = links(mails(run, "call_received", "ada@example.org")[0]["text_body"])
    await page.goto(f"{server}{confirm}")
    await expect(page.get_by_role("heading", name="Thank you: your submission is in")).to_be_visible()
    problems += await _check(page, f"the confirmed submission at {width}px", width)
    await page.get_by_role("link", name="See or change your submission").click()
    await page.get_by_label("Title of your session").fill("Mentoring that lasts, in practice")
    await page.get_by_role("button", name="Save my changes").click()
    await expect(page.get_by_text("Your changes are saved.")).to_be_visible()
    problems += await _check(page, f"the submitter's own page at {width}px", width)
    assert edit.rsplit("/", 1)[0] in page.url  # the submitter's own page (a fresh link: signed at another moment)

    # The organiser: every page of the call, a review, and the decision that puts a draft in the timetable.
    organiser = await (
        await browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=True)
    ).new_page()
    await sign_in(organiser, server, PASSWORD, email)
    for path, where in (
        ("/organiser/calls", "the calls"),
        ("/organiser/calls/new", "a new call"),
        (f"/organiser/calls/{slug}/edit", "a call"),
        (f"/organiser/calls/{slug}/questions", "the call's questions"),
        (f"/organiser/calls/{slug}/submissions", "the submissions"),
    ):
        await organiser.goto(f"{server}{path}")
        problems += await _check(organiser, f"{where} at {width}px", width)
    await organiser.get_by_role("link", name="Mentoring that lasts, in practice").click()
    problems += await _check(organiser, f"a submission at {width}px", width)
    await organiser.get_by_label("4").check()
    await organiser.get_by_label("Comment").fill("Strong partnership evidence")
    await organiser.get_by_role("button", name="Save my review").click()
    await expect(organiser.get_by_text("average score 4.0 out of 5")).to_be_visible()
    await organiser.get_by_role("button", name="Accept").click()
    await expect(organiser.get_by_text("It is a draft session in the event's timetable")).to_be_visible()
    await organiser.get_by_role("link", name="Schedule its draft session").click()
    await organiser.goto(f"{server}/organiser/events/{event['slug']}/timetable")
    drafts = organiser.get_by_role("region", name="To be scheduled").or_(organiser.locator(".drafts-list"))
    await expect(drafts.first).to_contain_text("Mentoring that lasts, in practice")
    await expect(drafts.first).to_contain_text("Grace Hopper")
    problems += await _check(organiser, f"the timetable with a draft at {width}px", width)
    await page.goto(f"{server}/events/{event['slug']}")
    await expect(page.get_by_text("Mentoring that lasts")).to_have_count(0)
    assert problems == [], "\n".join(problems)


async def test_a_proposal_goes_from_the_public_form_to_a_draft_in_the_timetable_on_a_phone(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any], server: str, browser: Any
) -> None:
    await _flow(client, accounts, run, server, browser, 360)


@pytest.mark.page_check("sqlite")
async def test_the_call_pages_meet_wcag_2_2_aa_on_a_desktop(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any], server: str, browser: Any
) -> None:
    await _flow(client, accounts, run, server, browser, 1280)

"""The organisers' editors of an event's own questions (registration form and feedback form): add, change,
reorder, required or not; a question people answered is retired, never deleted, and its answers stay in the CSV
and the results; a form people have answered asks before a change is saved."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from events_app.people.services import ensure_default_groups
from tests.builders import make_event
from tests.conftest import Accounts
from tests.organiser.places_helpers import error_next_to, notice_of, open_page, post_form
from tests.registration.conftest import manage_token, register


@pytest.fixture
async def open_event(client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]) -> Callable[..., Any]:
    """Make a published event taking registrations; the client stays signed in as an organiser."""
    run(ensure_default_groups)

    async def make(**overrides: Any) -> dict[str, Any]:
        return await make_event(client, **overrides)

    return make


def _csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


async def _labels(client: AsyncTestClient[Any], slug: str) -> list[str]:
    return [q["label"] for q in (await client.get(f"/api/events/{slug}/questions")).json()]


async def _add(client: AsyncTestClient[Any], slug: str, **values: str) -> str:
    return notice_of(await post_form(client, f"/organiser/events/{slug}/questions", values))


async def test_an_organiser_adds_changes_and_reorders_registration_questions(
    client: AsyncTestClient[Any], open_event: Callable[..., Any]
) -> None:
    event = await open_event(capacity=10)
    slug = event["slug"]
    page = await open_page(client, f"/organiser/events/{slug}/questions")
    assert "No questions of your own yet" in page
    assert f'href="/organiser/events/{slug}/questions"' in await open_page(client, f"/organiser/events/{slug}/edit")

    await _add(client, slug, label="Your role", kind="single", options="Outreach\r\nResearch\r\n\r\nTeaching")
    await _add(client, slug, label="Anything else?", kind="text", help_text="Optional notes")
    added = await _add(client, slug, label="Topics", kind="multiple", options="Pathways\nPartnerships")
    assert "Topics" in await open_page(client, added)
    listed = (await client.get(f"/api/events/{slug}/questions")).json()
    assert [(q["label"], q["kind"], q["options"]) for q in listed] == [
        ("Your role", "single", ["Outreach", "Research", "Teaching"]),
        ("Anything else?", "text", []),
        ("Topics", "multiple", ["Pathways", "Partnerships"]),
    ]
    role, notes, topics = (q["id"] for q in listed)

    # Down moves one place; the last cannot go further down, the first not further up.
    await post_form(client, f"/organiser/events/{slug}/questions/{topics}/move", {"direction": "up"})
    assert await _labels(client, slug) == ["Your role", "Topics", "Anything else?"]
    await post_form(client, f"/organiser/events/{slug}/questions/{role}/move", {"direction": "up"})
    await post_form(client, f"/organiser/events/{slug}/questions/{notes}/move", {"direction": "down"})
    assert await _labels(client, slug) == ["Your role", "Topics", "Anything else?"]
    await post_form(client, f"/organiser/events/{slug}/questions/{role}/move", {"direction": "down"})
    assert await _labels(client, slug) == ["Topics", "Your role", "Anything else?"]

    # Required, with help text: the registration form then refuses a registration without it.
    edit = f"/organiser/events/{slug}/questions/{notes}/edit"
    assert 'value="Anything else?"' in await open_page(client, edit)
    notice_of(
        await post_form(
            client, edit, {"label": "Travel plans", "help_text": "How you will get here", "required": "yes"}
        )
    )
    saved = next(q for q in (await client.get(f"/api/events/{slug}/questions")).json() if q["id"] == notes)
    assert (saved["label"], saved["required"], saved["help_text"]) == ("Travel plans", True, "How you will get here")
    form_page = (await client.get(f"/events/{slug}/register")).text
    assert "Travel plans" in form_page and "How you will get here" in form_page
    refused = await client.post(
        f"/api/events/{slug}/registrations",
        json={"name": "Ann", "email": "ann@example.org", "stakeholder_group": "funder", "organisation_name": "Trust"},
    )
    assert refused.status_code == 422 and refused.json()["field"] == f"answers.{notes}"

    # A choice with one option is refused next to the choices box, and nothing is added.
    one = await post_form(
        client, f"/organiser/events/{slug}/questions", {"label": "Pick", "kind": "single", "options": "Only"}
    )
    assert one.status_code == 400
    assert "at least two options" in error_next_to(one.text, "options")
    assert len(await _labels(client, slug)) == 3


async def test_a_retired_registration_question_keeps_its_answers_in_the_csv(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await open_event(capacity=10)
    slug = event["slug"]
    await _add(client, slug, label="Your role", kind="single", options="Outreach\nResearch")
    await _add(client, slug, label="Dietary club", kind="text")
    role, club = (q["id"] for q in (await client.get(f"/api/events/{slug}/questions")).json())
    await register(client, slug, 1, answers={str(role): "Outreach", str(club): "Cheese"})

    # The form has been answered: a change first shows the warning, and nothing is saved until confirmed.
    asked = await post_form(client, f"/organiser/events/{slug}/questions", {"label": "Parking?", "kind": "text"})
    assert asked.status_code == 200 and "Check before saving" in asked.text
    assert "1 registration already came through this registration form" in asked.text
    assert 'value="Parking?"' in asked.text and 'name="confirmed" value="yes"' in asked.text
    assert "Parking?" not in await _labels(client, slug)
    notice_of(
        await post_form(
            client, f"/organiser/events/{slug}/questions", {"label": "Parking?", "kind": "text", "confirmed": "yes"}
        )
    )
    assert "Parking?" in await _labels(client, slug)
    edit = f"/organiser/events/{slug}/questions/{role}/edit"
    asked = await post_form(client, edit, {"label": "Your main role", "options": "Outreach\nResearch"})
    assert "Check before saving" in asked.text and "Your main role" not in await _labels(client, slug)

    # Removing a question with answers retires it: off the form, the answer still in the export.
    unconfirmed = await post_form(client, edit.replace("/edit", "/delete"), {})
    assert unconfirmed.status_code == 400 and "Your role" in await _labels(client, slug)
    removed = notice_of(await post_form(client, edit.replace("/edit", "/delete"), {"confirmed": "yes"}))
    page = await open_page(client, removed)
    assert "The question is off the form. 1 person answered it" in page and "Retired questions" in page
    assert await _labels(client, slug) == ["Dietary club", "Parking?"]
    assert "Your role" not in (await client.get(f"/events/{slug}/register")).text
    rows = _csv((await client.get(f"/api/events/{slug}/registrations.csv")).content)
    assert rows[0][-3:] == ["Dietary club", "Parking?", "Your role (retired)"]
    assert rows[1][-3:] == ["Cheese", "", "Outreach"]

    # The delegate changes the answers the form still asks; the retired answer stays.
    token = manage_token(run, "delegate1@example.org")
    mine = (await client.get(f"/api/my/{token}")).json()[0]
    changed = await client.patch(f"/api/my/{token}/registrations/{mine['id']}", json={"answers": {str(club): "Olives"}})
    assert changed.status_code == 200, changed.text
    assert changed.json()["answers"] == {str(role): "Outreach", str(club): "Olives"}

    # The API says what it did: an answered question retired, an unanswered one deleted.
    parking = next(
        q["id"] for q in (await client.get(f"/api/events/{slug}/questions")).json() if q["label"] == "Parking?"
    )
    deleted = await client.delete(f"/api/questions/{parking}")
    assert (deleted.status_code, deleted.json()["outcome"]) == (200, "deleted")
    retired = await client.delete(f"/api/questions/{club}")
    assert (retired.status_code, retired.json()["outcome"], retired.json()["answers"]) == (200, "retired", 1)
    rows = _csv((await client.get(f"/api/events/{slug}/registrations.csv")).content)
    assert rows[0][-2:] == ["Your role (retired)", "Dietary club (retired)"]
    assert rows[1][-2:] == ["Outreach", "Olives"]


async def test_a_question_of_another_event_is_not_found_through_this_one(
    client: AsyncTestClient[Any], open_event: Callable[..., Any]
) -> None:
    first, second = await open_event(), await open_event(title="Seminar")
    await _add(client, first["slug"], label="Your role", kind="text")
    question = (await client.get(f"/api/events/{first['slug']}/questions")).json()[0]["id"]
    wrong = f"/organiser/events/{second['slug']}/questions/{question}"
    assert (await client.get(f"{wrong}/edit", headers={"accept": "text/html"})).status_code == 404
    assert (await post_form(client, f"{wrong}/delete", {"confirmed": "yes"})).status_code == 404
    assert await _labels(client, first["slug"]) == ["Your role"]


async def test_feedback_questions_on_the_page_and_a_retired_one_in_results_and_csv(
    client: AsyncTestClient[Any], open_event: Callable[..., Any]
) -> None:
    event = await open_event(capacity=10)
    slug = event["slug"]
    editor = f"/organiser/events/{slug}/feedback-questions"
    assert "no feedback form yet" in await open_page(client, editor)
    made = await client.post(
        f"/api/events/{slug}/feedback-form", json={"questions": [{"kind": "rating", "label": "How useful?"}]}
    )
    assert made.status_code == 201, made.text
    open_token = made.json()["open_link"].rsplit("/", 1)[1]
    notice_of(await post_form(client, editor, {"label": "Would you come again?", "kind": "yes_no", "required": "yes"}))
    notice_of(await post_form(client, editor, {"label": "Who did you meet?", "kind": "text", "topic": "yes"}))
    form = (await client.get(f"/api/events/{slug}/feedback-form")).json()
    assert [(q["label"], q["kind"], q["required"], q["topic"]) for q in form["questions"]] == [
        ("How useful?", "rating", False, ""),
        ("Would you come again?", "yes_no", True, ""),
        ("Who did you meet?", "text", False, "collaboration"),
    ]
    useful, again, met = (q["id"] for q in form["questions"])
    await post_form(client, f"{editor}/{met}/move", {"direction": "up"})
    form = (await client.get(f"/api/events/{slug}/feedback-form")).json()
    assert [q["id"] for q in form["questions"]] == [useful, met, again]

    answered = await client.post(
        f"/api/feedback/open/{open_token}",
        json={
            "answers": {str(useful): 4, str(again): True, str(met): "A head of outreach"},
            "stakeholder_group": "funder",
        },
    )
    assert answered.status_code == 201, answered.text

    asked = await post_form(client, f"{editor}/{useful}/edit", {"label": "How useful was it?"})
    assert "Check before saving" in asked.text and "1 response already came through this feedback form" in asked.text
    notice_of(await post_form(client, f"{editor}/{useful}/edit", {"label": "How useful was it?", "confirmed": "yes"}))
    removed = notice_of(await post_form(client, f"{editor}/{useful}/delete", {"confirmed": "yes"}))
    assert "1 person answered it" in await open_page(client, removed)

    assert "How useful was it?" not in (await client.get(f"/feedback/open/{open_token}")).text
    results = (await client.get(f"/api/events/{slug}/feedback/results")).json()
    retired = next(q for q in results["questions"] if q["id"] == useful)
    assert (retired["retired"], retired["overall"]["count"], retired["overall"]["mean"]) == (True, 1, 4.0)
    assert "Retired: off the form" in await open_page(client, f"/organiser/events/{slug}/feedback")
    rows = _csv((await client.get(f"/api/events/{slug}/feedback/responses.csv")).content)
    assert rows[0][3:] == ["Who did you meet?", "Would you come again?", "How useful was it? (retired)"]
    assert rows[1][3:] == ["A head of outreach", "yes", "4"]

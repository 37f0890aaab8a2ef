"""Building feedback forms (templates, copies, series templates) and answering them: every refusal is a
clear 4xx that writes nothing; one response per delegate, editable; anonymous forms keep no person."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from events_app.core.settings import load_mail_settings
from events_app.core.timezones import utc_now
from events_app.feedback import responses
from events_app.feedback.tables import FeedbackAnswer, FeedbackResponse
from events_app.people.services import ensure_default_groups
from events_app.registration import schedule
from tests.builders import in_person, make_event
from tests.conftest import Accounts
from tests.registration.conftest import TSO, mails, register


def _when(delta: timedelta) -> str:
    return (utc_now() + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


async def _event_with_form(client: AsyncTestClient[Any], run: Callable[..., Any], **form: Any) -> dict[str, Any]:
    run(ensure_default_groups)
    event = await make_event(
        client,
        **await in_person(client, "Hall 1"),
        kind="seminar",
        title="Seminar",
        starts_at=_when(timedelta(hours=1)),
        ends_at=_when(timedelta(hours=3)),
    )
    created = await client.post(f"/api/events/{event['slug']}/feedback-form", json={"template": "seminar", **form})
    assert created.status_code == 201, created.text
    return {"event": event, "form": created.json()}


async def test_forms_from_templates_copies_and_series_templates(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    setup = await _event_with_form(client, run)
    form = setup["form"]
    assert form["title"] == "Seminar feedback"
    kinds = [q["kind"] for q in form["questions"]]
    assert kinds == ["rating", "single", "yes_no", "rating", "text", "text"]
    assert form["questions"][2]["label"] == "Did you meet someone from another sector you will work with?"
    assert form["questions"][2]["topic"] == "collaboration"
    assert form["open_link"].startswith("http://testserver.local/feedback/open/")  # the address asked at

    added = await client.post(
        f"/api/events/{setup['event']['slug']}/feedback-form/questions",
        json={"kind": "multiple", "label": "Topics", "options": ["A", "B"]},
    )
    assert added.status_code == 201
    bad = await client.post(
        f"/api/events/{setup['event']['slug']}/feedback-form/questions",
        json={"kind": "rating", "label": "X", "options": ["A"]},
    )
    assert (bad.status_code, bad.json()["field"]) == (422, "options")
    twice = await client.post(f"/api/events/{setup['event']['slug']}/feedback-form", json={})
    assert (twice.status_code, twice.json()["code"]) == (409, "form_exists")

    series = (await client.post("/api/series", json={"title": "Seminar series"})).json()
    kept = await client.post(f"/api/series/{series['slug']}/feedback-template", json={"event": setup["event"]["slug"]})
    assert kept.status_code == 201
    assert len(kept.json()["questions"]) == 7
    next_one = await make_event(
        client, **await in_person(client, "Hall 2"), kind="seminar", title="Next seminar", series_id=series["id"]
    )
    from_series = await client.post(
        f"/api/events/{next_one['slug']}/feedback-form", json={"from_series_template": True}
    )
    assert [q["label"] for q in from_series.json()["questions"]] == [q["label"] for q in kept.json()["questions"]]
    other = await make_event(client, **await in_person(client, "Hall 3"), kind="seminar", title="Other seminar")
    copied = await client.post(
        f"/api/events/{other['slug']}/feedback-form",
        json={"copy_from_event": setup["event"]["slug"], "anonymous": True},
    )
    assert copied.json()["anonymous"] is True
    assert len(copied.json()["questions"]) == 7
    closes_before_opens = await client.patch(
        f"/api/events/{other['slug']}/feedback-form",
        json={"opens_at": _when(timedelta(days=2)), "closes_at": _when(timedelta(days=1))},
    )
    assert (closes_before_opens.status_code, closes_before_opens.json()["field"]) == (422, "closes_at")


async def _linked(
    client: AsyncTestClient[Any], run: Callable[..., Any], setup: dict[str, Any], n: int = 1, **extra: Any
) -> str:
    result = await register(client, setup["event"]["slug"], n, **extra)
    return responses.link_path(setup["form"]["id"], result["registration"]["id"]).removeprefix("/feedback/")


def _good(form: dict[str, Any]) -> dict[str, Any]:
    q = {question["label"]: str(question["id"]) for question in form["questions"]}
    return {
        q["Overall, how useful was the event for your work?"]: 4,
        q["Was the level right?"]: "About right",
        q["Did you meet someone from another sector you will work with?"]: True,
        q["How much did hearing from other sectors add to your understanding?"]: 5,
    }


async def test_one_response_per_delegate_editable_and_tied_to_their_group(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    setup = await _event_with_form(client, run)
    token = await _linked(client, run, setup, 1, stakeholder_group=TSO)
    await organiser.sign_in("anonymous")
    answers = _good(setup["form"])
    first = await client.post(f"/api/feedback/{token}", json={"answers": answers})
    assert first.status_code == 200, first.text
    assert first.json()["stakeholder_group"] == TSO
    assert first.json()["message"] == "Thank you: your feedback is saved."
    changed = await client.post(f"/api/feedback/{token}", json={"answers": {**answers, next(iter(answers)): 2}})
    assert changed.json()["message"] == "Your answers are updated. Thank you."
    assert run(FeedbackResponse.count) == 1
    shown = (await client.get(f"/api/feedback/{token}")).json()
    assert shown["answers"][next(iter(answers))] == 2


@pytest.mark.parametrize(
    ("change", "status", "field_or_code"),
    [
        ("missing_required", 422, "answers"),
        ("rating_6", 422, "answers"),
        ("rating_text", 422, "answers"),
        ("unknown_option", 422, "answers"),
        ("unknown_question", 422, "answers.999999"),
        ("too_long", 400, "answers"),
        ("forged", 404, "not_found"),
        ("closed", 410, "form_closed"),
    ],
)
async def test_every_refusal_is_clear_and_writes_nothing(
    client: AsyncTestClient[Any],
    organiser: Accounts,
    run: Callable[..., Any],
    change: str,
    status: int,
    field_or_code: str,
) -> None:
    setup = await _event_with_form(client, run)
    token = await _linked(client, run, setup)
    q = {question["label"]: str(question["id"]) for question in setup["form"]["questions"]}
    answers = _good(setup["form"])
    overall, level, improve = (
        q["Overall, how useful was the event for your work?"],
        q["Was the level right?"],
        q["What should we do differently next time?"],
    )
    if change == "missing_required":
        answers.pop(overall)
    elif change == "rating_6":
        answers[overall] = 6
    elif change == "rating_text":
        answers[overall] = "very"
    elif change == "unknown_option":
        answers[level] = "Too easy"
    elif change == "unknown_question":
        answers["999999"] = "x"
    elif change == "too_long":
        answers[improve] = "x" * 5001
    elif change == "forged":
        token = token[:-4] + "AAAA"
    elif change == "closed":
        await client.patch(
            f"/api/events/{setup['event']['slug']}/feedback-form",
            json={"opens_at": _when(timedelta(days=-3)), "closes_at": _when(timedelta(days=-1))},
        )
    await organiser.sign_in("anonymous")
    response = await client.post(f"/api/feedback/{token}", json={"answers": answers})
    assert response.status_code == status, response.text
    body = response.json()
    assert body["detail"]
    if field_or_code.startswith("answers"):
        assert (body["field"] or "").startswith(field_or_code)
    else:
        assert body["code"] == field_or_code
    assert run(FeedbackResponse.count) == 0
    assert run(FeedbackAnswer.count) == 0


async def test_anonymous_forms_keep_the_group_and_never_the_person(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    setup = await _event_with_form(client, run, anonymous=True)
    token = await _linked(client, run, setup, 1, stakeholder_group=TSO)
    await organiser.sign_in("anonymous")
    assert (await client.post(f"/api/feedback/{token}", json={"answers": _good(setup["form"])})).status_code == 200
    assert (await client.post(f"/api/feedback/{token}", json={"answers": _good(setup["form"])})).status_code == 200

    async def stored() -> list[dict[str, Any]]:
        return list(await FeedbackResponse.select())

    [row] = run(stored)
    assert row["registration"] is None
    assert row["stakeholder_group"] is not None
    assert "delegate" not in row["respondent_key"] and len(row["respondent_key"]) == 64


async def test_the_open_link_asks_for_the_sector(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    setup = await _event_with_form(client, run)
    open_token = setup["form"]["open_link"].rsplit("/", 1)[1]
    await organiser.sign_in("anonymous")
    no_group = await client.post(f"/api/feedback/open/{open_token}", json={"answers": _good(setup["form"])})
    assert (no_group.status_code, no_group.json()["field"]) == (422, "stakeholder_group")
    ok = await client.post(
        f"/api/feedback/open/{open_token}", json={"answers": _good(setup["form"]), "stakeholder_group": "funder"}
    )
    assert (ok.status_code, ok.json()["stakeholder_group"]) == (201, "funder")
    assert (await client.post("/api/feedback/open/nope", json={"answers": {}})).status_code == 404


async def test_the_form_page_works_without_javascript(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    setup = await _event_with_form(client, run)
    token = await _linked(client, run, setup)
    await organiser.sign_in("anonymous")
    page = await client.get(f"/feedback/{token}")
    assert page.status_code == 200
    assert "Did you meet someone from another sector you will work with?" in page.text
    csrf = client.cookies.get("csrftoken")
    q = {question["label"]: question["id"] for question in setup["form"]["questions"]}
    form = {
        "_csrf_token": csrf,
        f"q{q['Overall, how useful was the event for your work?']}": "4",
        f"q{q['Was the level right?']}": "About right",
        f"q{q['Did you meet someone from another sector you will work with?']}": "yes",
    }
    missing = await client.post(f"/feedback/{token}", data=form)
    assert missing.status_code == 400
    assert "Please answer: How much did hearing from other sectors add to your understanding?" in missing.text
    saved = await client.post(
        f"/feedback/{token}",
        data={**form, f"q{q['How much did hearing from other sectors add to your understanding?']}": "5"},
    )
    assert saved.status_code == 200
    assert "Thank you: your feedback is saved." in saved.text
    again = await client.get(f"/feedback/{token}")
    assert re.search(r'value="4" checked', again.text)
    assert (await client.get("/feedback/forged-link")).status_code == 404


async def test_feedback_requests_go_out_once_the_form_exists(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    setup = await _event_with_form(client, run)
    await register(client, setup["event"]["slug"], 1)
    settings = load_mail_settings()

    async def tick() -> int:
        return await schedule.tick(settings, now=utc_now() + timedelta(hours=5, minutes=5))

    assert run(tick) == 1
    assert run(tick) == 0
    assert mails(run)[-1] == ("feedback_request", "delegate1@example.org")

"""Anonymous means anonymous (issue 17, part 4): whoever holds the database and SECRET_KEY cannot tie an anonymous
answer to a person; making a form anonymous detaches the answers already given; the open link takes one answer
per browser and a limited number per address, can be closed, and its answers can be left out of the results;
organisers can delete a written answer."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import importlib.util
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from events_app.core.settings import RateLimit, current_settings, get_settings
from events_app.core.timezones import utc_now
from events_app.feedback import marks, responses
from events_app.feedback.tables import FeedbackAnswer, FeedbackForm, FeedbackResponse
from events_app.people.services import ensure_default_groups
from events_app.people.tables import Delegate
from events_app.registration.tables import Registration
from tests.builders import make_event
from tests.conftest import Accounts, reset_database
from tests.registration.conftest import TSO, register

MIGRATION = Path(__file__).resolve().parents[2] / "migrations" / "events_app_2026_12_06t10_33_56_000000.py"


def _when(delta: timedelta) -> str:
    return (utc_now() + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


async def _event_with_form(client: AsyncTestClient[Any], run: Callable[..., Any], **form: Any) -> dict[str, Any]:
    run(ensure_default_groups)
    event = await make_event(
        client, kind="seminar", title="Seminar", starts_at=_when(timedelta(hours=1)), ends_at=_when(timedelta(hours=3))
    )
    created = await client.post(f"/api/events/{event['slug']}/feedback-form", json={"template": "seminar", **form})
    assert created.status_code == 201, created.text
    return {"event": event, "form": created.json()}


def _answers(form: dict[str, Any], said: str = "") -> dict[str, Any]:
    q = {question["label"]: str(question["id"]) for question in form["questions"]}
    return {
        q["Overall, how useful was the event for your work?"]: 4,
        q["Was the level right?"]: "About right",
        q["Did you meet someone from another sector you will work with?"]: True,
        q["How much did hearing from other sectors add to your understanding?"]: 5,
        q["What should we do differently next time?"]: said,
    }


def _link(setup: dict[str, Any], registration_id: int) -> str:
    return responses.link_path(setup["form"]["id"], registration_id).removeprefix("/feedback/")


def _candidates(secret: str, form_id: int, registration_id: int, delegate_id: int, email: str) -> set[str]:
    """Every keyed or plain hash of what is known about a person and the form that we could think of."""
    messages = {
        f"feedback:{form_id}:{registration_id}",
        f"{form_id}:{registration_id}",
        f"{registration_id}:{form_id}",
        f"{form_id}{registration_id}",
        f"feedback:{form_id}:{delegate_id}",
        f"{form_id}:{delegate_id}",
        str(registration_id),
        str(delegate_id),
        email,
        f"{form_id}:{email}",
    }
    found = set()
    for message in messages:
        for digest in (hashlib.sha256, hashlib.sha1, hashlib.md5, hashlib.sha512, hashlib.blake2b):
            found.add(hmac.new(secret.encode(), message.encode(), digest).hexdigest())
            found.add(digest(message.encode()).hexdigest())
            found.add(digest((secret + message).encode()).hexdigest())
    return found


async def test_nobody_holding_the_database_and_the_key_can_tie_an_anonymous_answer_to_a_person(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    setup = await _event_with_form(client, run, anonymous=True)
    people = [await register(client, setup["event"]["slug"], n, stakeholder_group=TSO) for n in range(4)]
    await organiser.sign_in("anonymous")

    async def registrations() -> list[dict[str, Any]]:
        return list(await Registration.select().order_by(Registration.id))

    before = run(registrations)
    for person in people:
        client.cookies.clear()
        answered = await client.post(
            f"/api/feedback/{_link(setup, person['registration']['id'])}", json={"answers": _answers(setup["form"])}
        )
        assert answered.status_code == 200, answered.text
        assert answered.json()["edit_key"]  # handed to the person alone

    async def stored() -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
        return (
            list(await FeedbackResponse.select()),
            list(await FeedbackAnswer.select()),
            list(await Delegate.select(Delegate.id, Delegate.email)),
        )

    rows, answers, delegates = run(stored)
    assert len(rows) == 4
    # No column links a response to anyone: these are all the columns, and none of them names a registration.
    assert set(rows[0]) == {
        "id",
        "form",
        "registration",
        "stakeholder_group",
        "respondent_key",
        "source",
        "submitted_at",
        "updated_at",
    }
    assert all(r["registration"] is None for r in rows)
    secret = current_settings().secret_key
    email_of = {d["id"]: d["email"] for d in delegates}
    every_hash = set()
    for registration in before:
        every_hash |= _candidates(
            secret,
            setup["form"]["id"],
            registration["id"],
            registration["delegate"],
            email_of[registration["delegate"]],
        )
    stored_values = {str(v) for row in [*rows, *answers] for v in row.values()}
    assert not stored_values & every_hash
    assert not any(h in value for h in every_hash for value in stored_values if len(value) >= 32)
    # Answering leaves no time on the registration to match against the response's: only the form is marked.
    after = run(registrations)
    assert [(r["id"], r["updated_at"]) for r in after] == [(r["id"], r["updated_at"]) for r in before]
    assert {r["feedback_given_to"] for r in after} == {setup["form"]["id"]}

    # The person changes their answers from the browser that gave them; from any other, the link says it is done.
    first = _link(setup, people[0]["registration"]["id"])
    client.cookies.clear()
    elsewhere = await client.post(f"/api/feedback/{first}", json={"answers": _answers(setup["form"])})
    assert (elsewhere.status_code, elsewhere.json()["code"]) == (409, "answered_already")
    assert (await client.get(f"/api/feedback/{first}")).json()["answers"] == {}
    page = await client.get(f"/feedback/{first}")
    assert page.status_code == 200
    mine = await client.post(
        f"/api/feedback/{_link(setup, people[0]['registration']['id'])}", json={"answers": _answers(setup["form"])}
    )
    assert mine.status_code == 409
    client.cookies.set(marks.edit_cookie(setup["form"]["id"]), rows[0]["respondent_key"])
    changed = await client.post(f"/api/feedback/{first}", json={"answers": _answers(setup["form"], "More coffee")})
    assert changed.status_code == 200, changed.text
    assert changed.json()["message"] == "Your answers are updated. Thank you."
    assert run(FeedbackResponse.count) == 4


async def test_making_a_form_anonymous_detaches_the_answers_given_and_nobody_answers_twice(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    setup = await _event_with_form(client, run)
    people = [await register(client, setup["event"]["slug"], n) for n in range(2)]
    for person in people:
        ok = await client.post(
            f"/api/feedback/{_link(setup, person['registration']['id'])}", json={"answers": _answers(setup["form"])}
        )
        assert ok.status_code == 200

    async def stored() -> list[dict[str, Any]]:
        return list(await FeedbackResponse.select(FeedbackResponse.registration, FeedbackResponse.respondent_key))

    named = run(stored)
    assert {r["registration"] for r in named} == {p["registration"]["id"] for p in people}
    made = await client.patch(f"/api/events/{setup['event']['slug']}/feedback-form", json={"anonymous": True})
    assert (made.status_code, made.json()["anonymous"]) == (200, True)
    detached = run(stored)
    assert [r["registration"] for r in detached] == [None, None]
    assert not {r["respondent_key"] for r in detached} & {r["respondent_key"] for r in named}
    again = await client.post(
        f"/api/feedback/{_link(setup, people[0]['registration']['id'])}", json={"answers": _answers(setup["form"])}
    )
    assert (again.status_code, again.json()["code"]) == (409, "answered_already")
    assert run(FeedbackResponse.count) == 2


async def test_the_migration_detaches_and_rekeys_the_anonymous_answers_given_before(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    anonymous = await _event_with_form(client, run, anonymous=True)
    person = await register(client, anonymous["event"]["slug"], "a")
    answered = await client.post(
        f"/api/feedback/{_link(anonymous, person['registration']['id'])}", json={"answers": _answers(anonymous["form"])}
    )
    assert answered.status_code == 200
    form_id, registration_id = anonymous["form"]["id"], person["registration"]["id"]
    old_key = hmac.new(
        current_settings().secret_key.encode(), f"feedback:{form_id}:{registration_id}".encode(), hashlib.sha256
    ).hexdigest()

    async def as_before_the_change() -> None:
        """The response as the old code stored it (a keyed hash of form and registration) and no marker."""
        await FeedbackResponse.update({FeedbackResponse.respondent_key: old_key}).where(
            FeedbackResponse.form == form_id
        )
        await Registration.update({Registration.feedback_given_to: None}).where(Registration.id == registration_id)

    async def migrate() -> None:
        spec = importlib.util.spec_from_file_location("conversion", MIGRATION)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        manager = await module.forwards()
        for raw in manager.raw:
            await raw()

    async def now() -> tuple[dict[str, Any], int | None]:
        response = await FeedbackResponse.select().where(FeedbackResponse.form == form_id).first()
        marker = (
            await Registration.select(Registration.feedback_given_to).where(Registration.id == registration_id).first()
        )
        assert response is not None and marker is not None
        return response, marker["feedback_given_to"]

    run(as_before_the_change)
    run(migrate)
    response, marker = run(now)
    assert response["registration"] is None
    assert response["respondent_key"] != old_key and len(response["respondent_key"]) == 64
    assert marker == form_id  # they have answered: the link will not take a second answer
    client.cookies.clear()
    twice = await client.post(
        f"/api/feedback/{_link(anonymous, registration_id)}", json={"answers": _answers(anonymous["form"])}
    )
    assert twice.status_code == 409


async def test_the_open_link_is_one_per_browser_can_be_closed_and_is_counted_apart(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    setup = await _event_with_form(client, run)
    slug, form = setup["event"]["slug"], setup["form"]
    open_token = form["open_link"].rsplit("/", 1)[1]
    person = await register(client, slug, "a")
    linked = await client.post(
        f"/api/feedback/{_link(setup, person['registration']['id'])}", json={"answers": _answers(form, "Good day")}
    )
    assert linked.status_code == 200
    url = f"/api/feedback/open/{open_token}"
    body = {"answers": _answers(form, "From the open link"), "stakeholder_group": "funder"}

    await organiser.sign_in("anonymous")
    assert (await client.post(url, json=body)).status_code == 201
    second = await client.post(url, json=body)  # the same browser: its cookie says it has answered
    assert (second.status_code, second.json()["code"]) == (409, "answered_from_this_browser")
    page = await client.get(f"/feedback/open/{open_token}")
    assert "Feedback has already been given from this browser" in page.text
    client.cookies.clear()
    assert (await client.post(url, json=body)).status_code == 201  # another browser
    client.cookies.set(marks.open_cookie(form["id"]), "forged")
    forged = await client.post(url, json=body)
    assert forged.status_code == 201  # a mark that is not ours means nothing

    await organiser.sign_in("organiser")
    results = (await client.get(f"/api/events/{slug}/feedback/results")).json()
    assert (results["responses"], results["open_link_responses"], results["includes_open_link"]) == (4, 3, True)
    without = (await client.get(f"/api/events/{slug}/feedback/results", params={"include_open_link": "false"})).json()
    assert (without["responses"], without["open_link_responses"], without["includes_open_link"]) == (1, 3, False)
    text = next(q for q in without["questions"] if q["kind"] == "text" and q["overall"]["texts"])
    assert text["overall"]["texts"] == ["Good day"]
    page = await client.get(f"/organiser/events/{slug}/feedback", params={"without_open_link": "true"})
    assert "the 3 answers through the open link are left out" in page.text
    assert "From the open link" not in page.text

    # The organisers close the link from their feedback page: it says so, and takes nothing more.
    closed = await client.post(
        f"/organiser/events/{slug}/feedback/open-link",
        data={"open": "no", "_csrf_token": client.cookies.get("csrftoken") or ""},
        follow_redirects=False,
    )
    assert closed.status_code == 303
    assert (await client.get(f"/api/events/{slug}/feedback-form")).json()["open_link_open"] is False
    client.cookies.clear()
    refused = await client.post(url, json=body)
    assert (refused.status_code, refused.json()["code"]) == (410, "open_link_closed")
    shown = await client.get(f"/feedback/open/{open_token}")
    assert shown.status_code == 200 and "The organisers have closed this open feedback link" in shown.text
    assert 'name="stakeholder_group"' not in shown.text
    assert run(FeedbackResponse.count) == 4


async def test_an_organiser_deletes_a_written_answer_and_it_leaves_the_results(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    setup = await _event_with_form(client, run)
    slug = setup["event"]["slug"]
    for n, said in enumerate(("Ask Jo Bloggs at jo@example.org", "Lovely venue")):
        person = await register(client, slug, n)
        ok = await client.post(
            f"/api/feedback/{_link(setup, person['registration']['id'])}",
            json={"answers": _answers(setup["form"], said)},
        )
        assert ok.status_code == 200

    async def answer_ids() -> dict[str, int]:
        return {
            a["text"]: a["id"] for a in await FeedbackAnswer.select(FeedbackAnswer.id, FeedbackAnswer.text) if a["text"]
        }

    ids = run(answer_ids)
    page = await client.get(f"/organiser/events/{slug}/feedback")
    assert "Ask Jo Bloggs" in page.text and f'action="/organiser/events/{slug}/feedback/answers/' in page.text
    csrf = client.cookies.get("csrftoken") or ""
    url = f"/organiser/events/{slug}/feedback/answers/{ids['Ask Jo Bloggs at jo@example.org']}/delete"
    unticked = await client.post(url, data={"_csrf_token": csrf})
    assert "Nothing deleted" in unticked.text
    assert "Ask Jo Bloggs" in unticked.text
    ticked = await client.post(url, data={"_csrf_token": csrf, "confirm": "yes"})
    assert ticked.status_code == 200 and "The answer is deleted" in ticked.text
    assert "Ask Jo Bloggs" not in ticked.text
    results = (await client.get(f"/api/events/{slug}/feedback/results")).json()
    assert [t for q in results["questions"] for t in q["overall"]["texts"]] == ["Lovely venue"]
    assert "Jo Bloggs" not in (await client.get(f"/api/events/{slug}/feedback/responses.csv")).text
    again = await client.delete(f"/api/events/{slug}/feedback/answers/{ids['Ask Jo Bloggs at jo@example.org']}")
    assert again.status_code == 404
    by_api = await client.delete(f"/api/events/{slug}/feedback/answers/{ids['Lovely venue']}")
    assert by_api.status_code == 200
    rating = await client.delete(f"/api/events/{slug}/feedback/answers/999999")
    assert rating.status_code == 404

    async def record() -> list[dict[str, Any]]:
        return list(await FeedbackAnswer.select().where(FeedbackAnswer.removed_at.is_not_null()))

    removed = run(record)
    assert len(removed) == 2 and all(r["text"] == "" and r["removed_by"] is not None for r in removed)


LIMIT = RateLimit(requests=20, seconds=60)


@pytest.fixture
async def limited() -> AsyncIterator[tuple[AsyncTestClient[Any], Accounts]]:
    """The app with the feedback door's own limit: 20 answers a minute from one address."""
    from events_app.app import create_app

    settings = dataclasses.replace(get_settings(), rate_limit_feedback=LIMIT)
    async with AsyncTestClient(app=create_app(settings)) as limited_client:
        limited_client.blocking_portal.call(reset_database)
        yield limited_client, Accounts(limited_client, limited_client.blocking_portal.call)


async def test_the_open_link_takes_twenty_answers_a_minute_from_one_address(
    limited: tuple[AsyncTestClient[Any], Accounts],
) -> None:
    client, accounts = limited
    await accounts.sign_in("organiser")
    setup = await _event_with_form(client, client.blocking_portal.call)
    url = f"/api/feedback/open/{setup['form']['open_link'].rsplit('/', 1)[1]}"
    body = {"answers": _answers(setup["form"]), "stakeholder_group": "policymaker"}
    for _ in range(LIMIT.requests):
        client.cookies.clear()  # a new browser each time: only the address is the same
        assert (await client.post(url, json=body)).status_code == 201
    client.cookies.clear()
    refused = await client.post(url, json=body)
    assert refused.status_code == 429
    assert client.blocking_portal.call(FeedbackResponse.count) == LIMIT.requests
    assert refused.json()["title"] == "Too many requests"
    assert client.blocking_portal.call(FeedbackForm.count) == 1

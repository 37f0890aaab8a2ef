"""Wrong input is answered once, naming every wrong field in plain English (page and API alike); email
addresses follow one rule from the form to the outbox."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from events_app.mail.tables import OutboxMessage
from tests.conftest import Accounts
from tests.registration.conftest import delegate, mails, register, registrations
from tests.registration.test_pages import _csrf, _form

# Words of programmers and libraries that a person must never be shown.
JARGON = re.compile(r"regex|pattern|Expected `|\bstr\b|\bint\b|\bbool\b|msgspec|\$\.|null|NoneType", re.IGNORECASE)
BAD_ADDRESSES = ["x@example.org.", "a..b@x.org", "a(b)@x.org", "sian at example", "a@b@example.org"]


def _words(text: str) -> str:
    """What a person reads on a page: the text between the tags."""
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


async def test_an_empty_registration_names_every_missing_field_at_once_in_the_api(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await open_event()
    response = await client.post(f"/api/events/{event['slug']}/registrations", json={})
    assert response.status_code == 400
    problem = response.json()
    assert [e["field"] for e in problem["errors"]] == ["name", "email", "stakeholder_group", "organisation_name"]
    assert problem["field"] == "name"  # the first one, as clients written before `errors` read it
    assert problem["errors"][0]["message"] == "name: please fill this in"
    assert not JARGON.search(response.text), response.text
    assert registrations(run, event["id"]) == []


async def test_several_wrong_values_are_each_explained_without_jargon(
    client: AsyncTestClient[Any], open_event: Callable[..., Any]
) -> None:
    event = await open_event()
    body = delegate(1, name="", email="a..b@x.org", stakeholder_group="Not A Slug", session_ids=["x"], extra=1)
    response = await client.post(f"/api/events/{event['slug']}/registrations", json=body)
    assert response.status_code == 400
    messages = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert messages == {
        "name": "name: please fill this in",
        "email": "email: enter an email address we can send to, like name@example.org",
        "stakeholder_group": "stakeholder_group: should be lower-case letters, digits and hyphens",
        "session_ids.0": "session_ids.0: should be a whole number",
        "extra": "extra: is not something this accepts; leave it out",
    }
    assert not JARGON.search(response.text), response.text


async def test_a_wrong_query_parameter_is_explained_too(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    response = await client.get("/api/events", params={"limit": "lots"})
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "limit", "message": "limit: should be a whole number"}]


async def test_an_empty_form_shows_every_missing_field_in_the_summary_and_beside_it(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any], accounts: Accounts
) -> None:
    event = await open_event()
    question = {"label": "Your role", "kind": "single", "options": ["Outreach", "Research"], "required": True}
    role = (await client.post(f"/api/events/{event['slug']}/questions", json=question)).json()
    await accounts.sign_in("anonymous")
    csrf = await _csrf(client, f"/events/{event['slug']}/register")
    response = await client.post(f"/events/{event['slug']}/register", data={"_csrf_token": csrf})
    assert response.status_code == 400
    summary = response.text.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    expected = {  # in the order of the form
        "name": "Your name: please fill this in",
        "email": "Email address: please fill this in",
        "organisation_name": "Organisation: choose your organisation from the list, or type its name",
        "stakeholder_group": "Who you are here for: please fill this in",
        f"answers-{role['id']}": "Please answer &#39;Your role&#39;",
    }
    assert re.findall(r'<a href="#([^"]+)">', summary) == list(expected)
    for field, message in expected.items():
        assert f'<a href="#{field}">{message}</a>' in summary
        assert f'<p id="{field}-error" class="field-error">{message}</p>' in response.text
    assert not JARGON.search(_words(response.text.split("<main", 1)[-1])), _words(response.text)
    assert registrations(run, event["id"]) == []


@pytest.mark.parametrize("address", BAD_ADDRESSES)
async def test_an_address_the_outbox_would_refuse_is_refused_at_the_form(
    client: AsyncTestClient[Any],
    open_event: Callable[..., Any],
    run: Callable[..., Any],
    accounts: Accounts,
    address: str,
) -> None:
    event = await open_event()
    api = await client.post(f"/api/events/{event['slug']}/registrations", json=delegate(1, email=address))
    assert api.status_code == 400, api.text
    assert api.json()["field"] == "email"

    await accounts.sign_in("anonymous")
    csrf = await _csrf(client, f"/events/{event['slug']}/register")
    page = await client.post(f"/events/{event['slug']}/register", data=_form(csrf, email=address))
    assert page.status_code == 400
    assert "Email address: enter an email address we can send to, like name@example.org" in page.text

    link = await client.post("/my", data={"_csrf_token": await _csrf(client, "/my"), "email": address})
    assert link.status_code == 400
    assert "enter an email address we can send to" in link.text
    assert registrations(run, event["id"]) == []
    assert run(OutboxMessage.count) == 0


async def test_internationalised_addresses_are_taken_stored_normalised_and_matched_in_any_case(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await open_event(capacity=5)
    await register(client, event["slug"], 1, email=" JOSÉ@EXÄMPLE.org ")
    await register(client, event["slug"], 2, email="用户@例子.广告")
    again = await client.post(f"/api/events/{event['slug']}/registrations", json=delegate(3, email="José@exämple.ORG"))
    assert (again.status_code, again.json()["created"]) == (200, False)
    assert len(registrations(run, event["id"])) == 2
    assert [to for kind, to in mails(run) if kind == "registration_confirmed"] == [
        "josé@exämple.org",
        "用户@例子.广告",
    ]


async def test_an_organiser_account_needs_an_address_mail_can_reach(
    client: AsyncTestClient[Any], accounts: Accounts
) -> None:
    await accounts.sign_in("admin")
    body = {"email": "a..b@x.org", "name": "", "role": "organiser", "password": "short"}
    response = await client.post("/api/organisers", json=body)
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"email", "name", "password"}
    assert not JARGON.search(response.text), response.text

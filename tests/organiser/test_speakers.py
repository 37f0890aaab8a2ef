"""Speakers through the organisers' pages: an organisation picked by name or made from a new one, and a private
contact email that organisers see and the public never does."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Callable
from typing import Any

from litestar.testing import AsyncTestClient

from tests.builders import make_event, make_session
from tests.conftest import Accounts
from tests.organiser.places_helpers import error_next_to, errors_shown, notice_of, open_page, post_form

SPEAKER = {"name": "Dr Kemi Adeyemi", "job_title": "Head of Outreach", "bio": "Works on routes into engineering."}


async def _groups(client: AsyncTestClient[Any], run: Callable[..., Any]) -> dict[str, int]:
    from events_app.people.services import ensure_default_groups

    run(ensure_default_groups)
    return {g["slug"]: g["id"] for g in (await client.get("/api/stakeholder-groups")).json()}


async def _organisations(client: AsyncTestClient[Any]) -> list[str]:
    return [o["name"] for o in (await client.get("/api/organisations")).json()["items"]]


async def test_a_speaker_from_a_new_organisation_with_a_private_email(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    groups = await _groups(client, run)
    form = await open_page(client, "/organiser/speakers")
    assert '<datalist id="organisation-names">' in form

    added = await post_form(
        client,
        "/organiser/speakers",
        {
            **SPEAKER,
            "organisation_name": "South West Widening Access Partnership",
            "stakeholder_group_id": str(groups["third-sector-organisation"]),
            "contact_email": " Kemi.Adeyemi@Example.org ",
        },
    )
    edit = notice_of(added)
    assert edit.startswith("/organiser/speakers/dr-kemi-adeyemi/edit?notice=")
    page = await open_page(client, edit)
    assert "Dr Kemi Adeyemi added" in page
    assert 'value="kemi.adeyemi@example.org"' in page
    assert 'value="South West Widening Access Partnership"' in page

    organisations = (await client.get("/api/organisations")).json()["items"]
    assert [(o["name"], o["stakeholder_group"]["slug"]) for o in organisations] == [
        ("South West Widening Access Partnership", "third-sector-organisation")
    ]
    private = (await client.get("/api/speakers/dr-kemi-adeyemi/private")).json()
    assert private["contact_email"] == "kemi.adeyemi@example.org"
    assert private["organisation"]["name"] == "South West Widening Access Partnership"

    # In a published event the speaker is public, but the address never is.
    event = await make_event(client)
    await make_session(client, event["slug"], speakers=[{"speaker_id": private["id"]}])
    await organiser.sign_in("anonymous")
    for path in ("/api/speakers", "/api/speakers/dr-kemi-adeyemi", f"/api/events/{event['slug']}"):
        answer = await client.get(path)
        assert answer.status_code == 200 and "Dr Kemi Adeyemi" in answer.text
        assert "kemi.adeyemi" not in answer.text and "contact_email" not in answer.text, path
    for path in ("/speakers/dr-kemi-adeyemi", f"/events/{event['slug']}", "/calendar.ics"):
        answer = await client.get(path)
        assert answer.status_code == 200 and "kemi.adeyemi" not in answer.text, path
    assert (await client.get("/api/speakers/dr-kemi-adeyemi/private")).status_code == 401


async def test_an_organisation_on_the_list_is_picked_by_its_name_whatever_the_case(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    groups = await _groups(client, run)
    made = await client.post(
        "/api/organisations", json={"name": "University of Exeter", "stakeholder_group_id": groups["funder"]}
    )
    assert made.status_code == 201
    notice_of(await post_form(client, "/organiser/speakers", {**SPEAKER, "organisation_name": "university  of EXETER"}))
    assert await _organisations(client) == ["University of Exeter"]
    speaker = (await client.get("/api/speakers/dr-kemi-adeyemi/private")).json()
    assert speaker["organisation"]["name"] == "University of Exeter"

    # Emptied, the organisation is no longer the speaker's; the other fields change as typed.
    saved = notice_of(
        await post_form(
            client,
            "/organiser/speakers/dr-kemi-adeyemi/edit",
            {**SPEAKER, "job_title": "Director", "organisation_name": "", "contact_email": ""},
        )
    )
    assert "Dr Kemi Adeyemi saved" in await open_page(client, saved)
    speaker = (await client.get("/api/speakers/dr-kemi-adeyemi/private")).json()
    assert (speaker["job_title"], speaker["organisation"], speaker["contact_email"]) == ("Director", None, "")


async def test_every_wrong_field_is_named_and_nothing_is_half_written(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    await _groups(client, run)
    refused = await post_form(
        client,
        "/organiser/speakers",
        {**SPEAKER, "name": "", "organisation_name": "Brand New Trust", "contact_email": "kemi at example"},
    )
    assert refused.status_code == 400
    assert errors_shown(refused.text) == ["name", "stakeholder_group_id", "contact_email"]
    assert error_next_to(refused.text, "name") == "Name: please fill this in"
    assert "'Brand New Trust' is not on the list of organisations yet" in error_next_to(
        refused.text, "stakeholder_group_id"
    )
    assert error_next_to(refused.text, "contact_email") == (
        "Contact email: enter an email address we can send to, like name@example.org"
    )
    assert 'value="Brand New Trust"' in refused.text and 'value="kemi at example"' in refused.text
    assert await _organisations(client) == []
    assert (await client.get("/api/speakers")).json()["total"] == 0

    # Fixed, the same form goes through: the organisation and the speaker together.
    groups = await _groups(client, run)
    notice_of(
        await post_form(
            client,
            "/organiser/speakers",
            {**SPEAKER, "organisation_name": "Brand New Trust", "stakeholder_group_id": str(groups["funder"])},
        )
    )
    assert await _organisations(client) == ["Brand New Trust"]


async def test_an_edit_refused_keeps_the_speaker_as_they_were(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    notice_of(await post_form(client, "/organiser/speakers", {**SPEAKER, "contact_email": "kemi@example.org"}))
    refused = await post_form(
        client, "/organiser/speakers/dr-kemi-adeyemi/edit", {**SPEAKER, "name": "Kemi", "contact_email": "kemi@"}
    )
    assert refused.status_code == 400
    assert errors_shown(refused.text) == ["contact_email"]
    assert 'value="Kemi"' in refused.text
    speaker = (await client.get("/api/speakers/dr-kemi-adeyemi/private")).json()
    assert (speaker["name"], speaker["contact_email"]) == ("Dr Kemi Adeyemi", "kemi@example.org")
    assert (await client.get("/organiser/speakers/nobody/edit", headers={"accept": "text/html"})).status_code == 404


async def test_removing_a_speaker_takes_them_off_their_sessions(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    notice_of(await post_form(client, "/organiser/speakers", SPEAKER))
    speaker = (await client.get("/api/speakers/dr-kemi-adeyemi/private")).json()
    event = await make_event(client)
    session = await make_session(client, event["slug"], speakers=[{"speaker_id": speaker["id"]}])
    page = await open_page(client, "/organiser/speakers/dr-kemi-adeyemi/edit")
    assert "taken off every session" in page
    gone = notice_of(await post_form(client, "/organiser/speakers/dr-kemi-adeyemi/delete", {}))
    assert "Dr Kemi Adeyemi removed" in await open_page(client, gone)
    assert (await client.get(f"/api/sessions/{session['id']}")).json()["speakers"] == []


async def test_the_contact_email_is_in_the_backup(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    from events_app.backup.export import export_database

    notice_of(await post_form(client, "/organiser/speakers", {**SPEAKER, "contact_email": "kemi@example.org"}))
    target = io.BytesIO()
    run(export_database, target)
    lines = [json.loads(line) for line in gzip.decompress(target.getvalue()).splitlines()]
    speakers = [line["row"] for line in lines if line.get("table") == "speaker"]
    assert [s["contact_email"] for s in speakers] == ["kemi@example.org"]

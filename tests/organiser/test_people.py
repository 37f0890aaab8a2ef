"""Organisations and stakeholder groups through the organisers' pages: add, change, order, remove, and each
refusal in plain words next to its field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar.testing import AsyncTestClient

from tests.conftest import Accounts
from tests.organiser.places_helpers import error_next_to, errors_shown, notice_of, open_page, post_form


async def _groups(client: AsyncTestClient[Any], run: Callable[..., Any]) -> dict[str, int]:
    from events_app.people.services import ensure_default_groups

    run(ensure_default_groups)
    return {g["slug"]: g["id"] for g in (await client.get("/api/stakeholder-groups")).json()}


async def _regions(run: Callable[..., Any]) -> dict[str, int]:
    from events_app.people.tables import Region

    async def make() -> dict[str, int]:
        await Region.insert(Region(slug="south-west", name="South West"), Region(slug="wales", name="Wales"))
        return {r["slug"]: r["id"] for r in await Region.select(Region.slug, Region.id)}

    return dict(run(make))


async def _group_order(client: AsyncTestClient[Any]) -> list[str]:
    return [g["slug"] for g in (await client.get("/api/stakeholder-groups")).json()]


async def test_an_organiser_adds_finds_changes_and_removes_an_organisation(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    groups = await _groups(client, run)
    regions = await _regions(run)
    page = await open_page(client, "/organiser/organisations")
    assert "No organisations yet." in page and '<option value="">No region</option>' in page

    added = notice_of(
        await post_form(
            client,
            "/organiser/organisations",
            {
                "name": "Bright Sparks Science Trust",
                "stakeholder_group_id": str(groups["third-sector-organisation"]),
                "region_id": str(regions["south-west"]),
                "website": "https://brightsparks.example.org",
            },
        )
    )
    assert "Bright Sparks Science Trust added" in await open_page(client, added)
    await client.post(
        "/api/organisations", json={"name": "Cardiff University", "stakeholder_group_id": groups["funder"]}
    )
    found = await open_page(client, "/organiser/organisations?q=spark")
    assert "Bright Sparks Science Trust" in found and "Cardiff University" not in found
    by_group = await open_page(client, "/organiser/organisations?group=funder")
    assert "Cardiff University" in by_group and "Bright Sparks" not in by_group

    edit = "/organiser/organisations/bright-sparks-science-trust/edit"
    form = await open_page(client, edit)
    assert f'<option value="{regions["south-west"]}" selected>South West</option>' in form
    saved = notice_of(
        await post_form(
            client,
            edit,
            {
                "name": "Bright Sparks Trust",
                "stakeholder_group_id": str(groups["third-sector-organisation"]),
                "region_id": str(regions["wales"]),
                "website": "",
            },
        )
    )
    assert "Bright Sparks Trust saved" in await open_page(client, saved)
    changed = (await client.get("/api/organisations/bright-sparks-science-trust")).json()
    assert (changed["name"], changed["region"]["slug"], changed["website"]) == ("Bright Sparks Trust", "wales", "")

    gone = notice_of(await post_form(client, "/organiser/organisations/bright-sparks-science-trust/delete", {}))
    assert "Bright Sparks Trust removed" in await open_page(client, gone)
    assert [o["name"] for o in (await client.get("/api/organisations")).json()["items"]] == ["Cardiff University"]


async def test_an_organisation_form_names_every_wrong_field(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    await _groups(client, run)
    refused = await post_form(
        client, "/organiser/organisations", {"name": "", "stakeholder_group_id": "", "website": "brightsparks.org"}
    )
    assert refused.status_code == 400
    assert errors_shown(refused.text) == ["name", "stakeholder_group_id", "website"]
    assert error_next_to(refused.text, "stakeholder_group_id") == "Stakeholder group: please fill this in"
    assert error_next_to(refused.text, "website") == "Website: should be an http:// or https:// address"
    assert 'value="brightsparks.org"' in refused.text

    unknown = await post_form(client, "/organiser/organisations", {"name": "Trust", "stakeholder_group_id": "999999"})
    assert unknown.status_code == 400
    assert "There is no stakeholder group with id 999999" in error_next_to(unknown.text, "stakeholder_group_id")
    assert (await client.get("/api/organisations")).json()["total"] == 0


async def test_groups_are_added_at_the_end_moved_and_renamed(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    await _groups(client, run)
    added = notice_of(
        await post_form(client, "/organiser/stakeholder-groups", {"name": "Parent or carer", "sector_role": "other"})
    )
    assert "Parent or carer added at the end of the list" in await open_page(client, added)
    assert (await _group_order(client))[-2:] == ["other", "parent-or-carer"]

    notice_of(await post_form(client, "/organiser/stakeholder-groups/parent-or-carer/move", {"direction": "up"}))
    assert (await _group_order(client))[-2:] == ["parent-or-carer", "other"]
    notice_of(
        await post_form(
            client, "/organiser/stakeholder-groups/higher-education-institution/move", {"direction": "down"}
        )
    )
    assert (await _group_order(client))[:2] == ["third-sector-organisation", "higher-education-institution"]
    page = await open_page(client, "/organiser/stakeholder-groups")
    assert 'Up<span class="visually-hidden">: move Third-sector organisation up' not in page  # first: no Up
    assert 'Down<span class="visually-hidden">: move Other down' not in page  # last: no Down

    edit = "/organiser/stakeholder-groups/parent-or-carer/edit"
    saved = notice_of(
        await post_form(
            client,
            edit,
            {"name": "Parent, carer or guardian", "sector_role": "other", "description": "", "position": "0"},
        )
    )
    assert "Parent, carer or guardian saved" in await open_page(client, saved)
    assert (await _group_order(client))[0] == "parent-or-carer"

    bad_move = await post_form(client, "/organiser/stakeholder-groups/other/move", {"direction": "sideways"})
    assert bad_move.status_code == 400 and "Move: choose up or down" in bad_move.text


async def test_group_refusals_in_plain_words(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    groups = await _groups(client, run)
    taken = await post_form(client, "/organiser/stakeholder-groups", {"name": "Funder", "sector_role": "funder"})
    assert taken.status_code == 400
    assert error_next_to(taken.text, "name") == "A stakeholder group called 'Funder' already exists"

    edit = "/organiser/stakeholder-groups/funder/edit"
    wrong = await post_form(
        client, edit, {"name": "", "sector_role": "charity", "description": "x" * 501, "position": "first"}
    )
    assert wrong.status_code == 400
    assert errors_shown(wrong.text) == ["name", "sector_role", "description", "position"]
    assert error_next_to(wrong.text, "sector_role") == "Sector: choose what this group is from the list"
    assert error_next_to(wrong.text, "position") == "Place in the list: should be a whole number"

    await client.post("/api/organisations", json={"name": "Wellcome", "stakeholder_group_id": groups["funder"]})
    in_use = await post_form(client, "/organiser/stakeholder-groups/funder/delete", {})
    assert in_use.status_code == 400
    assert error_next_to(in_use.text, "delete-submit") == (
        "Organisations belong to 'Funder'; move them to another group first"
    )
    assert "funder" in await _group_order(client)
    gone = notice_of(await post_form(client, "/organiser/stakeholder-groups/student/delete", {}))
    assert "Student removed" in await open_page(client, gone)
    assert "student" not in await _group_order(client)

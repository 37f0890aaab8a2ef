"""Sectors by meaning, not by name: each stakeholder group says what it is (university, civil society, ...),
organisers set it in the API and on the groups page, and the collaboration view reads it, so renaming a group
moves no figure and a group an organiser adds counts in its sector."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar.testing import AsyncTestClient

from events_app.people.sectors import SECTOR_LABELS, SECTOR_ROLES
from events_app.people.services import ensure_default_groups
from tests.conftest import Accounts
from tests.feedback.test_results import _data_set
from tests.organiser.places_helpers import error_next_to, notice_of, open_page, post_form
from tests.registration.conftest import HEI, TSO, register


async def _groups(client: AsyncTestClient[Any]) -> dict[str, dict[str, Any]]:
    return {g["slug"]: g for g in (await client.get("/api/stakeholder-groups")).json()}


async def test_groups_say_their_sector_in_the_api_and_on_the_groups_page(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    run(ensure_default_groups)
    groups = await _groups(client)
    assert {slug: g["sector_role"] for slug, g in groups.items()} == {
        HEI: "university",
        TSO: "civil_society",
        "school-or-college": "school_college",
        "funder": "funder",
        "policymaker": "policy",
        "employer": "employer",
        "student": "other",
        "other": "other",
    }
    assert groups[TSO]["sector_label"] == "Civil society (charity, community group)"

    made = await client.post(
        "/api/stakeholder-groups", json={"name": "Community groups", "sector_role": "civil_society"}
    )
    assert made.status_code == 201, made.text
    assert (made.json()["sector_role"], made.json()["sector_label"]) == (
        "civil_society",
        "Civil society (charity, community group)",
    )
    unnamed = await client.post("/api/stakeholder-groups", json={"name": "Parents"})
    assert unnamed.json()["sector_role"] == "other"  # said nothing: other

    unknown = await client.post("/api/stakeholder-groups", json={"name": "Charities", "sector_role": "charity"})
    assert unknown.status_code == 400
    problem = unknown.json()
    assert problem["field"] == "sector_role"
    assert problem["detail"].startswith("sector_role: should be one of: ")
    assert sorted(problem["detail"].rsplit(": ", 1)[1].split(", ")) == sorted(SECTOR_ROLES)
    assert "charities" not in await _groups(client)
    wrong_change = await client.patch("/api/stakeholder-groups/community-groups", json={"sector_role": "Charity"})
    assert (wrong_change.status_code, wrong_change.json()["field"]) == (400, "sector_role")
    changed = await client.patch("/api/stakeholder-groups/parents", json={"sector_role": "school_college"})
    assert changed.json()["sector_role"] == "school_college"
    assert (await _groups(client))["community-groups"]["sector_role"] == "civil_society"

    # The organisers' page: each group's sector in plain words, and a choice of them to add or change one.
    page = await open_page(client, "/organiser/stakeholder-groups")
    assert '<td data-label="Sector">Civil society (charity, community group)</td>' in page
    for role in SECTOR_ROLES:
        assert f'<option value="{role}">{SECTOR_LABELS[role]}</option>' in page
    added = notice_of(
        await post_form(
            client, "/organiser/stakeholder-groups", {"name": "Sixth forms", "sector_role": "school_college"}
        )
    )
    assert "Sixth forms added" in await open_page(client, added)
    assert (await _groups(client))["sixth-forms"]["sector_role"] == "school_college"
    unchosen = await post_form(client, "/organiser/stakeholder-groups", {"name": "Trusts", "sector_role": ""})
    assert unchosen.status_code == 400
    assert error_next_to(unchosen.text, "sector_role") == "Sector: choose what this group is from the list"
    assert "trusts" not in await _groups(client)

    edit = "/organiser/stakeholder-groups/sixth-forms/edit"
    assert '<option value="school_college" selected>School or college</option>' in await open_page(client, edit)
    saved = notice_of(
        await post_form(
            client, edit, {"name": "Sixth forms", "sector_role": "funder", "description": "", "position": "9"}
        )
    )
    assert "Sixth forms saved" in await open_page(client, saved)
    assert (await _groups(client))["sixth-forms"]["sector_label"] == "Funder"


async def test_the_collaboration_view_reads_roles_not_names(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    data = await _data_set(client, run)  # an HEI and a TSO delegate share the "Mixed workshop"
    slug = data["event"]["slug"]

    async def collaboration() -> tuple[dict[str, Any], list[tuple[str, int, int]]]:
        found = (await client.get(f"/api/events/{slug}/collaboration")).json()
        return found["sessions"], [(m["name"], m["registered"], m["checked_in"]) for m in found["mix"]]

    sessions, mix = await collaboration()
    assert sessions == {"sessions": 2, "together": 1, "titles": ["Mixed workshop"]}

    for slug_now, new in ((TSO, {"name": "Charity or community group", "slug": "charities"}), (HEI, {"name": "Uni"})):
        renamed = await client.patch(f"/api/stakeholder-groups/{slug_now}", json=new)
        assert renamed.status_code == 200, renamed.text
    renamed_sessions, renamed_mix = await collaboration()
    assert renamed_sessions == sessions
    new_names = {"Third-sector organisation": "Charity or community group", "Higher education institution": "Uni"}
    assert renamed_mix == [(new_names.get(name, name), registered, came) for name, registered, came in mix]
    page = await client.get(f"/organiser/events/{slug}/feedback")
    assert "1</strong> of 2 sessions brought people from universities and from civil society" in page.text

    # A role, not a name, decides: the renamed group said to be "other" no longer counts as civil society; a
    # group an organiser adds as civil society does.
    assert (await client.patch("/api/stakeholder-groups/charities", json={"sector_role": "other"})).status_code == 200
    assert (await collaboration())[0] == {"sessions": 2, "together": 0, "titles": []}
    made = await client.post(
        "/api/stakeholder-groups", json={"name": "Community groups", "sector_role": "civil_society"}
    )
    assert made.status_code == 201, made.text
    sessions_now = (await client.get(f"/api/events/{slug}/sessions")).json()
    panel = next(s["id"] for s in sessions_now if s["title"] == "University panel")
    await register(client, slug, "uni9", stakeholder_group=HEI, session_ids=[panel])  # renamed, same slug
    await register(client, slug, "com1", stakeholder_group="community-groups", session_ids=[panel])
    assert (await collaboration())[0] == {"sessions": 2, "together": 1, "titles": ["University panel"]}

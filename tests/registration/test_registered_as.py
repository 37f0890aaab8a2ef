"""A registration keeps what was true when it was made: every report of an event reads the name, organisation,
group and region its registrations were made as, so a later change to a delegate's record (a new registration, a
raw edit, a renamed organisation) moves no past figure. And the migration that filled those for the registrations
made before them."""

from __future__ import annotations

import csv
import importlib
import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from litestar.testing import AsyncTestClient

from events_app.checkin import views as checkin_views
from events_app.core.timezones import utc_now
from events_app.feedback import responses
from events_app.people.services import ensure_default_groups
from events_app.people.tables import Delegate, Organisation, Region, StakeholderGroup
from events_app.programme.events import event_row
from events_app.programme.tables import Event
from events_app.registration.tables import Registration
from tests.builders import make_event
from tests.conftest import Accounts
from tests.feedback.test_results import _data_set
from tests.registration.conftest import HEI, TSO, register

FILL_MIGRATION = "migrations.events_app_2026_12_06t10_27_51_000000"


async def _json(client: AsyncTestClient[Any], path: str) -> Any:
    response = await client.get(path)
    assert response.status_code == 200, (path, response.text)
    return response.json()


async def _csv(client: AsyncTestClient[Any], path: str) -> list[list[str]]:
    response = await client.get(path)
    assert response.status_code == 200, (path, response.text)
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


async def _figures(client: AsyncTestClient[Any], run: Callable[..., Any], slug: str, org_id: int) -> dict[str, Any]:
    """Everything an organiser reads about the event by group, organisation and name."""
    api = f"/api/events/{slug}"

    async def attendance() -> dict[str, tuple[int, int]]:
        found = await checkin_views.attendance(await event_row(slug, include_drafts=True))
        return {name: (g.expected, g.checked_in) for name, g in found.by_group.items()}

    async def names(query: str) -> list[str]:
        return sorted(r["name"] for r in (await _json(client, f"{api}/registrations?{query}"))["items"])

    results = await _json(client, f"{api}/feedback/results")
    door = await _json(client, f"{api}/check-in/search?q=Delegate")
    return {
        "counts": await _json(client, f"{api}/registrations/counts"),
        "hei": await names(f"group={HEI}"),
        "tso": await names(f"group={TSO}"),
        "policymaker": await names("group=policymaker"),
        "organisation": await names(f"organisation={org_id}"),
        "search": await names("q=Delegate+hei1"),
        "csv": await _csv(client, f"{api}/registrations.csv"),
        "attendance": run(attendance),
        "attendance_csv": await _csv(client, f"{api}/attendance.csv"),
        "door": sorted((p["name"], p["organisation"], p["stakeholder_group"]) for p in door),
        "rates": results["rates"],
        "by_group": [q["by_group"] for q in results["questions"]],
        "collaboration": await _json(client, f"{api}/collaboration"),
    }


async def test_a_later_change_to_a_delegate_moves_no_past_figure(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    data = await _data_set(client, run)  # 3 HEI, 2 TSO, 1 funder; the HEIs and TSOs came; 4 answered by link
    slug, form = data["event"]["slug"], data["form"]

    async def a_region() -> int:
        row = await Region.insert(Region(slug="north-west", name="North West")).returning(Region.id)
        return int(row[0]["id"])

    region = run(a_region)
    groups = {g["slug"]: g["id"] for g in await _json(client, "/api/stakeholder-groups")}
    made = await client.post(
        "/api/organisations",
        json={"name": "Riverside University", "stakeholder_group_id": groups[HEI], "region_id": region},
    )
    assert made.status_code == 201, made.text
    organisation = made.json()
    listed = await register(client, slug, "org1", organisation_id=organisation["id"], organisation_name="")
    listed_id = listed["registration"]["id"]

    before = await _figures(client, run, slug, organisation["id"])
    by_group = {g["stakeholder_group"]: g["counts"]["confirmed"] for g in before["counts"]["by_group"]}
    assert (by_group[HEI], by_group[TSO], by_group["funder"], by_group["policymaker"]) == (4, 2, 1, 0)
    assert before["hei"] == ["Delegate hei1", "Delegate hei2", "Delegate hei3", "Delegate org1"]
    assert before["organisation"] == ["Delegate org1"]
    assert before["attendance"]["Higher education institution"] == (4, 3)
    assert ("Delegate tso1", "University of Testing", "Third-sector organisation") in before["door"]

    # Today's data moves on: every delegate's record says someone else from another group and organisation, the
    # listed organisation is renamed into another group and region, and hei1's address registers again elsewhere.
    async def everyone_changes() -> None:
        await Delegate.update(
            {
                Delegate.name: Delegate.name + " (changed)",
                Delegate.stakeholder_group: groups["policymaker"],
                Delegate.organisation: None,
                Delegate.organisation_name: "Somewhere else",
            },
            force=True,
        )

    run(everyone_changes)
    renamed = await client.patch(
        f"/api/organisations/{organisation['slug']}",
        json={"name": "Riverside Institute", "stakeholder_group_id": groups[TSO], "region_id": None},
    )
    assert renamed.status_code == 200, renamed.text
    later = await make_event(client, title="A later seminar", capacity=20)
    await register(client, later["slug"], "hei1", name="Someone Else", stakeholder_group="policymaker")

    after = await _figures(client, run, slug, organisation["id"])
    for figure, value in before.items():
        assert after[figure] == value, figure

    async def kept(registration_id: int) -> dict[str, Any]:
        row = await Registration.select().where(Registration.id == registration_id).first()
        assert row is not None
        return dict(row)

    row = run(kept, listed_id)
    assert (row["organisation"], row["organisation_name"], row["region"]) == (
        organisation["id"],
        "Riverside University",
        region,
    )

    # What is held about one person: their record as it is now, each registration as it was made.
    export = await _json(client, f"/api/delegates/{listed['registration']['delegate_id']}/export")
    assert (export["name"], export["organisation"]) == ("Delegate org1 (changed)", "Somewhere else")
    assert [(r["name"], r["organisation"], r["stakeholder_group"]) for r in export["registrations"]] == [
        ("Delegate org1", "Riverside University", HEI)
    ]

    # An answer given now counts under the group its registration was made as, not the record's group of today.
    hei3 = next(r for r in (await _json(client, f"/api/events/{slug}/registrations?q=hei3"))["items"])
    token = responses.link_path(form["id"], hei3["id"]).removeprefix("/feedback/")
    rating = next(str(q["id"]) for q in form["questions"] if q["kind"] == "rating")
    answered = await client.post(f"/api/feedback/{token}", json={"answers": {rating: 4}})
    assert answered.status_code == 200, answered.text
    rates = {r["group"]: r for r in (await _json(client, f"/api/events/{slug}/feedback/results"))["rates"]}
    assert (rates[HEI]["responses"], rates[HEI]["checked_in"], rates["policymaker"]["responses"]) == (3, 3, 0)

    # Erasing a person takes their name off their registrations; the counts of a past event stay as they were (at
    # an event still to come their place would go to the waiting list).
    async def into_the_past() -> None:
        weeks = timedelta(days=21)
        await Event.update({Event.starts_at: Event.starts_at - weeks, Event.ends_at: Event.ends_at - weeks}).where(
            Event.slug == slug
        )

    run(into_the_past)
    erased = await client.post(f"/api/delegates/{hei3['delegate_id']}/erase")
    assert erased.status_code == 204, erased.text
    gone = await _figures(client, run, slug, organisation["id"])
    assert gone["counts"] == before["counts"]
    assert gone["attendance"] == before["attendance"]
    page = await client.get(f"/organiser/events/{slug}/registrations")
    assert "Delegate hei3" not in str(gone["csv"]) and "Delegate hei3" not in page.text
    assert gone["hei"] == ["(erased)", "Delegate hei1", "Delegate hei2", "Delegate org1"]
    # The organisation they typed names no one, and it still counts among the organisations of past reports.
    assert run(kept, hei3["id"])["organisation_name"] == "University of Testing"

    # One that names the person goes with their name.
    own = await register(client, later["slug"], "sole", name="Priya Raman", organisation_name="Priya Raman Tutoring")
    erased = await client.post(f"/api/delegates/{own['registration']['delegate_id']}/erase")
    assert erased.status_code == 204, erased.text
    assert run(kept, own["registration"]["id"])["organisation_name"] == ""


async def test_the_migration_fills_what_each_registration_was_made_as(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    """Registrations made before the columns existed (all of them empty) take their delegate's group, name and
    organisation (with its region); default groups take their sector roles."""
    run(ensure_default_groups)

    event = await make_event(client, title="Before the columns")

    async def before_the_columns() -> dict[str, int]:
        groups = {g["slug"]: g["id"] for g in await StakeholderGroup.select(StakeholderGroup.id, StakeholderGroup.slug)}
        await StakeholderGroup.update({StakeholderGroup.sector_role: "other"}, force=True)
        region = (await Region.insert(Region(slug="midlands", name="Midlands")).returning(Region.id))[0]["id"]
        now = utc_now()
        listed = Organisation(slug="midshire", name="Midshire University", stakeholder_group=groups[HEI], region=region)
        await listed.save()
        ids = {"region": region, "organisation": listed.id, "hei": groups[HEI], "tso": groups[TSO]}
        for key, name, group, organisation, typed in (
            ("with_listed", "Ada Listed", groups[HEI], listed.id, ""),
            ("with_typed", "Tom Typed", groups[TSO], None, "Community Maths Network"),
        ):
            delegate = Delegate(
                email=f"{key}@example.org",
                name=name,
                stakeholder_group=group,
                organisation=organisation,
                organisation_name=typed,
                created_at=now,
                updated_at=now,
            )
            await delegate.save()
            # As the table was: nothing of what it was made as (the columns' defaults).
            registration = Registration(
                event=event["id"], delegate=delegate.id, status="confirmed", created_at=now, updated_at=now
            )
            await registration.save()
            ids[key] = registration.id
        return ids

    ids = run(before_the_columns)

    async def fill() -> None:
        manager = await importlib.import_module(FILL_MIGRATION).forwards()
        for step in manager.raw:
            await step()

    run(fill)

    async def filled() -> tuple[dict[int, tuple[Any, ...]], dict[str, str]]:
        rows = await Registration.select(
            Registration.id,
            Registration.name,
            Registration.stakeholder_group,
            Registration.organisation,
            Registration.organisation_name,
            Registration.region,
        ).where(Registration.id.is_in([ids["with_listed"], ids["with_typed"]]))
        roles = await StakeholderGroup.select(StakeholderGroup.slug, StakeholderGroup.sector_role)
        return (
            {r["id"]: tuple(v for k, v in r.items() if k != "id") for r in rows},
            {r["slug"]: r["sector_role"] for r in roles},
        )

    rows, roles = run(filled)
    assert rows[ids["with_listed"]] == (
        "Ada Listed",
        ids["hei"],
        ids["organisation"],
        "Midshire University",
        ids["region"],
    )
    assert rows[ids["with_typed"]] == ("Tom Typed", ids["tso"], None, "Community Maths Network", None)
    assert roles == {
        HEI: "university",
        TSO: "civil_society",
        "school-or-college": "school_college",
        "funder": "funder",
        "policymaker": "policy",
        "employer": "employer",
        "student": "other",
        "other": "other",
    }

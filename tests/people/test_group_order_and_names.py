"""The rules the organisers' pages added to people/services.py: moving a stakeholder group in the list, and finding
an organisation by the name a person typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from events_app.core.errors import NotFound


async def _order() -> list[str]:
    from events_app.people.services import list_groups

    return [g.slug for g in await list_groups()]


def test_moving_a_group_renumbers_the_list_and_stops_at_its_ends(
    client: AsyncTestClient[Any], run: Callable[..., Any]
) -> None:
    from events_app.people import schemas, services

    run(services.ensure_default_groups)
    # Two groups added without a position share 0 with the first group: moving gives each its own place.
    run(services.create_group, schemas.StakeholderGroupCreate(name="Alumni"))
    run(services.create_group, schemas.StakeholderGroupCreate(name="Zoo keepers"))
    assert run(_order)[:3] == ["alumni", "higher-education-institution", "zoo-keepers"]

    moved = run(services.move_group, "zoo-keepers", -2)
    assert [g.slug for g in moved][:3] == ["zoo-keepers", "alumni", "higher-education-institution"]
    assert [g.position for g in moved] == list(range(len(moved)))
    assert run(services.move_group, "zoo-keepers", -1)[0].slug == "zoo-keepers"  # already first
    assert run(services.move_group, "alumni", 100)[-1].slug == "alumni"  # as far down as the list goes
    with pytest.raises(NotFound):
        run(services.move_group, "nobody", 1)


def test_an_organisation_is_found_by_its_name_ignoring_case_and_spaces(
    client: AsyncTestClient[Any], run: Callable[..., Any]
) -> None:
    from events_app.people import schemas, services

    run(services.ensure_default_groups)
    group = run(services.get_group, "funder")
    run(services.create_organisation, schemas.OrganisationCreate(name="Royal Society", stakeholder_group_id=group.id))
    found = run(services.organisation_by_name, "  royal   SOCIETY ")
    assert found is not None and found.name == "Royal Society"
    assert run(services.organisation_by_name, "Royal Society of Chemistry") is None
    assert run(services.organisation_by_name, "   ") is None

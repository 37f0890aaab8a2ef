"""The demo as a new user meets it (issue 14, part 6): the past (hybrid) seminar's check-ins and online joins
happen on its own day, so attendance counts arrivals rather than no-shows, and nobody at the door has a double."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

from litestar.testing import AsyncTestClient

from events_app.checkin.tables import CheckIn, OnlineAttendance
from events_app.core.timezones import in_zone
from events_app.programme.tables import Event
from events_app.registration.tables import Registration
from tests.conftest import Accounts


async def _load() -> str:
    from events_app import demo

    return await demo.load()


async def test_the_demo_seminar_was_attended_on_its_day_and_nobody_has_a_double(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any]
) -> None:
    run(_load)

    async def past_seminar() -> tuple[dict[str, Any], list[datetime]]:
        event = await Event.select().where(Event.slug == "seminar-community-partners").first()
        assert event is not None
        doors = await CheckIn.select(CheckIn.at).where(CheckIn.event == event["id"])
        joins = await OnlineAttendance.select(OnlineAttendance.first_joined_at).where(
            (OnlineAttendance.event == event["id"]) & (OnlineAttendance.source == "link")
        )
        return dict(event), [c["at"] for c in doors] + [j["first_joined_at"] for j in joins]

    event, arrivals = run(past_seminar)
    assert event["attendance_mode"] == "hybrid"
    assert len(arrivals) == 20  # 13 came to the room, 7 joined online through their own links
    day = in_zone(event["starts_at"], event["timezone"]).date()
    assert {in_zone(at, event["timezone"]).date() for at in arrivals} == {day}
    assert all(at <= event["ends_at"] for at in arrivals)

    await accounts.sign_in("organiser")
    attendance = await client.get("/organiser/events/seminar-community-partners/attendance")
    assert attendance.status_code == 200
    assert "<strong>7</strong> joined online" in attendance.text

    async def people() -> list[tuple[int, str, str, str]]:
        rows = await Registration.select(
            Registration.event,
            Registration.delegate.name,
            Registration.delegate.organisation_name,
            Registration.delegate.email,
        ).where(Registration.status == "confirmed")
        return [
            (r["event"], r["delegate.name"], r["delegate.organisation_name"], r["delegate.email"].rpartition("@")[2])
            for r in rows
        ]

    seen = Counter(run(people))
    assert [person for person, times in seen.items() if times > 1] == []
    names = Counter((event_id, name) for event_id, name, _, _ in seen)
    assert max(names.values()) == 1, "two delegates of one event share a name"

    # Every demo registration keeps what it was made as, and the demo's groups say what they are.
    async def unfilled() -> int:
        empty = Registration.stakeholder_group.is_null() | (Registration.name == "")
        return int(await Registration.count().where(empty))

    assert run(unfilled) == 0
    roles = {g["slug"]: g["sector_role"] for g in (await client.get("/api/stakeholder-groups")).json()}
    assert roles["higher-education-institution"] == "university"
    assert roles["third-sector-organisation"] == "civil_society"

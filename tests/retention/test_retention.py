"""Retention (issue 17, part 7): delegates with no activity for RETENTION_MONTHS are anonymised, by the command
line and by the scheduler's daily job, and the figures of past reports stay exactly as they were."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from events_app.checkin import services as checkin
from events_app.checkin import views as checkin_views
from events_app.checkin.tables import CheckIn
from events_app.core.settings import get_settings
from events_app.feedback import responses, results
from events_app.impact import services as impact
from events_app.people.tables import Delegate
from events_app.programme.events import event_row
from events_app.programme.tables import Event
from events_app.registration import reports
from events_app.registration.tables import Registration, RegistrationChange
from events_app.retention import services as retention
from events_app.retention.tables import RetentionRun
from tests.builders import make_event
from tests.conftest import Accounts
from tests.feedback.test_forms_and_answers import _when
from tests.feedback.test_results import _data_set
from tests.registration.conftest import HEI, TSO, register

FOUR_YEARS = timedelta(days=4 * 365)
OLD_PEOPLE = ("hei1", "hei2", "hei3", "tso1", "tso2", "fun1", "old1", "old2")


def events_app(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "events_app.cli", *args],
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def _move_back(slug: str) -> None:
    """An event that happened four years ago, with everything that happened at it (as if it had)."""
    event = await Event.select().where(Event.slug == slug).first()
    assert event is not None
    await Event.update(
        {
            Event.starts_at: event["starts_at"] - FOUR_YEARS,
            Event.ends_at: event["ends_at"] - FOUR_YEARS,
            Event.created_at: event["created_at"] - FOUR_YEARS,
            Event.registration_opens_at: None,
            Event.registration_closes_at: None,
        }
    ).where(Event.id == event["id"])
    for row in await Registration.select().where(Registration.event == event["id"]):
        await Registration.update(
            {
                Registration.created_at: row["created_at"] - FOUR_YEARS,
                Registration.updated_at: row["updated_at"] - FOUR_YEARS,
            }
        ).where(Registration.id == row["id"])
        delegate = await Delegate.select(Delegate.created_at).where(Delegate.id == row["delegate"]).first()
        assert delegate is not None
        if delegate["created_at"] > event["ends_at"] - FOUR_YEARS:
            await Delegate.update({Delegate.created_at: row["created_at"] - FOUR_YEARS}).where(
                Delegate.id == row["delegate"]
            )
    for row in await CheckIn.select(CheckIn.id, CheckIn.at).where(CheckIn.event == event["id"]):
        await CheckIn.update({CheckIn.at: row["at"] - FOUR_YEARS}).where(CheckIn.id == row["id"])


async def _figures(slugs: list[str]) -> dict[str, Any]:
    """What organisers read of past events: counts by group and status, attendance by group, feedback results and
    response rates by group, and the collaboration view (free text left aside: erasure decides what stays)."""

    def without_texts(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: without_texts(v) for k, v in value.items() if k != "texts"}
        if isinstance(value, list):
            return [without_texts(v) for v in value]
        return value

    figures: dict[str, Any] = {}
    for slug in slugs:
        event = await event_row(slug, include_drafts=True)
        attendance = await checkin_views.attendance(event)
        figures[slug] = {
            "counts": msgspec.to_builtins(await reports.counts(event)),
            "attendance": {
                "expected": attendance.expected,
                "checked_in": attendance.checked_in,
                "arrivals": attendance.arrivals,
                "by_group": msgspec.to_builtins(attendance.by_group),
                "no_shows": len(attendance.no_shows),
            },
            "results": without_texts(msgspec.to_builtins(await results.event_results(event))),
            "collaboration": without_texts(msgspec.to_builtins(await results.collaboration(event))),
        }
    # The network's impact over the years these events fall in: unique people and organisations by sector and
    # region, first-timers and returners, sessions that brought sectors together.
    since = (impact.today() - timedelta(days=365 * 9)).isoformat()
    figures["impact"] = msgspec.to_builtins(
        await impact.report_for({"start": since, "end": impact.today().isoformat()})
    )
    return figures


@pytest.mark.slow
async def test_retention_anonymises_the_inactive_and_leaves_every_past_figure_as_it_was(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    # A seminar four years ago (6 registered, 5 came, 5 answers with the open link's), and a forum meeting then too.
    seminar = (await _data_set(client, run))["event"]
    forum = await make_event(
        client,
        title="Forum meeting",
        kind="forum_meeting",
        capacity=10,
        starts_at=_when(timedelta(hours=2)),
        ends_at=_when(timedelta(hours=3)),
    )
    old1 = (await register(client, forum["slug"], "old1", stakeholder_group=TSO))["registration"]["id"]
    await register(client, forum["slug"], "old2", stakeholder_group=HEI)

    async def check_in_old1() -> None:
        await checkin.check_in(await event_row(forum["slug"], include_drafts=True), old1, staff_id=None)

    run(check_in_old1)
    questions = [{"kind": "rating", "label": "Rate it"}, {"kind": "yes_no", "label": "Met?", "topic": "collaboration"}]
    form = (await client.post(f"/api/events/{forum['slug']}/feedback-form", json={"questions": questions})).json()
    answers = {str(q["id"]): 4 if q["kind"] == "rating" else True for q in form["questions"]}
    token = responses.link_path(form["id"], old1).removeprefix("/feedback/")
    assert (await client.post(f"/api/feedback/{token}", json={"answers": answers})).status_code == 200
    run(_move_back, seminar["slug"])
    run(_move_back, forum["slug"])
    # hei1 came back this year; a newcomer registered today: both keep their records.
    recent = await make_event(client, title="This year's seminar", kind="seminar", capacity=10)
    await register(client, recent["slug"], "hei1", stakeholder_group=HEI)
    await register(client, recent["slug"], "new1", stakeholder_group=TSO)

    def ids() -> dict[str, int]:
        rows = run(lambda: Delegate.select(Delegate.id, Delegate.email))
        return {r["email"].removeprefix("delegate").removesuffix("@example.org"): r["id"] for r in rows}

    people = ids()
    gone = sorted(people[name] for name in OLD_PEOPLE if name != "hei1")
    before = run(_figures, [seminar["slug"], forum["slug"]])
    assert before["impact"]["events"] >= 2 and before["impact"]["by_sector"]  # the report counts these events

    # The dry run names ids and dates only, and changes nothing.
    dry = events_app("retention", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert f"{len(gone)} delegates have had no activity since" in dry.stdout
    assert sorted(int(n) for n in re.findall(r"delegate (\d+): last activity \d{4}-\d\d-\d\d", dry.stdout)) == gone
    assert "@" not in dry.stdout and "Delegate " not in dry.stdout
    assert run(lambda: Delegate.count().where(Delegate.erased_at.is_not_null())) == 0

    applied = events_app("retention", "--apply")
    assert applied.returncode == 0, applied.stderr
    assert f"Anonymised {len(gone)} delegates with no activity since" in applied.stdout

    after = run(_figures, [seminar["slug"], forum["slug"]])
    assert after == before
    assert before[seminar["slug"]]["counts"]["by_status"]["confirmed"] == 6  # the figures were there to compare
    assert before[seminar["slug"]]["results"]["responses"] == 5

    # The old people's names and addresses are gone; the active ones are as they were.
    rows = {r["id"]: r for r in run(Delegate.select)}
    for name in OLD_PEOPLE:
        row = rows[people[name]]
        if name == "hei1":
            assert (row["email"], row["erased_at"]) == ("delegatehei1@example.org", None)
            continue
        assert row["erased_at"] is not None
        assert name not in row["email"] and name not in row["name"].lower()
    assert rows[people["new1"]]["erased_at"] is None
    history = run(
        lambda: RegistrationChange.select(RegistrationChange.detail).where(RegistrationChange.action == "retention")
    )
    assert history and all("36 months without activity" in h["detail"] for h in history)
    recorded = run(lambda: RetentionRun.select().first())
    assert (recorded["trigger"], recorded["anonymised"]) == ("command", len(gone))

    # Again: nothing more to do. The scheduler's daily job runs once a day, and not at all when switched off.
    assert run(lambda: retention.run(36, apply=True, trigger="command")).delegates == []
    settings = get_settings()
    assert run(retention.run_if_due, settings) is not None
    assert run(retention.run_if_due, settings) is None  # ran within the day
    later = datetime.now(UTC) + timedelta(days=2)
    assert run(retention.run_if_due, dataclasses.replace(settings, retention_months=None), later) is None
    assert run(retention.run_if_due, settings, later) is not None


def test_retention_months_reads_a_number_or_off(monkeypatch: pytest.MonkeyPatch) -> None:
    from events_app.core.settings import load_settings

    for value, months in (("", 36), ("24", 24), ("0", None), ("off", None), ("OFF", None)):
        monkeypatch.setenv("RETENTION_MONTHS", value)
        assert load_settings().retention_months == months
    monkeypatch.setenv("RETENTION_MONTHS", "three years")
    with pytest.raises(RuntimeError, match="RETENTION_MONTHS takes a number of months"):
        load_settings()


def test_a_month_back_keeps_the_day_where_the_month_has_it() -> None:
    assert retention.months_before(datetime(2026, 3, 31, 9, tzinfo=UTC), 1) == datetime(2026, 2, 28, 9, tzinfo=UTC)
    assert retention.months_before(datetime(2026, 12, 6, tzinfo=UTC), 36) == datetime(2023, 12, 6, tzinfo=UTC)
    assert retention.months_before(datetime(2026, 1, 15, tzinfo=UTC), 13) == datetime(2024, 12, 15, tzinfo=UTC)

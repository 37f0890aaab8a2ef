"""Results checked against a small data set worked out by hand; the collaboration view; organisers only."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from events_app.checkin import services as checkin
from events_app.feedback import responses
from events_app.people.services import ensure_default_groups
from events_app.programme.events import event_row
from tests.builders import make_event, make_session
from tests.conftest import Accounts
from tests.feedback.test_forms_and_answers import _when
from tests.registration.conftest import HEI, TSO, register

QUESTIONS = [
    {"kind": "rating", "label": "Rate it", "required": True},
    {"kind": "yes_no", "label": "Met another sector?", "topic": "collaboration"},
    {"kind": "single", "label": "Pick one", "options": ["A", "B"]},
    {"kind": "multiple", "label": "Pick any", "options": ["X", "Y", "Z"]},
    {"kind": "text", "label": "Say something"},
]


async def _data_set(
    client: AsyncTestClient[Any], run: Callable[..., Any], series_id: int | None = None
) -> dict[str, Any]:
    """3 HEI, 2 TSO and 1 funder confirmed; the 5 from HEIs and TSOs checked in; 4 answer by their link
    and one funder by the open link."""
    run(ensure_default_groups)
    event = await make_event(
        client,
        kind="seminar",
        title="Seminar",
        capacity=20,
        series_id=series_id,
        starts_at=_when(timedelta(hours=1)),
        ends_at=_when(timedelta(hours=4)),
    )
    workshop = await make_session(
        client,
        event["slug"],
        title="Mixed workshop",
        kind="workshop",
        capacity=10,
        starts_at=_when(timedelta(hours=1)),
        ends_at=_when(timedelta(hours=2)),
    )
    await make_session(
        client,
        event["slug"],
        title="University panel",
        kind="workshop",
        capacity=10,
        starts_at=_when(timedelta(hours=2)),
        ends_at=_when(timedelta(hours=3)),
    )
    form = (await client.post(f"/api/events/{event['slug']}/feedback-form", json={"questions": QUESTIONS})).json()
    q = {x["label"]: str(x["id"]) for x in form["questions"]}
    people = {}
    for name, group, sessions in (
        ("hei1", HEI, [workshop["id"]]),
        ("hei2", HEI, []),
        ("hei3", HEI, []),
        ("tso1", TSO, [workshop["id"]]),
        ("tso2", TSO, []),
        ("fun1", "funder", []),
    ):
        people[name] = (await register(client, event["slug"], name, stakeholder_group=group, session_ids=sessions))[
            "registration"
        ]["id"]

    async def check_in_five() -> None:
        row = await event_row(event["slug"], include_drafts=True)
        for name in ("hei1", "hei2", "hei3", "tso1", "tso2"):
            await checkin.check_in(row, people[name], staff_id=None)

    run(check_in_five)
    given = {
        "hei1": {
            q["Rate it"]: 5,
            q["Met another sector?"]: True,
            q["Pick one"]: "A",
            q["Pick any"]: ["X", "Y"],
            q["Say something"]: "Great",
        },
        "hei2": {q["Rate it"]: 3, q["Met another sector?"]: False, q["Pick one"]: "B", q["Pick any"]: ["X"]},
        "tso1": {
            q["Rate it"]: 4,
            q["Met another sector?"]: True,
            q["Pick one"]: "A",
            q["Pick any"]: ["Z"],
            q["Say something"]: "Met a uni",
        },
        "tso2": {q["Rate it"]: 2, q["Met another sector?"]: True, q["Pick one"]: "A", q["Pick any"]: []},
    }
    for name, answers in given.items():
        token = responses.link_path(form["id"], people[name]).removeprefix("/feedback/")
        assert (await client.post(f"/api/feedback/{token}", json={"answers": answers})).status_code == 200
    open_token = form["open_link"].rsplit("/", 1)[1]
    funder = {q["Rate it"]: 1, q["Met another sector?"]: False, q["Pick one"]: "B"}
    assert (
        await client.post(f"/api/feedback/open/{open_token}", json={"answers": funder, "stakeholder_group": "funder"})
    ).status_code == 201
    return {"event": event, "form": form}


def _by_label(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {q["label"]: q for q in result["questions"]}


def _group(question: dict[str, Any], slug: str) -> dict[str, Any]:
    return next(g for g in question["by_group"] if g["group"] == slug)


async def test_results_match_the_figures_worked_out_by_hand(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    data = await _data_set(client, run)
    result = (await client.get(f"/api/events/{data['event']['slug']}/feedback/results")).json()
    assert (result["responses"], result["checked_in"]) == (5, 5)
    q = _by_label(result)

    rating = q["Rate it"]
    assert rating["overall"] == {
        "count": 5,
        "mean": 3.0,
        "percent_yes": None,
        "distribution": {"1": 1, "2": 1, "3": 1, "4": 1, "5": 1},
        "texts": [],
    }
    assert (_group(rating, HEI)["count"], _group(rating, HEI)["mean"]) == (2, 4.0)
    assert _group(rating, HEI)["distribution"] == {"1": 0, "2": 0, "3": 1, "4": 0, "5": 1}
    assert (_group(rating, TSO)["count"], _group(rating, TSO)["mean"]) == (2, 3.0)
    assert (_group(rating, "funder")["count"], _group(rating, "funder")["mean"]) == (1, 1.0)
    assert _group(rating, "policymaker")["mean"] is None

    met = q["Met another sector?"]
    assert met["overall"]["distribution"] == {"yes": 3, "no": 2}
    assert met["overall"]["mean"] == 0.6
    assert _group(met, HEI)["distribution"] == {"yes": 1, "no": 1}
    assert _group(met, TSO)["mean"] == 1.0

    assert q["Pick one"]["overall"]["distribution"] == {"A": 3, "B": 2}
    assert _group(q["Pick one"], TSO)["distribution"] == {"A": 2, "B": 0}
    assert q["Pick any"]["overall"]["distribution"] == {"X": 2, "Y": 1, "Z": 1}
    assert q["Pick any"]["overall"]["count"] == 3  # an empty choice is no answer
    assert _group(q["Say something"], HEI)["texts"] == ["Great"]
    assert _group(q["Say something"], TSO)["texts"] == ["Met a uni"]

    rates = {r["group"]: r for r in result["rates"]}
    assert (rates[HEI]["responses"], rates[HEI]["checked_in"], rates[HEI]["rate"]) == (2, 3, 0.667)
    assert rates[TSO]["rate"] == 1.0
    assert (rates["funder"]["responses"], rates["funder"]["rate"]) == (1, None)  # came by the open link

    collaboration = (await client.get(f"/api/events/{data['event']['slug']}/collaboration")).json()
    mix = {m["group"]: (m["registered"], m["checked_in"]) for m in collaboration["mix"]}
    assert (mix[HEI], mix[TSO], mix["funder"]) == ((3, 3), (2, 2), (1, 0))
    assert collaboration["sessions"] == {"sessions": 2, "together": 1, "titles": ["Mixed workshop"]}
    assert [a["label"] for a in collaboration["answers"]] == ["Met another sector?"]

    summary = await client.get(f"/api/events/{data['event']['slug']}/feedback/summary.csv")
    rows = list(csv.reader(io.StringIO(summary.content.decode("utf-8-sig"))))
    assert ["Rate it", "Everyone", "5", "3.0", "1: 1; 2: 1; 3: 1; 4: 1; 5: 1"] in rows
    raw = await client.get(f"/api/events/{data['event']['slug']}/feedback/responses.csv")
    raw_rows = list(csv.reader(io.StringIO(raw.content.decode("utf-8-sig"))))
    assert raw_rows[0][:4] == ["Response", "Submitted at (UTC)", "Stakeholder group", "Rate it"]
    assert len(raw_rows) == 6
    assert "delegatehei1@example.org" not in raw.text

    page = await client.get(f"/organiser/events/{data['event']['slug']}/feedback")
    assert page.status_code == 200
    assert "<svg" in page.text and "mean 3.0 out of 5" in page.text
    assert "1</strong> of 2 sessions brought people from universities and from civil society" in page.text


async def test_a_series_over_time(client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]) -> None:
    series = (await client.post("/api/series", json={"title": "Seminar series"})).json()
    await _data_set(client, run, series_id=series["id"])
    result = (await client.get(f"/api/series/{series['slug']}/feedback/results")).json()
    assert [(e["responses"], e["rate"], e["means"]["Rate it"]) for e in result["events"]] == [(5, 1.0, 3.0)]
    page = await client.get(f"/organiser/series/{series['slug']}/feedback")
    assert page.status_code == 200 and "<svg" in page.text


async def test_yes_no_results_read_as_percentages_everywhere(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    """3 yes out of 5 is "60%" on the event page, the series page and the summary CSV, never "0.6"."""
    series = (await client.post("/api/series", json={"title": "Seminar series"})).json()
    data = await _data_set(client, run, series_id=series["id"])
    slug = data["event"]["slug"]
    result = (await client.get(f"/api/events/{slug}/feedback/results")).json()
    assert _by_label(result)["Met another sector?"]["overall"]["percent_yes"] == 60

    summary = await client.get(f"/api/events/{slug}/feedback/summary.csv")
    rows = list(csv.reader(io.StringIO(summary.content.decode("utf-8-sig"))))
    met = [row for row in rows if row[0] == "Met another sector?"]
    assert met[0][:4] == ["Met another sector?", "Everyone", "5", "60%"]
    assert [row for row in rows[1:] if row[3].startswith("0.")] == []

    page = await client.get(f"/organiser/series/{series['slug']}/feedback")
    assert page.status_code == 200
    assert "60% yes" in page.text
    assert ">0.6<" not in page.text
    event_page = await client.get(f"/organiser/events/{slug}/feedback")
    assert "60% yes" in event_page.text


@pytest.mark.parametrize(("role", "status"), [("anonymous", 401), ("checkin", 403)])
async def test_results_are_for_organisers(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any], role: str, status: int
) -> None:
    data = await _data_set(client, run)
    slug = data["event"]["slug"]
    await organiser.sign_in(role)
    for path in (
        f"/api/events/{slug}/feedback/results",
        f"/api/events/{slug}/feedback/responses.csv",
        f"/api/events/{slug}/feedback/summary.csv",
        f"/api/events/{slug}/collaboration",
        f"/api/events/{slug}/feedback-form",
        f"/organiser/events/{slug}/feedback",
    ):
        assert (await client.get(path)).status_code == status, path


async def test_an_organiser_creates_a_form_from_a_template_on_the_page(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    run(ensure_default_groups)
    event = await make_event(client, kind="forum_meeting", title="Forum")
    page = await client.get(f"/organiser/events/{event['slug']}/feedback")
    assert "has no feedback form yet" in page.text
    csrf = client.cookies.get("csrftoken")
    made = await client.post(
        f"/organiser/events/{event['slug']}/feedback",
        data={"_csrf_token": csrf, "template": "forum_meeting", "anonymous": "yes"},
        follow_redirects=False,
    )
    assert made.status_code == 303
    form = (await client.get(f"/api/events/{event['slug']}/feedback-form")).json()
    assert (form["title"], form["anonymous"]) == ("Forum meeting feedback", True)
    assert "Did you meet someone from another sector you will work with?" in [q["label"] for q in form["questions"]]
    assert (await client.get(f"/organiser/events/{event['slug']}/feedback")).status_code == 200

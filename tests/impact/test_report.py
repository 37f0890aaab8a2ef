"""The impact report over a season built by hand (tests/impact/season.py): every figure is checked against
numbers worked out from the season's tables in the comments, not recomputed by the report's own code."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from tests.conftest import Accounts
from tests.impact.season import HEARING, MET, RANGE, build
from tests.statements import counting


async def queries_for(params: dict[str, str]) -> int:
    """How many statements the report sends to the database for this query string."""
    from events_app.impact import services

    with counting() as sent:
        await services.report_for(params)
    return sent[0]


def figures(row: dict[str, Any]) -> tuple[int, int, int, int, int]:
    f = row["figures"]
    assert f["attendance"]["online"] == 0  # recorded: nobody of this season joined online
    assert f["attendance"]["either"] == f["attendance"]["in_person"]
    return f["registrations"], f["attendance"]["in_person"], f["people"], f["people_attended"], f["organisations"]


async def test_a_season_gives_the_figures_worked_out_by_hand(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    world = await build(client, run)
    response = await client.get("/api/impact", params=RANGE)
    assert response.status_code == 200, response.text
    report = response.json()

    # Held: E1 to E10 (E0 before the range, E11 cancelled, E12 a draft, E13 ends on 1 August in UK time).
    assert report["events"] == 10
    # Registrations: 20 + 30 + 25 + 40 + 34 + 69 + 17 + 20 + 20 + 10 = 285 (E1's later cancellation counts; E2's
    # three waitlisted do not). Attendance: 14 + 20 + 0 + 37 + 24 + 57 + 17 + 10 + 0 + 10 = 189 (E8's undone
    # check-in and the session-door check-ins do not count). People: the pools' largest prefixes,
    # 20 + 20 + 15 + 15 + 10 + 4 + 3 + 6 = 93; of them came: uni_n 18, uni_s 15, cs_n 15, cs_s 10, school 10,
    # funder 4, policy 3, typed 6 = 81. Organisations: 6 on the list + "Department A" + the six spellings of
    # "Village Hall Trust" as one = 8.
    totals = report["totals"]
    assert (totals["registrations"], totals["attendance"], totals["people"]) == (
        285,
        {"in_person": 189, "online": 0, "either": 189},
        93,
    )
    assert (totals["people_attended"], totals["organisations"]) == (81, 8)

    # By sector, by what each registration was made as (every delegate's record of today says "Somewhere else"):
    # university: registrations uni_n 10+10+15+20+5+10+5 = 75 and uni_s 10+10+15+20+10 = 65, 140; attended
    # uni_n 8+10+12+18+5+5+5 = 63 and uni_s 5+10+15 = 30, 93; people 40; came 33; organisations 2.
    # civil society: cs_n 10+10+15+10+5+10 = 60, cs_s 10+15+10+10+5 = 50, typed 6: 116; attended cs_n
    # 6+15+10+5+5 = 41, cs_s 5+10+5+5 = 25, typed 6: 72; people 15+15+6 = 36; came 15+10+6 = 31; organisations 3.
    # school: 15 registered, 10 attended, 10 people, 10 came, 1 organisation.
    # funder: E5 4 + E7 3 = 7 registered, 7 attended; funder[0]'s latest registration (E7) was as policy, so
    # 3 people, 3 came, 1 organisation. policy: E6 3 + E7 4 = 7, 7; people 3 + funder[0] = 4, 4 came; 1.
    sectors = {row["key"]: figures(row) for row in report["by_sector"]}
    assert sectors == {
        "university": (140, 93, 40, 33, 2),
        "civil_society": (116, 72, 36, 31, 3),
        "school_college": (15, 10, 10, 10, 1),
        "funder": (7, 7, 3, 3, 1),
        "policy": (7, 7, 4, 4, 1),
        "employer": (0, 0, 0, 0, 0),
        "other": (0, 0, 0, 0, 0),
    }
    assert [row["label"] for row in report["by_sector"]][:2] == [
        "University",
        "Civil society (charity, community group)",
    ]

    # By region of the organisation as registered: North East = uni_n, cs_n, school (75+60+15 = 150; attended
    # 63+41+10 = 114; people 20+15+10 = 45; came 18+15+10 = 43; 3 organisations); South West = uni_s, cs_s
    # (115; 55; 35; 25; 2); Wales = Funder X (E5 4 + E7 3 = 7; 7; funder[1..3] = 3; 3; 1); not known = funder[0]
    # at E7, policy, typed (1+6+6 = 13; 13; 1+3+6 = 10; 10; "Department A" and the trust = 2).
    regions = [(row["label"], figures(row)) for row in report["by_region"]]
    assert regions == [
        ("North East", (150, 114, 45, 43, 3)),
        ("South West", (115, 55, 35, 25, 2)),
        ("Wales", (7, 7, 3, 3, 1)),
        ("Not known", (13, 13, 10, 10, 2)),
    ]

    # Returners: those at E0 before the range (uni_n[0:8], cs_n[0:4]) = 12; first-timers 93 - 12 = 81.
    assert report["newcomers"] == {"first_timers": 81, "returners": 12}

    # Sessions: E6 keynote, workshops A, B, C, panel (the break and the cancelled one left out) and E4's round
    # table = 6 (E11's talk: the event was cancelled). A record of who was there: all but the keynote = 5.
    # Together: workshop A (door: uni_n, cs_n), workshop C (places: uni_s, cs_s), round table (places) = 3;
    # workshop B's door saw only universities (its civil-society place is not read), the panel had policy.
    assert report["sessions"] == {"sessions": 6, "recorded": 5, "together": 3, "share": 0.5}

    # Collaboration answers (E11's cancelled event left out; linked answers by their registration's sector):
    # met someone: E6 uni 4 (3 yes: 75%), cs 2 yes, open policy 1 yes; E4 cs 1 yes, school 1 no. 9 answers at
    # 2 events: university 4, 75%; civil society 3, 100%; school 1, 0%; policy 1, 100%.
    # hearing (E6 only): university 4 and 2, mean 3.0; civil society 5.0.
    answers = {a["label"]: a for a in report["collaboration"]}
    assert set(answers) == {MET, HEARING}  # the "overall" question is not about collaboration
    met = answers[MET]
    assert (met["events"], met["count"]) == (2, 9)
    assert [(s["sector"], s["count"], s["percent_yes"]) for s in met["by_sector"]] == [
        ("university", 4, 75),
        ("civil_society", 3, 100),
        ("school_college", 1, 0),
        ("policy", 1, 100),
    ]
    hearing = answers[HEARING]
    assert (hearing["events"], hearing["count"]) == (1, 3)
    assert [(s["sector"], s["mean"]) for s in hearing["by_sector"]] == [("university", 3.0), ("civil_society", 5.0)]

    # By month, by the day each event ended: (events, registrations, attended, people).
    # October: E2, E4, E5 = 30+40+34 = 104 registered, 20+37+24 = 81 came; people uni_n 15, uni_s 15, cs_s 15,
    # cs_n 15, school 10, funder 4 = 74.
    months = {
        p["label"]: (p["events"], p["registrations"], p["attendance"]["in_person"], p["people"])
        for p in report["trend"]
    }
    assert months == {
        "August 2024": (0, 0, 0, 0),
        "September 2024": (1, 20, 14, 20),
        "October 2024": (3, 104, 81, 74),
        "November 2024": (1, 25, 0, 25),
        "December 2024": (0, 0, 0, 0),
        "January 2025": (1, 17, 17, 17),
        "February 2025": (1, 20, 10, 20),
        "March 2025": (1, 69, 57, 69),
        "April 2025": (0, 0, 0, 0),
        "May 2025": (1, 20, 0, 20),
        "June 2025": (1, 10, 10, 10),
        "July 2025": (0, 0, 0, 0),
    }
    assert [e["title"] for e in report["event_lines"]][:2] == ["Seminar September", "North meeting autumn"]

    # By term: summer 2024 (August only), autumn E1-E5 (20+30+25+40+34 = 149), spring E6-E8 (69+17+20 = 106),
    # summer 2025 E9, E10 (30).
    terms = (await client.get("/api/impact", params={**RANGE, "by": "term"})).json()["trend"]
    assert [(p["label"], p["events"], p["registrations"]) for p in terms] == [
        ("Summer term 2024", 0, 0),
        ("Autumn term 2024", 5, 149),
        ("Spring term 2025", 3, 106),
        ("Summer term 2025", 2, 30),
    ]

    # Filters. The North East region: E4, E8 (its series' events): 40 + 20 = 60 registered, 37 + 10 = 47 came;
    # people uni_n 15, cs_n 15, school 10 = 40; nobody was at an earlier North East event: 40 first-timers.
    north = (await client.get("/api/impact", params={**RANGE, "region": "north"})).json()
    assert (north["events"], north["totals"]["registrations"], north["totals"]["attendance"]["in_person"]) == (
        2,
        60,
        47,
    )
    assert north["newcomers"] == {"first_timers": 40, "returners": 0}
    # The seminar series: E1, E2, E3, E10 = 20+30+25+10 = 85; people uni_n 10, uni_s 10, cs_n 10, cs_s 10, school
    # 5 = 45, of whom E0's 12 (a seminar of the series) return.
    seminars = (await client.get("/api/impact", params={**RANGE, "series": "seminars"})).json()
    assert (seminars["events"], seminars["totals"]["registrations"], seminars["totals"]["people"]) == (4, 85, 45)
    assert seminars["newcomers"] == {"first_timers": 33, "returners": 12}
    # Community meetings: E4, E5, E8, E9 = 40+34+20+20 = 114.
    meetings = (await client.get("/api/impact", params={**RANGE, "kind": "community_meeting"})).json()
    assert (meetings["events"], meetings["totals"]["registrations"]) == (4, 114)
    # A range of one day: E6 alone.
    day = (await client.get("/api/impact", params={"start": "2025-03-12", "end": "2025-03-12"})).json()
    assert (day["events"], day["totals"]["registrations"], [p["label"] for p in day["trend"]]) == (
        1,
        69,
        ["March 2025"],
    )

    # The CSV says the same, one figure a row.
    response = await client.get("/api/impact/report.csv", params=RANGE)
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="impact-2024-08-01-to-2025-07-31.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Section", "Row", "Measure", "Value"]
    found = {(r[0], r[1], r[2]): r[3] for r in rows[1:]}
    assert found[("Total", "All events", "Events held")] == "10"
    assert found[("Total", "All events", "Registrations")] == "285"
    assert found[("Total", "All events", "Attended in person")] == "189"
    assert found[("Total", "All events", "Attended online")] == "0"
    assert found[("Total", "All events", "Attended either way")] == "189"
    assert found[("Total", "All events", "First-timers")] == "81"
    for row in report["by_sector"] + report["by_region"]:
        section = "Sector" if row in report["by_sector"] else "Region"
        assert found[(section, row["label"], "People")] == str(row["figures"]["people"])
        assert found[(section, row["label"], "Registrations")] == str(row["figures"]["registrations"])
    assert found[("Sessions", "All sessions", "University and civil society together")] == "3"
    assert found[("Collaboration", MET, "University: % yes")] == "75"
    assert found[("Month", "October 2024", "Registrations")] == "104"
    assert found[("Event", "National conference (2025-03-12)", "Attended in person")] == "57"

    # The page shows the same figures beside its charts, in person and online, and how figures are counted.
    page = await client.get("/organiser/impact", params=RANGE)
    assert page.status_code == 200
    text = page.text
    assert "Online attendance not recorded" not in text and "<dt>Attended online</dt><dd>0</dd>" in text
    assert '<tr><th scope="row">Wales</th><td>7</td><td>7</td>' in text
    assert "<title id=" in text and "<desc id=" in text
    assert "A returner also had a confirmed place at an earlier event" in text
    assert f'href="/api/impact/report.csv?start={RANGE["start"]}&amp;end={RANGE["end"]}"' in text
    assert world.names[0] not in text  # the report names nobody

    # A handful of statements for the whole range, as many as for one day: no query per event or person.
    whole_year, one_day = run(queries_for, RANGE), run(queries_for, {"start": "2025-03-12", "end": "2025-03-12"})
    assert 5 <= whole_year == one_day <= 12, (whole_year, one_day)


async def test_bad_filters_are_named_and_nothing_breaks(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    response = await client.get(
        "/api/impact", params={"start": "2025-13-01", "end": "2024-01-01", "kind": "party", "region": "atlantis"}
    )
    assert response.status_code == 400
    fields = [e["field"] for e in response.json()["errors"]]
    assert fields == ["start", "region", "kind"]
    response = await client.get(
        "/api/impact", params={"start": "2025-06-01", "end": "2025-01-01", "region": "atlantis"}
    )
    assert response.status_code == 400
    assert [e["message"] for e in response.json()["errors"]] == [
        "To: please give a day on or after the From day",
        "Region: please choose one from the list",
    ]
    response = await client.get("/api/impact", params={"region": "atlantis", "series": "nowhere"})
    assert [e["field"] for e in response.json()["errors"]] == ["region", "series"]
    page = await client.get("/organiser/impact", params={"start": "soon"}, headers={"accept": "text/html"})
    assert page.status_code == 400
    assert "From: please give a date like 2026-09-01" in page.text
    assert re.search(r'id="start"[^>]*aria-invalid="true"', page.text)
    # Nothing given: the last 12 months to today.
    empty = (await client.get("/api/impact")).json()
    assert empty["events"] == 0 and len(empty["trend"]) in (12, 13)


@pytest.mark.parametrize("limited_to", ["cop-north"])
async def test_an_account_limited_to_a_series_sees_only_its_events(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any], limited_to: str
) -> None:
    from events_app.accounts import services

    await accounts.sign_in("organiser")
    await build(client, run)
    email = accounts.create("organiser", "north@example.org")
    user_id = next(o.id for o in run(services.list_organisers) if o.email == email)
    await accounts.sign_in("admin")
    response = await client.patch(f"/api/organisers/{user_id}", json={"scope": {"series": [limited_to]}})
    assert response.status_code == 200, response.text
    client.cookies.clear()
    signed = await client.post("/api/auth/sign-in", json={"email": email, "password": "correct horse battery staple"})
    assert signed.status_code == 200
    # The North East series only: E4 and E8, as with the region filter above.
    report = (await client.get("/api/impact", params=RANGE)).json()
    assert (report["events"], report["totals"]["registrations"]) == (2, 60)
    # Another series is not on its list; the public page's switch is not its to turn.
    assert (await client.get("/api/impact", params={**RANGE, "series": "seminars"})).status_code == 400
    page = await client.get("/organiser/impact", params=RANGE)
    assert "Turn the public page on" not in page.text
    assert '<option value="seminars"' not in page.text

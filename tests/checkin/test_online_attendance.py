"""Attendance that counts everyone (issue 18, parts 4 and 5): an online seminar worked out by hand (who joined, the
feedback requests to exactly them, a true response rate, certificates, the impact report), a hybrid event counted
apart and together, and a platform's attendance export matched exactly, the rest listed with why."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from events_app.certificates import services as certificates
from events_app.checkin import services as checkin
from events_app.checkin.online import record_online_attendance
from events_app.checkin.online_csv import date_order_of, read_export
from events_app.checkin.tables import OnlineAttendance
from events_app.core.timezones import in_zone, utc_now
from events_app.feedback import responses
from events_app.impact.periods import uk_day
from events_app.people.services import ensure_default_groups
from events_app.programme.events import event_row
from events_app.registration import schedule
from tests.builders import make_event, make_session, make_venue
from tests.conftest import Accounts
from tests.registration.conftest import HEI, TSO, mails, register

ZONE = "Europe/London"


def _when(delta: timedelta) -> str:
    return (utc_now() + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


async def _event(
    client: AsyncTestClient[Any], run: Callable[..., Any], mode: str, people: list[tuple[str, str]], capacity: int
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """An event with these people registered (the last ones waitlisted beyond `capacity`) and a feedback form,
    moved to have ended an hour ago, in this attendance mode and with certificates on."""
    run(ensure_default_groups)
    event = await make_event(
        client,
        kind="seminar",
        title=f"{mode} seminar",
        capacity=capacity,
        waitlist_enabled=True,
        starts_at=_when(timedelta(hours=1)),
        ends_at=_when(timedelta(hours=3)),
    )
    form = await client.post(
        f"/api/events/{event['slug']}/feedback-form",
        json={"questions": [{"kind": "rating", "label": "Rate it", "required": True}]},
    )
    assert form.status_code == 201, form.text
    event["form"] = form.json()
    found = {}
    for name, group in people:
        answer = await register(client, event["slug"], name, stakeholder_group=group)
        found[name] = answer["registration"]
    # Hybrid: the places taken so far are online ones; as many online places as before, so the waiting stay waiting.
    hybrid = {"attendance_mode": "hybrid", "online_capacity": capacity, "venue_id": (await make_venue(client))["id"]}
    place = hybrid if mode == "hybrid" else {}
    moved = await client.patch(
        f"/api/events/{event['slug']}",
        json={
            "starts_at": _when(-timedelta(hours=3)),
            "ends_at": _when(-timedelta(hours=1)),
            "certificates_enabled": True,
            **place,
        },
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["attendance_mode"] == mode
    return event, found


def _join(run: Callable[..., Any], event: dict[str, Any], registration_id: int, minutes_in: int, **kw: Any) -> None:
    at = utc_now() - timedelta(hours=3) + timedelta(minutes=minutes_in)
    run(
        partial(
            record_online_attendance,
            event_id=event["id"],
            registration_id=registration_id,
            session_id=kw.get("session_id"),
            at=at,
            source="link",
        )
    )


def _local(moment: datetime) -> str:
    return in_zone(moment, ZONE).strftime("%Y-%m-%d %H:%M")


async def test_an_online_seminar_counts_who_joined_asks_exactly_them_and_reads_a_true_rate(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    # 6 confirmed (3 HEI, 3 TSO) and 1 waitlisted. Joined by their links: h1 (twice), h2, h3, t1; t2 is in the
    # platform's export only; t3 never came. Attended: 5, all online, none in person. Answers: h1 and t2.
    people = [("h1", HEI), ("h2", HEI), ("h3", HEI), ("t1", TSO), ("t2", TSO), ("t3", TSO), ("w1", TSO)]
    event, found = await _event(client, run, "online", people, capacity=6)
    ids = {name: r["id"] for name, r in found.items() if r}
    assert found["w1"]["status"] == "waitlisted"
    slug = event["slug"]
    for name, minutes_in in (("h1", 1), ("h1", 40), ("h2", 2), ("h3", 3), ("t1", 4)):
        _join(run, event, ids[name], minutes_in)
    t2_joined = utc_now() - timedelta(hours=3) + timedelta(minutes=5)
    imported = await client.post(
        f"/api/events/{slug}/attendance/online-import",
        json={"csv": f"email,joined_at,duration\ndelegatet2@example.org,{_local(t2_joined)},55\n"},
    )
    assert imported.status_code == 200, imported.text
    assert [(p["name"], p["joins"], p["new"]) for p in imported.json()["recorded"]] == [("Delegate t2", 1, True)]
    assert imported.json()["timezone"] == ZONE

    page = (await client.get(f"/organiser/events/{slug}/attendance")).text
    assert "<strong>0</strong> of 6 confirmed delegates checked in (0%); <strong>5</strong> joined online;" in page
    assert "<strong>5</strong> attended either way; 1 did not come." in page
    assert "Delegate t3, University of Testing" in page and "Delegate w1" not in page  # the no-show, not the waitlist
    rows = list(csv.reader(io.StringIO((await client.get(f"/api/events/{slug}/attendance.csv")).text.lstrip("\ufeff"))))
    by_name = {r[1]: r for r in rows[1:]}
    assert [by_name["Delegate h1"][i] for i in (5, 7, 8, 10)] == ["did not come", "2", "link", "online"]
    assert [by_name["Delegate t2"][i] for i in (6, 7, 8, 9)] == [_local(t2_joined), "1", "import", "55"]
    assert by_name["Delegate t3"][10] == "no" and len(by_name) == 6

    # Feedback requests go to exactly the five who joined.
    row = run(partial(event_row, slug, include_drafts=True))
    assert run(partial(schedule.queue_feedback_requests_for, row, made_by=None)) == 5
    asked = sorted(to for kind, to in mails(run) if kind == "feedback_request")
    assert asked == [f"delegate{n}@example.org" for n in ("h1", "h2", "h3", "t1", "t2")]

    for name in ("h1", "t2"):
        token = responses.link_path(event["form"]["id"], ids[name]).removeprefix("/feedback/")
        question = str(event["form"]["questions"][0]["id"])
        assert (await client.post(f"/api/feedback/{token}", json={"answers": {question: 4}})).status_code == 200
    results = (await client.get(f"/api/events/{slug}/feedback/results")).json()
    assert (results["responses"], results["attended"], results["online"], results["checked_in"]) == (2, 5, 5, 0)
    rates = {r["group"]: (r["responses"], r["attended"], r["rate"]) for r in results["rates"]}
    assert rates[HEI] == (1, 3, 0.333) and rates[TSO] == (1, 2, 0.5)  # 2 of 5 overall
    mix = {m["group"]: m for m in (await client.get(f"/api/events/{slug}/collaboration")).json()["mix"]}
    assert (mix[TSO]["registered"], mix[TSO]["checked_in"], mix[TSO]["online"], mix[TSO]["attended"]) == (3, 0, 2, 2)

    # Certificates for those who joined online, imported or by link; not for the one who did not come.
    assert run(certificates.downloadable, list(ids.values())) == {ids[n] for n in ("h1", "h2", "h3", "t1", "t2")}
    pdf = run(certificates.pdf_for_delegate, found["t2"]["delegate_id"], ids["t2"])
    assert pdf.startswith(b"%PDF")

    today = uk_day(utc_now()).isoformat()
    impact = (await client.get("/api/impact", params={"start": today, "end": today})).json()
    assert impact["totals"]["attendance"] == {"in_person": 0, "online": 5, "either": 5}
    assert impact["totals"]["people_attended"] == 5


async def test_a_hybrid_event_counts_in_person_and_online_apart_and_together(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    # a: at the door only; b: online only; c: both (counted once); d: neither.
    event, found = await _event(client, run, "hybrid", [(n, HEI) for n in "abcd"], capacity=10)
    ids = {name: r["id"] for name, r in found.items()}

    async def check_in(*names: str) -> None:
        row = await event_row(event["slug"], include_drafts=True)
        for name in names:
            await checkin.check_in(row, ids[name], staff_id=None, override=True)

    run(check_in, "a", "c")
    _join(run, event, ids["b"], 5)
    _join(run, event, ids["c"], 90)
    page = (await client.get(f"/organiser/events/{event['slug']}/attendance")).text
    assert "<strong>2</strong> of 4 confirmed delegates checked in (50%); <strong>2</strong> joined online;" in page
    assert "<strong>3</strong> attended either way (1 both in person and online, counted once); 1 did not come." in page
    row = run(partial(event_row, event["slug"], include_drafts=True))
    assert run(partial(schedule.queue_feedback_requests_for, row, made_by=None)) == 3
    assert sorted(to for k, to in mails(run) if k == "feedback_request") == [f"delegate{n}@example.org" for n in "abc"]
    results = (await client.get(f"/api/events/{event['slug']}/feedback/results")).json()
    assert (results["checked_in"], results["online"], results["attended"]) == (2, 2, 3)

    # A session with a join link of its own: b joined it online, and only b attended it.
    session = await make_session(
        client,
        event["slug"],
        title="Online workshop",
        starts_at=_when(-timedelta(hours=2, minutes=30)),
        ends_at=_when(-timedelta(hours=1, minutes=30)),
    )
    _join(run, event, ids["b"], 70, session_id=session["id"])
    page = (await client.get(f"/organiser/events/{event['slug']}/attendance", params={"session": session["id"]})).text
    assert "<h1>Attendance: hybrid seminar, Online workshop</h1>" in page
    assert "<strong>0</strong> of 4 confirmed delegates checked in (0%); <strong>1</strong> joined online;" in page
    sheet = await client.get(f"/api/events/{event['slug']}/attendance.csv", params={"session": session["id"]})
    assert {r[1]: r[10] for r in csv.reader(io.StringIO(sheet.text.lstrip("\ufeff")))}["Delegate b"] == "online"
    missing = await client.get(f"/organiser/events/{event['slug']}/attendance", params={"session": 999})
    assert missing.status_code == 404


def _page_csrf(client: AsyncTestClient[Any]) -> str:
    token = client.cookies.get("csrftoken")
    assert token
    return token


async def test_a_platform_export_is_matched_exactly_and_the_rest_listed_with_why(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    people = [("p1", HEI), ("p2", HEI), ("p3", HEI), ("w1", HEI)]
    event, found = await _event(client, run, "online", people, capacity=3)
    slug = event["slug"]
    start = utc_now() - timedelta(hours=3)
    at = [_local(start + timedelta(minutes=m)) for m in (0, 10, 30)]
    export = "\n".join(
        [
            "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest",
            f"P1,DelegateP1@Example.org,{at[0]},{at[2]},30,No",  # capitals aside: matched
            f"P1,delegatep1@example.org,{at[0]},{at[2]},30,No",  # the same row again: counted once
            f"P2,delegatep2@example.org,{at[0]},{at[1]},10,No",
            f"P2,delegatep2@example.org,{at[2]},,5,No",  # joined again later
            f"Stranger,stranger@example.org,{at[0]},,20,Yes",
            f"W1,delegatew1@example.org,{at[0]},,20,No",  # waitlisted
            "P3,delegatep3@example.org,05/06/2030 10:00,,20,No",  # day and month either way round: not guessed
            "No address,,{at[0]},,1,Yes".replace("{at[0]}", at[0]),
        ]
    )
    form = await client.get(f"/organiser/events/{slug}/attendance/import")
    assert form.status_code == 200
    assert f"they are read as {ZONE} time, the event's own" in form.text
    csrf = _page_csrf(client)
    page = await client.post(
        f"/organiser/events/{slug}/attendance/import",
        data={"_csrf_token": csrf},
        files={"file": ("participants.csv", export.encode("utf-8"), "text/csv")},
    )
    assert page.status_code == 200, page.text
    text = page.text
    assert "Read 8 rows of a Zoom export" in text
    assert "<strong>2</strong> people recorded as attending online, 0 already recorded, <strong>4</strong> rows" in text
    assert (
        "<td>6</td><td>stranger@example.org</td>" in text and "No registration at this event with this address" in text
    )
    assert "The registration is not confirmed (waitlisted)" in text
    assert "the day and month could be either way round" in text
    assert "No email address in this row" in text

    async def recorded() -> dict[int, tuple[int, int | None, str]]:
        rows = await OnlineAttendance.select().where(OnlineAttendance.event == event["id"])
        return {r["registration"]: (r["joins"], r["minutes"], r["source"]) for r in rows}

    p1, p2 = found["p1"]["id"], found["p2"]["id"]
    assert run(recorded) == {p1: (1, 30, "import"), p2: (2, 15, "import")}

    # The same export again adds nothing; the day-first choice reads P3's date (5 June is not the event's day).
    again = await client.post(
        f"/organiser/events/{slug}/attendance/import",
        data={"_csrf_token": csrf, "date_order": "day_first"},
        files={"file": ("participants.csv", export.encode("utf-8"), "text/csv")},
    )
    assert "Already recorded before (nothing added): Delegate p1, Delegate p2." in again.text
    assert "The join time is not on the event&#39;s days" in again.text
    assert run(recorded) == {p1: (1, 30, "import"), p2: (2, 15, "import")}

    # Above the site's 1 MB body limit but within the import's own 2 MB: read (long names, in rows naming nobody).
    large = export.encode() + f"\n{'x' * 100_000},,{at[0]},,1,No".encode() * 11
    assert 1_000_000 < len(large) < 2_000_000
    read = await client.post(
        f"/organiser/events/{slug}/attendance/import",
        data={"_csrf_token": csrf},
        files={"file": ("participants.csv", large, "text/csv")},
    )
    assert read.status_code == 200 and "Read 19 rows" in read.text
    too_large = await client.post(
        f"/organiser/events/{slug}/attendance/import",
        data={"_csrf_token": csrf},
        files={"file": ("participants.csv", large + large, "text/csv")},
    )
    assert too_large.status_code == 413

    nothing = await client.post(f"/organiser/events/{slug}/attendance/import", data={"_csrf_token": csrf})
    assert nothing.status_code == 400 and "Choose the meeting platform" in nothing.text
    columns = await client.post(f"/api/events/{slug}/attendance/online-import", json={"csv": "name,time\nAnn,10:00\n"})
    assert columns.status_code == 400 and columns.json()["field"] == "file"
    await organiser.sign_in("checkin")
    assert (await client.get(f"/organiser/events/{slug}/attendance/import")).status_code == 403


TEAMS = (
    "1. Summary\nMeeting title\tSeminar\n\n2. Participants\n"
    "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tRole\n"
    "Ann\t13/06/2030, 10:00:00\t13/06/2030, 11:00:00\t1h 0m 3s\tann@example.org\tAttendee\n"
).encode("utf-16")
MEET = (
    b"First name,Last name,Email,Duration,Time joined,Time exited\n"
    b"Ann,Lee,ann@example.org,1 hr 5 min,06/13/2030 10:00 AM,06/13/2030 11:05 AM\n"
)


@pytest.mark.parametrize(
    ("data", "platform", "columns", "order"),
    [
        (TEAMS, "Microsoft Teams", ("Email", "First Join", "Last Leave", "In-Meeting Duration"), "day_first"),
        (MEET, "Google Meet", ("Email", "Time joined", "Time exited", "Duration"), "month_first"),
    ],
)
def test_the_common_platforms_headers_are_found(
    data: bytes, platform: str, columns: tuple[str, ...], order: str
) -> None:
    export = read_export(data)
    assert (export.platform, export.columns, date_order_of(export.rows)) == (platform, columns, order)
    assert [r.email for r in export.rows] == ["ann@example.org"]

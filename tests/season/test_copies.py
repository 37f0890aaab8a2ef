"""Copying an event (POST /api/events/{slug}/copy): the timetable on the same wall clock across a clock change,
everything the organisers built (rooms, tracks, sessions, speakers in order, places, questions, feedback form,
every setting of the event row, a hybrid event's online places and sessions' meeting addresses) and nothing of the
people (registrations, check-ins, online attendance, answers)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from litestar.testing import AsyncTestClient

from events_app.checkin.online import record_online_attendance
from events_app.checkin.tables import OnlineAttendance
from events_app.core.timezones import utc_now
from events_app.feedback.tables import FeedbackForm, FeedbackQuestion, FeedbackResponse
from events_app.people.services import ensure_default_groups
from events_app.programme.tables import Event, Session
from events_app.registration.tables import Registration
from events_app.season.copies import FRESH_EVENT_COLUMNS
from tests.builders import make_event, make_session, make_speaker, make_venue
from tests.conftest import Accounts
from tests.registration.conftest import register

BEFORE_CHANGE = "2030-10-22"  # a Tuesday in British Summer Time (UTC+1)
AFTER_CHANGE = "2030-10-29"  # the Tuesday after the last Sunday of October (27th): Greenwich Mean Time (UTC+0)


def event_rows(run: Callable[..., Any]) -> dict[str, dict[str, Any]]:
    async def rows() -> dict[str, dict[str, Any]]:
        return {r["slug"]: dict(r) for r in await Event.select()}

    return run(rows)  # type: ignore[no-any-return]


def count(run: Callable[..., Any], table: Any, *where: Any) -> int:
    async def counted() -> int:
        query = table.count()
        for condition in where:
            query = query.where(condition)
        return int(await query)

    return run(counted)  # type: ignore[no-any-return]


async def _conference(client: AsyncTestClient[Any]) -> dict[str, Any]:
    """A conference before the clock change: a venue with two rooms, a track, two sessions (the first with two
    speakers in order, a workshop with places), a registration question and a feedback form."""
    venue = await make_venue(client)
    rooms = {r["name"]: r["id"] for r in venue["rooms"]}
    event = await make_event(
        client,
        title="National Conference 2030",
        starts_at=f"{BEFORE_CHANGE}T09:00:00",
        ends_at=f"{BEFORE_CHANGE}T17:00:00",
        venue_id=venue["id"],
        capacity=120,
        attendance_mode="hybrid",  # at the venue and online (make_event's meeting address)
        online_capacity=40,
        waitlist_enabled=False,
        requires_approval=True,
        summary="The network's day",
        registration_opens_at="2030-09-01T09:00:00",
        registration_closes_at=f"{BEFORE_CHANGE}T08:00:00",
    )
    slug = event["slug"]
    track = (await client.post(f"/api/events/{slug}/tracks", json={"name": "Schools"})).json()
    ada, bo = await make_speaker(client, "Ada Lovelace"), await make_speaker(client, "Bo Brummell")
    await make_session(
        client,
        slug,
        title="Opening keynote",
        kind="keynote",
        starts_at=f"{BEFORE_CHANGE}T09:30:00",
        ends_at=f"{BEFORE_CHANGE}T10:30:00",
        room_id=rooms["Room A"],
        track_id=track["id"],
        join_url="https://meet.example.org/keynote",
        speakers=[{"speaker_id": bo["id"], "role": "chair"}, {"speaker_id": ada["id"]}],
    )
    await make_session(
        client,
        slug,
        title="Outreach workshop",
        kind="workshop",
        capacity=20,
        starts_at=f"{BEFORE_CHANGE}T11:00:00",
        ends_at=f"{BEFORE_CHANGE}T12:30:00",
        room_id=rooms["Room B"],
    )
    question = {"label": "Which school do you work with?", "kind": "text", "required": True, "help_text": "Its name"}
    assert (await client.post(f"/api/events/{slug}/questions", json=question)).status_code == 201
    form = {"template": "conference", "opens_at": f"{BEFORE_CHANGE}T16:00:00"}
    assert (await client.post(f"/api/events/{slug}/feedback-form", json=form)).status_code == 201
    return event


async def test_a_copy_across_the_last_sunday_of_october_keeps_0930_on_the_clock(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    source = await _conference(client)
    response = await client.post(f"/api/events/{source['slug']}/copy", json={"date": AFTER_CHANGE})
    assert response.status_code == 201, response.text
    copy = response.json()
    assert copy["starts_at"] == f"{AFTER_CHANGE}T09:00:00Z"  # 09:00 GMT, as 09:00 BST was the source's
    assert source["starts_at"] == f"{BEFORE_CHANGE}T09:00:00+01:00"
    keynote = next(s for s in copy["sessions"] if s["title"] == "Opening keynote")
    assert keynote["starts_at"] == f"{AFTER_CHANGE}T09:30:00Z"  # 09:30 on the clock, an hour later in UTC
    assert copy["registration_opens_at"] == "2030-09-08T09:00:00+01:00"  # a week on, as the event moved
    assert copy["registration_closes_at"] == f"{AFTER_CHANGE}T08:00:00Z"
    page = await client.get(f"/api/events/{copy['slug']}")
    assert page.json()["sessions"][0]["starts_at"].startswith(f"{AFTER_CHANGE}T09:30")


async def test_the_copy_takes_the_programme_questions_form_and_settings_as_a_draft(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    source = await _conference(client)
    slug = source["slug"]
    settings = {"reminder_offsets": "3d", "feedback_after": 90, "email_note": "Parking behind the library."}
    assert (await client.patch(f"/api/events/{slug}", json=settings)).status_code == 200
    copy = (await client.post(f"/api/events/{slug}/copy", json={"date": "2031-10-21"})).json()
    assert copy["status"] == "draft"
    assert copy["title"] == "National Conference 2031"  # the year in the title moves with the date
    assert copy["slug"] != slug
    assert [t["name"] for t in copy["tracks"]] == ["Schools"]
    keynote, workshop = copy["sessions"]
    assert [s["name"] for s in keynote["speakers"]] == ["Bo Brummell", "Ada Lovelace"]
    assert [s["role"] for s in keynote["speakers"]] == ["chair", "speaker"]
    assert keynote["room"]["name"] == "Room A" and keynote["track"]["name"] == "Schools"
    assert workshop["capacity"] == 20 and workshop["kind"] == "workshop" and workshop["room"]["name"] == "Room B"
    assert copy["venue"]["id"] == source["venue"]["id"]
    assert (copy["attendance_mode"], copy["online_capacity"]) == ("hybrid", 40)
    assert copy["online_url"] == source["online_url"] != ""  # the organisers read the copy's meeting addresses
    assert keynote["join_url"] == "https://meet.example.org/keynote" and workshop["join_url"] == ""
    questions = (await client.get(f"/api/events/{copy['slug']}/questions")).json()
    assert [(q["label"], q["required"], q["help_text"]) for q in questions] == [
        ("Which school do you work with?", True, "Its name")
    ]
    form = (await client.get(f"/api/events/{copy['slug']}/feedback-form")).json()
    original = (await client.get(f"/api/events/{slug}/feedback-form")).json()
    assert [q["label"] for q in form["questions"]] == [q["label"] for q in original["questions"]]
    assert form["open_link"] != original["open_link"]  # a link of its own
    assert form["opens_at"] == "2031-10-21T15:00:00Z"  # 16:00 in London (summer time), as the source's

    # Every column of the event row is copied but those a copy makes afresh and the times (moved): columns that
    # other areas add to Event come along without this code naming them.
    rows = event_rows(run)
    before, after = rows[slug], rows[copy["slug"]]
    moved = {"starts_at", "ends_at", "registration_opens_at", "registration_closes_at", "title"}
    kept = set(before) - FRESH_EVENT_COLUMNS - moved
    assert {"capacity", "waitlist_enabled", "requires_approval", "summary", "venue", "online_url"} <= kept
    assert (after["reminder_offsets"], after["feedback_after"], after["email_note"]) == (
        "3d",
        90,
        settings["email_note"],
    )
    assert {k: after[k] for k in kept} == {k: before[k] for k in kept}
    assert (after["sequence"], after["published_at"], after["cancelled_at"]) == (0, None, None)


async def test_a_copy_never_carries_registrations_check_ins_or_answers(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    run(ensure_default_groups)
    source = await _conference(client)
    opened = {"status": "published", "requires_approval": False, "registration_opens_at": None}
    assert (await client.patch(f"/api/events/{source['slug']}", json=opened)).status_code == 200
    answer = {str((await client.get(f"/api/events/{source['slug']}/questions")).json()[0]["id"]): "Parkside"}
    registered = await register(client, source["slug"], 1, answers=answer, attendance_mode="in_person")
    checked = await client.post(
        f"/api/events/{source['slug']}/check-in/registrations/{registered['registration']['id']}",
        json={"override": True},
    )
    assert checked.status_code == 200, checked.text
    run(
        partial(
            record_online_attendance,
            event_id=source["id"],
            registration_id=registered["registration"]["id"],
            session_id=None,
            at=utc_now(),
            source="link",
        )
    )
    copy = (await client.post(f"/api/events/{source['slug']}/copy", json={"date": AFTER_CHANGE})).json()
    rows = event_rows(run)
    copy_id, source_id = rows[copy["slug"]]["id"], rows[source["slug"]]["id"]
    assert count(run, Registration, Registration.event == source_id) == 1
    assert count(run, Registration, Registration.event == copy_id) == 0
    assert count(run, OnlineAttendance, OnlineAttendance.event == source_id) == 1
    assert count(run, OnlineAttendance, OnlineAttendance.event == copy_id) == 0
    counts = (await client.get(f"/api/events/{copy['slug']}/check-in/counts")).json()
    assert counts["checked_in"] == 0
    forms = count(run, FeedbackResponse, FeedbackResponse.form.event == copy_id)
    assert forms == 0
    assert count(run, FeedbackForm, FeedbackForm.event == copy_id) == 1
    assert count(run, FeedbackQuestion, FeedbackQuestion.form.event == copy_id) > 0


async def test_a_slug_already_used_is_refused_naming_the_field_and_nothing_is_made(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    source = await _conference(client)
    before = len(event_rows(run))
    sessions = count(run, Session)
    taken = {"date": "2031-10-21", "slug": source["slug"]}
    refused = await client.post(f"/api/events/{source['slug']}/copy", json=taken)
    assert refused.status_code == 409
    assert refused.json()["field"] == "slug" and refused.json()["code"] == "slug_taken"
    assert len(event_rows(run)) == before and count(run, Session) == sessions
    chosen = await client.post(
        f"/api/events/{source['slug']}/copy", json={"date": "2031-10-21", "slug": "national-conference-2031"}
    )
    assert chosen.status_code == 201 and chosen.json()["slug"] == "national-conference-2031"
    bad = await client.post(f"/api/events/{source['slug']}/copy", json={"date": "next year", "slug": "Not A Slug"})
    assert bad.status_code == 400
    assert {e["field"] for e in bad.json()["errors"]} == {"date", "slug"}
    missing = await client.post("/api/events/no-such-event/copy", json={"date": "2031-10-21"})
    assert missing.status_code == 404


async def test_a_copy_into_a_room_another_event_holds_is_refused_and_nothing_is_made(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    source = await _conference(client)
    room_a = source["venue"]["rooms"][0]["id"]
    other = await make_event(
        client, title="Other day", starts_at=f"{AFTER_CHANGE}T09:00:00", ends_at=f"{AFTER_CHANGE}T17:00:00"
    )
    await client.patch(f"/api/events/{other['slug']}", json={"venue_id": source["venue"]["id"]})
    await make_session(
        client,
        other["slug"],
        title="Held",
        starts_at=f"{AFTER_CHANGE}T09:00:00",
        ends_at=f"{AFTER_CHANGE}T10:00:00",
        room_id=room_a,
    )
    before = len(event_rows(run))
    refused = await client.post(f"/api/events/{source['slug']}/copy", json={"date": AFTER_CHANGE})
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "room_clash" and refused.json()["field"] == "date"
    assert "Held" in refused.json()["detail"]
    assert len(event_rows(run)) == before

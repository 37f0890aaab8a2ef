"""The organiser's timetable pages, used as an organiser would: the grid, adding a session with its room, track
and speakers, and every refusal of the timetable's rules, named next to its field."""

from __future__ import annotations

import re
from typing import Any

from litestar.testing import AsyncTestClient

from tests.builders import DAY, make_event, make_session, make_speaker
from tests.conftest import Accounts
from tests.organiser.timetable_helpers import HTML, conference, csrf_token, error_of, session_form, sessions_of, text_of


async def test_adding_a_session_with_room_track_and_speakers_in_order(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    event, rooms = await conference(client)
    slug = event["slug"]
    ada = await make_speaker(client, "Ada Lovelace")
    mary = await make_speaker(client, "Mary Somerville")
    csrf = await csrf_token(client)
    added = await client.post(
        f"/organiser/events/{slug}/tracks", data={"_csrf_token": csrf, "name": "Partnerships"}, follow_redirects=False
    )
    assert added.status_code == 303
    track = (await client.get(f"/api/events/{slug}")).json()["tracks"][0]

    form = await client.get(f"/organiser/events/{slug}/sessions/new", headers=HTML)
    assert form.status_code == 200
    assert "Room A (50 seats)" in form.text and "Mary Somerville" in form.text
    assert "Times in UK time (Europe/London" in text_of(form)

    made = await client.post(
        f"/organiser/events/{slug}/sessions",
        data=session_form(
            csrf,
            room_id=str(rooms["Room A"]),
            track_id=str(track["id"]),
            capacity="30",
            **{"speaker-0": str(mary["id"]), "role-0": "chair", "speaker-1": "", "speaker-2": str(ada["id"])},
        ),
        follow_redirects=False,
    )
    assert made.status_code == 303, text_of(made)
    assert made.headers["location"].startswith(f"/organiser/events/{slug}/timetable?notice=")
    (session,) = await sessions_of(client, slug)
    assert session["starts_at"] == f"{DAY}T10:00:00+01:00"  # typed as London time (BST)
    assert (session["room"]["name"], session["track"]["name"], session["capacity"]) == ("Room A", "Partnerships", 30)
    assert [(s["name"], s["role"]) for s in session["speakers"]] == [
        ("Mary Somerville", "chair"),
        ("Ada Lovelace", "speaker"),
    ]

    page = await client.get(made.headers["location"], headers=HTML)
    assert page.status_code == 200
    text = text_of(page)
    assert "Added 'Widening access panel' (10:00–11:00)" in text
    assert "Room A" in text and "Room B" in text and "Mary Somerville (chair), Ada Lovelace" in text
    assert f'href="/organiser/events/{slug}/sessions/{session["id"]}/edit"' in page.text


async def test_the_grid_has_rooms_across_and_time_down_and_a_list_for_phones(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    event, rooms = await conference(client)
    slug = event["slug"]
    await make_session(client, slug, title="Opening", starts_at=f"{DAY}T09:00:00", ends_at=f"{DAY}T10:00:00")
    await make_session(client, slug, title="Long workshop", room_id=rooms["Room A"], ends_at=f"{DAY}T12:00:00")
    await make_session(client, slug, title="Short talk", room_id=rooms["Room B"])
    page = await client.get(f"/organiser/events/{slug}/timetable", headers=HTML)
    assert page.status_code == 200
    headings = re.findall(r'<th scope="col">([^<]*)</th>', page.text)
    assert headings == ["Time", "Room A", "Room B", "No room"]
    rows = re.findall(r'<th scope="row">.*?<time[^>]*>([^<]*)</time>', page.text)
    assert rows == ["09:00", "10:00", "11:00"]  # a row for each moment a session starts or ends
    assert re.search(r'<td rowspan="2" class="grid-session kind-talk">\s*<a[^>]*>Long workshop', page.text)
    listed = page.text.split('class="plain timetable-list"')[1]
    assert listed.index("Opening") < listed.index("Long workshop") < listed.index("Short talk")


async def test_without_rooms_the_tracks_go_across(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    event = await make_event(client)
    slug = event["slug"]
    track = (await client.post(f"/api/events/{slug}/tracks", json={"name": "Schools"})).json()
    await make_session(client, slug, title="In a track", track_id=track["id"])
    await make_session(client, slug, title="Plenary", starts_at=f"{DAY}T09:00:00", ends_at=f"{DAY}T09:30:00")
    page = await client.get(f"/organiser/events/{slug}/timetable", headers=HTML)
    assert re.findall(r'<th scope="col">([^<]*)</th>', page.text) == ["Time", "Schools", "No track"]
    assert "This event has no venue" in text_of(page)


async def test_a_room_clash_is_refused_naming_the_room_and_linking_the_session_there(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    event, rooms = await conference(client)
    slug = event["slug"]
    keynote = await make_session(client, slug, title="Keynote", room_id=rooms["Room A"])
    csrf = await csrf_token(client)
    clash = await client.post(
        f"/organiser/events/{slug}/sessions",
        data=session_form(csrf, title="Overlap", room_id=str(rooms["Room A"]), starts_at=f"{DAY}T10:30"),
    )
    assert clash.status_code == 400
    assert error_of(clash, "room_id") == "Room A is already booked for 'Keynote' from 10:00 to 11:00"
    assert 'aria-invalid="true" aria-describedby="room_id-error"' in clash.text
    assert f'<a href="/organiser/events/{slug}/sessions/{keynote["id"]}/edit">Keynote</a>, 10:00–11:00' in clash.text
    assert 'value="Overlap"' in clash.text and f'value="{DAY}T10:30"' in clash.text  # what was typed is kept
    assert 'href="#room_id"' in clash.text  # the error summary leads to the field
    assert [s["title"] for s in await sessions_of(client, slug)] == ["Keynote"]


async def test_sessions_outside_the_event_or_ending_before_they_start_are_refused(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    event, _ = await conference(client)
    slug = event["slug"]
    csrf = await csrf_token(client)
    early = await client.post(f"/organiser/events/{slug}/sessions", data=session_form(csrf, starts_at=f"{DAY}T08:30"))
    assert early.status_code == 400
    assert error_of(early, "starts_at") == (
        "The session starts before the event does (the event runs 09:00–17:00 Europe/London)"
    )
    late = await client.post(f"/organiser/events/{slug}/sessions", data=session_form(csrf, ends_at=f"{DAY}T17:30"))
    assert late.status_code == 400
    assert "ends after the event does" in error_of(late, "ends_at")
    backwards = await client.post(f"/organiser/events/{slug}/sessions", data=session_form(csrf, ends_at=f"{DAY}T09:30"))
    assert backwards.status_code == 400
    assert error_of(backwards, "ends_at") == "The session must end after it starts"
    assert await sessions_of(client, slug) == []


async def test_more_places_than_the_room_holds_are_refused(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    event, rooms = await conference(client)
    csrf = await csrf_token(client)
    too_many = await client.post(
        f"/organiser/events/{event['slug']}/sessions",
        data=session_form(csrf, kind="workshop", room_id=str(rooms["Room B"]), capacity="999"),
    )
    assert too_many.status_code == 400
    assert error_of(too_many, "capacity") == "Room B holds 50; the capacity cannot be more"
    assert 'value="999"' in too_many.text


async def test_every_wrong_field_is_named_at_once_in_the_forms_words(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    event, _ = await conference(client)
    csrf = await csrf_token(client)
    wrong = await client.post(
        f"/organiser/events/{event['slug']}/sessions",
        data=session_form(csrf, title="", kind="webinar", starts_at="tomorrow", capacity="lots", status="Published"),
    )
    assert wrong.status_code == 400
    assert error_of(wrong, "title") == "Title: please fill this in"
    assert error_of(wrong, "kind").startswith("Kind: ")
    assert error_of(wrong, "status").startswith("Status: ")
    assert error_of(wrong, "starts_at") == "Starts: please give a date and time, like 2030-06-12 10:30"
    assert error_of(wrong, "capacity").startswith("Places: ")
    summary = wrong.text.split('class="error-summary"')[1].split("</div>")[0]
    assert summary.index("#title") < summary.index("#kind") < summary.index("#starts_at") < summary.index("#capacity")


async def test_a_speaker_listed_twice_is_refused(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    event, _ = await conference(client)
    ada = await make_speaker(client, "Ada Lovelace")
    csrf = await csrf_token(client)
    twice = await client.post(
        f"/organiser/events/{event['slug']}/sessions",
        data=session_form(csrf, **{"speaker-0": str(ada["id"]), "speaker-1": str(ada["id"]), "role-1": "chair"}),
    )
    assert twice.status_code == 400
    assert error_of(twice, "speakers") == "A speaker is listed twice"

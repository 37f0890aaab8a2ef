"""The organiser's timetable pages, used as an organiser would: the grid, adding, editing, moving, cancelling and
deleting sessions, tracks; and every refusal of the timetable's rules, named next to its field."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_plus

from litestar.testing import AsyncTestClient

from tests.builders import DAY, make_event, make_session, make_speaker, make_venue
from tests.conftest import Accounts
from tests.seed import seed

HTML = {"accept": "text/html"}


async def _csrf(client: AsyncTestClient[Any]) -> str:
    await client.get("/organiser", headers=HTML)
    token = client.cookies.get("csrftoken")
    assert token
    return token


async def _conference(client: AsyncTestClient[Any]) -> tuple[dict[str, Any], dict[str, int]]:
    venue = await make_venue(client)  # Room A and Room B, 50 seats each
    event = await make_event(client, venue_id=venue["id"])  # 09:00-17:00 London time
    return event, {r["name"]: r["id"] for r in venue["rooms"]}


def _form(csrf: str, **values: Any) -> dict[str, Any]:
    return {
        "_csrf_token": csrf,
        "speakers_listed": "1",
        "title": "Widening access panel",
        "kind": "panel",
        "status": "scheduled",
        "starts_at": f"{DAY}T10:00",
        "ends_at": f"{DAY}T11:00",
        "room_id": "",
        "track_id": "",
        "capacity": "",
        "description": "",
        **values,
    }


def _text(response: Any) -> str:
    """The page as a person reads it: tags gone, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


def _error_of(response: Any, field: str) -> str:
    found = re.search(rf'<p id="{field}-error" class="field-error">([^<]*)</p>', response.text)
    assert found, f"no error next to {field}: {_text(response)[:600]}"
    return html.unescape(found.group(1))


async def _sessions(client: AsyncTestClient[Any], slug: str) -> list[dict[str, Any]]:
    return (await client.get(f"/api/events/{slug}/sessions")).json()  # type: ignore[no-any-return]


async def test_adding_a_session_with_room_track_and_speakers_in_order(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    event, rooms = await _conference(client)
    slug = event["slug"]
    ada = await make_speaker(client, "Ada Lovelace")
    mary = await make_speaker(client, "Mary Somerville")
    csrf = await _csrf(client)
    added = await client.post(
        f"/organiser/events/{slug}/tracks", data={"_csrf_token": csrf, "name": "Partnerships"}, follow_redirects=False
    )
    assert added.status_code == 303
    track = (await client.get(f"/api/events/{slug}")).json()["tracks"][0]

    form = await client.get(f"/organiser/events/{slug}/sessions/new", headers=HTML)
    assert form.status_code == 200
    assert "Room A (50 seats)" in form.text and "Mary Somerville" in form.text
    assert "Times in UK time (Europe/London" in _text(form)

    made = await client.post(
        f"/organiser/events/{slug}/sessions",
        data=_form(
            csrf,
            room_id=str(rooms["Room A"]),
            track_id=str(track["id"]),
            capacity="30",
            **{"speaker-0": str(mary["id"]), "role-0": "chair", "speaker-1": "", "speaker-2": str(ada["id"])},
        ),
        follow_redirects=False,
    )
    assert made.status_code == 303, _text(made)
    assert made.headers["location"].startswith(f"/organiser/events/{slug}/timetable?notice=")
    (session,) = await _sessions(client, slug)
    assert session["starts_at"] == f"{DAY}T10:00:00+01:00"  # typed as London time (BST)
    assert (session["room"]["name"], session["track"]["name"], session["capacity"]) == ("Room A", "Partnerships", 30)
    assert [(s["name"], s["role"]) for s in session["speakers"]] == [
        ("Mary Somerville", "chair"),
        ("Ada Lovelace", "speaker"),
    ]

    page = await client.get(made.headers["location"], headers=HTML)
    assert page.status_code == 200
    text = _text(page)
    assert "Added 'Widening access panel' (10:00–11:00)" in text
    assert "Room A" in text and "Room B" in text and "Mary Somerville (chair), Ada Lovelace" in text
    assert f'href="/organiser/events/{slug}/sessions/{session["id"]}/edit"' in page.text


async def test_the_grid_has_rooms_across_and_time_down_and_a_list_for_phones(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    event, rooms = await _conference(client)
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
    assert "This event has no venue" in _text(page)


async def test_a_room_clash_is_refused_naming_the_room_and_linking_the_session_there(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    event, rooms = await _conference(client)
    slug = event["slug"]
    keynote = await make_session(client, slug, title="Keynote", room_id=rooms["Room A"])
    csrf = await _csrf(client)
    clash = await client.post(
        f"/organiser/events/{slug}/sessions",
        data=_form(csrf, title="Overlap", room_id=str(rooms["Room A"]), starts_at=f"{DAY}T10:30"),
    )
    assert clash.status_code == 400
    assert _error_of(clash, "room_id") == "Room A is already booked for 'Keynote' from 10:00 to 11:00"
    assert 'aria-invalid="true" aria-describedby="room_id-error"' in clash.text
    assert f'<a href="/organiser/events/{slug}/sessions/{keynote["id"]}/edit">Keynote</a>, 10:00–11:00' in clash.text
    assert 'value="Overlap"' in clash.text and f'value="{DAY}T10:30"' in clash.text  # what was typed is kept
    assert 'href="#room_id"' in clash.text  # the error summary leads to the field
    assert [s["title"] for s in await _sessions(client, slug)] == ["Keynote"]


async def test_sessions_outside_the_event_or_ending_before_they_start_are_refused(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    event, _ = await _conference(client)
    slug = event["slug"]
    csrf = await _csrf(client)
    early = await client.post(f"/organiser/events/{slug}/sessions", data=_form(csrf, starts_at=f"{DAY}T08:30"))
    assert early.status_code == 400
    assert _error_of(early, "starts_at") == (
        "The session starts before the event does (the event runs 09:00–17:00 Europe/London)"
    )
    late = await client.post(f"/organiser/events/{slug}/sessions", data=_form(csrf, ends_at=f"{DAY}T17:30"))
    assert late.status_code == 400
    assert "ends after the event does" in _error_of(late, "ends_at")
    backwards = await client.post(f"/organiser/events/{slug}/sessions", data=_form(csrf, ends_at=f"{DAY}T09:30"))
    assert backwards.status_code == 400
    assert _error_of(backwards, "ends_at") == "The session must end after it starts"
    assert await _sessions(client, slug) == []


async def test_more_places_than_the_room_holds_are_refused(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    event, rooms = await _conference(client)
    csrf = await _csrf(client)
    too_many = await client.post(
        f"/organiser/events/{event['slug']}/sessions",
        data=_form(csrf, kind="workshop", room_id=str(rooms["Room B"]), capacity="999"),
    )
    assert too_many.status_code == 400
    assert _error_of(too_many, "capacity") == "Room B holds 50; the capacity cannot be more"
    assert 'value="999"' in too_many.text


async def test_every_wrong_field_is_named_at_once_in_the_forms_words(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    event, _ = await _conference(client)
    csrf = await _csrf(client)
    wrong = await client.post(
        f"/organiser/events/{event['slug']}/sessions",
        data=_form(csrf, title="", kind="webinar", starts_at="tomorrow", capacity="lots", status="Published"),
    )
    assert wrong.status_code == 400
    assert _error_of(wrong, "title") == "Title: please fill this in"
    assert _error_of(wrong, "kind").startswith("Kind: ")
    assert _error_of(wrong, "status").startswith("Status: ")
    assert _error_of(wrong, "starts_at") == "Starts: please give a date and time, like 2030-06-12 10:30"
    assert _error_of(wrong, "capacity").startswith("Places: ")
    summary = wrong.text.split('class="error-summary"')[1].split("</div>")[0]
    assert summary.index("#title") < summary.index("#kind") < summary.index("#starts_at") < summary.index("#capacity")


async def test_a_speaker_listed_twice_is_refused(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    event, _ = await _conference(client)
    ada = await make_speaker(client, "Ada Lovelace")
    csrf = await _csrf(client)
    twice = await client.post(
        f"/organiser/events/{event['slug']}/sessions",
        data=_form(csrf, **{"speaker-0": str(ada["id"]), "speaker-1": str(ada["id"]), "role-1": "chair"}),
    )
    assert twice.status_code == 400
    assert _error_of(twice, "speakers") == "A speaker is listed twice"


async def _stored_sessions() -> list[dict[str, Any]]:
    from events_app.programme.tables import Session

    return list(await Session.select(Session.title, Session.sequence, Session.room))


async def test_moving_a_session_raises_its_sequence_and_a_clash_on_the_way_is_refused(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    event, rooms = await _conference(client)
    slug = event["slug"]
    talk = await make_session(client, slug, title="Talk", room_id=rooms["Room A"])
    other = await make_session(
        client, slug, title="Other", room_id=rooms["Room B"], starts_at=f"{DAY}T14:00:00", ends_at=f"{DAY}T15:00:00"
    )
    csrf = await _csrf(client)
    edit = await client.get(f"/organiser/events/{slug}/sessions/{talk['id']}/edit", headers=HTML)
    assert edit.status_code == 200
    assert f'value="{DAY}T10:00"' in edit.text  # shown in the event's zone, as typed

    path = f"/organiser/events/{slug}/sessions/{talk['id']}/edit"
    moved = await client.post(
        path,
        data={
            "_csrf_token": csrf,
            "starts_at": f"{DAY}T13:00",
            "ends_at": f"{DAY}T14:00",
            "room_id": str(rooms["Room B"]),
        },
        follow_redirects=False,
    )
    assert moved.status_code == 303
    assert "Saved 'Talk' (13:00–14:00)" in _text(await client.get(moved.headers["location"], headers=HTML))

    rows = {r["title"]: r for r in run(_stored_sessions)}
    assert (rows["Talk"]["sequence"], rows["Talk"]["room"]) == (1, rooms["Room B"])

    clash = await client.post(path, data={"_csrf_token": csrf, "starts_at": f"{DAY}T13:30", "ends_at": f"{DAY}T14:30"})
    assert clash.status_code == 400
    assert _error_of(clash, "room_id") == "Room B is already booked for 'Other' from 14:00 to 15:00"
    assert f'href="/organiser/events/{slug}/sessions/{other["id"]}/edit"' in clash.text
    # The rest of the form shows the session as it is, with the two times as typed.
    assert 'value="Talk"' in clash.text and f'value="{DAY}T13:30"' in clash.text


async def test_cancelling_and_deleting_a_session(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    event, _ = await _conference(client)
    slug = event["slug"]
    talk = await make_session(client, slug, title="Talk")
    csrf = await _csrf(client)
    base = f"/organiser/events/{slug}/sessions/{talk['id']}"
    cancelled = await client.post(
        f"{base}/edit", data={"_csrf_token": csrf, "status": "cancelled"}, follow_redirects=False
    )
    assert cancelled.status_code == 303
    page = await client.get(f"/organiser/events/{slug}/timetable", headers=HTML)
    assert "Cancelled" in _text(page) and "cancelled" in page.text
    asked = await client.post(f"{base}/delete", data={"_csrf_token": csrf})
    assert asked.status_code == 200
    assert "Delete “Talk”?" in _text(asked)
    assert [s["title"] for s in await _sessions(client, slug)] == ["Talk"]  # asking deletes nothing
    deleted = await client.post(f"{base}/delete", data={"_csrf_token": csrf, "confirm": "yes"}, follow_redirects=False)
    assert deleted.status_code == 303
    assert await _sessions(client, slug) == []
    gone = await client.get(f"{base}/edit", headers=HTML)
    assert gone.status_code == 404


async def test_a_booked_session_cannot_be_deleted_but_can_be_cancelled(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any]
) -> None:
    await accounts.sign_in("organiser")
    seeded = await seed(client, suffix="t", organiser_id=0)
    csrf = await _csrf(client)
    base = f"/organiser/events/{seeded.event}/sessions/{seeded.session_id}"
    refused = await client.post(f"{base}/delete", data={"_csrf_token": csrf, "confirm": "yes"})
    assert refused.status_code == 400
    assert "Delegates have booked this session: cancel it instead of deleting it" in _text(refused)
    assert 'name="status" value="cancelled"' in refused.text
    instead = await client.post(
        f"{base}/edit", data={"_csrf_token": csrf, "status": "cancelled"}, follow_redirects=False
    )
    assert instead.status_code == 303
    (session,) = await _sessions(client, seeded.event)
    assert session["status"] == "cancelled"


async def test_moving_a_booked_workshop_tells_each_place_holder_once(
    client: AsyncTestClient[Any], accounts: Accounts
) -> None:
    await accounts.sign_in("organiser")
    seeded = await seed(client, suffix="w", organiser_id=0)  # a published event, its workshop booked by a delegate

    async def told() -> list[str]:
        outbox = (await client.get("/api/outbox", params={"to": seeded.delegate_email})).json()["items"]
        return [m["subject"] for m in outbox if m["kind"] == "session_changed"]

    csrf = await _csrf(client)
    moved = await client.post(
        f"/organiser/events/{seeded.event}/sessions/{seeded.session_id}/edit",
        data={"_csrf_token": csrf, "starts_at": f"{DAY}T15:00", "ends_at": f"{DAY}T16:00"},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    page = _text(await client.get(moved.headers["location"], headers=HTML))
    assert "Saved 'Widening access workshop' (15:00–16:00). People holding a place in it are told by email." in page
    assert len(await told()) == 1
    renamed = await client.post(
        f"/organiser/events/{seeded.event}/sessions/{seeded.session_id}/edit",
        data={"_csrf_token": csrf, "title": "Widening access workshop (room 2)"},
        follow_redirects=False,
    )
    assert "told by email" not in unquote_plus(renamed.headers["location"])
    assert "Saved 'Widening access workshop (room 2)'" in unquote_plus(renamed.headers["location"])
    assert len(await told()) == 1  # a new title alone is no change of time or place


async def test_a_session_of_another_event_is_not_found_under_this_one(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    one = await make_event(client, title="One")
    two = await make_event(client, title="Two")
    talk = await make_session(client, one["slug"])
    wrong = await client.get(f"/organiser/events/{two['slug']}/sessions/{talk['id']}/edit", headers=HTML)
    assert wrong.status_code == 404


async def test_tracks_are_added_renamed_and_removed_leaving_their_sessions(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    event = await make_event(client)
    slug = event["slug"]
    csrf = await _csrf(client)
    for name in ("Schools", "Funders"):
        added = await client.post(
            f"/organiser/events/{slug}/tracks", data={"_csrf_token": csrf, "name": name}, follow_redirects=False
        )
        assert added.status_code == 303
    tracks = (await client.get(f"/api/events/{slug}")).json()["tracks"]
    assert [(t["name"], t["position"]) for t in tracks] == [("Schools", 0), ("Funders", 1)]
    schools, funders = tracks

    taken = await client.post(f"/organiser/events/{slug}/tracks", data={"_csrf_token": csrf, "name": "Schools"})
    assert taken.status_code == 400
    assert _error_of(taken, "track_name") == "This event already has a track called 'Schools'"
    empty = await client.post(f"/organiser/events/{slug}/tracks/{funders['id']}/edit", data={"_csrf_token": csrf})
    assert empty.status_code == 400
    assert _error_of(empty, f"track-{funders['id']}-name") == "Track name: please fill this in"

    renamed = await client.post(
        f"/organiser/events/{slug}/tracks/{funders['id']}/edit",
        data={"_csrf_token": csrf, "name": "Funders and policy"},
        follow_redirects=False,
    )
    assert renamed.status_code == 303
    await make_session(client, slug, title="Schools talk", track_id=schools["id"])
    asked = await client.post(f"/organiser/events/{slug}/tracks/{schools['id']}/delete", data={"_csrf_token": csrf})
    assert asked.status_code == 200
    assert "These sessions stay on the timetable, without a track: Schools talk" in _text(asked)
    removed = await client.post(
        f"/organiser/events/{slug}/tracks/{schools['id']}/delete",
        data={"_csrf_token": csrf, "confirm": "yes"},
        follow_redirects=False,
    )
    assert removed.status_code == 303
    detail = (await client.get(f"/api/events/{slug}")).json()
    assert [t["name"] for t in detail["tracks"]] == ["Funders and policy"]
    assert [(s["title"], s["track"]) for s in detail["sessions"]] == [("Schools talk", None)]


async def test_pages_need_an_organiser_and_forms_need_the_csrf_token(
    client: AsyncTestClient[Any], accounts: Accounts
) -> None:
    await accounts.sign_in("organiser")
    event = await make_event(client)
    slug = event["slug"]
    await accounts.sign_in("checkin")
    assert (await client.get(f"/organiser/events/{slug}/timetable", headers=HTML)).status_code == 403
    await accounts.sign_in("organiser")
    await _csrf(client)
    forged = await client.post(f"/organiser/events/{slug}/sessions", data=_form("forged"))
    assert forged.status_code == 403
    assert await _sessions(client, slug) == []

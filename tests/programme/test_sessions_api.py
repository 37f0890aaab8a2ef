"""Sessions, tracks and speakers: the timetable rules an organiser meets."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from tests.builders import DAY, make_event, make_session, make_speaker, make_venue
from tests.conftest import Accounts


async def _conference(client: AsyncTestClient[Any]) -> tuple[dict[str, Any], dict[str, int]]:
    venue = await make_venue(client)
    event = await make_event(client, venue_id=venue["id"])
    return event, {r["name"]: r["id"] for r in venue["rooms"]}


async def test_session_crud_with_track_room_and_ordered_speakers(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    event, rooms = await _conference(client)
    track = (
        await client.post(f"/api/events/{event['slug']}/tracks", json={"name": "Partnerships", "position": 1})
    ).json()
    ada = await make_speaker(client, "Ada Lovelace")
    mary = await make_speaker(client, "Mary Somerville")
    session = await make_session(
        client,
        event["slug"],
        title="Panel",
        kind="panel",
        room_id=rooms["Room A"],
        track_id=track["id"],
        speakers=[{"speaker_id": mary["id"], "role": "chair"}, {"speaker_id": ada["id"]}],
    )
    assert session["room"]["name"] == "Room A"
    assert session["track"]["name"] == "Partnerships"
    assert [(s["name"], s["role"]) for s in session["speakers"]] == [
        ("Mary Somerville", "chair"),
        ("Ada Lovelace", "speaker"),
    ]
    assert session["starts_at"] == f"{DAY}T10:00:00+01:00"

    changed = await client.patch(
        f"/api/sessions/{session['id']}", json={"title": "Big panel", "speakers": [{"speaker_id": ada["id"]}]}
    )
    assert changed.status_code == 200, changed.text
    assert [s["name"] for s in changed.json()["speakers"]] == ["Ada Lovelace"]

    detail = (await client.get(f"/api/events/{event['slug']}")).json()
    assert [t["name"] for t in detail["tracks"]] == ["Partnerships"]
    assert [s["title"] for s in detail["sessions"]] == ["Big panel"]

    assert (await client.delete(f"/api/sessions/{session['id']}")).status_code == 204
    assert (await client.get(f"/api/sessions/{session['id']}")).status_code == 404


async def test_session_outside_its_event_is_refused(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    event, _ = await _conference(client)
    early = await client.post(
        f"/api/events/{event['slug']}/sessions",
        json={"title": "Dawn", "starts_at": f"{DAY}T08:00:00", "ends_at": f"{DAY}T09:30:00"},
    )
    assert early.status_code == 422
    assert early.json()["field"] == "starts_at"
    assert "09:00–17:00 Europe/London" in early.json()["detail"]
    late = await client.post(
        f"/api/events/{event['slug']}/sessions",
        json={"title": "Dusk", "starts_at": f"{DAY}T16:30:00", "ends_at": f"{DAY}T18:00:00"},
    )
    assert (late.status_code, late.json()["field"]) == (422, "ends_at")
    backwards = await client.post(
        f"/api/events/{event['slug']}/sessions",
        json={"title": "Back", "starts_at": f"{DAY}T12:00:00", "ends_at": f"{DAY}T11:00:00"},
    )
    assert (backwards.status_code, backwards.json()["field"]) == (422, "ends_at")
    assert (await client.get(f"/api/events/{event['slug']}/sessions")).json() == []


async def test_two_sessions_in_one_room_at_once_are_refused(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    event, rooms = await _conference(client)
    await make_session(client, event["slug"], title="Keynote", room_id=rooms["Room A"])
    clash = await client.post(
        f"/api/events/{event['slug']}/sessions",
        json={
            "title": "Overlap",
            "starts_at": f"{DAY}T10:30:00",
            "ends_at": f"{DAY}T11:30:00",
            "room_id": rooms["Room A"],
        },
    )
    assert clash.status_code == 409
    body = clash.json()
    assert body["field"] == "room_id"
    assert body["code"] == "room_clash"
    assert "Room A is already booked for 'Keynote' from 10:00 to 11:00" in body["detail"]
    # Back to back is fine, and so is another room at the same time.
    await make_session(
        client,
        event["slug"],
        title="Next",
        starts_at=f"{DAY}T11:00:00",
        ends_at=f"{DAY}T12:00:00",
        room_id=rooms["Room A"],
    )
    await make_session(client, event["slug"], title="Parallel", room_id=rooms["Room B"])
    # Moving a session into an occupied slot is refused too.
    parallel = next(
        s for s in (await client.get(f"/api/events/{event['slug']}/sessions")).json() if s["title"] == "Parallel"
    )
    moved = await client.patch(f"/api/sessions/{parallel['id']}", json={"room_id": rooms["Room A"]})
    assert (moved.status_code, moved.json()["field"]) == (409, "room_id")


async def test_room_must_belong_to_the_event_venue(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    event, _ = await _conference(client)
    elsewhere = await make_venue(client, name="Elsewhere", rooms=("Far room",))
    response = await client.post(
        f"/api/events/{event['slug']}/sessions",
        json={
            "title": "Lost",
            "starts_at": f"{DAY}T10:00:00",
            "ends_at": f"{DAY}T11:00:00",
            "room_id": elsewhere["rooms"][0]["id"],
        },
    )
    assert (response.status_code, response.json()["field"]) == (422, "room_id")


async def test_unknown_speaker_and_track_name_the_field(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    event, _ = await _conference(client)
    base = {"title": "T", "starts_at": f"{DAY}T10:00:00", "ends_at": f"{DAY}T11:00:00"}
    unknown_speaker = await client.post(
        f"/api/events/{event['slug']}/sessions", json={**base, "speakers": [{"speaker_id": 424242}]}
    )
    assert (unknown_speaker.status_code, unknown_speaker.json()["field"]) == (422, "speakers")
    unknown_track = await client.post(f"/api/events/{event['slug']}/sessions", json={**base, "track_id": 424242})
    assert (unknown_track.status_code, unknown_track.json()["field"]) == (422, "track_id")
    bad_role = await client.post(
        f"/api/events/{event['slug']}/sessions", json={**base, "speakers": [{"speaker_id": 1, "role": "boss"}]}
    )
    assert bad_role.status_code == 400
    assert bad_role.json()["field"].startswith("speakers")


async def test_workshop_capacity_cannot_exceed_its_room(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    event, rooms = await _conference(client)  # rooms hold 50
    response = await client.post(
        f"/api/events/{event['slug']}/sessions",
        json={
            "title": "W",
            "kind": "workshop",
            "starts_at": f"{DAY}T10:00:00",
            "ends_at": f"{DAY}T11:00:00",
            "room_id": rooms["Room A"],
            "capacity": 80,
        },
    )
    assert (response.status_code, response.json()["field"]) == (422, "capacity")
    ok = await make_session(client, event["slug"], kind="workshop", room_id=rooms["Room A"], capacity=25)
    assert ok["capacity"] == 25


async def test_moving_a_session_raises_its_sequence(
    client: AsyncTestClient[Any], organiser: Accounts, run: Any
) -> None:
    from events_app.programme.tables import Session

    event, _ = await _conference(client)
    session = await make_session(client, event["slug"])
    await client.patch(f"/api/sessions/{session['id']}", json={"title": "Renamed"})
    await client.patch(f"/api/sessions/{session['id']}", json={"starts_at": f"{DAY}T10:15:00"})

    async def sequence() -> int:
        return int(
            (await Session.select(Session.sequence).where(Session.id == session["id"]).first() or {})["sequence"]
        )

    assert run(sequence) == 1


async def test_speakers_are_public_only_once_they_appear_in_a_published_event(
    client: AsyncTestClient[Any], accounts: Accounts
) -> None:
    await accounts.sign_in("organiser")
    draft = await make_event(client, status="draft")
    hidden = await make_speaker(client, "Draft Person")
    await make_session(client, draft["slug"], speakers=[{"speaker_id": hidden["id"]}])
    live = await make_event(client, title="Live")
    shown = await make_speaker(client, "Live Person")
    await make_session(client, live["slug"], speakers=[{"speaker_id": shown["id"]}])

    await accounts.sign_in("anonymous")
    listing = (await client.get("/api/speakers")).json()
    assert [s["name"] for s in listing["items"]] == ["Live Person"]
    assert (await client.get(f"/api/speakers/{hidden['slug']}")).status_code == 404
    assert (await client.get(f"/speakers/{shown['slug']}")).status_code == 200


async def test_track_names_are_unique_per_event(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    event, _ = await _conference(client)
    assert (await client.post(f"/api/events/{event['slug']}/tracks", json={"name": "A"})).status_code == 201
    again = await client.post(f"/api/events/{event['slug']}/tracks", json={"name": "A"})
    assert (again.status_code, again.json()["field"]) == (409, "name")

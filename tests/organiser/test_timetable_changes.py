"""Changing a timetable through the organiser's pages: moving (SEQUENCE rises, place-holders told), cancelling
and deleting sessions (a second submit to confirm; a booked one is cancelled instead), tracks, and who may."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_plus

from litestar.testing import AsyncTestClient

from tests.builders import DAY, make_event, make_session
from tests.conftest import Accounts
from tests.organiser.timetable_helpers import HTML, conference, csrf_token, error_of, session_form, sessions_of, text_of
from tests.seed import seed


async def _stored_sessions() -> list[dict[str, Any]]:
    from events_app.programme.tables import Session

    return list(await Session.select(Session.title, Session.sequence, Session.room))


async def test_moving_a_session_raises_its_sequence_and_a_clash_on_the_way_is_refused(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    event, rooms = await conference(client)
    slug = event["slug"]
    talk = await make_session(client, slug, title="Talk", room_id=rooms["Room A"])
    other = await make_session(
        client, slug, title="Other", room_id=rooms["Room B"], starts_at=f"{DAY}T14:00:00", ends_at=f"{DAY}T15:00:00"
    )
    csrf = await csrf_token(client)
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
    assert "Saved 'Talk' (13:00–14:00)" in text_of(await client.get(moved.headers["location"], headers=HTML))

    rows = {r["title"]: r for r in run(_stored_sessions)}
    assert (rows["Talk"]["sequence"], rows["Talk"]["room"]) == (1, rooms["Room B"])

    clash = await client.post(path, data={"_csrf_token": csrf, "starts_at": f"{DAY}T13:30", "ends_at": f"{DAY}T14:30"})
    assert clash.status_code == 400
    assert error_of(clash, "room_id") == "Room B is already booked for 'Other' from 14:00 to 15:00"
    assert f'href="/organiser/events/{slug}/sessions/{other["id"]}/edit"' in clash.text
    # The rest of the form shows the session as it is, with the two times as typed.
    assert 'value="Talk"' in clash.text and f'value="{DAY}T13:30"' in clash.text
    cleared = await client.post(path, data={"_csrf_token": csrf, "starts_at": "", "ends_at": f"{DAY}T14:00"})
    assert cleared.status_code == 400
    assert error_of(cleared, "starts_at") == "Starts: please fill this in"  # not left as it was, silently


async def test_cancelling_and_deleting_a_session(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    event, _ = await conference(client)
    slug = event["slug"]
    talk = await make_session(client, slug, title="Talk")
    csrf = await csrf_token(client)
    base = f"/organiser/events/{slug}/sessions/{talk['id']}"
    cancelled = await client.post(
        f"{base}/edit", data={"_csrf_token": csrf, "status": "cancelled"}, follow_redirects=False
    )
    assert cancelled.status_code == 303
    page = await client.get(f"/organiser/events/{slug}/timetable", headers=HTML)
    assert "Cancelled" in text_of(page) and "cancelled" in page.text
    asked = await client.post(f"{base}/delete", data={"_csrf_token": csrf})
    assert asked.status_code == 200
    assert "Delete “Talk”?" in text_of(asked)
    assert [s["title"] for s in await sessions_of(client, slug)] == ["Talk"]  # asking deletes nothing
    deleted = await client.post(f"{base}/delete", data={"_csrf_token": csrf, "confirm": "yes"}, follow_redirects=False)
    assert deleted.status_code == 303
    assert await sessions_of(client, slug) == []
    gone = await client.get(f"{base}/edit", headers=HTML)
    assert gone.status_code == 404


async def test_a_booked_session_cannot_be_deleted_but_can_be_cancelled(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any]
) -> None:
    await accounts.sign_in("organiser")
    seeded = await seed(client, suffix="t", organiser_id=0)
    csrf = await csrf_token(client)
    base = f"/organiser/events/{seeded.event}/sessions/{seeded.session_id}"
    refused = await client.post(f"{base}/delete", data={"_csrf_token": csrf, "confirm": "yes"})
    assert refused.status_code == 400
    assert "Delegates have booked this session: cancel it instead of deleting it" in text_of(refused)
    assert 'name="status" value="cancelled"' in refused.text
    instead = await client.post(
        f"{base}/edit", data={"_csrf_token": csrf, "status": "cancelled"}, follow_redirects=False
    )
    assert instead.status_code == 303
    (session,) = await sessions_of(client, seeded.event)
    assert session["status"] == "cancelled"


async def test_moving_a_booked_workshop_tells_each_place_holder_once(
    client: AsyncTestClient[Any], accounts: Accounts
) -> None:
    await accounts.sign_in("organiser")
    seeded = await seed(client, suffix="w", organiser_id=0)  # a published event, its workshop booked by a delegate

    async def told() -> list[str]:
        outbox = (await client.get("/api/outbox", params={"to": seeded.delegate_email})).json()["items"]
        return [m["subject"] for m in outbox if m["kind"] == "session_changed"]

    csrf = await csrf_token(client)
    moved = await client.post(
        f"/organiser/events/{seeded.event}/sessions/{seeded.session_id}/edit",
        data={"_csrf_token": csrf, "starts_at": f"{DAY}T15:00", "ends_at": f"{DAY}T16:00"},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    page = text_of(await client.get(moved.headers["location"], headers=HTML))
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


async def test_tracks_are_added_renamed_and_removed_leaving_theirsessions_of(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    event = await make_event(client)
    slug = event["slug"]
    csrf = await csrf_token(client)
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
    assert error_of(taken, "track_name") == "This event already has a track called 'Schools'"
    empty = await client.post(f"/organiser/events/{slug}/tracks/{funders['id']}/edit", data={"_csrf_token": csrf})
    assert empty.status_code == 400
    assert error_of(empty, f"track-{funders['id']}-name") == "Track name: please fill this in"

    renamed = await client.post(
        f"/organiser/events/{slug}/tracks/{funders['id']}/edit",
        data={"_csrf_token": csrf, "name": "Funders and policy"},
        follow_redirects=False,
    )
    assert renamed.status_code == 303
    await make_session(client, slug, title="Schools talk", track_id=schools["id"])
    asked = await client.post(f"/organiser/events/{slug}/tracks/{schools['id']}/delete", data={"_csrf_token": csrf})
    assert asked.status_code == 200
    assert "These sessions stay on the timetable, without a track: Schools talk" in text_of(asked)
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
    await csrf_token(client)
    forged = await client.post(f"/organiser/events/{slug}/sessions", data=session_form("forged"))
    assert forged.status_code == 403
    assert await sessions_of(client, slug) == []

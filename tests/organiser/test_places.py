"""Venues with their rooms, through the organisers' pages: what a person sees after each form, and every refusal
named next to the field it is about, with what was typed kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar.testing import AsyncTestClient

from tests.builders import make_event, make_session, make_venue
from tests.conftest import Accounts
from tests.organiser.places_helpers import error_next_to, errors_shown, notice_of, open_page, post_form

VENUE = {"name": "Exeter Science Park", "address": "6 Babbage Way", "city": "Exeter", "postcode": "EX5 2FN"}


async def _venue_id(client: AsyncTestClient[Any], name: str) -> int:
    return int(next(v["id"] for v in (await client.get("/api/venues")).json() if v["name"] == name))


async def test_an_organiser_adds_a_venue_with_two_rooms_and_changes_them(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    assert "No venues yet." in await open_page(client, "/organiser/venues")
    added = notice_of(await post_form(client, "/organiser/venues", VENUE))
    venue_id = await _venue_id(client, "Exeter Science Park")
    assert added.startswith(f"/organiser/venues/{venue_id}/edit?notice=")
    page = await open_page(client, added)
    assert "Exeter Science Park added: now add its rooms" in page
    assert "No rooms yet" in page

    rooms = f"/organiser/venues/{venue_id}/rooms"
    notice_of(await post_form(client, rooms, {"name": "Lecture theatre", "capacity": "120"}))
    notice_of(
        await post_form(client, rooms, {"name": "Seminar room", "capacity": "25", "accessibility": "Hearing loop"})
    )
    venue = (await client.get(f"/api/venues/{venue_id}")).json()
    assert [(r["name"], r["capacity"]) for r in venue["rooms"]] == [("Lecture theatre", 120), ("Seminar room", 25)]
    seminar = venue["rooms"][1]["id"]

    changed = notice_of(
        await post_form(client, f"{rooms}/{seminar}", {"name": "Seminar room 1", "capacity": "30", "accessibility": ""})
    )
    page = await open_page(client, changed)
    assert "Seminar room 1 saved" in page and "(30 seats)" in page
    assert "Seminar room 1" in await open_page(client, "/organiser/venues")

    notice_of(await post_form(client, f"{rooms}/{seminar}/delete", {}))
    assert [r["name"] for r in (await client.get(f"/api/venues/{venue_id}")).json()["rooms"]] == ["Lecture theatre"]

    saved = notice_of(await post_form(client, f"/organiser/venues/{venue_id}/edit", {**VENUE, "city": "Clyst Honiton"}))
    assert "Exeter Science Park saved" in await open_page(client, saved)
    assert (await client.get(f"/api/venues/{venue_id}")).json()["city"] == "Clyst Honiton"


async def test_a_venue_form_names_every_wrong_field_and_keeps_what_was_typed(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    refused = await post_form(
        client, "/organiser/venues", {**VENUE, "name": "", "latitude": "north", "longitude": "200"}
    )
    assert refused.status_code == 400
    assert errors_shown(refused.text) == ["name", "latitude", "longitude"]
    assert error_next_to(refused.text, "name") == "Venue name: please fill this in"
    assert error_next_to(refused.text, "latitude") == "Latitude: should be a number (or left empty)"
    assert error_next_to(refused.text, "longitude").startswith("Longitude: should be at most 180")
    assert 'value="6 Babbage Way"' in refused.text and 'value="north"' in refused.text
    assert (await client.get("/api/venues")).json() == []


async def test_room_refusals_are_shown_next_to_that_room(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    venue = await make_venue(client, "Kingsgate Centre", rooms=("Room A", "Room B"))
    room_a, room_b = (r["id"] for r in venue["rooms"])
    rooms = f"/organiser/venues/{venue['id']}/rooms"

    lots = await post_form(client, rooms, {"name": "Room C", "capacity": "lots"})
    assert lots.status_code == 400
    assert error_next_to(lots.text, "new-room-capacity") == "Seats: should be a whole number (or left empty)"
    assert 'value="lots"' in lots.text

    repeated = await post_form(client, f"{rooms}/{room_b}", {"name": "Room A", "capacity": "10"})
    assert repeated.status_code == 400
    assert "Room A" in error_next_to(repeated.text, f"room-{room_b}-name")
    assert errors_shown(repeated.text) == [f"room-{room_b}-name"]

    negative = await post_form(client, f"{rooms}/{room_a}", {"name": "Room A", "capacity": "-5"})
    assert error_next_to(negative.text, f"room-{room_a}-capacity") == "Seats: should be at least 0"

    event = await make_event(client, venue_id=venue["id"])
    await make_session(client, event["slug"], title="Robotics", kind="workshop", capacity=40, room_id=room_a)
    too_small = await post_form(client, f"{rooms}/{room_a}", {"name": "Room A", "capacity": "20"})
    assert too_small.status_code == 400
    assert error_next_to(too_small.text, f"room-{room_a}-capacity") == (
        "'Robotics' in Room A takes 40 people; give it fewer places or another room first"
    )
    assert 'value="20"' in too_small.text

    other = await make_venue(client, "Elsewhere", rooms=("Hall",))
    not_here = await post_form(client, f"{rooms}/{other['rooms'][0]['id']}", {"name": "Hall"})
    assert not_here.status_code == 404
    names = [r["name"] for r in (await client.get(f"/api/venues/{venue['id']}")).json()["rooms"]]
    assert names == ["Room A", "Room B"]


async def test_what_is_in_use_is_not_removed_and_the_page_says_why(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    venue = await make_venue(client, "Kingsgate Centre", rooms=("Room A",))
    room = venue["rooms"][0]["id"]
    event = await make_event(client, venue_id=venue["id"])
    await make_session(client, event["slug"], room_id=room)

    room_refused = await post_form(client, f"/organiser/venues/{venue['id']}/rooms/{room}/delete", {})
    assert room_refused.status_code == 400
    assert "Room A" in error_next_to(room_refused.text, f"room-{room}-submit")
    venue_refused = await post_form(client, f"/organiser/venues/{venue['id']}/delete", {})
    assert venue_refused.status_code == 400
    assert "Kingsgate Centre" in error_next_to(venue_refused.text, "delete-submit")
    assert '<details class="remove" open>' in venue_refused.text
    assert len((await client.get(f"/api/venues/{venue['id']}")).json()["rooms"]) == 1

    unused = await make_venue(client, "Spare hall", rooms=())
    gone = notice_of(await post_form(client, f"/organiser/venues/{unused['id']}/delete", {}))
    assert "Spare hall removed" in await open_page(client, gone)
    assert (await client.get(f"/api/venues/{unused['id']}")).status_code == 404


async def test_saving_a_venue_untouched_changes_nothing_its_events_carry(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    from events_app.programme.tables import Event

    venue = await make_venue(client, "Kingsgate Centre", rooms=())
    event = await make_event(client, venue_id=venue["id"])
    page_values = {k: str(venue[k]) for k in ("name", "address", "city", "postcode", "latitude", "longitude")}

    async def sequence() -> int:
        row = await Event.select(Event.sequence).where(Event.slug == event["slug"]).first()
        assert row is not None
        return int(row["sequence"])

    before = run(sequence)
    notice_of(await post_form(client, f"/organiser/venues/{venue['id']}/edit", page_values))
    assert run(sequence) == before
    notice_of(
        await post_form(
            client, f"/organiser/venues/{venue['id']}/edit", {**page_values, "address": "2 Kingsgate Square"}
        )
    )
    assert run(sequence) == before + 1

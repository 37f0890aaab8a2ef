"""Registering: places, the waiting list, refusals with reasons, one place per address, and bad input."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from events_app.core.timezones import utc_now
from events_app.mail.tables import OutboxAttachment, OutboxMessage
from events_app.registration.tables import Registration, SessionBooking
from tests.builders import DAY, in_person, make_session
from tests.registration.conftest import HEI, delegate, mails, register, registrations

MISSING = object()


async def test_places_then_the_waiting_list_in_order(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await open_event(capacity=2)
    results = [await register(client, event["slug"], n) for n in range(4)]

    assert [(r["status"], r["waitlist_position"]) for r in results] == [
        ("confirmed", None),
        ("confirmed", None),
        ("waitlisted", 1),
        ("waitlisted", 2),
    ]
    assert results[0]["created"] is True
    assert results[0]["message"].startswith("Your place is confirmed")
    assert "waiting list at number 2" in results[3]["message"]
    assert results[0]["registration"]["stakeholder_group"] == "higher-education-institution"
    assert results[0]["registration"]["organisation"] == "University of Testing"
    assert mails(run) == [
        ("registration_confirmed", "delegate0@example.org"),
        ("registration_confirmed", "delegate1@example.org"),
        ("waitlisted", "delegate2@example.org"),
        ("waitlisted", "delegate3@example.org"),
    ]


async def test_a_full_event_without_a_waiting_list_says_so(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await open_event(capacity=1, waitlist_enabled=False)
    await register(client, event["slug"], 1)
    full = await client.post(f"/api/events/{event['slug']}/registrations", json=delegate(2))
    assert full.status_code == 409
    assert full.json()["code"] == "event_full"
    assert full.json()["detail"] == "Sorry, this event is full and has no waiting list"
    assert len(registrations(run, event["id"])) == 1
    assert len(mails(run)) == 1


async def test_the_same_address_twice_returns_the_existing_registration(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await open_event(capacity=1)
    await register(client, event["slug"], "x", email="Sian.Jones@Example.org")
    again = await client.post(
        f"/api/events/{event['slug']}/registrations", json=delegate("y", email="  sian.jones@example.ORG ")
    )
    assert again.status_code == 200
    body = again.json()
    assert (body["created"], body["status"], body["registration"]) == (False, "confirmed", None)
    assert "already registered for this event (confirmed)" in body["message"]
    assert len(registrations(run, event["id"])) == 1
    assert mails(run) == [
        ("registration_confirmed", "sian.jones@example.org"),
        ("manage_link", "sian.jones@example.org"),
    ]


@pytest.mark.parametrize(
    ("changes", "status", "code", "detail"),
    [
        ({"status": "cancelled"}, 409, "event_cancelled", "This event is cancelled, so it takes no registrations"),
        ({"status": "draft"}, 404, "not_found", None),
        (
            {"registration_opens_at": "2030-06-01T09:00:00"},
            409,
            "not_open_yet",
            "Registration for this event opens on Saturday 1 June 2030 at 09:00 (UK time (Europe/London, BST))",
        ),
    ],
)
async def test_registration_is_refused_with_a_reason(
    client: AsyncTestClient[Any],
    open_event: Callable[..., Any],
    run: Callable[..., Any],
    changes: dict[str, Any],
    status: int,
    code: str,
    detail: str | None,
) -> None:
    event = await open_event()
    assert (await client.patch(f"/api/events/{event['slug']}", json=changes)).status_code == 200
    response = await client.post(f"/api/events/{event['slug']}/registrations", json=delegate(1))
    assert (response.status_code, response.json()["code"]) == (status, code)
    if detail:
        assert response.json()["detail"] == detail
    assert registrations(run, event["id"]) == []


async def test_registration_closes_and_past_events_take_none(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    now = utc_now()
    closed = await open_event(
        title="Closed",
        registration_opens_at=(now - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        registration_closes_at=(now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    response = await client.post(f"/api/events/{closed['slug']}/registrations", json=delegate(1))
    assert (response.status_code, response.json()["detail"]) == (409, "Registration for this event has closed")

    past = await open_event(
        title="Past",
        starts_at=(now - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        ends_at=(now - timedelta(days=2) + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    response = await client.post(f"/api/events/{past['slug']}/registrations", json=delegate(1))
    assert (response.status_code, response.json()["code"]) == (409, "event_past")
    assert registrations(run, closed["id"]) == registrations(run, past["id"]) == []


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"name": MISSING}, 400, "name"),
        ({"name": ""}, 400, "name"),
        ({"name": "x" * 201}, 400, "name"),
        ({"email": "not an address"}, 400, "email"),
        ({"email": "a@b.c\r\nBcc: victim@example.org"}, 400, "email"),
        ({"stakeholder_group": "martians"}, 422, "stakeholder_group"),
        ({"stakeholder_group": MISSING}, 400, "stakeholder_group"),
        ({"organisation_name": ""}, 422, "organisation_name"),
        ({"organisation_id": 999999, "organisation_name": ""}, 422, "organisation_id"),
        ({"access_needs": "x" * 2001}, 400, "access_needs"),
        ({"session_ids": "workshop"}, 400, "session_ids"),
        ({"session_ids": [999999]}, 409, "session_ids"),
        ({"consent_to_contact": "maybe"}, 400, "consent_to_contact"),
        ({"answers": {"12345": "yes"}}, 422, "answers.12345"),
        ({"favourite_colour": "blue"}, 400, "favourite_colour"),
    ],
)
async def test_bad_input_names_the_field_and_writes_nothing(
    client: AsyncTestClient[Any],
    open_event: Callable[..., Any],
    run: Callable[..., Any],
    body: dict[str, Any],
    status: int,
    field: str,
) -> None:
    event = await open_event()
    payload = {k: v for k, v in {**delegate(1), **body}.items() if v is not MISSING}
    response = await client.post(f"/api/events/{event['slug']}/registrations", json=payload)
    assert response.status_code == status, response.text
    assert response.json()["field"] == field
    assert registrations(run, event["id"]) == []
    assert run(OutboxMessage.count) == 0


async def test_workshops_have_places_of_their_own(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await open_event(capacity=10)
    workshop = await make_session(client, event["slug"], title="Workshop", kind="workshop", capacity=1)
    clash = await make_session(client, event["slug"], title="Clashing workshop", kind="workshop", capacity=5)
    later = await make_session(
        client,
        event["slug"],
        title="Later",
        kind="workshop",
        capacity=5,
        starts_at=f"{DAY}T14:00:00",
        ends_at=f"{DAY}T15:00:00",
    )
    talk = await make_session(
        client, event["slug"], title="Open talk", starts_at=f"{DAY}T15:00:00", ends_at=f"{DAY}T16:00:00"
    )

    first = await register(client, event["slug"], 1, session_ids=[workshop["id"], later["id"]])
    second = await register(client, event["slug"], 2, session_ids=[workshop["id"]])
    assert [(b["title"], b["status"]) for b in first["registration"]["sessions"]] == [
        ("Workshop", "confirmed"),
        ("Later", "confirmed"),
    ]
    assert [(b["status"], b["waitlist_position"]) for b in second["registration"]["sessions"]] == [("waitlisted", 1)]

    both = await client.post(
        f"/api/events/{event['slug']}/registrations", json=delegate(3, session_ids=[workshop["id"], clash["id"]])
    )
    assert (both.status_code, both.json()["code"], both.json()["field"]) == (409, "session_clash", "session_ids")
    open_talk = await client.post(
        f"/api/events/{event['slug']}/registrations", json=delegate(3, session_ids=[talk["id"]])
    )
    assert (open_talk.status_code, open_talk.json()["field"]) == (409, "session_ids")
    assert len(registrations(run, event["id"])) == 2


async def test_a_full_workshop_without_a_waiting_list_refuses_the_whole_registration(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await open_event(capacity=10, waitlist_enabled=False)
    workshop = await make_session(client, event["slug"], title="Workshop", kind="workshop", capacity=1)
    await register(client, event["slug"], 1, session_ids=[workshop["id"]])
    refused = await client.post(
        f"/api/events/{event['slug']}/registrations", json=delegate(2, session_ids=[workshop["id"]])
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "session_full")
    assert refused.json()["detail"] == "Sorry, 'Workshop' is full and has no waiting list"
    assert len(registrations(run, event["id"])) == 1
    assert run(SessionBooking.count) == 1


async def test_organisers_questions_are_asked_and_checked(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    event = await open_event()
    slug = event["slug"]
    role = (
        await client.post(
            f"/api/events/{slug}/questions",
            json={
                "label": "Your role",
                "kind": "single",
                "options": ["Outreach", "Research", "Teaching"],
                "required": True,
            },
        )
    ).json()
    topics = (
        await client.post(
            f"/api/events/{slug}/questions",
            json={
                "label": "Topics",
                "kind": "multiple",
                "options": ["Pathways", "Partnerships"],
            },
        )
    ).json()
    bad = await client.post(f"/api/events/{slug}/questions", json={"label": "X", "kind": "single", "options": ["one"]})
    assert (bad.status_code, bad.json()["field"]) == (422, "options")
    assert [q["label"] for q in (await client.get(f"/api/events/{slug}/questions")).json()] == ["Your role", "Topics"]

    missing = await client.post(f"/api/events/{slug}/registrations", json=delegate(1))
    assert (missing.status_code, missing.json()["field"]) == (422, f"answers.{role['id']}")
    assert missing.json()["detail"] == "Please answer 'Your role'"
    unknown = await client.post(
        f"/api/events/{slug}/registrations", json=delegate(1, answers={str(role["id"]): "Juggling"})
    )
    assert unknown.json()["detail"] == "'Juggling' is not one of the answers to 'Your role'"
    ok = await register(
        client, slug, 1, answers={str(role["id"]): "Outreach", str(topics["id"]): ["Pathways", "Partnerships"]}
    )
    assert ok["registration"]["answers"] == {
        str(role["id"]): "Outreach",
        str(topics["id"]): ["Pathways", "Partnerships"],
    }
    assert len(registrations(run, event["id"])) == 1
    assert run(Registration.count) == 1


async def test_where_a_delegate_is_based_is_kept_on_their_registration(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    """The region chosen on the form wins; else the listed organisation's; a typed organisation alone gives none.
    An unknown region is refused with the field named, in words."""
    from events_app.people.tables import Region

    async def regions() -> tuple[int, int]:
        made = await Region.insert(
            Region(slug="north-east", name="North East"), Region(slug="wales", name="Wales")
        ).returning(Region.id)
        return made[0]["id"], made[1]["id"]

    north_east, wales = run(regions)
    groups = {g["slug"]: g["id"] for g in (await client.get("/api/stakeholder-groups")).json()}
    listed = await client.post(
        "/api/organisations",
        json={"name": "Tyne University", "stakeholder_group_id": groups[HEI], "region_id": north_east},
    )
    event = await open_event(capacity=10)
    await register(client, event["slug"], "based", region="wales")
    await register(client, event["slug"], "listed", organisation_id=listed.json()["id"], organisation_name="")
    await register(client, event["slug"], "typed")
    kept = {r["id"]: r["region"] for r in registrations(run, event["id"])}
    assert sorted(kept.values(), key=str) == sorted([wales, north_east, None], key=str)

    refused = await client.post(f"/api/events/{event['slug']}/registrations", json=delegate("x", region="atlantis"))
    assert refused.status_code == 422, refused.text  # as for an unknown stakeholder group
    assert refused.json()["errors"][0]["field"] == "region"
    assert "There is no region 'atlantis'" in refused.json()["errors"][0]["message"]

    page = await client.get(f"/events/{event['slug']}/register")
    assert '<option value="wales">Wales</option>' in page.text


async def test_each_registrations_email_says_the_same_with_its_own_number_ticket_and_invitation(
    client: AsyncTestClient[Any], open_event: Callable[..., Any], run: Callable[..., Any]
) -> None:
    """Registrations decided together (a rush) or alone each get their own email, alike but for the person."""
    event = await open_event(capacity=2, **await in_person(client))  # a door ticket goes with a place in person
    for n in range(4):
        await register(client, event["slug"], n)

    async def messages() -> list[dict[str, Any]]:
        found = await OutboxMessage.select(
            OutboxMessage.id, OutboxMessage.subject, OutboxMessage.text_body, OutboxMessage.html_body
        ).order_by(OutboxMessage.id)
        files = await OutboxAttachment.select(OutboxAttachment.message, OutboxAttachment.filename)
        return [{**m, "files": sorted(f["filename"] for f in files if f["message"] == m["id"])} for m in found]

    def alike(text: str, n: int) -> str:  # what differs between two people's emails, taken out
        text = re.sub(r"https?://\S+?(?=[\s\"<])", "LINK", text)
        return text.replace(f"Delegate {n}", "NAME").replace(f"number <strong>{n - 1}</strong>", "number N")

    sent = run(messages)
    assert "at number <strong>1</strong>" in sent[2]["html_body"] and "at number 1." in sent[2]["text_body"]
    assert "at number <strong>2</strong>" in sent[3]["html_body"] and "at number 2." in sent[3]["text_body"]
    for first, second in ((0, 1), (2, 3)):
        assert sent[first]["subject"] == sent[second]["subject"]
        assert alike(sent[first]["html_body"], first) == alike(sent[second]["html_body"], second)
    assert [m["files"] for m in sent] == [["invite.ics", "ticket.png"]] * 2 + [
        []
    ] * 2  # the ticket and the invitation with each place

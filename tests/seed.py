"""One of everything, made through the API as an organiser would: tests that call every route (the access
matrix, the schema fuzz test) need real path parameters, so that an answer says who may do what, not 404."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

DAY = "2030-06-12"  # a Wednesday in British Summer Time (as tests.builders)
EMAIL = re.compile(r"/my/([A-Za-z0-9_.\-]+)")


@dataclass(frozen=True)
class Seeded:
    """Identifiers of the objects made, by the path parameter they fill."""

    suffix: str
    event: str
    series: str
    series_id: int
    speaker: str
    organisation: str
    group: str
    group_id: int
    venue_id: int
    room_id: int
    track_id: int
    session_id: int
    question_id: int
    registration_id: int
    delegate_id: int
    delegate_email: str
    check_in_id: int
    message_id: int
    feedback_form_id: int
    feedback_question_id: int
    text_answer_id: int  # a written answer to the feedback form
    manage_token: str
    feedback_token: str
    open_token: str
    calendar_token: str
    ticket_token: str
    not_me_token: str  # the registration's "this wasn't me" link
    confirm_token: str  # the registration's "confirm your place" link
    organiser_id: int
    # The organisers' speaker and organisation pages change and remove these, so the API's rows keep theirs.
    page_speaker: str
    page_organisation: str
    resource: str  # a published resource in the hub, presented at the event
    # A call for sessions of the event, with a question and one confirmed submission (made through their pages).
    event_id: int = 0
    call: str = ""
    call_question_id: int = 0
    submission_id: int = 0
    submission_confirm_token: str = ""
    submission_edit_token: str = ""


async def _json(response: httpx.Response, *statuses: int) -> Any:
    assert response.status_code in (statuses or (200, 201)), f"{response.request.url}: {response.text}"
    return response.json()


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


async def seed(client: httpx.AsyncClient, suffix: str, organiser_id: int) -> Seeded:
    """Make the objects with `client`, which must be signed in as an organiser or an admin. `suffix` keeps
    names apart when one database is seeded more than once; `organiser_id` is an account tests may change."""
    from events_app.core import tokens
    from events_app.feedback import marks, responses
    from events_app.registration import notify
    from events_app.registration.pages_delegate import TICKET_VIEW

    now = datetime.now(UTC)
    group = await _json(
        await client.post("/api/stakeholder-groups", json={"name": f"Funders {suffix}", "slug": f"funders-{suffix}"})
    )
    organisation = await _json(
        await client.post(
            "/api/organisations",
            json={"name": f"University of Seeding {suffix}", "stakeholder_group_id": group["id"]},
        )
    )
    venue = await _json(
        await client.post("/api/venues", json={"name": f"Kingsgate {suffix}", "rooms": [{"name": "Room A"}]})
    )
    series = await _json(await client.post("/api/series", json={"title": f"Seminar series {suffix}"}))
    speaker = await _json(
        await client.post(
            "/api/speakers", json={"name": f"Ada Speaker {suffix}", "organisation_id": organisation["id"]}
        )
    )
    event = await _json(
        await client.post(
            "/api/events",
            json={
                "title": f"National Conference {suffix}",
                "kind": "conference",
                "status": "published",
                "starts_at": f"{DAY}T09:00:00",
                "ends_at": f"{DAY}T17:00:00",
                "venue_id": venue["id"],
                "series_id": series["id"],
                "capacity": 50,
                "registration_opens_at": _iso(now - timedelta(days=1)),
            },
        )
    )
    slug = event["slug"]
    track = await _json(await client.post(f"/api/events/{slug}/tracks", json={"name": "Main track"}))
    session = await _json(
        await client.post(
            f"/api/events/{slug}/sessions",
            json={
                "title": "Widening access workshop",
                "kind": "workshop",
                "capacity": 20,
                "starts_at": f"{DAY}T10:00:00",
                "ends_at": f"{DAY}T11:00:00",
                "room_id": venue["rooms"][0]["id"],
                "track_id": track["id"],
                "speakers": [{"speaker_id": speaker["id"]}],
            },
        )
    )
    question = await _json(
        await client.post(f"/api/events/{slug}/questions", json={"label": "How did you hear of us?", "kind": "text"})
    )
    email = f"delegate-{suffix}@example.org"
    registered = await _json(
        await client.post(
            f"/api/events/{slug}/registrations",
            json={
                "name": f"Dee Delegate {suffix}",
                "email": email,
                "stakeholder_group": group["slug"],
                "organisation_id": organisation["id"],
                "session_ids": [session["id"]],
            },
        ),
        201,
    )
    registration = registered["registration"]
    checked_in = await _json(
        # The event is in 2030: an organiser checks the delegate in outside its days.
        await client.post(f"/api/events/{slug}/check-in/registrations/{registration['id']}", json={"override": True})
    )
    assert checked_in["check_in_id"], checked_in
    form = await _json(
        await client.post(
            f"/api/events/{slug}/feedback-form",
            json={
                "opens_at": _iso(now - timedelta(days=1)),
                "questions": [
                    {"kind": "rating", "label": "How useful was the day?"},
                    {"kind": "text", "label": "Anything else?"},
                ],
            },
        )
    )
    feedback_token = responses.link_path(form["id"], registration["id"]).removeprefix("/feedback/")
    rating, text = (q["id"] for q in form["questions"])
    # A written answer through the open link (the emailed link's answers are replaced by the requests that use it);
    # the browser's mark of having answered is dropped, so that the open link still takes this client's answer.
    await _json(
        await client.post(
            f"/api/feedback/open/{form['open_link'].rsplit('/', 1)[1]}",
            json={"answers": {str(rating): 4, str(text): "Warm room"}, "stakeholder_group": group["slug"]},
        ),
        201,
    )
    client.cookies.delete(marks.open_cookie(form["id"]))
    answer = re.search(r'id="answer-(\d+)"', (await client.get(f"/organiser/events/{slug}/feedback")).text)
    assert answer, "no written answer on the feedback page"
    outbox = await _json(await client.get("/api/outbox", params={"to": email}))
    message = await _json(await client.get(f"/api/outbox/{outbox['items'][-1]['id']}"))
    manage = EMAIL.search(message["text_body"])
    assert manage, message["text_body"]
    feed = await _json(await client.post(f"/api/delegates/{registration['delegate_id']}/calendar-token"))
    page_organisation = await _json(
        await client.post(
            "/api/organisations", json={"name": f"Page Trust {suffix}", "stakeholder_group_id": group["id"]}
        )
    )
    page_speaker = await _json(await client.post("/api/speakers", json={"name": f"Page Speaker {suffix}"}))
    resource = await _json(
        await client.post(
            "/api/resources",
            json={"title": f"Mentoring with charities {suffix}", "themes": ["mentoring"], "events": [slug]},
        ),
        201,
    )
    await _json(await client.post(f"/api/resources/{resource['slug']}/publish"))
    call = await _seed_call(client, event["id"], suffix)
    return Seeded(
        suffix=suffix,
        event=slug,
        series=series["slug"],
        series_id=series["id"],
        speaker=speaker["slug"],
        organisation=organisation["slug"],
        group=group["slug"],
        group_id=group["id"],
        venue_id=venue["id"],
        room_id=venue["rooms"][0]["id"],
        track_id=track["id"],
        session_id=session["id"],
        question_id=question["id"],
        registration_id=registration["id"],
        delegate_id=registration["delegate_id"],
        delegate_email=email,
        check_in_id=checked_in["check_in_id"],
        message_id=message["id"],
        feedback_form_id=form["id"],
        feedback_question_id=form["questions"][0]["id"],
        manage_token=manage.group(1),
        feedback_token=feedback_token,
        text_answer_id=int(answer.group(1)),
        open_token=form["open_link"].rsplit("/", 1)[1],
        calendar_token=feed["feed_url"].rsplit("/", 1)[1],
        ticket_token=tokens.sign(TICKET_VIEW, registration["id"]),
        not_me_token=tokens.sign(notify.NOT_ME, registration["id"]),
        confirm_token=tokens.sign(notify.CONFIRM_PLACE, registration["id"]),
        organiser_id=organiser_id,
        page_speaker=page_speaker["slug"],
        page_organisation=page_organisation["slug"],
        resource=resource["slug"],
        event_id=event["id"],
        **call,
    )


async def _seed_call(client: httpx.AsyncClient, event_id: int, suffix: str) -> dict[str, Any]:
    """A call for the event's sessions with one question, and a proposal whose address is confirmed: through the
    organisers' and the public pages (forms with the CSRF token), as people make them."""
    from events_app.core import tokens
    from events_app.hub.calls import notify

    await client.get("/organiser/sign-in")
    csrf = {"_csrf_token": client.cookies.get("csrftoken")}
    html = {"accept": "text/html"}

    async def post(path: str, values: dict[str, str]) -> httpx.Response:
        return await client.post(path, data={**csrf, **values}, headers=html, follow_redirects=False)

    made = await post(
        "/organiser/calls",
        {"title": f"Call for workshops {suffix}", "kind": "sessions", "event_id": str(event_id), "status": "open"},
    )
    assert made.status_code == 303, made.text
    slug = made.headers["location"].split("/")[3]
    added = await post(f"/organiser/calls/{slug}/questions", {"label": "Who is it for?", "kind": "text"})
    assert added.status_code == 303, added.text
    page = (await client.get(f"/organiser/calls/{slug}/questions", headers=html)).text
    question_id = int(re.findall(rf"/organiser/calls/{slug}/questions/(\d+)/edit", page)[0])
    sent = await post(f"/calls/{slug}", CALL_PROPOSAL)
    assert sent.status_code == 303, sent.text
    listed = (await client.get(f"/organiser/calls/{slug}/submissions", headers=html)).text
    submission_id = int(re.findall(rf"/organiser/calls/{slug}/submissions/(\d+)", listed)[0])
    confirm_token = tokens.sign(notify.CONFIRM, submission_id)
    assert (await client.get(f"/calls/{slug}/confirm/{confirm_token}")).status_code == 200
    return {
        "call": slug,
        "call_question_id": question_id,
        "submission_id": submission_id,
        "submission_confirm_token": confirm_token,
        "submission_edit_token": tokens.sign(notify.EDIT, submission_id),
    }


CALL_PROPOSAL = {
    "name": "Ada Proposer",
    "email": "ada.proposer@example.org",
    "title": "Mentoring that lasts",
    "session_kind": "workshop",
    "summary": "Peer mentoring between a university and four schools.",
}


def path_values(path: str, seeded: Seeded) -> dict[str, Any]:
    """The seeded object each path parameter of this route names (`path` as a template, `{slug}` or
    `{slug:str}`): a slug is an event's unless the path is about series, speakers, organisations or groups."""
    if path.startswith(("/api/series", "/series", "/organiser/series")):
        slug = seeded.series
    elif path.startswith(("/api/speakers", "/speakers")):
        slug = seeded.speaker
    elif path.startswith("/api/organisations"):
        slug = seeded.organisation
    elif path.startswith(("/api/stakeholder-groups", "/organiser/stakeholder-groups")):
        slug = seeded.group
    elif path.startswith("/organiser/speakers"):
        slug = seeded.page_speaker
    elif path.startswith("/organiser/organisations"):
        slug = seeded.page_organisation
    elif path.startswith(("/api/resources", "/resources", "/organiser/resources")):
        slug = seeded.resource
    elif path.startswith(("/calls", "/organiser/calls")):
        slug = seeded.call
    else:
        slug = seeded.event
    tokens = {
        "/api/my": seeded.manage_token,
        "/my": seeded.manage_token,
        "/api/feedback": seeded.feedback_token,
        "/feedback": seeded.feedback_token,
        "/tickets": seeded.ticket_token,
        "/registrations/not-me": seeded.not_me_token,
        "/registrations/confirm": seeded.confirm_token,
    }
    token = next((t for start, t in tokens.items() if path.startswith(start)), seeded.calendar_token)
    if path.startswith("/join"):
        from events_app.registration.join_links import join_token

        token = join_token(seeded.registration_id)
    if path.startswith("/calls/"):  # a submitter's links: to confirm the address, and to the submission
        token = seeded.submission_confirm_token if "/confirm/" in path else seeded.submission_edit_token
    if path.startswith("/unsubscribe"):
        from events_app.people.consent import unsubscribe_token

        token = unsubscribe_token(seeded.delegate_id)
    return {
        "slug": slug,
        "token": token,
        "open_token": seeded.open_token,
        "session_id": seeded.session_id,
        "track_id": seeded.track_id,
        "venue_id": seeded.venue_id,
        "room_id": seeded.room_id,
        "registration_id": seeded.registration_id,
        "question_id": seeded.feedback_question_id
        if "feedback-questions" in path
        else (seeded.call_question_id if path.startswith("/organiser/calls") else seeded.question_id),
        "submission_id": seeded.submission_id,
        "message_id": seeded.message_id,
        "delegate_id": seeded.delegate_id,
        "check_in_id": seeded.check_in_id,
        "user_id": seeded.organiser_id,
        "answer_id": seeded.text_answer_id,
        # Materials' rows (tests/accounts/matrix_materials.py) name ones nobody has: their answers past the guard
        # are the services' own 404 and 400.
        "material_id": 2_000_000_000,
        "filename": "nothing.pdf",
        "speaker_id": 2_000_000_000,
    }

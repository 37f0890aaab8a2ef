"""A call from submission to decision: the submitter confirms by the emailed link and changes the submission until
the call closes; reviewers score blind until they have scored; an accepted proposal is a draft session with its
speakers in the event's timetable (on no public page, feed or answer), an accepted example a draft hub resource;
each decision is emailed once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_plus

from litestar.testing import AsyncTestClient

from events_app.hub.tables import Resource
from events_app.people.services import ensure_default_groups
from tests.builders import DAY, make_event
from tests.conftest import Accounts
from tests.hub.calls.helpers import links, mails, make_call, proposal, submit
from tests.organiser.places_helpers import errors_shown, notice_of, open_page, post_form


async def _question(client: AsyncTestClient[Any], slug: str) -> int:
    location = notice_of(
        await post_form(
            client,
            f"/organiser/calls/{slug}/questions",
            {"label": "Who is it for?", "kind": "single", "options": "Teachers\nStudents", "required": "yes"},
        )
    )
    assert location.startswith(f"/organiser/calls/{slug}/questions")
    page = await open_page(client, f"/organiser/calls/{slug}/questions")
    return int(page.split(f"/organiser/calls/{slug}/questions/", 1)[1].split("/", 1)[0])


async def test_a_proposal_runs_from_submission_to_a_draft_session_no_one_else_sees(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any]
) -> None:
    run(ensure_default_groups)
    await accounts.sign_in("organiser")
    event = await make_event(client, title="Widening Access Conference 2031")
    slug = await make_call(client, event_id=str(event["id"]), closes_at="2030-06-01T17:00")
    question = await _question(client, slug)

    # Anyone submits; a wrong or missing answer is named like registration names it, with every wrong field.
    client.cookies.clear()
    refused = await submit(client, slug, proposal(title="", **{f"q{question}": "Parents"}))
    assert refused.status_code == 400
    assert errors_shown(refused.text)[:1] == ["title"]
    assert f"answers-{question}" in errors_shown(refused.text)
    assert f'<p id="answers-{question}-error" class="field-error">' in refused.text  # as registration shows it
    speakers = {
        "speakers.0.name": "Grace Hopper",
        "speakers.0.email": "grace@example.org",
        "speakers.1.name": "Ada Lovelace",
        "speakers.1.email": "ada@example.org",
    }
    sent = await submit(client, slug, proposal(**speakers, **{f"q{question}": "Teachers"}))
    assert notice_of(sent) == f"/calls/{slug}/sent"
    again = await submit(client, slug, proposal(title="Another idea", **{f"q{question}": "Students"}))
    assert notice_of(again) == notice_of(sent)  # the same answer, whether or not the address submitted before
    received = mails(run, "call_received", "ada@example.org")
    assert len(received) == 2
    confirm, edit = links(received[0]["text_body"])

    # Confirmed by the link; changed by the other until the call closes.
    assert "your submission is in" in (await client.get(confirm)).text
    changed = await post_form(
        client, edit, proposal(title="Mentoring that lasts, in practice", **speakers, **{f"q{question}": "Teachers"})
    )
    assert changed.status_code == 200 and "Your changes are saved" in changed.text

    # Two reviewers: the second sees neither the first's score nor comment until they give theirs.
    await accounts.sign_in("organiser")
    listed = await open_page(client, f"/organiser/calls/{slug}/submissions")
    submission_path = f"/organiser/calls/{slug}/submissions/"
    ids = sorted({int(p.split('"', 1)[0]) for p in listed.split(submission_path)[1:]})
    first = ids[0]
    review = f"{submission_path}{first}/review"
    notice_of(await post_form(client, review, {"score": "4", "comment": "Strong partnership evidence"}))
    await accounts.sign_in("admin")
    blind = await open_page(client, f"{submission_path}{first}")
    assert "1 review so far" in blind and "Strong partnership evidence" not in blind
    assert "After your review" in await open_page(client, f"/organiser/calls/{slug}/submissions")
    notice_of(await post_form(client, review, {"score": "2", "comment": "Thin on outcomes"}))
    seen = await open_page(client, f"{submission_path}{first}")
    assert "Strong partnership evidence" in seen and "average score <strong>3.0</strong>" in seen

    # Accepted: a draft session at the event's start, speakers in order, told once; on no public page or feed.
    accepted = notice_of(await post_form(client, f"{submission_path}{first}/decision", {"decision": "accept"}))
    assert "draft session" in unquote_plus(accepted)
    again_refused = await post_form(client, f"{submission_path}{first}/decision", {"decision": "decline"})
    assert again_refused.status_code == 409 and "already accepted" in again_refused.text
    assert len(mails(run, "call_accepted", "ada@example.org")) == 1 and not mails(run, "call_declined")
    timetable = await open_page(client, f"/organiser/events/{event['slug']}/timetable")
    assert "To be scheduled" in timetable and "Mentoring that lasts, in practice" in timetable
    assert (await client.get(f"/api/events/{event['slug']}")).json()["sessions"] == []  # no drafts, even for us
    session_id = int(timetable.split("/sessions/")[-1].split("/", 1)[0]) if "/sessions/" in timetable else 0
    own = (await client.get(f"/api/sessions/{session_id}")).json()
    assert own["status"] == "draft" and [s["name"] for s in own["speakers"]] == ["Grace Hopper", "Ada Lovelace"]
    assert own["starts_at"].startswith(f"{DAY}T09:00") and own["room"] is None
    client.cookies.clear()
    assert "Mentoring that lasts" not in (await client.get(f"/events/{event['slug']}")).text
    assert "Mentoring that lasts" not in (await client.get(f"/events/{event['slug']}/calendar.ics")).text
    assert (await client.get(f"/api/sessions/{session_id}")).status_code == 404
    grace = (await client.get("/api/speakers")).json()["items"]
    assert "Grace Hopper" not in [s["name"] for s in grace]

    # Once the call closes, the submitter's page is read-only and a change is refused.
    await accounts.sign_in("organiser")
    closed = {"title": "Call for workshops 2031", "kind": "sessions", "status": "closed", "event_id": str(event["id"])}
    notice_of(await post_form(client, f"/organiser/calls/{slug}/edit", closed))
    client.cookies.clear()
    _, other_edit = links(received[1]["text_body"])
    assert "can no longer change" in (await client.get(other_edit)).text
    late = await post_form(client, other_edit, proposal(title="Too late", **{f"q{question}": "Students"}))
    assert late.status_code == 409 and "has closed" in late.text
    assert "not taking submissions" in (await client.get(f"/calls/{slug}")).text


async def test_examples_become_draft_resources_and_each_decision_is_emailed_once(
    client: AsyncTestClient[Any], accounts: Accounts, run: Callable[..., Any]
) -> None:
    await accounts.sign_in("organiser")
    slug = await make_call(client, title="Good practice in outreach", kind="examples")
    client.cookies.clear()
    for n in range(3):
        example = proposal(email=f"p{n}@example.org", title=f"Example {n}", session_kind="")
        notice_of(await submit(client, slug, example))
    for n in range(3):
        confirm, _ = links(mails(run, "call_received", f"p{n}@example.org")[0]["text_body"])
        assert (await client.get(confirm)).status_code == 200
    await accounts.sign_in("organiser")
    listed = await open_page(client, f"/organiser/calls/{slug}/submissions")
    path = f"/organiser/calls/{slug}/submissions/"
    ids = {int(p.split('"', 1)[0]) for p in listed.split(path)[1:]}
    by_title = {}
    for i in ids:
        page = await open_page(client, f"{path}{i}")
        by_title[page.split("<h1>", 1)[1].split("</h1>", 1)[0]] = i
    for decision, title in (("wait", "Example 0"), ("wait", "Example 0"), ("decline", "Example 1")):
        notice_of(await post_form(client, f"{path}{by_title[title]}/decision", {"decision": decision}))
    notice_of(await post_form(client, f"{path}{by_title['Example 2']}/decision", {"decision": "accept"}))
    assert len(mails(run, "call_waiting", "p0@example.org")) == 1  # kept waiting twice, told once
    assert len(mails(run, "call_declined", "p1@example.org")) == 1
    assert len(mails(run, "call_accepted", "p2@example.org")) == 1
    resources = run(lambda: Resource.select(Resource.title, Resource.status).run())
    assert [(r["title"], r["status"]) for r in resources] == [("Example 2", "draft")]


async def test_anyone_finds_the_open_calls_from_every_page(client: AsyncTestClient[Any], accounts: Accounts) -> None:
    await accounts.sign_in("organiser")
    open_slug = await make_call(client, title="Good practice in outreach", kind="examples")
    closed_slug = await make_call(
        client, title="Last year's call", kind="examples", opens_at="2020-01-01T09:00", closes_at="2020-02-01T17:00"
    )
    client.cookies.clear()
    home = (await client.get("/")).text
    assert '<a href="/calls">Open calls for proposals and examples</a>' in home
    listed = (await client.get("/calls")).text
    assert f'href="/calls/{open_slug}"' in listed and "Examples of good practice for the hub" in listed
    assert f'href="/calls/{closed_slug}"' not in listed  # closed: its own page still says so, the list leaves it out

"""Materials in calendar feeds (issue 21, part 1): the event's public feed attaches its public materials, a
delegate's own feed the ones their confirmed place opens (through keyed links), never organisers' ones; a
material added or removed shows in the feed at once, and an unchanged feed still answers 304."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import icalendar
from litestar.testing import AsyncTestClient

from events_app.people.services import ensure_default_groups
from tests.builders import DAY, make_event, make_session
from tests.conftest import Accounts
from tests.registration.conftest import manage_token, register
from tests.statements import counting

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


async def _upload(client: AsyncTestClient[Any], slug: str, title: str, visibility: str, session_id: int) -> None:
    await client.get("/organiser/sign-in")
    response = await client.post(
        f"/organiser/events/{slug}/materials/files",
        data={"title": title, "visibility": visibility, "session_id": str(session_id)},
        files={"file": ("slides.pdf", PDF, "application/pdf")},
        headers={"x-csrftoken": client.cookies["csrftoken"], "accept": "text/html"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


async def _link(client: AsyncTestClient[Any], path: str, title: str, visibility: str = "public") -> int:
    url = f"https://video.example.org/{title.lower().replace(' ', '-')}"
    response = await client.post(path, json={"title": title, "url": url, "visibility": visibility})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _local(uri: str) -> str:
    """A link on this site, as the test client asks for it."""
    parts = urlsplit(uri)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _attachments(body: bytes) -> dict[str, list[tuple[str, str]]]:
    """Each entry's ATTACH values (URI, FMTTYPE) by SUMMARY."""
    found = {}
    for entry in icalendar.Calendar.from_ical(body).walk("VEVENT"):
        attach = entry.get("ATTACH", [])
        values = attach if isinstance(attach, list) else [attach]
        found[str(entry["SUMMARY"])] = [(str(a), str(a.params.get("FMTTYPE", ""))) for a in values]
    return found


async def test_feeds_attach_the_materials_each_reader_may_open(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    run(ensure_default_groups)
    event = await make_event(client, title="Materials Forum", capacity=20)
    slug = event["slug"]
    keynote = await make_session(
        client, slug, title="Keynote", kind="keynote", starts_at=f"{DAY}T09:30:00", ends_at=f"{DAY}T10:30:00"
    )
    await make_session(
        client, slug, title="Panel", kind="panel", starts_at=f"{DAY}T11:00:00", ends_at=f"{DAY}T12:00:00"
    )
    session_api = f"/api/sessions/{keynote['id']}/materials"
    await _upload(client, slug, "Keynote slides", "public", keynote["id"])
    await _upload(client, slug, "Speaker notes", "registered", keynote["id"])
    await _link(client, session_api, "Recording")
    await _link(client, session_api, "Planning sheet", visibility="organisers")
    await _link(client, f"/api/events/{slug}/materials", "Forum report")
    await register(client, slug, 1)

    # Organisers reach them from the timetable: the event's page of materials, and each session's, counted.
    timetable = (await client.get(f"/organiser/events/{slug}/timetable")).text
    assert f'href="/organiser/events/{slug}/materials">Materials' in timetable
    assert f'materials?session_id={keynote["id"]}#session-{keynote["id"]}">Materials (4)' in timetable
    assert "Materials (0)" in timetable  # the panel
    chosen = (await client.get(f"/organiser/events/{slug}/materials?session_id={keynote['id']}")).text
    assert f'<option value="{keynote["id"]}" selected>' in chosen
    await organiser.sign_in("anonymous")

    # The public feed: the keynote's public file (with its type) and link, and the event's own on every entry.
    feed_path = f"/events/{slug}/calendar.ics"
    first = await client.get(feed_path)
    attached = _attachments(first.content)
    keynote_entry = attached["Keynote (Materials Forum)"]
    uris = [uri for uri, _ in keynote_entry]
    assert [t for _, t in keynote_entry] == ["application/pdf", "", ""]
    assert re.fullmatch(r"http://[^/]+/materials/\d+/slides\.pdf", uris[0])
    assert uris[1:] == ["https://video.example.org/recording", "https://video.example.org/forum-report"]
    assert attached["Panel (Materials Forum)"] == [("https://video.example.org/forum-report", "")]
    assert "Keynote slides: http://" in first.text.replace("\r\n ", "")  # named in DESCRIPTION too
    assert "Speaker notes" not in first.text and "planning-sheet" not in first.text
    assert (await client.get(_local(uris[0]))).content == PDF
    unchanged = await client.get(feed_path, headers={"if-none-match": first.headers["etag"]})
    assert unchanged.status_code == 304

    # A material added, then removed, changes the feed at once (the cache and ETag follow it).
    await organiser.sign_in("organiser")
    added = await _link(client, session_api, "Transcript")
    await organiser.sign_in("anonymous")
    after_adding = await client.get(feed_path, headers={"if-none-match": first.headers["etag"]})
    assert after_adding.status_code == 200 and "https://video.example.org/transcript" in after_adding.text
    await organiser.sign_in("organiser")
    assert (await client.delete(f"/api/materials/{added}")).status_code == 204
    await organiser.sign_in("anonymous")
    after_removing = await client.get(feed_path, headers={"if-none-match": after_adding.headers["etag"]})
    assert after_removing.status_code == 200 and "transcript" not in after_removing.text

    # The delegate's own feed: the registered file too, through a link keyed to their place, which opens it;
    # never the organisers' one. The keyed links are the same on every fetch, so the feed still answers 304.
    my_page = (await client.get(f"/my/{manage_token(run, 'delegate1@example.org')}")).text
    personal = re.search(r'href="(/calendar/[A-Za-z0-9_\-]+\.ics)\?download=1"', my_page)
    assert personal
    own = await client.get(personal.group(1))
    (entry,) = _attachments(own.content).values()  # no session booked: all on the event's entry
    titles = re.findall(r"Keynote: ([A-Za-z ]+): ", own.text.replace("\r\n ", ""))
    assert titles == ["Keynote slides", "Speaker notes", "Recording"]
    keyed = [uri for uri, _ in entry if "?key=" in uri]
    assert len(keyed) == 1 and "planning-sheet" not in own.text
    assert (await client.get(_local(keyed[0]))).content == PDF
    assert (await client.get(_local(keyed[0])[:-4] + "0000")).status_code == 404
    again = await client.get(personal.group(1), headers={"if-none-match": own.headers["etag"]})
    assert again.status_code == 304


def _statements(run: Callable[..., Any], work: Callable[[], Any]) -> int:
    """How many statements the database is sent while `work` runs on the app's loop."""
    with counting() as sent:
        run(work)
    return sent[0]


async def test_a_delegates_feed_follows_their_materials_at_once_and_asks_as_little_for_five_places_as_for_one(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    from events_app.calendar import feeds
    from events_app.hub.materials.services import FEED_MATERIALS

    run(ensure_default_groups)
    slugs = [(await make_event(client, title=f"Forum {n}", capacity=20))["slug"] for n in range(5)]
    for slug in slugs:
        await _link(client, f"/api/events/{slug}/materials", f"Report {slug}", visibility="registered")
    await register(client, slugs[0], 1)
    my_page = (await client.get(f"/my/{manage_token(run, 'delegate1@example.org')}")).text
    token = re.search(r"/calendar/([A-Za-z0-9_\-]+)\.ics", my_page)
    assert token
    feed_path = f"/calendar/{token.group(1)}.ics"

    async def unchanged() -> None:
        await feeds.personal_feed(token.group(1), FEED_MATERIALS)

    first = await client.get(feed_path)
    assert f"report-{slugs[0]}" in first.text
    run(unchanged)  # built and kept
    for_one = _statements(run, unchanged)
    for slug in slugs[1:]:
        await register(client, slug, 1)
    fuller = await client.get(feed_path, headers={"if-none-match": first.headers["etag"]})
    assert fuller.status_code == 200 and all(f"report-{slug}" in fuller.text for slug in slugs)
    run(unchanged)  # built and kept
    assert _statements(run, unchanged) == for_one <= 2  # the token, then one version statement

    # A registered material added to one of the events shows in the delegate's feed at once; removed, it goes.
    added = await _link(client, f"/api/events/{slugs[3]}/materials", "Late slides", visibility="registered")
    with_late = await client.get(feed_path, headers={"if-none-match": fuller.headers["etag"]})
    assert with_late.status_code == 200 and "late-slides" in with_late.text
    assert (await client.delete(f"/api/materials/{added}")).status_code == 204
    without = await client.get(feed_path, headers={"if-none-match": with_late.headers["etag"]})
    assert without.status_code == 200 and "late-slides" not in without.text
    assert (await client.get(feed_path, headers={"if-none-match": without.headers["etag"]})).status_code == 304

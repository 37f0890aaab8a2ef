"""Deleting an event or a session takes its materials' stored files too, once the deletion has committed: a
refused (rolled-back) deletion keeps every file, and nothing is left behind in the store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar.testing import AsyncTestClient

from events_app.hub.materials import storage
from events_app.people.services import ensure_default_groups
from tests.builders import DAY, make_event, make_session
from tests.conftest import Accounts
from tests.registration.conftest import register

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


async def _upload(client: AsyncTestClient[Any], slug: str, title: str, session_id: int | None = None) -> None:
    await client.get("/organiser/sign-in")
    response = await client.post(
        f"/organiser/events/{slug}/materials/files",
        data={"title": title, "visibility": "public", "session_id": str(session_id or "")},
        files={"file": (f"{title}.pdf", PDF, "application/pdf")},
        headers={"x-csrftoken": client.cookies["csrftoken"], "accept": "text/html"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


async def _keys() -> dict[str, str]:
    from events_app.hub.materials.tables import Material

    return {r["title"]: r["storage_key"] for r in await Material.select(Material.title, Material.storage_key)}


async def _kept(keys: list[str]) -> list[bool]:
    found = []
    for key in keys:
        try:
            found.append(await storage.store().get(key) == PDF)
        except storage.StoredObjectMissing:
            found.append(False)
    return found


async def test_deleting_an_event_or_a_session_removes_its_stored_files_after_the_commit(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any]
) -> None:
    run(ensure_default_groups)
    kept = await make_event(client, title="Kept Forum")
    talk = await make_session(client, kept["slug"], title="Talk", starts_at=f"{DAY}T10:00:00")
    other = await make_session(
        client, kept["slug"], title="Other", starts_at=f"{DAY}T11:00:00", ends_at=f"{DAY}T12:00:00"
    )
    gone = await make_event(client, title="Gone Seminar", kind="seminar")
    gone_talk = await make_session(client, gone["slug"], title="Gone talk")
    await _upload(client, kept["slug"], "talk-slides", talk["id"])
    await _upload(client, kept["slug"], "other-slides", other["id"])
    await _upload(client, kept["slug"], "forum-report")
    await _upload(client, gone["slug"], "seminar-handout")
    await _upload(client, gone["slug"], "gone-talk-slides", gone_talk["id"])
    keys = run(_keys)
    assert all(run(_kept, list(keys.values())))

    # Refused: people have registered. The deletion rolls back, and every file of the event stays.
    await register(client, kept["slug"], 1)
    refused = await client.delete(f"/api/events/{kept['slug']}")
    assert refused.status_code == 409
    assert run(_kept, [keys["talk-slides"], keys["other-slides"], keys["forum-report"]]) == [True, True, True]

    # A session deleted: its file goes, the rest of the event's stay.
    assert (await client.delete(f"/api/sessions/{talk['id']}")).status_code == 204
    assert run(_kept, [keys["talk-slides"], keys["other-slides"], keys["forum-report"]]) == [False, True, True]

    # An event deleted: its own file and its sessions' go; the other event's stay.
    assert (await client.delete(f"/api/events/{gone['slug']}")).status_code == 204
    assert run(_kept, [keys["seminar-handout"], keys["gone-talk-slides"]]) == [False, False]
    assert run(_kept, [keys["other-slides"], keys["forum-report"]]) == [True, True]
    assert set(run(_keys)) == {"other-slides", "forum-report"}

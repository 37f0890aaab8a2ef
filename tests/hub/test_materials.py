"""Materials (issue 21, part 1): the two stores (a folder, and S3 through moto's server), uploads checked by
size and content with names made safe, who may open each kind of material, and speakers' signed links."""

from __future__ import annotations

import dataclasses
import re
import socket
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import itsdangerous.timed
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from events_app.core.settings import MaterialSettings, get_settings
from events_app.hub.materials import storage
from tests.conftest import PASSWORD, Accounts, reset_database
from tests.seed import seed

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
BUCKET = "materials-test"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server on a free port, with one bucket, for the run."""
    import os

    import boto3
    from moto.server import ThreadedMotoServer

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


def _settings(kind: str, folder: Path, endpoint: str) -> MaterialSettings:
    if kind == "s3":
        return MaterialSettings(
            max_bytes=1024 * 1024, s3_bucket=BUCKET, s3_endpoint_url=endpoint, s3_region="us-east-1"
        )
    return MaterialSettings(folder=folder, max_bytes=1024 * 1024)


@pytest.fixture(params=["local", "s3"])
def store_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def test_a_store_keeps_gives_back_and_deletes_and_takes_only_random_keys(
    store_kind: str, s3_endpoint: str, tmp_path: Path
) -> None:
    store = storage._store(_settings(store_kind, tmp_path, s3_endpoint))
    key = storage.new_key()
    await store.put(key, PDF, "application/pdf")
    assert await store.get(key) == PDF
    assert b"".join([chunk async for chunk in store.stream(key)]) == PDF
    await store.delete(key)
    with pytest.raises(storage.StoredObjectMissing):
        await store.get(key)
    for bad in ("../../etc/passwd", "a/b", "ABC", key + "0"):
        with pytest.raises(ValueError, match="32 hexadecimal"):
            await store.put(bad, PDF, "application/pdf")


@pytest.fixture
async def material_client(store_kind: str, s3_endpoint: str, tmp_path: Path) -> AsyncIterator[AsyncTestClient[Any]]:
    """The app with a 1 MB file limit, on the store of this run."""
    from events_app.app import create_app

    get_settings.cache_clear()
    settings = dataclasses.replace(get_settings(), materials=_settings(store_kind, tmp_path, s3_endpoint))
    app: Litestar = create_app(settings)
    async with AsyncTestClient(app=app) as client:
        client.blocking_portal.call(reset_database)
        yield client


async def _csrf(client: AsyncTestClient[Any]) -> dict[str, str]:
    await client.get("/organiser/sign-in")
    return {"x-csrftoken": client.cookies["csrftoken"], "accept": "text/html"}


async def _upload(client: AsyncTestClient[Any], base: str, name: str, data: bytes, **fields: str) -> Any:
    return await client.post(
        f"{base}/files",
        data={"title": fields.pop("title", name), **fields},
        files={"file": (name, data, "application/pdf")},
        headers=await _csrf(client),
        follow_redirects=False,
    )


def _hrefs(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="(/materials/[^"]+)"', html)]


async def test_uploads_access_and_speaker_links(
    material_client: AsyncTestClient[Any], store_kind: str, tmp_path: Path
) -> None:
    client = material_client
    run = client.blocking_portal.call
    accounts = Accounts(client, run)
    await accounts.sign_in("admin")
    seeded = await seed(client, suffix="x", organiser_id=0)
    base = f"/organiser/events/{seeded.event}/materials"
    session = str(seeded.session_id)

    # Content decides: HTML named .pdf and SVG are refused, naming the field; too large is a clear 413.
    spoofed = await _upload(client, base, "slides.pdf", HTML, session_id=session)
    assert spoofed.status_code == 400 and "File: this file is not one the site takes" in spoofed.text
    svg = await _upload(client, base, "logo.svg", SVG)
    assert svg.status_code == 400 and 'id="file-file-error"' in svg.text
    too_big = await _upload(client, base, "big.pdf", PDF + b"0" * (1024 * 1024 + 10))
    assert too_big.status_code == 413 and "files can be at most 1.0 MB" in too_big.text
    huge = await _upload(client, base, "huge.pdf", PDF + b"0" * (3 * 1024 * 1024))
    assert huge.status_code == 413
    # The rest of the site keeps its small limit.
    assert (await client.post("/api/series", json={"title": "x" * 2_000_000})).status_code == 413

    # A path in the name never reaches the disk; public, registered and organisers-only files on the session.
    for title, visibility in (("Slides", "public"), ("Notes", "registered"), ("Plans", "organisers")):
        made = await _upload(
            client, base, "../../etc/passwd.pdf", PDF, title=title, visibility=visibility, session_id=session
        )
        assert made.status_code == 303, made.text
    page = (await client.get(base)).text
    assert page.count("passwd.pdf") >= 3 and "../" not in page
    if store_kind == "local":
        stored = [p for p in tmp_path.rglob("*") if p.is_file()]  # noqa: ASYNC240 - a few files, once
        assert len(stored) == 3 and all(re.fullmatch(r"[0-9a-f]{32}", p.name) for p in stored)
    link = await client.post(
        f"{base}/links",
        data={"title": "Recording", "url": "https://video.example.org/keynote", "visibility": "public"},
        headers=await _csrf(client),
        follow_redirects=False,
    )
    assert link.status_code == 303
    files = await client.get(f"/api/sessions/{seeded.session_id}/materials")
    by_title = {m["title"]: m for m in files.json()}
    assert set(by_title) == {"Slides", "Notes", "Plans"}
    slides, notes, plans = (by_title[t]["href"] for t in ("Slides", "Notes", "Plans"))

    served = await client.get(slides)
    assert served.content == PDF
    assert served.headers["content-disposition"].startswith('inline; filename="passwd.pdf"')
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["content-security-policy"].startswith("sandbox")
    assert (await client.get(notes)).status_code == 200 and (await client.get(plans)).status_code == 200

    # Anonymous: the public file and the link only, on the event page and in the API.
    client.cookies.clear()
    event_page = (await client.get(f"/events/{seeded.event}")).text
    assert "Slides" in event_page and "Recording" in event_page and "Notes" not in event_page
    assert (await client.get(slides)).status_code == 200
    assert (await client.get(notes)).status_code == 404 and (await client.get(plans)).status_code == 404
    assert [m["title"] for m in (await client.get(f"/api/sessions/{seeded.session_id}/materials")).json()] == ["Slides"]

    # A delegate with a confirmed place: their /my page carries keyed links that open the registered file only.
    my_page = (await client.get(f"/my/{seeded.manage_token}")).text
    keyed = [h for h in _hrefs(my_page) if "?key=" in h]
    assert len(keyed) == 1 and "Plans" not in my_page
    assert (await client.get(keyed[0])).content == PDF
    forged = keyed[0][:-3] + "abc"
    assert (await client.get(forged)).status_code == 404
    assert (await client.get(plans + keyed[0][keyed[0].index("?") :])).status_code == 404  # not this file's key

    # An organiser limited to another series sees none of the restricted files.
    await accounts.sign_in("admin")
    other = (await client.post("/api/series", json={"title": "Elsewhere"})).json()
    scoped = accounts.create("organiser", "scoped@example.org")
    organisers = (await client.get("/api/organisers")).json()
    scoped_id = next(o["id"] for o in organisers if o["email"] == scoped)
    limited = await client.patch(f"/api/organisers/{scoped_id}", json={"scope": {"series": [other["slug"]]}})
    assert limited.status_code == 200, limited.text
    client.cookies.clear()
    signed = await client.post("/api/auth/sign-in", json={"email": scoped, "password": PASSWORD})
    assert signed.status_code == 200
    assert (await client.get(plans)).status_code == 404 and (await client.get(notes)).status_code == 404
    assert (await client.get(base, headers={"accept": "text/html"})).status_code == 404

    # Speakers: a link for one speaker and one event, which expires.
    from events_app.hub.materials import speakers

    speaker_id = run(_speaker_id, seeded.speaker)
    event_id = run(_event_id, seeded.event)
    token = speakers.speaker_token(speaker_id, event_id)
    opened = await client.get(speakers.link_path(token))
    assert opened.status_code == 200 and "Widening access workshop" in opened.text
    added = await client.post(
        f"{speakers.link_path(token)}/files",
        data={"title": "My slides", "visibility": "public", "session_id": session},
        files={"file": ("mine.pdf", PDF, "application/pdf")},
        headers=await _csrf(client),
        follow_redirects=False,
    )
    assert added.status_code == 303
    assert "My slides" in (await client.get(speakers.link_path(token))).text
    wrong_event = speakers.speaker_token(speaker_id, event_id + 1000)
    assert (await client.get(speakers.link_path(wrong_event))).status_code == 404
    real_time = time.time
    try:
        itsdangerous.timed.time.time = lambda: real_time() - 15 * 86400  # type: ignore[attr-defined]
        old = speakers.speaker_token(speaker_id, event_id)
    finally:
        itsdangerous.timed.time.time = real_time  # type: ignore[attr-defined]
    expired = await client.get(speakers.link_path(old), headers={"accept": "text/html"})
    assert expired.status_code == 404 and "has expired or is not valid" in expired.text

    # Removing a material removes its stored bytes.
    await accounts.sign_in("admin")
    material_id = int(plans.split("/")[2])
    key = run(_storage_key, material_id)
    assert (await client.delete(f"/api/materials/{material_id}")).status_code == 204
    with pytest.raises(storage.StoredObjectMissing):
        run(_stored, key, store_kind, tmp_path)


async def _speaker_id(slug: str) -> int:
    from events_app.programme.tables import Speaker

    row = await Speaker.select(Speaker.id).where(Speaker.slug == slug).first()
    assert row is not None
    return int(row["id"])


async def _event_id(slug: str) -> int:
    from events_app.programme.tables import Event

    row = await Event.select(Event.id).where(Event.slug == slug).first()
    assert row is not None
    return int(row["id"])


async def _storage_key(material_id: int) -> str:
    from events_app.hub.materials.tables import Material

    row = await Material.select(Material.storage_key).where(Material.id == material_id).first()
    assert row is not None
    return str(row["storage_key"])


async def _stored(key: str, kind: str, folder: Path) -> bytes:
    from events_app.core.settings import current_settings

    settings = current_settings().materials
    if kind == "local":
        settings = dataclasses.replace(settings, folder=folder)
    return await storage._store(settings).get(key)

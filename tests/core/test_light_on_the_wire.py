"""Light on a cheap phone's connection: pages, feeds and JSON arrive compressed when the phone takes it (brotli,
else gzip), images do not (a PNG is compressed already), and the site's files carry a hash of their content in
their name with a year's cache, so a returning phone downloads nothing again until a file changes."""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Any

import brotli
from litestar.testing import AsyncTestClient

from events_app.core.static import IMMUTABLE, SHORT, StaticFiles
from tests.builders import make_event
from tests.conftest import Accounts

PHONE = {"accept-encoding": "gzip, deflate, br", "sec-fetch-site": "same-origin"}


async def _raw(client: AsyncTestClient[Any], url: str, headers: dict[str, str]) -> tuple[Any, bytes]:
    """The response as the network carries it (httpx would otherwise undo the compression)."""
    async with client.stream("GET", url, headers=headers) as response:
        body = b"".join([chunk async for chunk in response.aiter_raw()])
    return response, body


async def test_pages_feeds_and_json_are_compressed_and_images_are_not(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    # Enough text that a compressor has something to work with, in the page and in the feed (a feed carries
    # the summary, not the description); a bare one-entry feed is too short to halve reliably.
    event = await make_event(client, description="A day of talks. " * 80, summary="A day of talks. " * 25)
    slug = event["slug"]
    made = await client.post(f"/api/events/{slug}/feedback-form", json={"template": "seminar"})
    assert made.status_code in {200, 201}, made.text

    for url in (f"/events/{slug}", "/calendar.ics", "/api/events", "/schema/openapi.json"):
        plain, plain_body = await _raw(client, url, {"accept-encoding": "identity"})
        assert plain.status_code == 200 and plain.headers.get("content-encoding") is None, url
        assert "accept-encoding" in plain.headers.get("vary", "").lower(), url  # caches keep the variants apart
        for coding, decompress in (("br", brotli.decompress), ("gzip", gzip.decompress)):
            packed, packed_body = await _raw(client, url, {**PHONE, "accept-encoding": coding})
            assert packed.headers["content-encoding"] == coding, url
            assert "accept-encoding" in packed.headers["vary"].lower(), url
            assert len(packed_body) < len(plain_body) / 2, url
            if not url.endswith(".ics"):  # a feed names the moment it was made
                assert decompress(packed_body) == plain_body, url

    # A request another site's page makes the browser send is answered uncompressed (BREACH).
    cross, _ = await _raw(client, f"/events/{slug}", {**PHONE, "sec-fetch-site": "cross-site"})
    assert cross.status_code == 200 and cross.headers.get("content-encoding") is None

    # The printed QR code for the event's feedback: a PNG, sent as it is.
    png, png_body = await _raw(client, f"/organiser/events/{slug}/feedback/qr.png", PHONE)
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.headers.get("content-encoding") is None and png_body.startswith(b"\x89PNG")


async def test_the_site_files_have_hashed_names_a_long_cache_and_revalidate(client: AsyncTestClient[Any]) -> None:
    page = await client.get("/", headers=PHONE)
    stylesheet = re.search(r'<link rel="stylesheet" href="(/static/site\.[0-9a-f]{12}\.css)">', page.text)
    assert stylesheet, page.text[:500]
    first, body = await _raw(client, stylesheet.group(1), PHONE)
    assert first.status_code == 200 and first.headers["cache-control"] == IMMUTABLE
    assert first.headers["content-type"].startswith("text/css") and first.headers["content-encoding"] == "br"
    assert b"body" in brotli.decompress(body)
    # Coming back (after the browser's year, or on a reload): a 304 with nothing to download.
    again = await client.get(stylesheet.group(1), headers={**PHONE, "if-none-match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    # The plain name still answers (a script loads the QR decoder that way), for a short while, with an ETag.
    plain = await client.get("/static/vendor/zxing-wasm/zxing-reader.js")
    assert plain.status_code == 200 and plain.headers["cache-control"] == SHORT and plain.headers["etag"]
    assert (await client.get("/static/../app.py")).status_code == 404
    assert (await client.get("/static/site.000000000000.css")).status_code == 404


def test_a_changed_file_gets_a_new_name(tmp_path: Path) -> None:
    (tmp_path / "site.css").write_text("body { color: black; }")
    before = StaticFiles(tmp_path).url("site.css")
    (tmp_path / "site.css").write_text("body { color: navy; }")
    after = StaticFiles(tmp_path).url("site.css")
    assert before != after and re.fullmatch(r"/static/site\.[0-9a-f]{12}\.css", after)

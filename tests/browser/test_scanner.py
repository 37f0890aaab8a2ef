"""The scanner page in headless Chromium: a typed code (as a USB scanner types it), then scanning with no
network and the check-ins sent when it is back, and sign-out leaving nothing of the list on the device; the
camera read by the vendored QR decoder where the browser has no BarcodeDetector; checked with axe."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import PIL.Image
import pytest
from litestar.testing import AsyncTestClient
from playwright.async_api import expect

from events_app.checkin.tables import CheckIn
from events_app.tickets import codes, qr
from tests.browser.conftest import accessibility_violations, sign_in
from tests.checkin.test_checkin import _setup
from tests.conftest import PASSWORD, Accounts

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def test_scanning_typed_codes_online_and_offline(
    client: AsyncTestClient[Any], organiser: Accounts, run: Callable[..., Any], server: str, browser: Any
) -> None:
    s = await _setup(client, run)
    email = organiser.create("checkin")
    context = await browser.new_context(viewport={"width": 390, "height": 844})
    page = await context.new_page()
    await page.goto(f"{server}/organiser/events/{s['event']['slug']}/check-in")
    await page.get_by_label("Email address").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(f"{server}/organiser/events/{s['event']['slug']}/check-in")
    assert await accessibility_violations(page) == ""

    code = page.get_by_label("Ticket code")
    await code.fill(codes.issue(s["event"]["id"], s["first"]))
    await code.press("Enter")
    result = page.locator("#result")
    await page.wait_for_function("() => document.querySelector('#result').className.includes('result-green')")
    assert "Welcome, Delegate 1" in await result.inner_text()
    assert await code.input_value() == ""  # ready for the next scan
    await page.wait_for_function("() => document.querySelector('#checked-in').textContent === '1'")
    assert await accessibility_violations(page) == ""

    await code.fill(codes.issue(s["event"]["id"], s["first"]))
    await code.press("Enter")
    await page.wait_for_function("() => document.querySelector('#result').className.includes('result-amber')")

    slug = s["event"]["slug"]
    await page.wait_for_function(f"() => localStorage.getItem('checkin:{slug}') !== null")
    await context.set_offline(True)
    await code.fill(codes.issue(s["event"]["id"], s["second"]))
    await code.press("Enter")
    await page.wait_for_function("() => document.querySelector('#result').textContent.includes('kept on this device')")
    await expect(page.locator("#offline-note")).to_be_visible()
    await code.fill(codes.issue(s["event"]["id"], s["second"])[:-4] + "AAAA")  # altered: refused offline too
    await code.press("Enter")
    await page.wait_for_function("() => document.querySelector('#result').className.includes('result-red')")

    async def second_checked_in() -> int:
        return int(await CheckIn.count().where(CheckIn.registration == s["second"]))

    assert run(second_checked_in) == 0
    await context.set_offline(False)
    # The page syncs on 'online' only once it sees the network back: a busy machine may take a moment to tell it.
    await page.wait_for_function("() => navigator.onLine")
    await page.evaluate("window.dispatchEvent(new Event('online'))")
    await page.wait_for_function("() => document.querySelector('#checked-in').textContent === '2'", timeout=10000)
    assert run(second_checked_in) == 1
    await organiser.sign_in("organiser")  # the altered code refused offline was sent too: on record
    attendance = (await client.get(f"/organiser/events/{slug}/attendance")).text
    assert "<td>Event entrance</td><td>Refused offline: not a valid ticket</td><td>unknown</td>" in attendance

    # The list was on the device (names, no access needs); signing out from the scanner deletes it.
    stored = await page.evaluate(f"() => localStorage.getItem('checkin:{slug}')")
    assert "Delegate 1" in stored and "Hearing loop" not in stored
    await page.get_by_role("button", name="Sign out and delete the list from this device").click()
    await page.wait_for_url(f"{server}/")
    assert await _device_storage(page) == {"localStorage": [], "indexedDB": [], "caches": []}


async def _device_storage(page: Any) -> dict[str, list[str]]:
    """What the site keeps in the browser: localStorage entries, IndexedDB databases, Cache Storage caches."""
    return dict(
        await page.evaluate(
            """async () => ({
                localStorage: Object.keys(localStorage).map((k) => k + "=" + localStorage.getItem(k)),
                indexedDB: (await indexedDB.databases()).map((d) => d.name),
                caches: await caches.keys(),
            })"""
        )
    )


def _camera_video(code: str, path: Path) -> Path:
    """A few frames of the ticket's QR code as a YUV4MPEG2 file (grey: chroma at 128), for Chromium's fake camera."""
    ticket = PIL.Image.open(io.BytesIO(qr.png(code, "phone"))).convert("L")
    width, height = 640, 480
    if ticket.height > height - 40:
        ticket = ticket.resize((height - 40, height - 40), PIL.Image.Resampling.NEAREST)
    frame = PIL.Image.new("L", (width, height), 255)
    frame.paste(ticket, ((width - ticket.width) // 2, (height - ticket.height) // 2))
    chroma = bytes([128]) * (width // 2 * height // 2)
    with path.open("wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(3):
            video.write(b"FRAME\n" + frame.tobytes() + chroma + chroma)
    return path


async def test_the_camera_reads_tickets_without_barcode_detector(
    client: AsyncTestClient[Any],
    organiser: Accounts,
    run: Callable[..., Any],
    server: str,
    camera_browser: Any,
    tmp_path: Path,
) -> None:
    s = await _setup(client, run)
    slug = s["event"]["slug"]
    email = organiser.create("organiser")
    browser = await camera_browser(_camera_video(codes.issue(s["event"]["id"], s["first"]), tmp_path / "ticket.y4m"))
    context = await browser.new_context(viewport={"width": 360, "height": 800})
    await context.add_init_script("delete window.BarcodeDetector")  # as Safari on iPhone and Firefox
    page = await context.new_page()
    await sign_in(page, server, PASSWORD, email)
    await page.goto(f"{server}/organiser/events/{slug}/check-in")
    assert await page.evaluate("() => 'BarcodeDetector' in window") is False

    code = page.get_by_label("Ticket code")
    await code.fill("T1.not-a-ticket")  # refused, and kept on record
    await code.press("Enter")
    await page.wait_for_function("() => document.querySelector('#result').className.includes('result-red')")

    await page.get_by_role("button", name="Scan with the camera").click()  # shown once the decoder is ready
    await page.wait_for_function(
        "() => { const r = document.querySelector('#result');"
        " return r.className.includes('result-green') && r.textContent.includes('Welcome, Delegate 1')"
        " && r.querySelector('a[href*=\"badges.pdf?registration=\"]') !== null; }"
    )
    badge = page.get_by_role("link", name="Print badge")
    assert await badge.get_attribute("href") == f"/organiser/events/{slug}/badges.pdf?registration={s['first']}"
    await page.wait_for_function(f"() => localStorage.getItem('checkin:{slug}') !== null")

    await page.goto(f"{server}/organiser/events/{slug}/attendance")
    refused = page.locator("#refused-latest").locator("xpath=..")
    await expect(refused).to_contain_text("Not a valid ticket")
    for width in (360, 1280):
        await page.set_viewport_size({"width": width, "height": 800})
        assert await accessibility_violations(page) == "", width
        assert await page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), width

    # Signing out through the API from a page without the scanner's script: the server's Clear-Site-Data alone
    # deletes the list.
    assert await page.evaluate("async () => (await fetch('/api/auth/sign-out', {method: 'POST'})).status") == 204
    await page.wait_for_function("() => localStorage.length === 0")
    assert await _device_storage(page) == {"localStorage": [], "indexedDB": [], "caches": []}

"""A real server process on the test database, and headless Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from pytest_asyncio import is_async_test

from tests import dbsetup
from tests.live import STARTUP_SECONDS

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


HERE = Path(__file__).resolve().parent


def _with_javascript(item: pytest.Item) -> bool | None:
    """A browser flow's `javascript` parameter, when it has one."""
    callspec = getattr(item, "callspec", None)
    value = callspec.params.get("javascript") if callspec is not None else None
    return None if value is None else bool(value)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # One Chromium for the run (see `chromium`): its objects belong to the loop that started it, so the
    # browser tests run on the session's loop. Every other fixture they use works from any loop.
    session_loop = pytest.mark.asyncio(loop_scope="session")
    for item in items:
        if is_async_test(item) and HERE in item.path.resolve().parents:
            item.add_marker(session_loop, append=False)
    # A page's HTML and CSS do not depend on the engine: each test that only checks pages' fit on a phone and axe
    # runs once, on the engine its marker names (about half on each, so the two runs side by side end together);
    # every flow in a browser runs on both (and the access matrix loads every page on both). A flow tried both
    # with JavaScript and without runs without it on SQLite and with it on PostgreSQL: each engine sees the whole
    # flow, and each way of using the pages is seen once.
    for item in items:
        marker = item.get_closest_marker("page_check")
        if marker is not None and marker.args[0] != dbsetup.ENGINE:
            item.add_marker(pytest.mark.skip(reason="page fit and axe checks run once, on the other engine's run"))
        elif marker is None and _with_javascript(item) is not None:
            wanted = "postgres" if _with_javascript(item) else "sqlite"
            if wanted != dbsetup.ENGINE:
                reason = f"this flow runs {'with' if wanted == 'postgres' else 'without'} JavaScript on {wanted}'s run"
                item.add_marker(pytest.mark.skip(reason=reason))
    if CHROMIUM is None:
        if os.environ.get("CI") == "true":
            raise pytest.UsageError("CI runs the browser tests but finds no Chromium (apt-get install chromium)")
        skip = pytest.mark.skip(reason="no Chromium installed (apt-get install chromium); .ci/run installs it")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "events_app.cli", "serve", "--port", str(port)],
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        process.kill()
        output = process.stdout.read().decode() if process.stdout else ""
        raise RuntimeError(f"the server did not start:\n{output}")
    yield base
    process.terminate()
    process.wait(timeout=10)


class WatchedBrowser:
    """Chromium whose pages report what the Content-Security-Policy refused (a script, a style, an image):
    the test fails if any page needed something the policy forbids."""

    def __init__(self, instance: Any) -> None:
        self.instance = instance
        self.refused: list[str] = []

    def _watch(self, target: Any) -> None:
        def on_console(message: Any) -> None:
            if "Content Security Policy" in message.text:
                self.refused.append(message.text)

        target.on("console", on_console)

    async def new_page(self, **options: Any) -> Any:
        page = await self.instance.new_page(**options)
        self._watch(page)
        return page

    async def new_context(self, **options: Any) -> Any:
        context = await self.instance.new_context(**options)
        self._watch(context)
        return context


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def chromium() -> AsyncIterator[Any]:
    """Chromium, started once for the run: starting Playwright's driver and the browser costs seconds."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        instance = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        await instance.close()


@pytest_asyncio.fixture(loop_scope="session")
async def browser(chromium: Any) -> AsyncIterator[WatchedBrowser]:
    """The run's Chromium, watched for this test only. Each page a test opens has its own context (cookies,
    storage), and every context the test opened is closed after it, so no test sees another's pages."""
    watched = WatchedBrowser(chromium)
    yield watched
    for context in list(chromium.contexts):
        await context.close()
    assert not watched.refused, "the Content-Security-Policy refused: " + "; ".join(watched.refused)


@pytest_asyncio.fixture(loop_scope="session")
async def camera_browser(chromium: Any) -> AsyncIterator[Any]:
    """A factory of Chromium whose camera shows a video file (YUV4MPEG2) and needs no permission prompt, for the
    scanner's camera; each one is its own browser (the file is a launch argument), closed after the test."""
    launched: list[WatchedBrowser] = []

    async def launch(video: Path) -> WatchedBrowser:
        camera = [
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ]
        instance = await chromium.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + camera)
        launched.append(WatchedBrowser(instance))
        return launched[-1]

    yield launch
    for watched in launched:
        await watched.instance.close()
    for watched in launched:
        assert not watched.refused, "the Content-Security-Policy refused: " + "; ".join(watched.refused)


async def accessibility_violations(page: Any) -> str:
    """An axe-core WCAG 2.2 AA report of the page; empty when there is nothing to fix."""
    from axe_playwright_python.async_playwright import Axe

    results = await Axe().run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    )
    return "" if results.violations_count == 0 else results.generate_report()


async def sign_in(page: Any, server: str, password: str, email: str | None = None) -> None:
    """Sign in with the sign-in form (the demo admin unless `email` says otherwise) and land on the dashboard."""
    from events_app.demo import ADMIN_EMAIL

    await page.goto(f"{server}/organiser/sign-in")
    await page.get_by_label("Email address").fill(email or ADMIN_EMAIL)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(f"{server}/organiser")

"""A real server process on the test database, and headless Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
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
    deadline = time.monotonic() + 30
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


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        instance = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        watched = WatchedBrowser(instance)
        yield watched
        await instance.close()
        assert not watched.refused, "the Content-Security-Policy refused: " + "; ".join(watched.refused)


async def accessibility_violations(page: Any) -> str:
    """An axe-core WCAG 2.2 AA report of the page; empty when there is nothing to fix."""
    from axe_playwright_python.async_playwright import Axe

    results = await Axe().run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    )
    return "" if results.violations_count == 0 else results.generate_report()

"""The API reference at /schema in headless Chromium: Swagger UI from this site's own files, under the site's
Content-Security-Policy (the `browser` fixture fails the test on anything the policy refuses)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.xfail(
    strict=True,
    reason="Known, open: the vendored Swagger UI 5.35.0 stops drawing operations once the spec has more than 136 "
    "(it has 137 with the hub's API; dropping any one of them draws all 136). The schema itself is whole "
    "(/schema/openapi.json, tests/core); strict, so this fails once the viewer draws them all again.",
)
async def test_the_api_reference_renders_from_this_site_alone(server: str, browser: Any) -> None:
    page = await browser.new_page(viewport={"width": 1280, "height": 900})
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    response = await page.goto(f"{server}/schema")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    await page.wait_for_selector(".opblock", timeout=30_000)
    await page.wait_for_timeout(2_000)
    assert await page.locator(".opblock").count() > 50  # every operation listed
    await page.locator(".opblock-summary").first.click()
    await page.wait_for_selector(".responses-table", timeout=10_000)
    assert {urlsplit(url).netloc for url in requested} == {urlsplit(server).netloc}

"""Posting organiser forms in tests as a browser does: with the CSRF token of a page first opened."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import httpx
from litestar.testing import AsyncTestClient


async def open_page(client: AsyncTestClient[Any], path: str) -> str:
    """Open an organiser page (as a browser: asking for HTML) and return its text."""
    page = await client.get(path, headers={"accept": "text/html"})
    assert page.status_code == 200, f"{path}: {page.status_code} {page.text[:300]}"
    return page.text


async def post_form(client: AsyncTestClient[Any], path: str, values: dict[str, Any]) -> httpx.Response:
    """Post a form with the CSRF token the site set, without following the redirect."""
    if not client.cookies.get("csrftoken"):
        await client.get("/organiser/sign-in")
    data = {"_csrf_token": client.cookies.get("csrftoken"), **values}
    return await client.post(path, data=data, headers={"accept": "text/html"}, follow_redirects=False)


def notice_of(response: httpx.Response) -> str:
    """Where a saved form went, and the notice it carries."""
    assert response.status_code == 303, f"{response.status_code}: {response.text[:2000]}"
    return str(response.headers["location"])


def error_next_to(page: str, field_id: str) -> str:
    """The message shown next to an input (its `{id}-error` paragraph), which the input names in aria-describedby."""
    found = re.search(rf'<p id="{re.escape(field_id)}-error" class="field-error">(.*?)</p>', page, re.S)
    assert found, f"no error shown next to {field_id}"
    assert re.search(rf'id="{re.escape(field_id)}"[^>]*aria-describedby="[^"]*{re.escape(field_id)}-error', page) or (
        f'aria-describedby="{field_id}-error"' in page
    ), f"{field_id} does not point at its error"
    return unescape(found.group(1))


def errors_shown(page: str) -> list[str]:
    """The fields the error summary links to."""
    return re.findall(r'<li><a href="#([^"]+)">', page)

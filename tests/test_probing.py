"""Small hardening found by probing the service (issue 14, part 7): bodies the parsers cannot take, a crafted
path in a redirect, the secret key's file and length, CSRF exclusions that match only where they should, and
tokens kept out of the logs."""

from __future__ import annotations

import logging
import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from litestar.testing import AsyncTestClient

from events_app.core import settings as settings_module
from tests.builders import make_event
from tests.conftest import PASSWORD, Accounts
from tests.live import LiveService

HTML = {"accept": "text/html"}
HEI = "higher-education-institution"
ROOT = Path(__file__).resolve().parent.parent


def nested(depth: int, inner: bytes = b"1") -> bytes:
    return b'{"name":' * depth + inner + b"}" * depth


# A body the parser cannot take -------------------------------------------------------------------------------


async def test_json_nested_too_deeply_is_a_400_that_says_so(client: AsyncTestClient[Any], organiser: Accounts) -> None:
    event = await make_event(client)
    client.cookies.clear()
    json_type = {"content-type": "application/json"}
    for path in ("/api/auth/sign-in", f"/api/events/{event['slug']}/registrations"):
        for body in (b"[" * 1_000 + b"]" * 1_000, nested(1_000), nested(100_000)):
            response = await client.post(path, content=body, headers=json_type)
            assert response.status_code == 400, (path, len(body), response.text[:200])
            assert "nested too deeply" in response.json()["detail"], response.text[:200]
        # Deep, with a NUL character somewhere inside: looked for before the handler runs, and still a 400.
        for depth in (900, 950, 990, 1_000):
            response = await client.post(path, content=nested(depth, b'"a\\u0000b"'), headers=json_type)
            assert response.status_code == 400, (path, depth, response.text[:200])
    # Shallow and malformed JSON keep their own answers.
    assert (await client.post("/api/auth/sign-in", content=b"{bad", headers=json_type)).status_code == 400
    assert (await client.post("/api/auth/sign-in", content=nested(3), headers=json_type)).status_code == 400


def _multipart(fields: list[tuple[str, bytes, str | None]]) -> bytes:
    parts = []
    for name, value, charset in fields:
        kind = f"Content-Type: text/plain; charset={charset}\r\n" if charset else ""
        parts.append(f'--b0undary\r\nContent-Disposition: form-data; name="{name}"\r\n{kind}\r\n'.encode() + value)
    return b"\r\n".join(parts) + b"\r\n--b0undary--\r\n"


async def test_a_form_that_is_not_text_is_a_400_page_that_says_so(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    event = await make_event(client, capacity=5)
    client.cookies.clear()
    await client.get(f"/events/{event['slug']}/register")
    token = client.cookies.get("csrftoken")
    assert token
    multipart = {**HTML, "content-type": "multipart/form-data; boundary=b0undary"}
    cases: tuple[list[tuple[str, bytes, str | None]], ...] = (
        [("name", b"\xff\xfe Ada", None)],  # not UTF-8
        [("name", b"Ada", "no-such-charset")],  # a character set nobody knows
    )
    for fields in cases:
        # The CSRF token in the form (the middleware reads the form first) and in the header (the handler does).
        for body, headers in (
            (_multipart([("_csrf_token", token.encode(), None), *fields]), multipart),
            (_multipart(fields), {**multipart, "x-csrftoken": token}),
        ):
            response = await client.post(f"/events/{event['slug']}/register", content=body, headers=headers)
            assert response.status_code == 400, response.text[:300]
            assert "The form could not be read" in response.text
            assert "text/html" in response.headers["content-type"]


# A path in a redirect ------------------------------------------------------------------------------------------


async def test_a_crafted_path_in_the_sign_in_redirect_is_encoded_not_sent_raw(
    client: AsyncTestClient[Any], accounts: Accounts
) -> None:
    page = "/organiser/events/x\r\nSet-Cookie: id=planted/registrations"
    response = await client.get(quote(page), headers=HTML, follow_redirects=False)
    assert response.status_code == 303
    location = response.headers["location"]
    assert "\r" not in location and "\n" not in location and " " not in location
    assert "planted" not in str(response.headers.get_list("set-cookie"))
    assert location.startswith("/organiser/sign-in?next=")

    # Signing in comes back to the same (encoded) address, still one header.
    form = await client.get(location, headers=HTML)
    assert f'value="{quote(page)}"' in form.text
    email = accounts.create("organiser")
    signed_in = await client.post(
        "/organiser/sign-in",
        data={"email": email, "password": PASSWORD, "next": quote(page), "_csrf_token": client.cookies["csrftoken"]},
        headers=HTML,
        follow_redirects=False,
    )
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == quote(page)
    # A `next` sent with the characters themselves is encoded as well.
    raw = await client.post(
        "/organiser/sign-in",
        data={"email": email, "password": PASSWORD, "next": page, "_csrf_token": client.cookies["csrftoken"]},
        headers=HTML,
        follow_redirects=False,
    )
    assert raw.headers["location"] == quote(page, safe="/:=")


# The secret key --------------------------------------------------------------------------------------------


@pytest.fixture
def no_secret_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A fresh folder and no SECRET_KEY in the environment: the development key file lives here."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("ENVIRONMENT", "development")
    return tmp_path / ".events_app_secret"


def test_the_generated_key_file_is_never_readable_by_others(
    no_secret_key: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nothing may rely on tightening the mode after writing: with chmod doing nothing, the file must still be 0600.
    monkeypatch.setattr(os, "chmod", lambda *args, **kwargs: None)
    old_umask = os.umask(0o022)
    try:
        key = settings_module.load_settings().secret_key
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(no_secret_key.stat().st_mode) == 0o600
    assert no_secret_key.read_text().strip() == key and len(key) >= 32
    assert settings_module.load_settings().secret_key == key  # kept, not made again
    assert [p.name for p in no_secret_key.parent.iterdir()] == [no_secret_key.name]  # no temporary file left


def test_a_short_secret_key_is_refused_at_start(no_secret_key: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    no_secret_key.write_text("only-twenty-characters\n")
    with pytest.raises(RuntimeError, match="is 22 characters long; it must be at least 32"):
        settings_module.load_settings()
    monkeypatch.setenv("SECRET_KEY", "x" * 31)
    with pytest.raises(RuntimeError, match="SECRET_KEY is 31 characters long; it must be at least 32"):
        settings_module.load_settings()
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    assert settings_module.load_settings().secret_key == "x" * 32


def test_the_command_refuses_a_short_secret_key_plainly(no_secret_key: Path) -> None:
    no_secret_key.write_text("short\n")
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "-m", "events_app.cli", "migrate"],
        cwd=no_secret_key.parent,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Error: The secret key in .events_app_secret is 5 characters long; it must be at least 32" in result.stderr


# CSRF exclusions -------------------------------------------------------------------------------------------


async def test_a_page_whose_address_contains_api_or_static_still_needs_its_csrf_token(
    client: AsyncTestClient[Any], organiser: Accounts
) -> None:
    static = await make_event(client, title="Static electricity", capacity=5)
    api = await make_event(client, title="API", capacity=5)
    assert (static["slug"], api["slug"]) == ("static-electricity", "api")
    forms = [
        (f"/organiser/events/{static['slug']}/message", {"subject": "Hello", "body": "Planted"}),
        (f"/events/{api['slug']}/register", {"name": "Planted", "email": "p@example.org", "stakeholder_group": HEI}),
        (f"/events/{static['slug']}/register", {"name": "Planted", "email": "p@example.org", "stakeholder_group": HEI}),
    ]
    for path, data in forms:
        response = await client.post(path, data=data, headers=HTML)
        assert response.status_code == 403 and "CSRF" in response.text, (path, response.status_code)
    # With the token, the same forms go through to their handlers.
    await client.get(f"/events/{api['slug']}/register")
    token = client.cookies["csrftoken"]
    for path, data in forms:
        response = await client.post(path, data={**data, "_csrf_token": token}, headers=HTML, follow_redirects=False)
        assert response.status_code != 403, (path, response.text[:300])


# Tokens in logs ----------------------------------------------------------------------------------------------

TOKEN = "SeCrEt-t0ken.ABCdef_123"
TOKEN_PATHS = {
    f"/my/{TOKEN}": "/my/[redacted]",
    f"/my/{TOKEN}/registrations/1/ticket.png": "/my/[redacted]/registrations/1/ticket.png",
    f"/api/my/{TOKEN}": "/api/my/[redacted]",
    f"/feedback/{TOKEN}": "/feedback/[redacted]",
    f"/feedback/open/{TOKEN}": "/feedback/open/[redacted]",
    f"/api/feedback/{TOKEN}": "/api/feedback/[redacted]",
    f"/calendar/{TOKEN}.ics": "/calendar/[redacted].ics",
    f"/tickets/{TOKEN}.svg?size=phone": "/tickets/[redacted].svg?size=phone",
    f"/join/{TOKEN}": "/join/[redacted]",  # a delegate's own way into an online meeting
    f"/events/x/registered?status=confirmed&ticket={TOKEN}": "/events/x/registered?status=confirmed&ticket=[redacted]",
}


@pytest.mark.slow
def test_tokens_never_reach_a_real_servers_access_log(live: LiveService) -> None:
    base = live.serve(LOG_LEVEL="INFO")
    for path in TOKEN_PATHS:
        httpx.get(base + path, timeout=30)
    httpx.get(base + "/api/events/no-such-event/feedback/results", timeout=30)
    live.stop_all()
    logs = live.logs()
    assert TOKEN not in logs
    for redacted in TOKEN_PATHS.values():
        assert f'"GET {redacted} HTTP/1.1"' in logs, redacted
    assert '"GET /api/events/no-such-event/feedback/results HTTP/1.1"' in logs  # other paths stay as they are


def test_the_apps_own_log_records_are_redacted_too() -> None:
    from events_app.app import create_app

    create_app()  # configures logging (and, with it, the redaction)
    seen: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = seen.append  # type: ignore[method-assign,assignment]
    logger = logging.getLogger("events_app.probe")
    logger.addHandler(handler)
    try:
        logger.warning("Sent %s to %s", f"http://127.0.0.1:8000/my/{TOKEN}", "someone")
        logger.warning(f"Feed at webcal://example.org/calendar/{TOKEN}.ics")
    finally:
        logger.removeHandler(handler)
    assert [record.getMessage() for record in seen] == [
        "Sent http://127.0.0.1:8000/my/[redacted] to someone",
        "Feed at webcal://example.org/calendar/[redacted].ics",
    ]


# The API reference -----------------------------------------------------------------------------------------


async def test_the_api_reference_page_references_no_other_host_and_keeps_the_csp(client: AsyncTestClient[Any]) -> None:
    for path in ("/schema", "/schema/swagger"):
        response = await client.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/html")
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        html = response.text
        assert "//" not in html  # no address on another host (nor a scheme-relative one)
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.DOTALL)
        assert len(scripts) == 2
        assert all('src="/static/' in attributes and not body.strip() for attributes, body in scripts)  # no inline
        for url in re.findall(r'(?:src|href|data-spec-url)="([^"]+)"', html):
            assert (await client.get(url)).status_code == 200, url
    assert "paths" in (await client.get("/schema/openapi.json")).json()

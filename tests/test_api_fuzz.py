"""The API against its own OpenAPI schema. Schemathesis sends generated requests, valid and invalid, to every
operation of a real server: as an organiser, as an admin (the admin-only accounts API) and anonymously (where a
guard stands, a few requests each, all of which must be refused). Every answer must be no server error, a
documented status with the documented content type, and the documented shape; and the server must log no
unhandled exception. Path parameters are often those of seeded objects, so requests reach existing events,
sessions, registrations and signed links as well as missing ones. Generation is seeded: the same requests on
every run. To search further, set EVENTS_APP_FUZZ_EXAMPLES (e.g. 100) and EVENTS_APP_FUZZ_SEED."""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import dbsetup
from tests.conftest import PASSWORD, reset_database
from tests.seed import Seeded, path_values, seed

pytestmark = pytest.mark.slow
# Hypothesis keeps caches (and would keep its example database) in .hypothesis/ of the working directory: keep
# them with the run's scratch files instead, removed at the end.
set_hypothesis_home_dir(Path(dbsetup.scratch_folder()) / "hypothesis")

ROOT = Path(__file__).resolve().parent.parent
# CI runs these fixed figures; set the variables to search deeper or elsewhere (e.g. before a release).
SEED = int(os.environ.get("EVENTS_APP_FUZZ_SEED", "20300612"))
MAX_EXAMPLES = int(os.environ.get("EVENTS_APP_FUZZ_EXAMPLES", "12"))
PROBLEM = "application/problem+json"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,  # nothing written to .hypothesis/
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
REFUSED_EXAMPLES = 5


def _config(max_examples: int, *, coverage: bool) -> schemathesis.Config:
    """Seeded generation, no example database; the coverage phase adds boundary and invalid values of each
    parameter (most of the requests), the fuzzing phase `max_examples` generated ones."""
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {"max-examples": max_examples, "deterministic": True, "database": "none"},
            "phases": {"examples": {"enabled": True}, "coverage": {"enabled": coverage}, "fuzzing": {"enabled": True}},
        }
    )


CONFIG = _config(MAX_EXAMPLES, coverage=True)
REFUSED_CONFIG = _config(REFUSED_EXAMPLES, coverage=False)
# Signed-in runs leave these out: signing out would end the run's own session (the anonymous run sends it), and
# deleting and erasing go last, in their own run, so the other operations find the seeded objects.
SIGN_OUT = "/api/auth/sign-out"
DESTRUCTIVE = r"^(DELETE .*|POST .*/erase)$"


@dataclass(frozen=True)
class Server:
    url: str
    log: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """`events-app serve` on the run's test database (rate limits off, as conftest sets the environment)."""
    port = _free_port()
    log = Path(dbsetup.scratch_folder()) / f"fuzz-server-{port}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "events_app.cli", "serve", "--port", str(port)],
            env={**os.environ, "LOG_LEVEL": "WARNING"},
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        process.kill()
        process.wait()
        raise RuntimeError(f"the server did not start:\n{log.read_text()}")
    try:
        yield Server(url, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def session_tokens(server: Server) -> dict[str, Any]:
    """An empty database with an admin, an organiser and a check-in account (the one the admin run may change),
    and the session cookie of each signed-in role."""
    from events_app.accounts import services
    from events_app.accounts.roles import Role
    from events_app.accounts.schemas import OrganiserCreate

    async def accounts() -> int:
        await reset_database()
        target = 0
        for role in ("admin", "organiser", "checkin"):
            data = OrganiserCreate(
                email=f"fuzz-{role}@example.org", name=f"Fuzz {role}", role=Role(role), password=PASSWORD
            )
            target = (await services.create_organiser(data)).id
        return target

    target = asyncio.run(accounts())
    cookies: dict[str, Any] = {"target": target}
    for role in ("admin", "organiser"):
        response = httpx.post(
            f"{server.url}/api/auth/sign-in", json={"email": f"fuzz-{role}@example.org", "password": PASSWORD}
        )
        assert response.status_code == 200, response.text
        cookies[role] = response.cookies["id"]
    return cookies


class Seeding:
    """Fresh objects for each test function (an earlier one may have changed or deleted the last ones). The
    path-parameter hook, which schemathesis calls outside any fixture, reads those of the test running now."""

    current: Seeded | None = None

    def __init__(self, server: Server, session_tokens: dict[str, Any]) -> None:
        self.server = server
        self.session_tokens = session_tokens
        self.made: dict[str, Seeded] = {}

    def for_test(self, name: str) -> Seeded:
        if name not in self.made:

            async def make() -> Seeded:
                cookies = {"id": self.session_tokens["admin"]}
                async with httpx.AsyncClient(base_url=self.server.url, cookies=cookies) as client:
                    return await seed(client, suffix=secrets.token_hex(3), organiser_id=self.session_tokens["target"])

            self.made[name] = asyncio.run(make())
        Seeding.current = self.made[name]
        return Seeding.current


@pytest.fixture(scope="module")
def seeding(server: Server, session_tokens: dict[str, Any]) -> Iterator[Seeding]:
    yield Seeding(server, session_tokens)
    Seeding.current = None


@pytest.fixture
def seeded(seeding: Seeding, request: pytest.FixtureRequest) -> Seeded:
    return seeding.for_test(request.function.__name__)


def _schema(config: schemathesis.Config) -> Any:
    """The schema the server serves, read from the app itself (the tests are made when pytest collects them)."""
    from events_app.app import create_app

    schema = schemathesis.openapi.from_dict(create_app().openapi_schema.to_schema(), config=config)

    @schema.hook
    def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> Any:
        """Half the time the generated parameters, half the time those of a seeded object."""
        if not path_parameters or Seeding.current is None:
            return st.just(path_parameters)
        known = path_values(context.operation.path, Seeding.current)
        existing = {name: known[name] for name in path_parameters if name in known}
        assert len(existing) == len(path_parameters), f"no seeded value for {context.operation.path}"
        return st.sampled_from([{**path_parameters, **existing}, path_parameters])

    return schema


def guarded(context: Any) -> bool:
    """An operation behind a guard (it documents 401)."""
    return "401" in context.operation.definition.raw["responses"]


def _call(case: Any, server: Server, cookie: str | None) -> Any:
    # A fresh cookie jar for every request: no answer's Set-Cookie carries over to the next one.
    with requests.Session() as http:
        if cookie:
            http.cookies.set("id", cookie)
        return case.call_and_validate(base_url=server.url, session=http, checks=CHECKS, timeout=30)


@pytest.fixture(scope="module", autouse=True)
def _no_unhandled_errors(server: Server) -> Iterator[None]:
    """Whatever the checks say, the server must have logged no unhandled exception."""
    yield
    log = server.log.read_text(errors="replace")
    assert "Traceback" not in log, log[-20_000:]


schema = _schema(CONFIG)
# Anonymous requests to guarded operations are all refused whatever they hold: a few fuzzed ones each suffice.
refused = _schema(REFUSED_CONFIG)


@schema.exclude(path=SIGN_OUT).exclude(name_regex=DESTRUCTIVE).parametrize()
@FUZZ_SETTINGS
def test_as_organiser(case: Any, server: Server, session_tokens: dict[str, Any], seeded: Seeded) -> None:
    _call(case, server, session_tokens["organiser"])


@schema.include(path_regex=r"^/api/organisers").parametrize()
@FUZZ_SETTINGS
def test_as_admin(case: Any, server: Server, session_tokens: dict[str, Any], seeded: Seeded) -> None:
    _call(case, server, session_tokens["admin"])


@schema.exclude(guarded).parametrize()
@FUZZ_SETTINGS
def test_anonymously(case: Any, server: Server, seeded: Seeded) -> None:
    _call(case, server, None)


@refused.include(guarded).parametrize()
@settings(FUZZ_SETTINGS, max_examples=REFUSED_EXAMPLES)
def test_anonymously_where_a_guard_refuses(case: Any, server: Server, seeded: Seeded) -> None:
    response = _call(case, server, None)
    # 404 only when the path does not match a route at all (a word where a number goes).
    assert response.status_code == 401 or (response.status_code, response.json()["detail"]) == (404, "Not Found")


@schema.include(name_regex=DESTRUCTIVE).parametrize()
@FUZZ_SETTINGS
def test_deleting_and_erasing_as_organiser(
    case: Any, server: Server, session_tokens: dict[str, Any], seeded: Seeded
) -> None:
    _call(case, server, session_tokens["organiser"])


def test_the_schema_documents_problems(server: Server) -> None:
    """Error answers are described as the problem format, not Litestar's default error body; and the server
    serves the schema the tests above were made from."""
    from events_app.app import create_app

    document = httpx.get(f"{server.url}/schema/openapi.json").json()
    assert document == create_app().openapi_schema.to_schema()
    responses = document["paths"]["/api/events/{slug}"]["patch"]["responses"]
    assert set(responses) == {"200", "400", "401", "403", "404", "409", "413", "415", "422", "503"}
    assert responses["401"]["content"] == {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    assert "content" not in document["paths"]["/api/auth/sign-out"]["post"]["responses"]["204"]
    assert set(document["paths"]["/api/regions"]["get"]["responses"]) == {"200", "503"}
    assert set(document["components"]["schemas"]["Problem"]["required"]) == {
        "status",
        "title",
        "detail",
        "code",
        "field",
    }

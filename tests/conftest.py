"""Test fixtures: a fresh, migrated database for the run (EVENTS_APP_TEST_DB=sqlite|postgres), the app,
a client, and signed-in organisers of each role."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from tests import dbsetup

if TYPE_CHECKING:
    from litestar import Litestar
    from litestar.testing import AsyncTestClient

_database: dbsetup.TestDatabase | None = None


def _xdist_controller(config: pytest.Config) -> bool:
    """Under pytest-xdist (-n N) the controller only hands tests to its workers: it needs no database."""
    return bool(getattr(config.option, "numprocesses", None)) and not hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    global _database
    if _xdist_controller(config):
        return
    _database = dbsetup.create()
    os.environ["DATABASE_URL"] = _database.url
    os.environ["SECRET_KEY"] = "test-" + secrets.token_urlsafe(40)
    os.environ["DB_POOL_MIN"] = "1"
    os.environ["DB_POOL_MAX"] = "4"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # Tests drive the mail sender themselves (tests/mail); with no SMTP host, mail would become .eml files.
    os.environ["MAIL_WORKER_IN_APP"] = "false"
    os.environ["SMTP_HOST"] = ""
    os.environ["MAIL_OUTBOX_DIR"] = os.path.join(dbsetup.scratch_folder(), "mail")
    os.environ["MATERIALS_DIR"] = os.path.join(dbsetup.scratch_folder(), "materials")
    # One test client address makes every request; tests/test_hardening.py switches the limits on itself.
    for limit in ("RATE_LIMIT_SIGN_IN", "RATE_LIMIT_REGISTRATION", "RATE_LIMIT_FEEDBACK"):
        os.environ[limit] = "off"
    dbsetup.migrate(_database.url)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _database is not None:
        dbsetup.destroy(_database)


def pytest_report_header(config: pytest.Config) -> str:
    return f"events_app test database: {dbsetup.ENGINE}"


@pytest.fixture(scope="session")
def database() -> dbsetup.TestDatabase:
    assert _database is not None
    return _database


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing() -> Iterator[None]:
    """Hash test passwords with fewer PBKDF2 rounds; the algorithm and code path stay the same."""
    from piccolo.apps.user.tables import BaseUser

    original = BaseUser._pbkdf2_iteration_count
    BaseUser._pbkdf2_iteration_count = 1_000
    yield
    BaseUser._pbkdf2_iteration_count = original


def _tables_children_first() -> list[Any]:
    """Every table of the apps piccolo_conf registers, children before parents (so deletes never trip a
    foreign key); read from the registry, so a table added later is emptied too."""
    from piccolo.conf.apps import Finder
    from piccolo.table import sort_table_classes

    return list(reversed(sort_table_classes(Finder().get_table_classes())))


async def reset_database() -> None:
    """Empty every table in one transaction: one commit instead of one per table."""
    from events_app.core.database import get_engine
    from events_app.programme.remembered import forget_event_rows

    await forget_event_rows()  # the door remembers events for a few seconds; the next test's event shares a slug
    tables = _tables_children_first()
    async with get_engine().transaction():
        for table in tables:
            await table.delete(force=True)


@pytest.fixture(scope="session")
def app() -> Litestar:
    """The app, built once for the run: building it (routes, OpenAPI, templates) costs far more
    than a test. Tests that need other settings build their own with create_app(settings)."""
    from events_app.app import create_app
    from events_app.core.settings import get_settings

    get_settings.cache_clear()
    return create_app()


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Any]]:
    """A fresh client (no cookies) on the shared app, with the app's lifespan (and database pool) on the
    client's own loop, as AsyncTestClient runs it; the tables emptied first."""
    from litestar.testing import AsyncTestClient

    async with AsyncTestClient(app=app) as test_client:
        test_client.blocking_portal.call(reset_database)
        yield test_client


@pytest.fixture
def run(client: AsyncTestClient[Any]) -> Callable[..., Any]:
    """Run a coroutine function on the app's own event loop (where its database pool lives)."""

    def call(fn: Callable[..., Any], *args: Any) -> Any:
        return client.blocking_portal.call(fn, *args)

    return call


PASSWORD = "correct horse battery staple"


class Accounts:
    """Creates organisers of each role and signs the client in as one of them."""

    def __init__(self, client: AsyncTestClient[Any], run: Callable[..., Any]) -> None:
        self.client = client
        self.run = run
        self.created: set[str] = set()

    def create(self, role: str, email: str | None = None) -> str:
        from events_app.accounts import services
        from events_app.accounts.roles import Role
        from events_app.accounts.schemas import OrganiserCreate

        email = email or f"{role}@example.org"
        if email not in self.created:
            data = OrganiserCreate(email=email, name=f"Test {role}", role=Role(role), password=PASSWORD)
            self.run(services.create_organiser, data)
            self.created.add(email)
        return email

    async def sign_in(self, role: str) -> None:
        self.client.cookies.clear()
        if role == "anonymous":
            return
        email = self.create(role)
        response = await self.client.post("/api/auth/sign-in", json={"email": email, "password": PASSWORD})
        assert response.status_code == 200, response.text


@pytest.fixture
def accounts(client: AsyncTestClient[Any], run: Callable[..., Any]) -> Accounts:
    return Accounts(client, run)


@pytest.fixture
async def organiser(accounts: Accounts) -> Accounts:
    await accounts.sign_in("organiser")
    return accounts


@pytest.fixture
def live() -> Iterator[Any]:
    """A fresh database with real server and worker processes on it (tests/live.py), removed afterwards."""
    from tests.live import LiveService

    service = LiveService()
    yield service
    service.close()

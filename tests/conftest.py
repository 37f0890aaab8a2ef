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
    from litestar.testing import AsyncTestClient

_database: dbsetup.TestDatabase | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _database
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


async def reset_database() -> None:
    """Empty every table, children first."""
    from piccolo.apps.user.tables import BaseUser
    from piccolo_api.session_auth.tables import SessionsBase

    from events_app.accounts.tables import Organiser
    from events_app.checkin.tables import CheckIn
    from events_app.feedback.tables import FeedbackAnswer, FeedbackForm, FeedbackQuestion, FeedbackResponse
    from events_app.mail.tables import OutboxAttachment, OutboxMessage
    from events_app.people.tables import Delegate, DelegateFeed, Organisation, Region, StakeholderGroup
    from events_app.programme.tables import Event, Room, Series, Session, SessionSpeaker, Speaker, Track, Venue
    from events_app.registration.tables import EventQuestion, Registration, RegistrationChange, SessionBooking

    for table in (
        FeedbackAnswer,
        FeedbackResponse,
        FeedbackQuestion,
        FeedbackForm,
        CheckIn,
        OutboxAttachment,
        OutboxMessage,
        RegistrationChange,
        SessionBooking,
        Registration,
        EventQuestion,
        DelegateFeed,
        Delegate,
        SessionSpeaker,
        Session,
        Track,
        Event,
        Room,
        Venue,
        Series,
        Speaker,
        Organisation,
        Region,
        StakeholderGroup,
        Organiser,
        SessionsBase,
        BaseUser,
    ):
        await table.delete(force=True)


@pytest.fixture
async def client() -> AsyncIterator[AsyncTestClient[Any]]:
    from litestar.testing import AsyncTestClient

    from events_app.app import create_app
    from events_app.core.settings import get_settings

    get_settings.cache_clear()
    async with AsyncTestClient(app=create_app()) as test_client:
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

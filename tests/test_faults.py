"""Faults: the database restarts during a registration rush, the mail server is down for a whole rush, and a
mail worker is killed (or stopped) in the middle of sending. Real server and worker processes throughout."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.live import LiveService, create_event, person, rush
from tests.mail.conftest import RecordingHandler, SmtpServer

pytestmark = pytest.mark.slow


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def registrations(live: LiveService, event_id: int) -> list[dict[str, Any]]:
    return live.query(
        "SELECT r.id, r.status, r.waitlist_position, d.email FROM registration r "
        "JOIN delegate d ON d.id = r.delegate WHERE r.event = $1 ORDER BY r.id",
        event_id,
    )


def assert_capacity_kept(rows: list[dict[str, Any]], capacity: int) -> None:
    statuses = Counter(r["status"] for r in rows)
    assert statuses["confirmed"] == capacity, statuses
    positions = sorted(r["waitlist_position"] for r in rows if r["status"] == "waitlisted")
    assert positions == list(range(1, len(rows) - capacity + 1))
    assert len({r["email"] for r in rows}) == len(rows), "someone holds two registrations"


# The database restarts -----------------------------------------------------------------------------------


def restart_postgres(live: LiveService) -> str:
    """Restart the PostgreSQL cluster (fast shutdown: every connection is cut, new ones are refused until it is
    back). Without the rights to do that, do to this database what a restart does to the service: cut every
    connection and refuse new ones for two seconds. The same is done when another run shares the cluster
    (scripts/test runs the SQLite suite beside this one, and its cross-engine backup test uses PostgreSQL)."""
    clusters = None if os.environ.get("EVENTS_APP_TEST_SHARED_CLUSTER") else shutil.which("pg_ctlcluster")
    versions = subprocess.run(["ls", "/etc/postgresql"], capture_output=True, text=True, check=False).stdout.split()
    if clusters and versions:
        restart = [clusters, "--skip-systemctl-redirect", versions[0], "main", "restart", "-m", "fast"]
        if subprocess.run(restart, capture_output=True, check=False, timeout=60).returncode == 0:
            return "restarted the PostgreSQL cluster"
    assert live.pg_name is not None
    admin = live.url.rsplit("/", 1)[0] + "/postgres"

    async def blip() -> None:
        import asyncpg

        connection = await asyncpg.connect(admin)
        try:
            await connection.execute(f'ALTER DATABASE "{live.pg_name}" ALLOW_CONNECTIONS false')
            await connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", live.pg_name
            )
            await asyncio.sleep(2)
            await connection.execute(f'ALTER DATABASE "{live.pg_name}" ALLOW_CONNECTIONS true')
        finally:
            await connection.close()

    asyncio.run(blip())
    return "cut every connection to the database for 2 s"


def test_the_database_restarting_during_a_rush_loses_no_confirmed_registration(live: LiveService) -> None:
    if live.engine != "postgres":
        pytest.skip("SQLite runs inside the service: there is no database server to restart")
    base = live.serve(workers=2, DB_POOL_MIN="2", DB_POOL_MAX="6")
    capacity, people = 40, 300
    event = asyncio.run(create_event(base, capacity=capacity, waitlist_enabled=True))
    path = f"/api/events/{event['slug']}/registrations"
    outages: list[str] = []

    async def scenario() -> list[httpx.Response]:
        rushing = asyncio.create_task(rush(base, path, [person(n) for n in range(people)], outages=outages))
        while len(await asyncio.to_thread(registrations, live, event["id"])) < 30:  # noqa: ASYNC110 - another process
            await asyncio.sleep(0.05)
        outages.append(await asyncio.to_thread(restart_postgres, live))
        return await rushing

    responses = asyncio.run(scenario())
    # The restart hit the rush: some people met a 503 or a dropped connection and tried again.
    assert len(outages) > 1, outages
    assert {r.status_code for r in responses} == {202}, live.logs()[-5000:]  # "check your inbox", each
    rows = registrations(live, event["id"])
    assert len(rows) == people
    assert_capacity_kept(rows, capacity)
    # Each registration's email was queued with it, once, and tells its place as it is: everyone told "confirmed"
    # holds a confirmed place; everyone told "waitlisted" is on the list.
    mails = live.query("SELECT to_email, kind FROM outbox_message")
    assert Counter(m["to_email"] for m in mails) == Counter({r["email"]: 1 for r in rows})
    told = {m["to_email"]: m["kind"] for m in mails}
    kinds = {"confirmed": "registration_confirmed", "waitlisted": "waitlisted"}
    assert all(told[r["email"]] == kinds[r["status"]] for r in rows), told
    # The service recovered by itself: it answers and takes new registrations.
    assert httpx.get(f"{base}/healthz", timeout=5).json() == {"status": "ok", "database": "ok"}
    late = httpx.post(f"{base}{path}", json=person(people + 1), timeout=10)
    assert late.status_code == 202
    assert {r["email"]: r["status"] for r in registrations(live, event["id"])}[
        person(people + 1)["email"]
    ] == "waitlisted"
    # No connection was left behind by the requests the restart cut short: the service stops at once.
    server = live.processes[-1]
    assert live.stop(server, timeout=25) < 20
    assert server.returncode == 0


# The mail server is down ---------------------------------------------------------------------------------


def mail_env(smtp: SmtpServer, **extra: str) -> dict[str, str]:
    return {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp.port),
        "SMTP_SECURITY": "none",
        "SMTP_TIMEOUT": "3",
        "MAIL_RETRY_BASE_SECONDS": "1",
        "MAIL_RETRY_MAX_SECONDS": "2",
        "MAIL_POLL_SECONDS": "0.5",
        **extra,
    }


def test_with_the_mail_server_down_for_the_whole_rush_every_message_arrives_once_it_is_back(
    live: LiveService,
) -> None:
    smtp = SmtpServer()  # not started: connections are refused
    base = live.serve(workers=1, MAIL_WORKER_IN_APP="true", **mail_env(smtp))
    event = asyncio.run(create_event(base, capacity=30, waitlist_enabled=True))
    people = 60
    responses = asyncio.run(
        rush(base, f"/api/events/{event['slug']}/registrations", [person(n) for n in range(people)])
    )
    assert [r.status_code for r in responses] == [202] * people  # nobody waits for the mail server

    def tried() -> bool:
        return bool(live.query("SELECT id FROM outbox_message WHERE attempts > 0 AND status = 'queued'"))

    wait_for(tried, 30, "the sender to try and fail")
    assert smtp.received == []
    assert not live.query("SELECT id FROM outbox_message WHERE status IN ('sent', 'failed')")  # none given up
    smtp.start()
    try:
        wait_for(lambda: len(smtp.received) >= people, 60, f"{people} messages after the server came back")
        time.sleep(2)  # nothing more arrives: each once
        received = smtp.received
        assert len(received) == people
        assert sorted(r.rcpt_tos[0] for r in received) == sorted(person(n)["email"] for n in range(people))
        assert len(set(smtp.message_ids())) == people
        assert live.query("SELECT count(*) AS n FROM outbox_message WHERE status = 'sent'")[0]["n"] == people
    finally:
        smtp.stop()


# A worker dies mid-send ----------------------------------------------------------------------------------


class StallingHandler(RecordingHandler):
    """Holds the first message to `stall_for` in DATA (before answering) until released; if the sender's
    connection drops meanwhile, the server never accepted that message and records nothing."""

    def __init__(self, stall_for: str) -> None:
        super().__init__()
        self.stall_for = stall_for
        self.stalled = threading.Event()
        self.release = threading.Event()
        self.dropped = threading.Event()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        if self.stall_for in envelope.rcpt_tos and not self.stalled.is_set():
            self.stalled.set()
            try:
                while not self.release.is_set():
                    transport = server.transport
                    if transport is None or transport.is_closing():
                        self.dropped.set()
                        return "421 4.4.2 Connection dropped"
                    await asyncio.sleep(0.05)
            except asyncio.CancelledError:
                self.dropped.set()
                raise
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def queued_mail(live: LiveService) -> list[str]:
    """Ten confirmations in the outbox (registered through a real server that sends no mail)."""
    base = live.serve(workers=1)
    event = asyncio.run(create_event(base, capacity=30))
    asyncio.run(rush(base, f"/api/events/{event['slug']}/registrations", [person(n) for n in range(10)], 4))
    live.stop_all()
    return [r["to_email"] for r in live.query("SELECT to_email FROM outbox_message ORDER BY id")]


@pytest.fixture
def stalling(live: LiveService, queued_mail: list[str]) -> Iterator[tuple[SmtpServer, StallingHandler, dict[str, str]]]:
    """A mail server that holds the sixth message in DATA, and the environment of workers sending to it."""
    smtp = SmtpServer()
    smtp.handler = handler = StallingHandler(stall_for=queued_mail[5])
    smtp.start()
    yield smtp, handler, mail_env(smtp, MAIL_LEASE_SECONDS="3")
    live.stop_all()
    smtp.stop()


def test_a_worker_killed_mid_send_neither_loses_nor_doubles_its_message(
    live: LiveService, queued_mail: list[str], stalling: tuple[SmtpServer, StallingHandler, dict[str, str]]
) -> None:
    smtp, handler, env = stalling
    first = live.start_worker(**env)
    wait_for(handler.stalled.is_set, 30, "the worker to be in the middle of sending")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    wait_for(handler.dropped.is_set, 10, "the server to see the sender gone")
    assert [r.rcpt_tos[0] for r in smtp.received] == queued_mail[:5]
    live.start_worker(**env)  # another worker takes over once the dead one's lease runs out
    wait_for(lambda: len(smtp.received) >= len(queued_mail), 30, "the rest of the messages")
    time.sleep(1.5)
    assert [r.rcpt_tos[0] for r in smtp.received] == queued_mail
    assert len(set(smtp.message_ids())) == len(queued_mail)
    assert {r["status"] for r in live.query("SELECT status FROM outbox_message")} == {"sent"}


def test_a_worker_stopped_mid_send_finishes_its_message_and_it_is_not_sent_again(
    live: LiveService, queued_mail: list[str], stalling: tuple[SmtpServer, StallingHandler, dict[str, str]]
) -> None:
    smtp, handler, env = stalling
    worker = live.start_worker(**env)
    wait_for(handler.stalled.is_set, 30, "the worker to be in the middle of sending")
    worker.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    handler.release.set()
    assert worker.wait(timeout=30) == 0
    assert not handler.dropped.is_set()
    assert queued_mail[5] in [r.rcpt_tos[0] for r in smtp.received]
    time.sleep(3.5)  # past any lease
    live.cli("worker", "--until-empty", **env)  # delivers what the stopped worker left, if anything
    assert sorted(r.rcpt_tos[0] for r in smtp.received) == sorted(queued_mail)
    assert len(set(smtp.message_ids())) == len(queued_mail)

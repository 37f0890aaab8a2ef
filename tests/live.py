"""A live service for fault and multi-process tests: a fresh database of the run's engine, real
`events-app serve` processes on it, HTTP clients that behave like people (they try again after a 503 or a
dropped connection), and plain SQL to read what the database holds at the end."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from tests import dbsetup

ROOT = Path(__file__).resolve().parent.parent
ORGANISER = ("organiser@example.org", "a password long enough")
# How long a server may take to answer /healthz. Seconds on an idle machine; a CI run on two busy cores (both
# engines side by side) has seen two workers take over a minute, which is not what these tests are about.
STARTUP_SECONDS = 180
HEI = "higher-education-institution"


class LiveService:
    def __init__(self) -> None:
        self.engine = dbsetup.ENGINE
        self.folder = dbsetup.memory_folder("events_app_live_")
        self.pg_name, self.url = dbsetup.migrated_copy("events_app_live", self.folder)
        self.processes: list[subprocess.Popen[bytes]] = []
        self.env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "MAIL_OUTBOX_DIR": f"{self.folder}/mail",
            "MAIL_WORKER_IN_APP": "false",
            "LOG_LEVEL": "WARNING",
        }
        self.cli("create-organiser", "--email", ORGANISER[0], "--name", "Olu Organiser", "--password", ORGANISER[1])

    # processes ------------------------------------------------------------------------------------------
    def cli(self, *args: str, **env: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "events_app.cli", *args],
            env={**self.env, **env},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def start_worker(self, **env: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "-m", "events_app.cli", "worker"],
            env={**self.env, **env},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.processes.append(process)
        return process

    def serve(self, workers: int = 1, **env: str) -> str:
        """`events-app serve --workers N` on a free port; returns its base URL once it answers."""
        port = free_port()
        log = open(f"{self.folder}/serve-{port}.log", "wb")  # noqa: SIM115 - the process writes it
        process = subprocess.Popen(
            [sys.executable, "-m", "events_app.cli", "serve", "--port", str(port), "--workers", str(workers)],
            env={**self.env, **env},
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    return base
            except httpx.HTTPError:
                time.sleep(0.2)
        process.kill()
        raise RuntimeError(f"the server did not start: {self.logs()}")

    def stop(self, process: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 30) -> float:
        """Stop a process (and any worker processes it started); returns how long it took to exit."""
        children = _children(process.pid)
        started = time.monotonic()
        if process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        took = time.monotonic() - started
        for pid in children:  # a worker its parent did not manage to stop
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        return took

    def stop_all(self) -> None:
        for process in self.processes:
            self.stop(process)
        self.processes.clear()

    def logs(self) -> str:
        """What the server processes wrote (warnings and errors), for a failing test's report."""
        return "\n".join(path.read_text(errors="replace") for path in sorted(Path(self.folder).glob("serve-*.log")))

    def close(self) -> None:
        self.stop_all()
        if self.pg_name:
            dbsetup.drop_postgres_database(self.pg_name)
        shutil.rmtree(self.folder, ignore_errors=True)

    # the database, read directly ------------------------------------------------------------------------
    def query(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        """Rows of a query written with $1, $2 ... placeholders (turned into ? for SQLite)."""
        if self.engine == "postgres":

            async def fetch() -> list[dict[str, Any]]:
                connection = await asyncpg.connect(self.url)
                try:
                    return [dict(r) for r in await connection.fetch(sql, *args)]
                finally:
                    await connection.close()

            return asyncio.run(fetch())
        path = self.url.removeprefix("sqlite:///")
        connection = sqlite3.connect(path, timeout=30)
        connection.row_factory = sqlite3.Row
        try:
            for n in range(len(args), 0, -1):
                sql = sql.replace(f"${n}", "?")
            return [dict(r) for r in connection.execute(sql, args).fetchall()]
        finally:
            connection.close()


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            found += [int(child) for child in task.read_text().split()]
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def signed_in(base: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base, timeout=30)
    response = await client.post("/api/auth/sign-in", json={"email": ORGANISER[0], "password": ORGANISER[1]})
    assert response.status_code == 200, response.text
    return client


async def create_event(base: str, **fields: Any) -> dict[str, Any]:
    client = await signed_in(base)
    try:
        body = {
            "title": "National Conference",
            "kind": "conference",
            "status": "published",
            "starts_at": "2030-06-12T09:00:00",
            "ends_at": "2030-06-12T17:00:00",
            "online_url": "https://meet.example.org/conference",
            **fields,
        }
        response = await client.post("/api/events", json=body)
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]
    finally:
        await client.aclose()


def person(n: int) -> dict[str, Any]:
    return {
        "name": f"Delegate {n}",
        "email": f"delegate{n}@example.org",
        "stakeholder_group": HEI,
        "organisation_name": "University of Testing",
    }


async def patiently(
    send: Callable[[], Awaitable[httpx.Response]], outages: list[str] | None = None, tries: int = 80
) -> httpx.Response:
    """What a person does when the service is briefly down: try again a moment later. Each failed try is
    noted in `outages`."""
    for _ in range(tries - 1):
        try:
            response = await send()
        except httpx.TransportError as exc:
            if outages is not None:
                outages.append(repr(exc))
            await asyncio.sleep(0.25)
            continue
        if response.status_code != 503:
            return response
        if outages is not None:
            outages.append(response.text)
        await asyncio.sleep(0.25)
    return await send()


async def rush(
    base: str, path: str, bodies: list[dict[str, Any]], concurrency: int = 16, outages: list[str] | None = None
) -> list[httpx.Response]:
    """POST each body with `concurrency` clients at once, each trying again through outages."""
    results: list[httpx.Response | None] = [None] * len(bodies)
    queue: asyncio.Queue[int] = asyncio.Queue()
    for index in range(len(bodies)):
        queue.put_nowait(index)

    async def client_loop() -> None:
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            while not queue.empty():
                index = queue.get_nowait()
                body = bodies[index]
                send: Callable[[], Awaitable[httpx.Response]] = functools.partial(client.post, path, json=body)
                results[index] = await patiently(send, outages)

    await asyncio.gather(*(client_loop() for _ in range(concurrency)))
    assert all(r is not None for r in results)
    return [r for r in results if r is not None]

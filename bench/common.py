"""What the benchmarks share: a fresh, migrated database (a temporary SQLite file or PostgreSQL database)."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _postgres(sql: str) -> None:
    import asyncpg

    async def go() -> None:
        connection = await asyncpg.connect(POSTGRES_ADMIN_URL)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    asyncio.run(go())


def fresh_database(engine: str) -> tuple[str, Callable[[], None]]:
    """(DATABASE_URL, cleanup) of a new database with every migration applied."""
    folder = tempfile.mkdtemp(prefix="events_app_bench_")
    if engine == "postgres":
        name = f"events_app_bench_{uuid.uuid4().hex[:10]}"
        _postgres(f'CREATE DATABASE "{name}"')
        url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"

        def cleanup() -> None:
            _postgres(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
            _postgres(f'DROP DATABASE IF EXISTS "{name}"')
            shutil.rmtree(folder, ignore_errors=True)

    else:
        url = f"sqlite:///{folder}/bench.sqlite3"

        def cleanup() -> None:
            shutil.rmtree(folder, ignore_errors=True)

    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "-m", "events_app.cli", "migrate"], env=env, check=True, capture_output=True, cwd=ROOT
    )
    return url, cleanup


def bench_env(url: str, **extra: str) -> dict[str, str]:
    """The environment a benchmark's server runs with (and this process, for its own database work)."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-" + "x" * 40,
        "LOG_LEVEL": "WARNING",
        "MAIL_WORKER_IN_APP": "false",
        # The load comes from one address; a real rush comes from many, each under the limits.
        "RATE_LIMIT_SIGN_IN": "off",
        "RATE_LIMIT_REGISTRATION": "off",
        "RATE_LIMIT_FEEDBACK": "off",
        **extra,
    }
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "SECRET_KEY")})
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(env: dict[str, str], workers: int = 1) -> tuple[subprocess.Popen[bytes], str]:
    """`events-app serve` on a free port, once it answers /healthz; returns the process and its base URL."""
    import httpx

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "events_app.cli", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"server did not start: {process.stderr.read().decode() if process.stderr else ''}")


def stop_server(process: subprocess.Popen[bytes] | None) -> None:
    if process is not None:
        process.terminate()
        process.wait(timeout=30)

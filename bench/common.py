"""What the benchmarks share: a fresh, migrated database (a temporary SQLite file or PostgreSQL database)."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
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

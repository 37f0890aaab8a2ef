"""A fresh test database per run (SQLite file or PostgreSQL database), migrated, and dropped afterwards."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import asyncpg

ENGINE = os.environ.get("EVENTS_APP_TEST_DB", "sqlite").strip().lower()
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@dataclass
class TestDatabase:
    engine: str
    url: str
    cleanup_path: str | None = None
    pg_name: str | None = None


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


async def _pg_admin(sql: str) -> None:
    connection = await asyncpg.connect(POSTGRES_ADMIN_URL)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def create_postgres_database(prefix: str = "events_app_test") -> tuple[str, str]:
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
    return name, _with_database(POSTGRES_ADMIN_URL, name)


def drop_postgres_database(name: str) -> None:
    asyncio.run(
        _pg_admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        )
    )
    asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}"'))


_scratch: list[str] = []


def scratch_folder() -> str:
    """A temporary folder for this run's files (removed with the database)."""
    if not _scratch:
        _scratch.append(tempfile.mkdtemp(prefix="events_app_files_"))
    return _scratch[0]


# SQLite syncs the disk at every commit; in memory-backed /dev/shm a commit costs what the test means it to.
# mkdtemp makes a private folder there (mode 700, unpredictable name), so the shared parent is safe.
_SHM = "/dev/shm"  # noqa: S108
_MEMORY_FOLDER = _SHM if os.path.isdir(_SHM) and os.access(_SHM, os.W_OK) else None


def memory_folder(prefix: str) -> str:
    """A new private folder in memory where there is one (for SQLite files), else in the usual temp folder."""
    return tempfile.mkdtemp(prefix=prefix, dir=_MEMORY_FOLDER)


def create() -> TestDatabase:
    if ENGINE == "postgres":
        name, url = create_postgres_database()
        # This run's own database only (never a live test's): a commit need not wait for the WAL to reach
        # the disk. Only a crash of the server could lose such a commit, and no test crashes it.
        asyncio.run(_pg_admin(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
        database = TestDatabase(engine="postgres", url=url, pg_name=name)
    elif ENGINE == "sqlite":
        folder = memory_folder("events_app_test_")
        database = TestDatabase(engine="sqlite", url=f"sqlite:///{folder}/test.sqlite3", cleanup_path=folder)
    else:
        raise RuntimeError(f"EVENTS_APP_TEST_DB must be sqlite or postgres, not {ENGINE!r}")
    return database


def migrate(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    result = subprocess.run(
        [sys.executable, "-m", "events_app.cli", "migrate"], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"Migrations failed:\n{result.stdout}\n{result.stderr}")


_templates: list[str] = []  # this run's migrated template: a PostgreSQL database name, or a SQLite file


def migrated_copy(prefix: str, folder: str) -> tuple[str | None, str]:
    """A fresh database (PostgreSQL name or None, and URL) just as `migrate` leaves it, copied from a template
    migrated once per run: a migration is a whole process importing the app, a copy takes milliseconds."""
    if ENGINE == "postgres":
        if not _templates:
            name, url = create_postgres_database("events_app_template")
            _templates.append(name)
            migrate(url)
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        asyncio.run(_pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{_templates[0]}"'))
        return name, _with_database(POSTGRES_ADMIN_URL, name)
    if not _templates:
        template = os.path.join(scratch_folder(), "template.sqlite3")
        migrate(f"sqlite:///{template}")
        _templates.append(template)
    path = os.path.join(folder, f"{prefix}.sqlite3")
    shutil.copyfile(_templates[0], path)
    return None, f"sqlite:///{path}"


def destroy(database: TestDatabase) -> None:
    if database.pg_name:
        drop_postgres_database(database.pg_name)
    if ENGINE == "postgres":
        for name in _templates:
            drop_postgres_database(name)
    if database.cleanup_path:
        shutil.rmtree(database.cleanup_path, ignore_errors=True)
    for folder in _scratch:
        shutil.rmtree(folder, ignore_errors=True)

"""The database engine chosen by DATABASE_URL, its pool, and write transactions."""

from __future__ import annotations

import sqlite3
from typing import Any
from urllib.parse import urlsplit

import asyncpg
from piccolo.engine.base import Engine
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from events_app.core.settings import Settings


def engine_from_url(url: str, *, sqlite_timeout: int = 30) -> Engine[Any]:
    """`sqlite:///relative.db`, `sqlite:////absolute.db` or `postgresql://user@host:port/db`."""
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        path = url.removeprefix("sqlite:///")
        if not path:
            raise RuntimeError("DATABASE_URL for SQLite needs a file: sqlite:///events_app.sqlite3")
        return SQLiteEngine(path=path, timeout=sqlite_timeout)
    if scheme in ("postgres", "postgresql"):
        return PostgresEngine(config={"dsn": url}, extensions=())
    raise RuntimeError(f"DATABASE_URL must start with sqlite:/// or postgresql://, not {scheme!r}")


def get_engine() -> Engine[Any]:
    engine = engine_finder()
    if engine is None:
        raise RuntimeError("piccolo_conf.py defines no DB engine")
    return engine


def is_postgres() -> bool:
    return isinstance(get_engine(), PostgresEngine)


async def open_pool(settings: Settings) -> None:
    engine = get_engine()
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(min_size=settings.db_pool_min, max_size=settings.db_pool_max)


async def close_pool() -> None:
    engine = get_engine()
    if isinstance(engine, PostgresEngine):
        await engine.close_connection_pool()


def write_transaction() -> Any:
    """A transaction for writes that must serialise: SQLite takes its write lock at BEGIN."""
    engine = get_engine()
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()


async def ping() -> None:
    await get_engine().run_ddl("SELECT 1")


def is_unique_violation(exc: BaseException) -> bool:
    if isinstance(exc, asyncpg.UniqueViolationError):
        return True
    return isinstance(exc, sqlite3.IntegrityError) and "UNIQUE" in str(exc)


def is_foreign_key_violation(exc: BaseException) -> bool:
    if isinstance(exc, asyncpg.ForeignKeyViolationError):
        return True
    return isinstance(exc, sqlite3.IntegrityError) and "FOREIGN KEY" in str(exc)

"""The database engine chosen by DATABASE_URL, its pool, write transactions, and every difference between
SQLite and PostgreSQL the rest of the code needs (row locks, case-insensitive search, snapshots, limits), so
that no other module asks which engine it runs on."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, TypeVar
from urllib.parse import urlsplit

import aiosqlite
import asyncpg
from piccolo.columns import Column
from piccolo.custom_types import Combinable
from piccolo.engine.base import Engine
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine, PostgresTransaction
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory
from piccolo.query import Objects, Select
from piccolo.querystring import QueryString
from piccolo.table import Table

from events_app.core.settings import Settings


class _Transaction(PostgresTransaction):
    """Piccolo's transaction, made to give its connection back to the pool whatever happens. Piccolo's own
    keeps the connection when BEGIN fails or when COMMIT or ROLLBACK fails (the database restarting under a
    request does both), and every such request would shrink the pool by one for good."""

    async def __aenter__(self) -> PostgresTransaction:
        if self._parent is not None:
            return self._parent
        self.connection = await self.get_connection()  # type: ignore[no-untyped-call]
        try:
            self.transaction = self.connection.transaction()
            await self.begin()  # type: ignore[no-untyped-call]
        except BaseException:
            await self._give_back()
            raise
        self.context = self.engine.current_transaction.set(self)
        return self

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        if self._parent:
            return exception is None
        try:
            if exception:
                if not self._rolled_back:
                    try:
                        await self.rollback()  # type: ignore[no-untyped-call]
                    except Exception:
                        # The connection broke under the request: the database rolls back on its own, and the
                        # error worth reporting is the one already on its way up, not this one.
                        self.connection.terminate()
            elif not self._committed and not self._rolled_back:
                await self.commit()  # type: ignore[no-untyped-call]
        finally:
            self.engine.current_transaction.reset(self.context)
            await self._give_back()
        return exception is None

    async def _give_back(self) -> None:
        pool = self.engine.pool
        if pool is None:
            await self.connection.close()
            return
        try:
            await pool.release(self.connection)
        except Exception:  # a broken connection: the pool replaces it
            self.connection.terminate()


class _PostgresEngine(PostgresEngine):
    def transaction(self, allow_nested: bool = True) -> PostgresTransaction:
        return _Transaction(engine=self, allow_nested=allow_nested)


class _KeptConnection(aiosqlite.Connection):
    """aiosqlite's connection, whose thread does not keep the process alive: an idle connection kept for reuse
    must not hold up the interpreter's exit (SQLite is safe when a connection with no transaction is dropped)."""

    def __init__(self, connector: Any, iter_chunk_size: int) -> None:
        super().__init__(connector, iter_chunk_size)
        self._thread.daemon = True  # before it starts, on the first await


class _SQLiteTransaction(SQLiteTransaction):
    """Piccolo's transaction, giving its connection back to the engine's idle ones instead of closing it; a
    connection whose COMMIT or ROLLBACK failed is closed (closing rolls back whatever is left)."""

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        if self._parent:
            return exception is None
        engine = self.engine
        assert isinstance(engine, _SQLiteEngine)
        try:
            if exception:
                if not self._rolled_back:
                    await self.rollback()  # type: ignore[no-untyped-call]
            elif not self._committed and not self._rolled_back:
                await self.commit()  # type: ignore[no-untyped-call]
        except BaseException:
            await self.connection.close()
            raise
        finally:
            engine.current_transaction.reset(self.context)
        await engine.give_back(self.connection)
        return exception is None


class _SQLiteEngine(SQLiteEngine):
    """Piccolo's SQLite engine, keeping a few connections open for reuse. Piccolo opens a new connection (and a
    thread) for every query outside a transaction and for every transaction, and SQLite reads the whole schema
    again on each new connection: about 0.8 ms where a query costs 0.01 ms, most of a request's time in issue
    20's profile. Foreign keys are switched on once per connection, not before every query."""

    IDLE_MAX = 8

    def __init__(self, path: str, **connection_kwargs: Any) -> None:
        super().__init__(path=path, **connection_kwargs)
        self._idle: list[aiosqlite.Connection] = []

    async def get_connection(self) -> aiosqlite.Connection:
        while self._idle:
            connection = self._idle.pop()
            if connection._running and connection._connection is not None:
                return connection
        kwargs = dict(self.connection_kwargs)
        database = kwargs.pop("database")
        connection = _KeptConnection(lambda: sqlite3.connect(database, **kwargs), 64)
        await connection
        connection.row_factory = dict_factory  # type: ignore[assignment]  # as Piccolo sets it
        await connection.execute("PRAGMA foreign_keys = 1")
        return connection

    async def give_back(self, connection: aiosqlite.Connection) -> None:
        if connection.in_transaction or len(self._idle) >= self.IDLE_MAX:
            await connection.close()
        else:
            self._idle.append(connection)

    async def close_idle(self) -> None:
        idle, self._idle = self._idle, []
        for connection in idle:
            await connection.close()

    def transaction(
        self, transaction_type: TransactionType = TransactionType.deferred, allow_nested: bool = True
    ) -> SQLiteTransaction:
        return _SQLiteTransaction(engine=self, transaction_type=transaction_type, allow_nested=allow_nested)

    async def _run_in_new_connection(
        self, query: str, args: list[Any] | None = None, query_type: str = "generic", table: Any = None
    ) -> Any:
        connection = await self.get_connection()
        try:
            async with connection.execute(query, args or []) as cursor:
                rows = await cursor.fetchall()
        except BaseException:
            await connection.close()
            raise
        await self.give_back(connection)
        return rows

    async def _run_in_existing_connection(
        self,
        connection: Any,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> Any:
        async with connection.execute(query, args or []) as cursor:
            return await cursor.fetchall()


def engine_from_url(url: str, *, sqlite_timeout: int = 30) -> Engine[Any]:
    """`sqlite:///relative.db`, `sqlite:////absolute.db` or `postgresql://user@host:port/db`."""
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        path = url.removeprefix("sqlite:///")
        if not path:
            raise RuntimeError("DATABASE_URL for SQLite needs a file: sqlite:///events_app.sqlite3")
        return _SQLiteEngine(path=path, timeout=sqlite_timeout)
    if scheme in ("postgres", "postgresql"):
        return _PostgresEngine(config={"dsn": url}, extensions=())
    raise RuntimeError(f"DATABASE_URL must start with sqlite:/// or postgresql://, not {scheme!r}")


_engine: list[Engine[Any]] = []


def get_engine() -> Engine[Any]:
    """piccolo_conf's engine, found once: the tables were bound to it when they were imported, and finding it
    (the settings module, read through the environment) was 4% of an unchanged feed's time in issue 20's profile."""
    if not _engine:
        engine = engine_finder()
        if engine is None:
            raise RuntimeError("piccolo_conf.py defines no DB engine")
        _engine.append(engine)
    return _engine[0]


def is_postgres() -> bool:
    return isinstance(get_engine(), PostgresEngine)


def engine_name() -> str:
    """The engine's name as an export file's header records it: "sqlite" or "postgres"."""
    return str(get_engine().engine_type)


# The dialect: what differs between the engines ---------------------------------------------------------

Q = TypeVar("Q", Select[Any], Objects[Any])


def locked(query: Q, *, skip_locked: bool = False) -> Q:
    """The rows locked until the transaction ends (PostgreSQL: SELECT ... FOR UPDATE). SQLite has no row
    locks (Piccolo raises); its BEGIN IMMEDIATE in write_transaction already serialises writers."""
    return query.lock_rows(skip_locked=skip_locked) if is_postgres() else query


class _FlatQuery(QueryString):
    """SQL with {} for each argument and no query inside, compiled by one split. Piccolo's QueryString makes an
    object for each argument on the way, in case one is a query: a batch of registrations writes hundreds of
    values a statement (issue 20's profile: 8% of a rush's CPU)."""

    def compile_string(self, engine_type: str = "postgres") -> tuple[str, list[Any]]:
        parts = self.template.split("{}")
        if engine_type == "sqlite":
            return "?".join(parts), list(self.args)
        numbered = [f"{part}${n}" for n, part in enumerate(parts[:-1], start=1)]
        return "".join(numbered) + parts[-1], list(self.args)


async def run_sql(sql: str, *args: Any) -> list[dict[str, Any]]:
    """A statement written out in SQL ({} marks each argument, and SQL holds no other braces), for a hot path
    where building it through Piccolo costs more than running it; in the caller's transaction when there is one.
    What it writes, the architecture tests read in its text (tests/test_writes_go_through_services.py)."""
    found = await get_engine().run_querystring(_FlatQuery(sql, *args))
    return [dict(row.items()) for row in found or ()]  # PostgreSQL's records and SQLite's dicts alike


async def read_rows(sql: str, *args: Any) -> list[dict[str, Any]]:
    """A read written out in SQL (`run_sql`)."""
    return await run_sql(sql, *args)


def value_rows(rows: int, columns: int) -> str:
    """`({}, {}), ({}, {})`: the placeholders of a multi-row INSERT for `run_sql`."""
    return ", ".join(["(" + ", ".join(["{}"] * columns) + ")"] * rows)


def value_list(count: int) -> str:
    """`({}, {}, {})`: the placeholders of an IN list for `run_sql`."""
    return value_rows(1, count)


def for_update_of(alias: str) -> str:
    """The same lock for hand-written SQL: the clause to append, empty on SQLite."""
    return f" FOR UPDATE OF {alias}" if is_postgres() else ""


def contains_text(text: str, *columns: Column) -> Combinable:
    """Any of the columns contains the text, ignoring case. PostgreSQL: ILIKE. SQLite: LIKE, which already
    ignores case (ASCII letters), and without Piccolo's warning that ILIKE falls back to LIKE there."""
    pattern = f"%{text.strip()}%"
    matches = [column.ilike(pattern) if is_postgres() else column.like(pattern) for column in columns]
    combined: Combinable = matches[0]
    for match in matches[1:]:
        combined = combined | match
    return combined


def max_query_parameters() -> int:
    """Bound parameters one statement may carry: 999 on the oldest SQLite builds, 32,767 on PostgreSQL."""
    return 32_767 if is_postgres() else 999


@asynccontextmanager
async def read_snapshot() -> AsyncIterator[None]:
    """One consistent view of every table for a long read. SQLite: a read transaction (writers wait for it
    to end). PostgreSQL: a repeatable-read, read-only transaction (nobody waits)."""
    engine = get_engine()
    async with engine.transaction():
        if is_postgres():
            await engine.run_ddl("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


async def reset_id_sequences(tables: list[type[Table]]) -> None:
    """After rows were inserted with their ids: PostgreSQL's sequences continue after the largest id, so new
    rows do not collide. SQLite's AUTOINCREMENT-free integer keys already follow the largest id."""
    if not is_postgres():
        return
    for table in tables:
        name, key = table._meta.tablename, table._meta.primary_key._meta.db_column_name
        # Names from our own table classes, never from input.
        sql = f'SELECT setval(pg_get_serial_sequence({{}}, {{}}), COALESCE(MAX("{key}"), 0) + 1, false) FROM "{name}"'  # noqa: S608
        await table.raw(sql, f'"{name}"', key)


async def _release(connection: asyncpg.Connection) -> None:
    """What a connection needs on its way back to the pool. asyncpg's default also runs RESET ALL, UNLISTEN *,
    CLOSE ALL and pg_advisory_unlock_all() after every query: a round trip each time, for session state this
    application never sets. Only a transaction left open (a cancelled request) must be undone."""
    if connection.is_in_transaction():
        await connection.execute("ROLLBACK")


async def open_pool(settings: Settings) -> None:
    engine = get_engine()
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(min_size=settings.db_pool_min, max_size=settings.db_pool_max, reset=_release)


POOL_CLOSE_SECONDS = 10


async def close_pool() -> None:
    """Close the pool, waiting a little for requests still running; then cut what is left, so that a stop
    never hangs on a connection that will not come back."""
    engine = get_engine()
    if isinstance(engine, _SQLiteEngine):
        await engine.close_idle()
    if isinstance(engine, PostgresEngine) and engine.pool is not None:
        pool, engine.pool = engine.pool, None
        try:
            await asyncio.wait_for(pool.close(), timeout=POOL_CLOSE_SECONDS)
        except Exception:  # TimeoutError included
            pool.terminate()


_sqlite_writers: dict[int, asyncio.Lock] = {}


def _sqlite_writer() -> asyncio.Lock:
    loop_id = id(asyncio.get_running_loop())
    lock = _sqlite_writers.get(loop_id)
    if lock is None:
        _sqlite_writers.clear()  # a new event loop (a restart, a test): the old lock belongs to the old loop
        lock = _sqlite_writers[loop_id] = asyncio.Lock()
    return lock


@asynccontextmanager
async def write_transaction() -> AsyncIterator[None]:
    """A transaction for writes that must serialise. PostgreSQL: a plain transaction (the caller locks the rows
    it counts). SQLite: BEGIN IMMEDIATE takes the database's write lock; writers of this process first queue
    on an asyncio lock, in order, instead of all polling SQLite's busy handler, which lets some wait for
    seconds while newcomers get in first. A transaction inside a transaction joins the outer one."""
    engine = get_engine()
    if not isinstance(engine, SQLiteEngine):
        async with engine.transaction():
            yield
        return
    if engine.current_transaction.get() is not None:
        async with engine.transaction(transaction_type=TransactionType.immediate):
            yield
        return
    async with _sqlite_writer(), engine.transaction(transaction_type=TransactionType.immediate):
        yield


async def ping() -> None:
    await get_engine().run_ddl("SELECT 1")


# The database went away (a restart, a failover, a network blip) or is too busy to answer in time: the request
# changed nothing that committed, and the same request will work again in a moment.
_DATABASE_UNAVAILABLE = (
    asyncpg.PostgresConnectionError,  # connection lost, cannot connect now (starting up, shutting down)
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.CrashShutdownError,
    asyncpg.exceptions.CannotConnectNowError,  # "the database system is starting up / shutting down"
    asyncpg.exceptions.TooManyConnectionsError,
    asyncpg.exceptions.ConnectionDoesNotExistError,
    asyncpg.InterfaceError,  # "connection is closed", "pool is closing"
    asyncpg.exceptions.InternalClientError,  # a connection left mid-operation when the server went away
    ConnectionError,  # refused or reset while connecting
    asyncio.TimeoutError,
)


_DATABASE_REFUSED_VALUE = (
    asyncpg.exceptions.CharacterNotInRepertoireError,
    asyncpg.exceptions.UntranslatableCharacterError,
    asyncpg.exceptions.StringDataRightTruncationError,
    asyncpg.exceptions.NumericValueOutOfRangeError,
)


def is_unavailable(exc: BaseException) -> bool:
    if isinstance(exc, _DATABASE_UNAVAILABLE):
        return True
    if isinstance(exc, asyncpg.exceptions.ObjectNotInPrerequisiteStateError) and "accepting connections" in str(exc):
        return True  # the database is closed to new connections for a moment (ALLOW_CONNECTIONS false)
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)


def is_refused_value(exc: BaseException) -> bool:
    """PostgreSQL refused a value that slipped past validation (too long, out of range, U+0000)."""
    return isinstance(exc, _DATABASE_REFUSED_VALUE)


def is_unique_violation(exc: BaseException) -> bool:
    if isinstance(exc, asyncpg.UniqueViolationError):
        return True
    return isinstance(exc, sqlite3.IntegrityError) and "UNIQUE" in str(exc)


def is_foreign_key_violation(exc: BaseException) -> bool:
    if isinstance(exc, asyncpg.ForeignKeyViolationError):
        return True
    return isinstance(exc, sqlite3.IntegrityError) and "FOREIGN KEY" in str(exc)

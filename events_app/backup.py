"""The whole database to a portable file and back: for backups, and for moving between SQLite and PostgreSQL.

The file is gzip-compressed JSON Lines (UTF-8), one JSON object per line:

- line 1, the header: ``{"format": "events_app-export", "version": 1, "created_at": "<ISO 8601, UTC>",
  "engine": "sqlite" | "postgres", "migrations": {"<app>": ["<migration id>", ...]},
  "tables": {"<table>": <rows>, ...}}``; `tables` lists every table in foreign-key order, parents first;
- then one line per row, ``{"table": "<table>", "row": {"<column>": <value>, ...}}``, each table's rows
  together, in the order of `tables`, by primary key.

Values are written by the column's Piccolo type: Timestamptz as ISO 8601 in UTC with its offset, Timestamp,
Date and Time as ISO 8601 without one, Numeric as a string, UUID as a string, Bytea as base64, JSON as the
JSON value it holds, Boolean as true/false, integers and floats as numbers, and NULL as null.

Sign-in sessions (piccolo_api's `sessions` table) are left out: they are short-lived, and an import ends
every session of the target database, because a session names its user by id only.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import json
import os
import time
import uuid
import zlib
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from datetime import time as time_of_day
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from piccolo import columns as c
from piccolo.apps.migrations.commands.base import BaseMigrationManager
from piccolo.apps.migrations.tables import Migration
from piccolo.apps.user.tables import BaseUser
from piccolo.table import Table, sort_table_classes
from piccolo_api.session_auth.tables import SessionsBase

from events_app.core.database import get_engine, is_postgres, write_transaction
from events_app.people.services import DEFAULT_GROUPS
from events_app.people.tables import StakeholderGroup
from events_app.piccolo_app import APP_CONFIG

FORMAT = "events_app-export"
VERSION = 1
READ_BATCH_ROWS = 500
READ_BATCH_ROWS_WITH_BYTES = 20  # outbox attachments: a few MB at a time, not the whole table
WRITE_BATCH_BYTES = 8_000_000
SQLITE_MAX_PARAMETERS = 999  # the lowest limit SQLite builds have; PostgreSQL allows 32767
POSTGRES_MAX_PARAMETERS = 32_767


class BackupError(Exception):
    """A file or a database that cannot be exported or imported, with a message for the person running it."""


@dataclass(frozen=True)
class BackupSummary:
    tables: dict[str, int]
    seconds: float

    @property
    def total(self) -> int:
        return sum(self.tables.values())


def exported_tables() -> list[type[Table]]:
    """Every table of events_app and the accounts they reference, parents first."""
    return sort_table_classes([BaseUser, *APP_CONFIG.table_classes])


# Values ------------------------------------------------------------------------------------------------


def _value_column(column: c.Column) -> c.Column:
    """A foreign key holds a value of the column it points at."""
    while isinstance(column, c.ForeignKey):
        column = column._foreign_key_meta.resolved_target_column
    return column


def _encode(column: c.Column, value: Any) -> Any:
    if value is None:
        return None
    kind = _value_column(column)
    if isinstance(kind, c.Boolean):
        return bool(value)
    if isinstance(kind, (c.Integer, c.Serial)):
        return int(value)
    if isinstance(kind, c.Real):
        return float(value)
    if isinstance(kind, (c.Varchar, c.Text)):
        return str(value)
    if isinstance(kind, c.Timestamptz):
        return value.astimezone(UTC).isoformat()
    if isinstance(kind, (c.Timestamp, c.Date, c.Time)):
        return value.isoformat()
    if isinstance(kind, (c.Numeric, c.UUID)):
        return str(value)
    if isinstance(kind, c.Bytea):
        return base64.b64encode(value).decode("ascii")
    if isinstance(kind, c.JSON):
        return json.loads(value) if isinstance(value, str) else value
    raise BackupError(f"Column {column._meta.name} has a type the export format has no encoding for: {kind}")


def _decode(column: c.Column, value: Any) -> Any:  # noqa: PLR0912 - a branch per column type
    """The Python value Piccolo writes for a value from the file; ValueError when it is not of the right kind."""
    kind = _value_column(column)
    if value is None:
        if isinstance(kind, c.JSON) and not column._meta.null:
            return "null"
        return None
    if isinstance(kind, c.JSON):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(kind, c.Boolean):
        if isinstance(value, bool):
            return value
    elif isinstance(kind, (c.Integer, c.Serial)):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif isinstance(kind, c.Real):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    elif not isinstance(value, str):
        pass
    elif isinstance(kind, (c.Varchar, c.Text)):
        return value
    elif isinstance(kind, c.Timestamptz):
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError("a timestamp with a time zone needs an offset")
        return moment.astimezone(UTC)
    elif isinstance(kind, c.Timestamp):
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is not None:
            raise ValueError("a timestamp without a time zone has no offset")
        return moment
    elif isinstance(kind, c.Date):
        return date.fromisoformat(value)
    elif isinstance(kind, c.Time):
        return time_of_day.fromisoformat(value)
    elif isinstance(kind, c.Numeric):
        try:
            return Decimal(value)
        except InvalidOperation as exc:
            raise ValueError("not a number") from exc
    elif isinstance(kind, c.UUID):
        return uuid.UUID(value)
    elif isinstance(kind, c.Bytea):
        return base64.b64decode(value, validate=True)
    raise ValueError(f"{type(value).__name__} is not a value for a {type(kind).__name__} column")


# Migrations --------------------------------------------------------------------------------------------


def known_migrations() -> dict[str, list[str]]:
    """The migrations of every Piccolo app this code has, by app."""
    manager = BaseMigrationManager()
    known = {}
    for app_name, app_config in manager.get_app_registry().app_configs.items():
        modules = manager.get_migration_modules(app_config.resolved_migrations_folder_path)
        known[app_name] = manager.get_migration_ids(modules)
    return known


def _unknown(migrations: dict[str, list[str]], known: dict[str, list[str]]) -> list[str]:
    return [f"{app} {name}" for app, names in migrations.items() for name in names if name not in known.get(app, [])]


async def _database_migrations() -> dict[str, list[str]]:
    """The migrations applied to the database, which must be exactly those this code has."""
    if not await Migration.table_exists():
        raise BackupError("The database has no tables yet: run `events-app migrate` first.")
    applied: dict[str, list[str]] = {}
    for row in await Migration.select(Migration.app_name, Migration.name).order_by(Migration.app_name, Migration.name):
        applied.setdefault(row["app_name"], []).append(row["name"])
    known = known_migrations()
    if missing := _unknown(known, applied):
        raise BackupError(f"The database lacks migrations ({', '.join(missing)}): run `events-app migrate` first.")
    if newer := _unknown(applied, known):
        raise BackupError(
            f"The database has migrations this version of events_app does not know ({', '.join(newer)}): "
            "use the version of events_app that made them."
        )
    return applied


# Export ------------------------------------------------------------------------------------------------


@asynccontextmanager
async def _snapshot() -> AsyncIterator[None]:
    """One consistent view of every table, so that no row points at a parent the file lacks. SQLite: a read
    transaction (writers wait for it to end). PostgreSQL: a repeatable-read transaction (nobody waits)."""
    async with get_engine().transaction():
        if is_postgres():
            await BaseUser.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


async def _rows(table: type[Table]) -> AsyncIterator[list[dict[str, Any]]]:
    primary_key = table._meta.primary_key
    has_bytes = any(isinstance(column, c.Bytea) for column in table._meta.columns)
    size = READ_BATCH_ROWS_WITH_BYTES if has_bytes else READ_BATCH_ROWS
    last: Any = None
    while True:
        query = table.select(*table._meta.columns).order_by(primary_key).limit(size)
        if last is not None:
            query = query.where(primary_key > last)
        batch = await query
        if not batch:
            return
        yield batch
        last = batch[-1][primary_key._meta.name]


def _line(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode() + b"\n"


async def export_database(target: IO[bytes]) -> BackupSummary:
    """Write every table but sign-in sessions to `target`, in the format above."""
    started = time.perf_counter()
    tables = exported_tables()
    written: dict[str, int] = {}
    async with _snapshot():
        migrations = await _database_migrations()
        counts = {table._meta.tablename: await table.count() for table in tables}
        header = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": datetime.now(UTC).isoformat(),
            "engine": get_engine().engine_type,
            "migrations": migrations,
            "tables": counts,
        }
        with gzip.GzipFile(fileobj=target, mode="wb", compresslevel=6) as stream:
            stream.write(_line(header))
            for table in tables:
                name = table._meta.tablename
                written[name] = 0
                async for batch in _rows(table):
                    for row in batch:
                        values = {col._meta.name: _encode(col, row[col._meta.name]) for col in table._meta.columns}
                        stream.write(_line({"table": name, "row": values}))
                    written[name] += len(batch)
    if written != counts:  # cannot happen inside one snapshot; a file that says otherwise would be refused
        raise BackupError(f"Rows changed during the export: expected {counts}, wrote {written}.")
    return BackupSummary(tables=written, seconds=time.perf_counter() - started)


@contextlib.contextmanager
def private_file(path: Path) -> Iterator[IO[bytes]]:
    """A new file only its owner may read (it holds personal data), put in place only once fully written:
    a failed export never leaves half a file, nor replaces a good one."""
    partial = path.with_name(path.name + ".partial")
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as exc:
        raise BackupError(f"Cannot create {partial}: {exc.strerror}.") from exc
    try:
        with os.fdopen(descriptor, "wb") as stream:
            yield stream
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


# Import ------------------------------------------------------------------------------------------------


class _Lines:
    """The file's lines as JSON objects, numbered from 1, with errors that say where the file went wrong."""

    def __init__(self, source: IO[bytes]) -> None:
        self.stream = gzip.GzipFile(fileobj=source, mode="rb")
        self.number = 0
        self.size = 0  # of the last line read

    def __iter__(self) -> Iterator[dict[str, Any]]:
        while True:
            try:
                raw = self.stream.readline()
            except EOFError as exc:
                raise BackupError(f"The file is truncated: it ends in the middle of line {self.number + 1}.") from exc
            except (OSError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
                where = "is not a gzip file" if self.number == 0 else f"is corrupted after line {self.number}"
                raise BackupError(f"The file {where} ({exc}).") from exc
            if not raw:
                return
            self.number += 1
            self.size = len(raw)
            try:
                document = json.loads(raw)
            except (UnicodeDecodeError, ValueError) as exc:
                raise BackupError(f"Line {self.number} is not valid JSON ({exc}).") from exc
            if not isinstance(document, dict):
                raise BackupError(f"Line {self.number} is not a JSON object.")
            yield document


def _check_header(header: dict[str, Any]) -> dict[str, int]:
    """The tables the file holds, with their row counts, once the header says the file is one we can read."""
    if header.get("format") != FORMAT:
        raise BackupError(f'This is not an events_app export (line 1 should say "format": "{FORMAT}").')
    version = header.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BackupError(f"The header gives no valid format version: {version!r}.")
    if version > VERSION:
        raise BackupError(
            f"The file is in format version {version}, written by a newer events_app; this one reads version "
            f"{VERSION}. Upgrade events_app to import it."
        )
    migrations, counts = header.get("migrations"), header.get("tables")
    if not isinstance(migrations, dict) or not all(
        isinstance(names, list) and all(isinstance(n, str) for n in names) for names in migrations.values()
    ):
        raise BackupError("The header's migrations are not a list of migration ids for each app.")
    if newer := _unknown(migrations, known_migrations()):
        raise BackupError(
            f"The file comes from a newer events_app: its database had migrations this version does not know "
            f"({', '.join(newer)}). Upgrade events_app to import it."
        )
    if not isinstance(counts, dict) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in counts.values()
    ):
        raise BackupError("The header's tables are not a row count for each table.")
    if unknown := sorted(set(counts) - {table._meta.tablename for table in exported_tables()}):
        raise BackupError(f"The file holds tables this version of events_app does not have: {', '.join(unknown)}.")
    return counts


async def _empty_target(tables: list[type[Table]], *, replace: bool) -> None:
    """Refuse a database that holds data, unless told to replace it. A freshly migrated database holds the
    standard stakeholder groups (`events-app migrate` adds them): it counts as empty, and they make way for
    the file's own."""
    holding = {table._meta.tablename: n for table in tables if (n := await table.count())}
    if holding and not replace and not await _only_default_groups(holding):
        raise BackupError(
            f"The database already holds data ({sum(holding.values())} rows in {len(holding)} tables). Import into "
            "an empty, migrated database, or pass --replace to delete everything it holds first."
        )
    for table in reversed(tables):
        await table.delete(force=True)
    await SessionsBase.delete(force=True)  # sessions name users by id: the file's users are other people


async def _only_default_groups(holding: dict[str, int]) -> bool:
    if set(holding) != {StakeholderGroup._meta.tablename}:
        return False
    groups = await StakeholderGroup.select(StakeholderGroup.slug, StakeholderGroup.name, StakeholderGroup.description)
    return all((g["slug"], g["name"]) in DEFAULT_GROUPS and not g["description"] for g in groups)


class _Writer:
    """Rows of one table at a time, inserted in batches that stay under the database's parameter limit."""

    def __init__(self, table: type[Table], max_parameters: int) -> None:
        self.table = table
        self.columns = {column._meta.name: column for column in table._meta.columns}
        self.rows_per_batch = max(1, min(1000, max_parameters // len(self.columns)))
        self.batch: list[Table] = []
        self.bytes = 0
        self.first_line = 0
        self.last_line = 0

    def row(self, values: Any, line: int) -> Table:
        name = self.table._meta.tablename
        if not isinstance(values, dict):
            raise BackupError(f"Line {line} ({name}): the row is not a JSON object.")
        if unknown := sorted(set(values) - set(self.columns)):
            raise BackupError(f"Line {line} ({name}): no such column: {', '.join(unknown)}.")
        primary_key = self.table._meta.primary_key._meta.name
        if values.get(primary_key) is None:
            raise BackupError(f"Line {line} ({name}): the row has no {primary_key}.")
        decoded = {}
        for key, value in values.items():
            column = self.columns[key]
            if value is None and not column._meta.null and not isinstance(column, c.JSON):
                raise BackupError(f"Line {line} ({name}): {key} may not be null.")
            try:
                decoded[key] = _decode(column, value)
            except (ValueError, TypeError) as exc:
                raise BackupError(f"Line {line} ({name}): {key} has a value that does not fit: {exc}.") from exc
        return self.table(**decoded)

    def add(self, row: Table, line: int, size: int) -> bool:
        """Add a row; True when the batch is full."""
        if not self.batch:
            self.first_line = line
        self.batch.append(row)
        self.last_line = line
        self.bytes += size
        return len(self.batch) >= self.rows_per_batch or self.bytes >= WRITE_BATCH_BYTES

    async def flush(self) -> None:
        if not self.batch:
            return
        try:
            await self.table.insert(*self.batch)
        except Exception as exc:
            raise BackupError(
                f"Could not write the {self.table._meta.tablename} rows of lines {self.first_line}-{self.last_line}: "
                f"{exc}"
            ) from exc
        self.batch, self.bytes = [], 0


async def _insert_rows(reader: _Lines, documents: Iterator[dict[str, Any]], counts: dict[str, int]) -> dict[str, int]:
    by_name = {table._meta.tablename: table for table in exported_tables()}
    order = list(counts)
    max_parameters = POSTGRES_MAX_PARAMETERS if is_postgres() else SQLITE_MAX_PARAMETERS
    written = dict.fromkeys(order, 0)
    writer: _Writer | None = None
    position = -1
    for document in documents:
        line = reader.number
        name = document.get("table")
        if set(document) != {"table", "row"} or not isinstance(name, str):
            raise BackupError(f'Line {line} is not a row: it should hold just "table" and "row".')
        if writer is None or writer.table._meta.tablename != name:
            if name not in counts:
                raise BackupError(f"Line {line}: table {name!r} is not in the header.")
            if order.index(name) <= position:
                raise BackupError(f"Line {line}: the rows of {name} are out of the header's order.")
            if writer is not None:
                await writer.flush()
            position = order.index(name)
            writer = _Writer(by_name[name], max_parameters)
        written[name] += 1
        if written[name] > counts[name]:
            raise BackupError(f"Line {line}: more {name} rows than the header's {counts[name]}.")
        if writer.add(writer.row(document["row"], line), line, reader.size):
            await writer.flush()
    if writer is not None:
        await writer.flush()
    if short := [f"{name} ({written[name]} of {n})" for name, n in counts.items() if written[name] != n]:
        raise BackupError(f"The file ends early after line {reader.number}: rows missing from {', '.join(short)}.")
    return written


async def _reset_sequences(tables: list[type[Table]]) -> None:
    """PostgreSQL: the next id of each table after the largest imported one, so new rows do not collide."""
    for table in tables:
        name, key = table._meta.tablename, table._meta.primary_key._meta.db_column_name
        # Names from our own table classes, never from the file.
        sql = f'SELECT setval(pg_get_serial_sequence({{}}, {{}}), COALESCE(MAX("{key}"), 0) + 1, false) FROM "{name}"'  # noqa: S608
        await table.raw(sql, f'"{name}"', key)


async def import_database(source: IO[bytes], *, replace: bool = False) -> BackupSummary:
    """Load a file made by `export_database` into a migrated database that holds no data (or, with
    `replace`, whose data is deleted first): all in one transaction, so on any error nothing is written."""
    started = time.perf_counter()
    reader = _Lines(source)
    documents = iter(reader)
    header = next(documents, None)
    if header is None:
        raise BackupError("The file is empty.")
    counts = _check_header(header)
    tables = exported_tables()
    async with write_transaction():
        await _database_migrations()
        await _empty_target(tables, replace=replace)
        written = await _insert_rows(reader, documents, counts)
        if is_postgres():
            await _reset_sequences(tables)
    return BackupSummary(tables=written, seconds=time.perf_counter() - started)


def describe(summary: BackupSummary, verb: str) -> list[str]:
    """What a command prints: rows per table, then the total and the time."""
    width = max((len(name) for name in summary.tables), default=0)
    rows = [f"  {name:<{width}}  {count:>8}" for name, count in summary.tables.items()]
    return [*rows, f"{verb} {summary.total} rows of {len(summary.tables)} tables in {summary.seconds:.1f} s."]

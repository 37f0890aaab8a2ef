"""Import: a file made by export_database into an empty migrated database, in one transaction."""

from __future__ import annotations

import gzip
import json
import time
import zlib
from collections.abc import Iterator
from typing import IO, Any

from piccolo import columns as c
from piccolo.table import Table
from piccolo_api.session_auth.tables import SessionsBase

from events_app.accounts.services import forget_sessions
from events_app.backup.format import (
    FORMAT,
    VERSION,
    WRITE_BATCH_BYTES,
    BackupError,
    BackupSummary,
    _database_migrations,
    _decode,
    _unknown,
    exported_tables,
    known_migrations,
)
from events_app.core.database import max_query_parameters, reset_id_sequences, write_transaction
from events_app.hub.search import rebuild_index
from events_app.people.services import DEFAULT_GROUPS
from events_app.people.tables import StakeholderGroup
from events_app.programme.remembered import forget_event_rows


class _Lines:
    """The file's lines as JSON objects, numbered from 1, with errors that say where the file went wrong."""

    def __init__(self, source: IO[bytes]) -> None:
        self.stream = gzip.GzipFile(fileobj=source, mode="rb")
        self.number = 0
        self.size = 0  # of the last line read

    # Untyped on purpose: a backup line is a JSON document of any table's columns
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


# Untyped on purpose: the backup file's header, a JSON document checked here
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


# Untyped on purpose: JSON documents of any table's columns
async def _insert_rows(reader: _Lines, documents: Iterator[dict[str, Any]], counts: dict[str, int]) -> dict[str, int]:
    by_name = {table._meta.tablename: table for table in exported_tables()}
    order = list(counts)
    max_parameters = max_query_parameters()
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
        await reset_id_sequences(tables)
        await rebuild_index()  # the hub's search index is not in the file: made again from the resources
    # Other people's accounts and events now: nothing remembered before (here or in Redis) is used again.
    await forget_sessions()
    await forget_event_rows()
    return BackupSummary(tables=written, seconds=time.perf_counter() - started)

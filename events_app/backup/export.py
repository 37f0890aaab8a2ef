"""Export: every table but sign-in sessions, from one consistent snapshot, to a file only its owner reads."""

from __future__ import annotations

import contextlib
import gzip
import os
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from piccolo import columns as c
from piccolo.table import Table

from events_app.backup.format import (
    FORMAT,
    READ_BATCH_ROWS,
    READ_BATCH_ROWS_WITH_BYTES,
    VERSION,
    BackupError,
    BackupSummary,
    _database_migrations,
    _encode,
    _line,
    exported_tables,
)
from events_app.core.database import engine_name, read_snapshot


# Untyped on purpose: rows of any table, written by column type into the backup file
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


async def export_database(target: IO[bytes]) -> BackupSummary:
    """Write every table but sign-in sessions to `target`, in the format above."""
    started = time.perf_counter()
    tables = exported_tables()
    written: dict[str, int] = {}
    async with read_snapshot():
        migrations = await _database_migrations()
        counts = {table._meta.tablename: await table.count() for table in tables}
        header = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": datetime.now(UTC).isoformat(),
            "engine": engine_name(),
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

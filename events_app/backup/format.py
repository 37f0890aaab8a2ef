"""The export file's values and header: how each column type is written and read back, the migrations a
file and a database must share, and what a command prints. The format itself is described in __init__."""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from datetime import time as time_of_day
from decimal import Decimal, InvalidOperation
from typing import Any

from piccolo import columns as c
from piccolo.apps.migrations.commands.base import BaseMigrationManager
from piccolo.apps.migrations.tables import Migration
from piccolo.apps.user.tables import BaseUser
from piccolo.table import Table, sort_table_classes

from events_app.piccolo_app import APP_CONFIG

FORMAT = "events_app-export"
VERSION = 1
READ_BATCH_ROWS = 500
READ_BATCH_ROWS_WITH_BYTES = 20  # outbox attachments: a few MB at a time, not the whole table
WRITE_BATCH_BYTES = 8_000_000


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


# Untyped on purpose: a JSON document of any table's columns
def _line(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode() + b"\n"


def describe(summary: BackupSummary, verb: str) -> list[str]:
    """What a command prints: rows per table, then the total and the time."""
    width = max((len(name) for name in summary.tables), default=0)
    rows = [f"  {name:<{width}}  {count:>8}" for name, count in summary.tables.items()]
    return [*rows, f"{verb} {summary.total} rows of {len(summary.tables)} tables in {summary.seconds:.1f} s."]

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

from events_app.backup.export import export_database, private_file
from events_app.backup.format import BackupError, BackupSummary, describe, exported_tables, known_migrations
from events_app.backup.restore import import_database

__all__ = [
    "BackupError",
    "BackupSummary",
    "describe",
    "export_database",
    "exported_tables",
    "import_database",
    "known_migrations",
    "private_file",
]

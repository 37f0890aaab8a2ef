"""Running the migrations on an empty database gives exactly the schema the tables declare."""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from tests import dbsetup

pytestmark = pytest.mark.slow


def _declared_ddl() -> tuple[list[str], list[str]]:
    """CREATE statements for BaseUser (which our tables reference) and for every events_app table."""
    from piccolo.apps.user.tables import BaseUser
    from piccolo.table import sort_table_classes

    from events_app.piccolo_app import APP_CONFIG

    ordered = sort_table_classes(list(APP_CONFIG.table_classes))
    ours = [statement for table in ordered for statement in table.create_table().ddl]
    return list(BaseUser.create_table().ddl), ours


def _our_tables() -> list[str]:
    from events_app.piccolo_app import APP_CONFIG

    return sorted(t._meta.tablename for t in APP_CONFIG.table_classes)


def _sqlite_schema(path: str, tables: list[str]) -> dict[str, Any]:
    connection = sqlite3.connect(path)
    try:
        schema: dict[str, Any] = {}
        for table in tables:
            columns = connection.execute(f"PRAGMA table_info('{table}')").fetchall()
            foreign_keys = connection.execute(f"PRAGMA foreign_key_list('{table}')").fetchall()
            indexes = []
            for index in connection.execute(f"PRAGMA index_list('{table}')").fetchall():
                indexed = [row[2] for row in connection.execute(f"PRAGMA index_info('{index[1]}')").fetchall()]
                indexes.append((tuple(indexed), index[2]))  # columns, unique
            schema[table] = {
                "columns": sorted((c[1], c[2].upper(), c[3], c[5]) for c in columns),  # name, type, notnull, pk
                "foreign_keys": sorted((f[2], f[3], f[4], f[6]) for f in foreign_keys),  # table, from, to, on_delete
                "indexes": sorted(indexes),
            }
        return schema
    finally:
        connection.close()


async def _postgres_schema(url: str, tables: list[str]) -> dict[str, Any]:
    connection = await asyncpg.connect(url)
    try:
        schema: dict[str, Any] = {}
        for table in tables:
            columns = await connection.fetch(
                "SELECT column_name, data_type, is_nullable, column_default, character_maximum_length "
                "FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1",
                table,
            )
            constraints = await connection.fetch(
                "SELECT contype, pg_get_constraintdef(oid) AS definition FROM pg_constraint "
                "WHERE conrelid = $1::regclass",
                f'"{table}"',
            )
            indexes = await connection.fetch(
                "SELECT regexp_replace(indexdef, 'INDEX \\S+ ON', 'INDEX ON') AS definition "
                "FROM pg_indexes WHERE schemaname = 'public' AND tablename = $1",
                table,
            )
            schema[table] = {
                "columns": sorted(tuple(r.values()) for r in columns),
                "constraints": sorted((r["contype"], r["definition"]) for r in constraints),
                "indexes": sorted(r["definition"] for r in indexes),
            }
        return schema
    finally:
        await connection.close()


def test_migrations_create_exactly_the_declared_schema(database: dbsetup.TestDatabase) -> None:
    base_user, ours = _declared_ddl()
    tables = _our_tables()
    if database.engine == "sqlite":
        migrated = _sqlite_schema(database.url.removeprefix("sqlite:///"), tables)
        with tempfile.TemporaryDirectory() as folder:
            path = str(Path(folder) / "declared.sqlite3")
            connection = sqlite3.connect(path)
            for statement in [*base_user, *ours]:
                connection.execute(statement)
            connection.commit()
            connection.close()
            declared = _sqlite_schema(path, tables)
    else:
        name, url = dbsetup.create_postgres_database("events_app_declared")
        try:

            async def build() -> None:
                connection = await asyncpg.connect(url)
                try:
                    for statement in [*base_user, *ours]:
                        await connection.execute(statement)
                finally:
                    await connection.close()

            asyncio.run(build())
            declared = asyncio.run(_postgres_schema(url, tables))
        finally:
            dbsetup.drop_postgres_database(name)
        migrated = asyncio.run(_postgres_schema(database.url, tables))
    assert set(migrated) == set(tables)
    for table in tables:
        assert migrated[table] == declared[table], f"migrations and tables differ for {table}"


def test_no_table_change_is_missing_a_migration() -> None:
    """Piccolo's own auto-migration differ finds nothing left to migrate."""
    from piccolo.apps.migrations.auto.diffable_table import DiffableTable
    from piccolo.apps.migrations.auto.schema_differ import SchemaDiffer
    from piccolo.apps.migrations.auto.schema_snapshot import SchemaSnapshot
    from piccolo.apps.migrations.commands.base import BaseMigrationManager

    from events_app.piccolo_app import APP_CONFIG

    async def diff() -> list[str]:
        managers = await BaseMigrationManager().get_migration_managers(app_config=APP_CONFIG)
        snapshot = SchemaSnapshot(managers).get_snapshot()
        current = [
            DiffableTable(
                class_name=t.__name__,
                tablename=t._meta.tablename,
                columns=t._meta.non_default_columns,
                schema=t._meta.schema,
            )
            for t in APP_CONFIG.table_classes
        ]
        groups = SchemaDiffer(schema=current, schema_snapshot=snapshot, auto_input="n").get_alter_statements()
        return [statement for group in groups for statement in group.statements]

    statements = asyncio.run(diff())
    assert statements == [], "tables changed without a migration: run `piccolo migrations new events_app --auto`"

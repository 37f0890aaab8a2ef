from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-12-06T13:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "The hub's search index (resource_search): PostgreSQL full-text search (an English tsvector per resource, "
    "with a GIN index) or SQLite FTS5 (porter stemming), kept by events_app/hub/search.py"
)

# Written by hand: Piccolo declares neither tsvector columns nor virtual tables. The index is one row per resource
# (its words: title, summary, body, and what it is about: themes, sectors, region, organisations), written by the
# hub's services in the transaction that changes the resource. It is not data of its own: it is rebuilt from the
# resources (hub.search.rebuild_index), so backups leave it out.

POSTGRES = (
    "CREATE TABLE resource_search ("
    " resource_id integer PRIMARY KEY REFERENCES resource (id) ON DELETE CASCADE,"
    " document tsvector NOT NULL)",
    "CREATE INDEX resource_search_document ON resource_search USING GIN (document)",
)
SQLITE = (
    "CREATE VIRTUAL TABLE resource_search USING fts5("
    "title, summary, body, context, tokenize = 'porter unicode61 remove_diacritics 2')",
    # A resource deleted around the services (a test emptying tables, a backup replacing the data) leaves no words.
    "CREATE TRIGGER resource_search_forget AFTER DELETE ON resource BEGIN "
    "DELETE FROM resource_search WHERE rowid = old.id; END",
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="events_app", description=DESCRIPTION)

    async def create_index() -> None:
        engine = engine_finder()
        assert engine is not None
        for statement in POSTGRES if isinstance(engine, PostgresEngine) else SQLITE:
            await engine.run_ddl(statement)

    async def drop_index() -> None:
        engine = engine_finder()
        assert engine is not None
        if not isinstance(engine, PostgresEngine):
            await engine.run_ddl("DROP TRIGGER IF EXISTS resource_search_forget")
        await engine.run_ddl("DROP TABLE IF EXISTS resource_search")

    manager.add_raw(create_index)
    manager.add_raw_backwards(drop_index)
    return manager

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-06T13:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "How existing events are attended: those with a meeting address are online, or hybrid with a venue"

# Written by hand: until now an event's online link was enough to make it online (or "venue and online"); the
# attendance mode says so from now on, and the link is reached only through each delegate's own join link.
FILL_MODES = """
UPDATE event SET attendance_mode = CASE WHEN venue IS NULL THEN 'online' ELSE 'hybrid' END
WHERE online_url <> '' AND attendance_mode = 'in_person'
"""


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="events_app", description=DESCRIPTION)

    async def fill() -> None:
        engine = engine_finder()
        assert engine is not None
        await engine.run_ddl(FILL_MODES)

    manager.add_raw(fill)
    return manager

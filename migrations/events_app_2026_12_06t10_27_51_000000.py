from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-06T10:27:51:000000"
VERSION = "1.38.0"
DESCRIPTION = "Fill what each registration was made as from today's delegates; sector roles of the default groups"

# Written by hand: plain SQL both engines run the same way (correlated subqueries, no UPDATE ... FROM).
FILL_REGISTRATIONS = """
UPDATE registration SET
    name = (SELECT d.name FROM delegate d WHERE d.id = registration.delegate),
    stakeholder_group = (SELECT d.stakeholder_group FROM delegate d WHERE d.id = registration.delegate),
    organisation = (SELECT d.organisation FROM delegate d WHERE d.id = registration.delegate),
    organisation_name = COALESCE(
        (SELECT o.name FROM delegate d JOIN organisation o ON o.id = d.organisation
         WHERE d.id = registration.delegate),
        (SELECT d.organisation_name FROM delegate d WHERE d.id = registration.delegate),
        ''
    ),
    region = (SELECT o.region FROM delegate d JOIN organisation o ON o.id = d.organisation
              WHERE d.id = registration.delegate)
WHERE stakeholder_group IS NULL
"""

SECTOR_ROLES = {
    "higher-education-institution": "university",
    "third-sector-organisation": "civil_society",
    "school-or-college": "school_college",
    "funder": "funder",
    "policymaker": "policy",
    "employer": "employer",
}


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="events_app", description=DESCRIPTION)

    async def fill() -> None:
        engine = engine_finder()
        assert engine is not None
        await engine.run_ddl(FILL_REGISTRATIONS)
        for slug, role in SECTOR_ROLES.items():
            await engine.run_ddl(
                f"UPDATE stakeholder_group SET sector_role = '{role}' WHERE slug = '{slug}'"  # noqa: S608 constants
            )

    manager.add_raw(fill)
    return manager

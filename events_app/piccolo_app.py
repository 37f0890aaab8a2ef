"""The Piccolo app: every table of events_app; migrations live in the top-level migrations/."""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"

APP_CONFIG = AppConfig(
    app_name="events_app",
    migrations_folder_path=str(MIGRATIONS),
    table_classes=table_finder(
        modules=[
            "events_app.people.tables",
            "events_app.programme.tables",
            "events_app.accounts.tables",
            "events_app.mail.tables",
            "events_app.registration.tables",
            "events_app.checkin.tables",
            "events_app.feedback.tables",
            "events_app.impact.tables",
            "events_app.mailings.tables",
            "events_app.retention.tables",
            "events_app.badges.tables",
            "events_app.hub.tables",
            "events_app.hub.materials.tables",
            "events_app.hub.calls.tables",
        ],
        exclude_imported=True,
    ),
    migration_dependencies=["piccolo.apps.user.piccolo_app"],
    commands=[],
)

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Text
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-06T22:20:57:251390"
VERSION = "1.38.0"
DESCRIPTION = "Outbox attachments drawn when the message is sent: made_from holds what they are drawn from"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="events_app", description=DESCRIPTION)

    manager.add_column(
        table_class_name="OutboxAttachment",
        tablename="outbox_attachment",
        column_name="made_from",
        db_column_name="made_from",
        column_class_name="Text",
        column_class=Text,
        params={
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager

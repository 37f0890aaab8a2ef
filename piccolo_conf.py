"""Piccolo configuration: the engine comes from DATABASE_URL (SQLite file by default)."""

from piccolo.conf.apps import AppRegistry

from events_app.core.database import engine_from_url
from events_app.core.settings import get_settings

_settings = get_settings()

DB = engine_from_url(_settings.database_url, sqlite_timeout=_settings.sqlite_timeout)

APP_REGISTRY = AppRegistry(
    apps=[
        "events_app.piccolo_app",
        "piccolo.apps.user.piccolo_app",
        "piccolo_api.session_auth.piccolo_app",
    ]
)

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-12-06T10:33:56:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "Anonymous means anonymous: mark on each registration the form it answered, detach every response of an "
    "anonymous form from its registration, and replace every respondent key (a keyed hash of form and "
    "registration) by a random one"
)

# Written by hand. Until now an anonymous response's key was HMAC(SECRET_KEY, "feedback:{form}:{registration}"):
# whoever held the database and the key could tie it to a person. The hash is worked out here one last time, to
# mark who has answered (so nobody answers twice), and then thrown away.


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "").strip()
    if key:
        return key
    file = Path(".events_app_secret")
    return file.read_text().strip() if file.exists() else ""


def _old_key(secret: str, form_id: int, registration_id: int) -> str:
    message = f"feedback:{form_id}:{registration_id}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="events_app", description=DESCRIPTION)

    async def convert() -> None:
        engine = engine_finder()
        assert engine is not None

        async def rows(sql: str, *args: object) -> list[dict[str, object]]:
            return list(await engine.run_querystring(QueryString(sql, *args)))

        responses = await rows(
            "SELECT r.id, r.form, r.registration, r.respondent_key, r.source, f.anonymous, f.event "
            "FROM feedback_response r JOIN feedback_form f ON f.id = r.form"
        )
        secret = _secret_key()
        registrations_of: dict[object, list[object]] = {}
        for response in responses:
            registration = response["registration"]
            if registration is None and response["source"] == "link" and secret and response["event"] is not None:
                event = response["event"]
                if event not in registrations_of:
                    found = await rows("SELECT id FROM registration WHERE event = {}", event)
                    registrations_of[event] = [r["id"] for r in found]
                for candidate in registrations_of[event]:
                    if _old_key(secret, int(response["form"]), int(candidate)) == response["respondent_key"]:  # type: ignore[call-overload]
                        registration = candidate
                        break
            if registration is not None:
                await rows(
                    "UPDATE registration SET feedback_given_to = {} WHERE id = {}", response["form"], registration
                )
            detach = bool(response["anonymous"])
            await rows(
                "UPDATE feedback_response SET respondent_key = {}, registration = {} WHERE id = {}",
                secrets.token_hex(32),
                None if detach else response["registration"],
                response["id"],
            )

    manager.add_raw(convert)
    return manager

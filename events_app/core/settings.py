"""Settings, read once from the environment (see README "Configuration")."""

from __future__ import annotations

import logging
import os
import re
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from events_app.core import durations

logger = logging.getLogger(__name__)

DEFAULT_DATABASE_URL = "sqlite:///events_app.sqlite3"
SECRET_KEY_FILE = Path(".events_app_secret")
_TRUE = {"1", "true", "yes", "on"}


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in _TRUE


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise RuntimeError(f"{name} must be a whole number, not {value!r}") from exc


@dataclass(frozen=True, slots=True)
class MailSettings:
    """Where mail goes: an SMTP server, or (with no SMTP_HOST) .eml files in `outbox_dir`."""

    sender: str
    reply_to: str
    smtp_host: str
    smtp_port: int
    smtp_security: str  # "starttls", "tls" or "none"
    smtp_username: str
    smtp_password: str
    smtp_timeout: float
    outbox_dir: Path
    worker_in_app: bool
    poll_seconds: float
    batch_size: int
    retry_base_seconds: float
    retry_max_seconds: float
    give_up_hours: float
    lease_seconds: float
    reminder_offsets: list[timedelta]
    feedback_after: timedelta

    @property
    def uses_smtp(self) -> bool:
        return bool(self.smtp_host)


@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most `requests` in `seconds` from one client address (one count for every process with REDIS_URL, else
    per process); None when switched off."""

    requests: int
    seconds: int

    def __str__(self) -> str:
        return f"{self.requests}/{_UNIT_NAMES[self.seconds]}"


_UNIT_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_UNIT_NAMES = {seconds: name for name, seconds in _UNIT_SECONDS.items()}


def _rate_limit(name: str, default: str) -> RateLimit | None:
    """'10/minute' -> RateLimit(10, 60); 'off' -> None."""
    value = (os.environ.get(name, "").strip() or default).lower()
    if value in {"off", "none", "0"}:
        return None
    match = re.fullmatch(r"(\d+)\s*/\s*(second|minute|hour|day)", value)
    if not match or int(match.group(1)) < 1:
        raise RuntimeError(f"{name} takes a limit like 10/minute (second, minute, hour or day) or off; not {value!r}")
    return RateLimit(int(match.group(1)), _UNIT_SECONDS[match.group(2)])


@dataclass(frozen=True, slots=True)
class MaterialSettings:
    """Where uploaded materials live: a folder on disk, or (with `s3_bucket`) an S3-compatible store whose
    credentials come from the standard AWS environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY ...)."""

    folder: Path = Path("materials")
    max_bytes: int = 50 * 1024 * 1024
    s3_bucket: str = ""
    s3_endpoint_url: str = ""
    s3_region: str = ""

    @property
    def uses_s3(self) -> bool:
        return bool(self.s3_bucket)

    @property
    def upload_body_bytes(self) -> int:
        """The body limit of the upload routes: one file and the few fields of its form."""
        return self.max_bytes + 64 * 1024


def load_material_settings() -> MaterialSettings:
    megabytes = _int("MATERIAL_MAX_MB", 50)
    if not 1 <= megabytes <= 5000:
        raise RuntimeError(f"MATERIAL_MAX_MB must be between 1 and 5000, not {megabytes}")
    return MaterialSettings(
        folder=Path(os.environ.get("MATERIALS_DIR", "").strip() or "materials"),
        max_bytes=megabytes * 1024 * 1024,
        s3_bucket=os.environ.get("MATERIALS_S3_BUCKET", "").strip(),
        s3_endpoint_url=os.environ.get("MATERIALS_S3_ENDPOINT_URL", "").strip(),
        s3_region=os.environ.get("MATERIALS_S3_REGION", "").strip(),
    )


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    secret_key: str
    base_url: str
    environment: str
    cookie_secure: bool
    session_hours: int
    db_pool_min: int
    db_pool_max: int
    sqlite_timeout: int
    log_level: str
    mail: MailSettings
    # What base_url is when BASE_URL is not set: the address `events-app serve` listens on (SERVED_URL), else
    # 127.0.0.1 on PORT. While base_url is that, links in pages follow the address a request came to.
    derived_base_url: str = ""
    rate_limit_sign_in: RateLimit | None = None
    rate_limit_registration: RateLimit | None = None
    rate_limit_feedback: RateLimit | None = None
    max_body_bytes: int = 1_000_000
    # Months without activity after which a delegate is anonymised (events_app/retention); None: never.
    retention_months: int | None = 36
    materials: MaterialSettings = MaterialSettings()
    # Redis shared by every process (rate limits, short-lived caches: core/stores.py); "" keeps them in memory.
    redis_url: str = ""
    redis_namespace: str = "events_app"  # the prefix of every key this service writes in Redis

    @property
    def links_follow_requests(self) -> bool:
        """True when BASE_URL is not set: pages then link to the address each request came to."""
        return self.base_url == self.derived_base_url

    @property
    def is_production(self) -> bool:
        return self.environment == "production"


MIN_SECRET_KEY_LENGTH = 32
_MAKE_A_KEY = "make one with: python -c 'import secrets; print(secrets.token_urlsafe(48))'"


def _long_enough(key: str, where: str) -> str:
    if len(key) < MIN_SECRET_KEY_LENGTH:
        raise RuntimeError(
            f"The secret key in {where} is {len(key)} characters long; it must be at least {MIN_SECRET_KEY_LENGTH} "
            f"(it signs every link and ticket sent to people): {_MAKE_A_KEY}"
        )
    return key


def _secret_key(environment: str) -> str:
    """SECRET_KEY from the environment; outside production, a random one kept in a local file."""
    key = os.environ.get("SECRET_KEY", "").strip()
    if key:
        return _long_enough(key, "SECRET_KEY")
    if environment == "production":
        raise RuntimeError("SECRET_KEY must be set when ENVIRONMENT=production")
    if not SECRET_KEY_FILE.exists():
        _create_key_file(secrets.token_urlsafe(48))
    return _long_enough(SECRET_KEY_FILE.read_text().strip(), str(SECRET_KEY_FILE))


def _create_key_file(key: str) -> None:
    """Write the key to a file that only its owner can read from the first byte (mkstemp makes it 0600), then
    link it into place: the key file never exists half-written or readable by others, and when two processes
    start at once the first one's key stands."""
    folder = SECRET_KEY_FILE.resolve().parent
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".events_app_secret.")
    try:
        with os.fdopen(descriptor, "w") as file:
            file.write(key + "\n")
            file.flush()
            os.fsync(file.fileno())
        os.link(temporary, SECRET_KEY_FILE)
    except FileExistsError:
        return  # another process was first; its key is the one
    finally:
        os.unlink(temporary)
    logger.warning("SECRET_KEY is not set; generated one in %s (development only)", SECRET_KEY_FILE)


def _float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return float(value)
    except ValueError as exc:
        raise RuntimeError(f"{name} must be a number, not {value!r}") from exc


def _durations(name: str, default: str) -> list[timedelta]:
    """'1d,1h' -> [1 day, 1 hour]: days, hours or minutes, comma-separated (core.durations reads them)."""
    value = os.environ.get(name, "").strip() or default
    found = []
    for part in value.split(","):
        try:
            found.append(durations.parse_one(part))
        except ValueError:
            raise RuntimeError(f"{name} takes durations like 1d, 2h or 30m, comma-separated; not {part!r}") from None
    return sorted(found, reverse=True)


def _retention_months(name: str, default: int) -> int | None:
    """'36' -> 36; '0' or 'off' -> None (delegates are never anonymised for want of activity)."""
    value = os.environ.get(name, "").strip().lower()
    if value in {"off", "none", "0"}:
        return None
    if not value:
        return default
    if not value.isdigit() or int(value) > 1200:
        raise RuntimeError(f"{name} takes a number of months (such as 36) or off; not {value!r}")
    return int(value)


def _redis_url(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if value and not re.match(r"^(redis|rediss|unix)://", value):
        raise RuntimeError(f"{name} takes a URL like redis://127.0.0.1:6379/0 (redis://, rediss:// or unix://)")
    return value


def _redis_namespace(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip() or default
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", value):
        raise RuntimeError(f"{name} takes letters, digits, '_', '.' and '-' (at most 64); not {value!r}")
    return value


def load_mail_settings() -> MailSettings:
    security = os.environ.get("SMTP_SECURITY", "starttls").strip().lower()
    if security not in {"starttls", "tls", "none"}:
        raise RuntimeError(f"SMTP_SECURITY must be starttls, tls or none, not {security!r}")
    return MailSettings(
        sender=os.environ.get("MAIL_FROM", "").strip() or "HE STEM Access Network <events@localhost>",
        reply_to=os.environ.get("MAIL_REPLY_TO", "").strip(),
        smtp_host=os.environ.get("SMTP_HOST", "").strip(),
        smtp_port=_int("SMTP_PORT", 465 if security == "tls" else 587),
        smtp_security=security,
        smtp_username=os.environ.get("SMTP_USERNAME", ""),
        smtp_password=os.environ.get("SMTP_PASSWORD", ""),
        smtp_timeout=_float("SMTP_TIMEOUT", 30),
        outbox_dir=Path(os.environ.get("MAIL_OUTBOX_DIR", "").strip() or "mail_outbox"),
        worker_in_app=_bool("MAIL_WORKER_IN_APP", True),
        poll_seconds=_float("MAIL_POLL_SECONDS", 2),
        batch_size=_int("MAIL_BATCH_SIZE", 50),
        retry_base_seconds=_float("MAIL_RETRY_BASE_SECONDS", 30),
        retry_max_seconds=_float("MAIL_RETRY_MAX_SECONDS", 300),
        give_up_hours=_float("MAIL_GIVE_UP_HOURS", 72),
        lease_seconds=_float("MAIL_LEASE_SECONDS", 300),
        reminder_offsets=_durations("REMINDERS_BEFORE", "1d,1h"),
        feedback_after=_durations("FEEDBACK_REQUEST_AFTER", "2h")[0],
    )


SERVED_URL = "EVENTS_APP_SERVED_URL"  # set by `events-app serve` for the processes it starts


def served_url(host: str, port: int) -> str:
    """The address a server listening on host:port answers at, for links when BASE_URL is not set. A
    server on every address (0.0.0.0) is reached here at 127.0.0.1; set BASE_URL to name it for others."""
    if host in {"", "0.0.0.0", "::", "localhost"}:  # noqa: S104 - naming an address, not binding one
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _derived_base_url() -> str:
    """Without BASE_URL: the address `events-app serve` was started on; else 127.0.0.1 on PORT (8000)."""
    return (os.environ.get(SERVED_URL, "").strip() or served_url("127.0.0.1", _int("PORT", 8000))).rstrip("/")


def load_settings() -> Settings:
    environment = os.environ.get("ENVIRONMENT", "development").strip().lower()
    return Settings(
        database_url=os.environ.get("DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL,
        secret_key=_secret_key(environment),
        base_url=os.environ.get("BASE_URL", "").strip().rstrip("/") or _derived_base_url(),
        derived_base_url=_derived_base_url(),
        environment=environment,
        cookie_secure=_bool("COOKIE_SECURE", environment == "production"),
        session_hours=_int("SESSION_HOURS", 12),
        db_pool_min=_int("DB_POOL_MIN", 2),
        db_pool_max=_int("DB_POOL_MAX", 10),
        sqlite_timeout=_int("SQLITE_TIMEOUT", 30),
        log_level=os.environ.get("LOG_LEVEL", "INFO").upper(),
        mail=load_mail_settings(),
        rate_limit_sign_in=_rate_limit("RATE_LIMIT_SIGN_IN", "10/minute"),
        rate_limit_registration=_rate_limit("RATE_LIMIT_REGISTRATION", "20/minute"),
        rate_limit_feedback=_rate_limit("RATE_LIMIT_FEEDBACK", "20/minute"),
        max_body_bytes=_int("MAX_BODY_BYTES", 1_000_000),
        retention_months=_retention_months("RETENTION_MONTHS", 36),
        materials=load_material_settings(),
        redis_url=_redis_url("REDIS_URL"),
        redis_namespace=_redis_namespace("REDIS_NAMESPACE", "events_app"),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()


# The settings in use: those create_app was given (set for each request and for its background tasks) or
# those an `events-app` command loaded. Services deep in a call (an email's links, a token's key) read them
# here, so that create_app(settings) decides what every part of that app uses.
_in_use: ContextVar[Settings | None] = ContextVar("events_app_settings", default=None)


@contextmanager
def settings_in_use(settings: Settings) -> Iterator[Settings]:
    """Make these the settings of everything that runs inside the block (and the tasks it starts)."""
    token = _in_use.set(settings)
    try:
        yield settings
    finally:
        _in_use.reset(token)


def current_settings() -> Settings:
    """The settings of the app or command this code runs under; outside both (a test or a script calling a
    service directly), those of the environment."""
    return _in_use.get() or get_settings()

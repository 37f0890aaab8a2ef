"""The one time-zone helper: validate zones, read local or offset times, show times in a zone."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from events_app.core.errors import TimeDoesNotExist, UnknownTimeZone

DEFAULT_ZONE = "Europe/London"


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def zone(name: str, *, field: str = "timezone") -> ZoneInfo:
    if name not in _zones():
        raise UnknownTimeZone(name=name, field=field)
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError as exc:  # pragma: no cover - tzdata ships every listed zone
        raise UnknownTimeZone(name=name, field=field) from exc


def to_utc(value: datetime, tz: ZoneInfo, *, field: str) -> datetime:
    """An aware time as given; a naive one read as wall-clock time in `tz`, refused if it never happens."""
    if value.tzinfo is not None:
        return value.astimezone(UTC)
    local = value.replace(tzinfo=tz)
    round_trip = local.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    if round_trip != value:
        raise TimeDoesNotExist(time=f"{value:%Y-%m-%d %H:%M}", zone=tz.key, field=field)
    return local.astimezone(UTC)


def in_zone(value: datetime, tz_name: str) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(ZoneInfo(tz_name))


def utc_now() -> datetime:
    return datetime.now(UTC)


# The zones an organiser picks from (the default first, then UTC, then where the network's events are held or
# joined from); an event already in another valid zone keeps it as a choice of its own.
COMMON_ZONES: tuple[str, ...] = (
    DEFAULT_ZONE,
    "UTC",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Brussels",
    "Europe/Amsterdam",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Athens",
    "Atlantic/Reykjavik",
    "America/New_York",
    "America/Toronto",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "Africa/Lagos",
    "Africa/Nairobi",
    "Africa/Johannesburg",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Hong_Kong",
    "Asia/Tokyo",
    "Australia/Perth",
    "Australia/Sydney",
    "Pacific/Auckland",
)

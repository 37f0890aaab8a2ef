"""Durations as people and settings write them: "1d", "2h", "30m", several comma-separated ("1d,1h").

One reading for the site's REMINDERS_BEFORE and FEEDBACK_REQUEST_AFTER and for an event's own settings, so
that what an organiser types on the settings page means what the environment variable means."""

from __future__ import annotations

import re
from datetime import timedelta

_DURATION = re.compile(r"^\s*(\d{1,6})\s*([dhm])\s*$")
_MINUTES = {"d": 24 * 60, "h": 60, "m": 1}
LIKE = "durations like 1d, 2h or 30m (days, hours, minutes), comma-separated"


def parse_one(text: str) -> timedelta:
    """'2h' -> 2 hours; ValueError when it is not a number and a unit."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"{text.strip()!r} is not a duration")
    return timedelta(minutes=int(match.group(1)) * _MINUTES[match.group(2)])


def parse(text: str) -> list[timedelta]:
    """'1d, 1h' -> [1 day, 1 hour], longest first, each once; "" -> [] (none)."""
    if not text.strip():
        return []
    return sorted({parse_one(part) for part in text.split(",")}, reverse=True)


def label(duration: timedelta) -> str:
    """The shortest way to write it back: 1 day -> '1d', 90 minutes -> '90m'."""
    minutes = int(duration.total_seconds() // 60)
    for unit in ("d", "h"):
        if minutes and minutes % _MINUTES[unit] == 0:
            return f"{minutes // _MINUTES[unit]}{unit}"
    return f"{minutes}m"


def labels(durations: list[timedelta]) -> str:
    """[1 day, 1 hour] -> '1d,1h' (as stored)."""
    return ",".join(label(d) for d in sorted(set(durations), reverse=True))


def words(duration: timedelta) -> str:
    """1 day -> '1 day', 2 hours -> '2 hours', 90 minutes -> '90 minutes': for pages."""
    text = label(duration)
    number, unit = int(text[:-1]), {"d": "day", "h": "hour", "m": "minute"}[text[-1]]
    return f"{number} {unit}{'' if number == 1 else 's'}"


def words_list(durations: list[timedelta]) -> str:
    """[1 day, 1 hour] -> '1 day and 1 hour'."""
    parts = [words(d) for d in sorted(durations, reverse=True)]
    return " and ".join([", ".join(parts[:-1]), parts[-1]]) if len(parts) > 1 else "".join(parts)

"""Links that put events into people's calendars: subscribe (webcal, Google, Outlook.com) to a feed, or add
one event to Google Calendar or Outlook.com. Plain URL building; the feeds themselves are in calendar/."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from events_app.core.settings import current_settings


def absolute(path: str) -> str:
    return current_settings().base_url + path


def webcal(path: str) -> str:
    """webcal:// makes phones and desktop calendars offer to subscribe."""
    url = absolute(path)
    return "webcal://" + url.split("://", 1)[1]


def google_subscribe(path: str) -> str:
    return "https://calendar.google.com/calendar/render?cid=" + quote(webcal(path), safe="")


def outlook_subscribe(path: str, name: str) -> str:
    return "https://outlook.live.com/calendar/0/addfromweb?" + urlencode({"url": absolute(path), "name": name})


def _google_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def google_add(title: str, starts_at: datetime, ends_at: datetime, details: str, location: str) -> str:
    query = {
        "action": "TEMPLATE",
        "text": title,
        "dates": f"{_google_time(starts_at)}/{_google_time(ends_at)}",
        "details": details,
        "location": location,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_add(title: str, starts_at: datetime, ends_at: datetime, details: str, location: str) -> str:
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": title,
        "startdt": starts_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "enddt": ends_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "body": details,
        "location": location,
    }
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(query)

"""Jinja filters for showing times in an event's own zone, and plain text as paragraphs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar.plugins.jinja import JinjaTemplateEngine
from markupsafe import Markup, escape

from events_app.core import calendar_links

SITE_NAME = "HE STEM Access Network"


def hm(value: datetime) -> str:
    return value.strftime("%H:%M")


def longdate(value: datetime) -> str:
    return value.strftime("%A %-d %B %Y")


def tzname(value: datetime) -> str:
    return value.tzname() or ""


def zonelabel(zone_name: str, moment: datetime) -> str:
    """'UK time (Europe/London, BST)': the zone named, with its abbreviation at that moment."""
    abbreviation = moment.tzname() or ""
    inner = f"{zone_name}, {abbreviation}" if abbreviation else zone_name
    return f"UK time ({inner})" if zone_name == "Europe/London" else inner


def paragraphs(text: str) -> Markup:
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    return Markup("".join(f"<p>{escape(b)}</p>" for b in blocks))  # noqa: S704 - every block is escaped


def filesize(size: int) -> str:
    """A file's size as people read it: 820 KB, 4.2 MB."""
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{max(1, round(size / 1024))} KB"


def configure(engine: JinjaTemplateEngine) -> None:
    env: Any = engine.engine
    env.filters.update(
        hm=hm,
        longdate=longdate,
        tzname=tzname,
        zonelabel=zonelabel,
        paragraphs=paragraphs,
        filesize=filesize,
        webcal=calendar_links.webcal,
        google_subscribe=calendar_links.google_subscribe,
        outlook_subscribe=calendar_links.outlook_subscribe,
    )
    env.globals.update(google_add=calendar_links.google_add, outlook_add=calendar_links.outlook_add)
    env.globals["site_name"] = SITE_NAME

"""The hub's Atom feed (RFC 4287) of published resources, newest first, built with the standard library's
ElementTree so every title and summary is escaped and the document is well-formed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from events_app.hub.schemas import Resource

ATOM = "http://www.w3.org/2005/Atom"


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    element.text = text
    return element


def _when(moment: datetime | None) -> str:
    return (moment or datetime(2000, 1, 1, tzinfo=UTC)).astimezone(UTC).isoformat(timespec="seconds")


def feed(resources: list[Resource], *, base_url: str, site_name: str) -> bytes:
    """`base_url` (no trailing slash) makes the links absolute, as feed readers need."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    _text(root, "title", f"{site_name}: new resources and case studies")
    _text(root, "subtitle", "Resources and good practice in widening access to university STEM")
    _text(root, "id", f"{base_url}/resources")
    ET.SubElement(root, f"{{{ATOM}}}link", {"rel": "self", "href": f"{base_url}/resources/feed.atom"})
    ET.SubElement(root, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": f"{base_url}/resources"})
    _text(root, "updated", _when(max((r.updated_at for r in resources), default=None)))
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    _text(author, "name", site_name)
    for resource in resources:
        entry = ET.SubElement(root, f"{{{ATOM}}}entry")
        _text(entry, "title", resource.title)
        url = f"{base_url}{resource.url}"
        _text(entry, "id", url)
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": url})
        _text(entry, "published", _when(resource.published_at))
        _text(entry, "updated", _when(resource.updated_at))
        _text(entry, "summary", resource.summary or resource.body[:500])
        for theme in resource.themes:
            ET.SubElement(entry, f"{{{ATOM}}}category", {"term": theme.slug, "label": theme.label})
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document

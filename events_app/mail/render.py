"""Messages from `email_templates/<name>/`: subject.txt, body.txt and body.html (Jinja, shared layouts)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2

from events_app.core import templating
from events_app.core.settings import current_settings

EMAIL_TEMPLATES = Path(__file__).resolve().parents[2] / "email_templates"

MESSAGES = (
    "registration_confirmed",
    "waitlisted",
    "pending_approval",
    "confirm_place",
    "approved",
    "declined",
    "promoted",
    "registration_cancelled",
    "event_changed",
    "event_cancelled",
    "session_changed",
    "reminder",
    "feedback_request",
    "manage_link",
    "organiser_message",
    "network_mailing",
    "organiser_invite",
    "password_reset",
    "speaker_materials_link",
    "call_received",
    "call_accepted",
    "call_declined",
    "call_waiting",
)


@dataclass(frozen=True, slots=True)
class RenderedMail:
    kind: str
    subject: str
    text: str
    html: str


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(EMAIL_TEMPLATES),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # read once a process (a rush renders thousands): a changed template shows after a restart
    )
    env.filters.update(paragraphs=templating.paragraphs, longdate=templating.longdate, hm=templating.hm)
    env.globals["site_name"] = templating.SITE_NAME
    return env


def render(kind: str, context: Mapping[str, object]) -> RenderedMail:
    """Render one message; a missing context value is an error here, never a blank in a sent email."""
    if kind not in MESSAGES:
        raise ValueError(f"No email template named {kind!r}")
    env = environment()
    values = {"base_url": current_settings().base_url, **context}
    subject = env.get_template(f"{kind}/subject.txt").render(values)
    text = env.get_template(f"{kind}/body.txt").render(values)
    html = env.get_template(f"{kind}/body.html").render(values)
    return RenderedMail(kind=kind, subject=" ".join(subject.split()), text=_tidy(text), html=html)


def _tidy(text: str) -> str:
    """At most one blank line in a row, and a single newline at the end."""
    lines = [line.rstrip() for line in text.splitlines()]
    tidy: list[str] = []
    for line in lines:
        if line == "" and (not tidy or tidy[-1] == ""):
            continue
        tidy.append(line)
    return "\n".join(tidy).strip() + "\n"

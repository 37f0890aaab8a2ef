"""Speakers add their own materials without an account: organisers send a signed link, for one speaker and one
event, to the speaker's contact email; it works for LINK_DAYS and opens only that speaker's sessions there."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from events_app.accounts.schemas import CurrentOrganiser
from events_app.core import tokens
from events_app.core.database import write_transaction
from events_app.core.settings import current_settings
from events_app.core.timezones import utc_now
from events_app.hub.materials import services
from events_app.hub.materials.errors import MaterialNotFound, SpeakerLinkInvalid, SpeakerNotAtEvent, SpeakerWithoutEmail
from events_app.hub.materials.schemas import Material
from events_app.mail import outbox
from events_app.mail.render import render
from events_app.programme.rows import EventRow
from events_app.programme.tables import Event, Session, SessionSpeaker, Speaker

PURPOSE = "speaker-materials"
LINK_DAYS = 14


def link_path(token: str) -> str:
    return f"/speakers/materials/{token}"


def speaker_token(speaker_id: int, event_id: int) -> str:
    return tokens.sign(PURPOSE, [speaker_id, event_id])


@dataclass(frozen=True, slots=True)
class SpeakerSession:
    id: int
    title: str
    materials: list[Material]


@dataclass(frozen=True, slots=True)
class SpeakerAccess:
    """What a speaker's link opens: their sessions at one event."""

    speaker_id: int
    speaker_name: str
    event_id: int
    event_title: str
    event_slug: str
    sessions: list[SpeakerSession]

    def session(self, session_id: int) -> SpeakerSession:
        for each in self.sessions:
            if each.id == session_id:
                return each
        raise MaterialNotFound(f"There is no session {session_id} of yours at this event", code="not_found")


async def _sessions_of(speaker_id: int, event_id: int) -> list[dict[str, Any]]:
    theirs = SessionSpeaker.select(SessionSpeaker.session).where(SessionSpeaker.speaker == speaker_id)
    return list(
        await Session.select(Session.id, Session.title)
        .where((Session.event == event_id) & Session.id.is_in(theirs))
        .order_by(Session.starts_at)
    )


async def send_link(event: EventRow, speaker_id: int, *, by: CurrentOrganiser) -> str:
    """Email the speaker their link for this event (through the outbox); returns the address it went to."""
    speaker = await Speaker.select(Speaker.name, Speaker.contact_email).where(Speaker.id == speaker_id).first()
    if speaker is None or not await _sessions_of(speaker_id, event.id):
        raise SpeakerNotAtEvent()
    if not speaker["contact_email"]:
        raise SpeakerWithoutEmail(name=speaker["name"])
    mail = render(
        "speaker_materials_link",
        {
            "recipient_name": speaker["name"],
            "event_title": event.title,
            "link_url": f"{current_settings().base_url}{link_path(speaker_token(speaker_id, event.id))}",
            "valid_for": f"{LINK_DAYS} days",
            "sent_by": by.name,
        },
    )
    async with write_transaction():
        await outbox.enqueue(
            to_email=speaker["contact_email"],
            to_name=speaker["name"],
            mail=mail,
            event_id=event.id,
            created_by=by.user_id,
            dedupe_key=f"speaker-materials:{speaker_id}:{event.id}:{utc_now():%Y%m%d%H%M}",
        )
    outbox.wake_sender()
    return str(speaker["contact_email"])


async def access(token: str) -> SpeakerAccess:
    """What the link opens, or SpeakerLinkInvalid (expired, forged, or the speaker no longer there)."""
    try:
        speaker_id, event_id = tokens.unsign(PURPOSE, token, max_age_seconds=LINK_DAYS * 86400)
    except (tokens.InvalidToken, TypeError, ValueError):
        raise SpeakerLinkInvalid() from None
    speaker = await Speaker.select(Speaker.name).where(Speaker.id == speaker_id).first()
    event = await Event.select(Event.title, Event.slug).where(Event.id == event_id).first()
    sessions = await _sessions_of(speaker_id, event_id) if speaker and event else []
    if not sessions or speaker is None or event is None:
        raise SpeakerLinkInvalid()
    return SpeakerAccess(
        speaker_id=speaker_id,
        speaker_name=speaker["name"],
        event_id=event_id,
        event_title=event["title"],
        event_slug=event["slug"],
        sessions=[
            SpeakerSession(
                id=s["id"],
                title=s["title"],
                materials=await services.list_materials(
                    services.Target(event_id=event_id, session_id=s["id"]), "organisers"
                ),
            )
            for s in sessions
        ],
    )


async def remove_own(place: SpeakerAccess, material_id: int) -> None:
    """A speaker takes back a material they added themselves (and only those)."""
    for session in place.sessions:
        for material in session.materials:
            if material.id == material_id and material.from_speaker:
                await services.remove_material(material_id)
                return
    raise MaterialNotFound()

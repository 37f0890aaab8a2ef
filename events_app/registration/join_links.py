"""Each delegate's own way into an online meeting: /join/{token}, naming one registration and the event (session 0)
or one of its sessions, and signed so that nobody can make one for someone else's place.

The token is `<registration>.<session>.<mac>`: HMAC-SHA256 under a key derived from SECRET_KEY for this use only
(core.tokens.derived_key), cut to 128 bits. It holds no timestamp, so the confirmation, the reminders, the delegate's
page and their calendar feed all carry the same link (a feed does not change every time it is built); it stops
working when the place does, because /join checks the registration each time (checkin/joining.py)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

from events_app.core import tokens
from events_app.core.settings import current_settings
from events_app.programme.schemas import EventDetail
from events_app.registration import schemas
from events_app.registration.tables import Registration

_SALT = b"events_app:join"
_INFO = b"join links: registration and event or session"
_MAC_BYTES = 16


def _mac(payload: str) -> str:
    key = tokens.derived_key(current_settings().secret_key, _SALT, _INFO)
    digest = hmac.new(key, payload.encode(), hashlib.sha256).digest()[:_MAC_BYTES]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def join_token(registration_id: int, session_id: int | None = None) -> str:
    payload = f"{registration_id}.{session_id or 0}"
    return f"{payload}.{_mac(payload)}"


def read_join_token(token: str) -> tuple[int, int | None]:
    """The registration and the session (None: the event) a join link names; InvalidToken if forged or altered."""
    parts = token.split(".") if 0 < len(token) <= 100 else []
    if len(parts) != 3 or not all(p.isdigit() and len(p) <= 10 for p in parts[:2]):
        raise tokens.InvalidToken("not a join link")
    payload = f"{int(parts[0])}.{int(parts[1])}"
    if not hmac.compare_digest(_mac(payload), parts[2]):
        raise tokens.InvalidToken("bad signature")
    return int(parts[0]), int(parts[1]) or None


def join_path(registration_id: int, session_id: int | None = None) -> str:
    return f"/join/{join_token(registration_id, session_id)}"


def join_url(registration_id: int, session_id: int | None = None, *, base: str | None = None) -> str:
    """The link as emails carry it (the site's BASE_URL), or under `base` (a feed asked at another address)."""
    return f"{current_settings().base_url if base is None else base}{join_path(registration_id, session_id)}"


def joins_online(event_mode: str, place_mode: str) -> bool:
    """Whether a confirmed place comes with a join link to the event's meeting: every place at an online event;
    at a hybrid one, the places taken online."""
    return event_mode == "online" or (event_mode == "hybrid" and place_mode == "online")


@dataclass(frozen=True, slots=True)
class JoinLink:
    """A way into a meeting, as the delegate's page lists it: the event's, or one session's own."""

    title: str
    path: str
    session_id: int | None = None


async def links_of_place(registration: schemas.Registration, event: EventDetail, *, held: bool) -> list[JoinLink]:
    """The join links of one of a delegate's places: none unless it is confirmed (and not held for an email
    confirmation); the event's where the place is taken online; each session with a meeting of its own that is
    open to them (a place in it, where it has a capacity)."""
    if registration.status != "confirmed" or held or event.status == "cancelled":
        return []
    links: list[JoinLink] = []
    if event.attendance_mode != "in_person":
        mode = await Registration.select(Registration.attendance_mode).where(Registration.id == registration.id).first()
        if mode is not None and joins_online(event.attendance_mode, mode["attendance_mode"]):
            links.append(JoinLink(title=event.title, path=join_path(registration.id)))
    booked = {b.session_id for b in registration.sessions if b.status == "confirmed"}
    for session in event.sessions:
        if session.online and session.status != "cancelled" and (session.capacity is None or session.id in booked):
            path = join_path(registration.id, session.id)
            links.append(JoinLink(title=session.title, path=path, session_id=session.id))
    return links

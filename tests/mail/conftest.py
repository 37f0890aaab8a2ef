"""A real SMTP server (aiosmtpd) on a free local port, that records what it accepts and can refuse
chosen recipients or be stopped and started again; and mail settings pointing at it."""

from __future__ import annotations

import dataclasses
import email
import email.policy
import socket
import threading
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from events_app.core.settings import MailSettings, load_mail_settings
from events_app.mail.context import MailEvent
from events_app.mail.render import RenderedMail, render


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclasses.dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


class RecordingHandler:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.refuse: dict[str, str] = {}  # recipient -> SMTP reply, e.g. "550 5.1.1 No such user"
        self.lock = threading.Lock()

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        content = envelope.original_content or envelope.content
        assert isinstance(content, bytes)
        with self.lock:
            self.received.append(Received(str(envelope.mail_from), list(envelope.rcpt_tos), content))
        return "250 2.0.0 Accepted for delivery"


class SmtpServer:
    """aiosmtpd in its own thread; `stop()` and `start()` simulate the mail server going down and coming back."""

    def __init__(self, *, smtputf8: bool = False) -> None:
        self.port = _free_port()
        self.handler = RecordingHandler()
        self.controller: Controller | None = None
        self.smtputf8 = smtputf8  # offer SMTPUTF8 (internationalised addresses), as most mail servers now do

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, enable_SMTPUTF8=self.smtputf8)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def received(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.received)

    def message_ids(self) -> list[str]:
        return [str(r.message["Message-ID"]) for r in self.received]


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_settings(smtp_server: SmtpServer) -> MailSettings:
    return dataclasses.replace(
        load_mail_settings(),
        smtp_host="127.0.0.1",
        smtp_port=smtp_server.port,
        smtp_security="none",
        smtp_timeout=5,
        sender="HE STEM Access Network <events@hestem.example.org>",
    )


EVENT = MailEvent(
    id=0,
    title="Widening Access Conference",
    when="Wednesday 12 June 2030, 09:00 to 17:00 UK time (Europe/London, BST)",
    where="Kingsgate Centre, 1 Kingsgate Square, WC1H 0AA",
    url="http://127.0.0.1:8000/events/widening-access-conference",
    map_url="https://www.openstreetmap.org/?mlat=51.5&mlon=-0.13",
    online=True,
    join_url="http://127.0.0.1:8000/join/7.0.example-join-link",
)

CONTEXT: dict[str, Any] = {
    "recipient_name": "Siân Llewelyn",
    "attendance": "",  # a hybrid event's emails say "in person" or "online"
    "event": EVENT,
    "sessions": [{"title": "Workshop: outreach that lasts", "when": "11:00 to 12:30", "room": "Room A"}],
    "manage_url": "http://127.0.0.1:8000/my/registrations/abc",
    "ticket_attached": True,
    "invitation_attached": True,
    "position": 3,
    "by_organiser": False,
    "reason": "",
    "changes": ["It now starts at 10:00 (was 09:00)"],
    "session_title": "Workshop: outreach that lasts",
    "starts_in": "tomorrow",
    "feedback_url": "http://127.0.0.1:8000/feedback/abc",
    "closes": "Friday 14 June 2030",
    "valid_for": "30 days",
    "subject": "Parking at the venue",
    "body": "There is no parking on site.\n\nThe nearest station is Holborn.",
    "sender_name": "The conference team",
    "link_url": "http://127.0.0.1:8000/organiser/set-password/abc",
    "unsubscribe_url": "http://127.0.0.1:8000/unsubscribe/abc",
    "role_label": "organiser",
    "invited_by": "Ada Admin",
    "event_title": "Widening Access Conference",
    "sent_by": "Ada Admin",
    "email": "sian@example.org",
    "email_note": "",
    "registered_as": "Siân Llewelyn, Cardiff University (Higher education institution)",
    "not_me_url": "",
    "confirm_url": "",
    "hold_until": "",
    "status_words": "confirmed",
    "call_title": "Call for workshops 2031",
    "submission_title": "Mentoring that lasts",
    "edit_url": "http://127.0.0.1:8000/calls/workshops-2031/submissions/abc",
    "kind": "sessions",
    "calendar": {
        "google": "https://calendar.google.com/calendar/render?action=TEMPLATE&text=Widening",
        "outlook": "https://outlook.live.com/calendar/0/deeplink/compose?subject=Widening",
        "subscribe": "webcal://127.0.0.1:8000/events/widening-access-conference/calendar.ics",
    },
}


@pytest.fixture
def rendered() -> Callable[..., RenderedMail]:
    def make(kind: str = "registration_confirmed", **overrides: Any) -> RenderedMail:
        return render(kind, {**CONTEXT, **overrides})

    return make

"""An outbox row as an RFC 5322 message: From, To, Subject, Date, Message-ID, plain text and HTML, attachments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from events_app.core.email_address import delivery_address, needs_smtputf8
from events_app.core.rows import Row
from events_app.core.settings import MailSettings
from events_app.mail.outbox import Attachment, one_line
from events_app.mail.tables import OutboxMessage

# The outbox columns a worker reads to send a message and to decide whether to try again.
CLAIMED_COLUMNS = (
    OutboxMessage.id,
    OutboxMessage.message_id,
    OutboxMessage.kind,
    OutboxMessage.to_email,
    OutboxMessage.to_name,
    OutboxMessage.subject,
    OutboxMessage.text_body,
    OutboxMessage.html_body,
    OutboxMessage.attempts,
    OutboxMessage.created_at,
    OutboxMessage.list_unsubscribe,
)
# Messages a person wrote (to registrants, to the network): not auto-generated, so out-of-office replies may answer.
WRITTEN_BY_PEOPLE = {"organiser_message", "network_mailing"}


@dataclass(frozen=True, slots=True)
class OutgoingMail:
    """One outbox message as a worker sends it."""

    id: int
    message_id: str
    kind: str
    to_email: str
    to_name: str
    subject: str
    text_body: str
    html_body: str
    attempts: int
    created_at: datetime
    list_unsubscribe: str = ""

    @classmethod
    def of(cls, row: Row) -> OutgoingMail:
        return cls(**row)


def _content_type(value: str) -> tuple[str, str, dict[str, str]]:
    """'text/calendar; method=REQUEST' -> ('text', 'calendar', {'method': 'REQUEST'})."""
    kind, *params = (part.strip() for part in value.split(";"))
    maintype, _, subtype = kind.partition("/")
    parameters = {}
    for param in params:
        key, _, val = param.partition("=")
        if key and val and key.lower() != "charset":
            parameters[key.strip()] = val.strip().strip('"')
    return maintype or "application", subtype or "octet-stream", parameters


def recipient(name: str, address: str) -> str:
    """The To header. An address with a non-ASCII part before the @ (josé@exämple.org) cannot be an `Address`
    (Python refuses it) and travels as UTF-8 under SMTPUTF8: the display name is quoted as `Address` would."""
    address = delivery_address(address)
    if not needs_smtputf8(address):
        return str(Address(display_name=name, addr_spec=address))
    placeholder = "recipient@example.org"
    return str(Address(display_name=name, addr_spec=placeholder)).replace(f"<{placeholder}>", f"<{address}>")


def needs_utf8(message: EmailMessage) -> bool:
    """Whether this message can only be written with UTF-8 headers (and sent with SMTPUTF8)."""
    to = message["To"]
    return to is not None and any(needs_smtputf8(a.addr_spec) for a in to.addresses)


def build_email(mail: OutgoingMail, attachments: Sequence[Attachment], settings: MailSettings) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = recipient(one_line(mail.to_name, 200), mail.to_email)
    message["Subject"] = one_line(mail.subject, 500)
    message["Date"] = format_datetime(mail.created_at)
    message["Message-ID"] = mail.message_id
    if settings.reply_to:
        message["Reply-To"] = settings.reply_to
    message["Auto-Submitted"] = "auto-generated" if mail.kind not in WRITTEN_BY_PEOPLE else "no"
    if mail.list_unsubscribe:
        # RFC 2369 and RFC 8058: mail programs show "unsubscribe" and may POST List-Unsubscribe=One-Click to it.
        message["List-Unsubscribe"] = f"<{mail.list_unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(mail.text_body)
    if mail.html_body:
        message.add_alternative(mail.html_body, subtype="html")
    for attachment in attachments:
        maintype, subtype, params = _content_type(attachment.content_type)
        content = bytes(attachment.content)
        if maintype == "text":
            # Calendar invitations travel as text parts so mail clients offer "add to calendar".
            message.add_attachment(
                content.decode("utf-8"), subtype=subtype, filename=attachment.filename, params=params
            )
        else:
            message.add_attachment(content, maintype=maintype, subtype=subtype, filename=attachment.filename)
    return message

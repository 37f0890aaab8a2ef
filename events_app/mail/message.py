"""An outbox row as an RFC 5322 message: From, To, Subject, Date, Message-ID, plain text and HTML, attachments."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.charset import QP, Charset
from email.encoders import encode_base64
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.utils import format_datetime, formataddr, parseaddr

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


def needs_utf8(message: Message) -> bool:
    """Whether this message can only be written with UTF-8 headers (and sent with SMTPUTF8)."""
    return isinstance(message, EmailMessage) and any(needs_smtputf8(a.addr_spec) for a in message["To"].addresses)


def build_email(mail: OutgoingMail, attachments: Sequence[Attachment], settings: MailSettings) -> Message:
    """The message, built with the standard library's MIME classes (the compat32 policy): about four times less
    work than EmailMessage's content manager, which parses every header it writes, and a rush's emails are
    thousands (issue 20's profile: a fifth of a rush's CPU was spent here). An address whose part before the @
    is not ASCII can only travel under SMTPUTF8, which only EmailMessage can write: such a message is built
    that way (`_utf8_email`)."""
    address = delivery_address(mail.to_email)
    if needs_smtputf8(address):
        return _utf8_email(mail, attachments, settings)
    body: Message = _text("plain", mail.text_body)
    if mail.html_body:
        body = MIMEMultipart("alternative", _subparts=[body, _text("html", mail.html_body)], boundary=_boundary())
    if attachments:
        parts = [body, *(_attachment(a) for a in attachments)]
        body = MIMEMultipart("mixed", _subparts=parts, boundary=_boundary())
    for part in body.walk():
        if part is not body:
            del part["MIME-Version"]  # the MIME classes give every part one; it belongs on the message alone
    for name, value in _headers(mail, settings, to=formataddr((one_line(mail.to_name, 200), address))):
        # A Header object is a header value the compat32 generator folds itself (typeshed allows str alone).
        body[name] = _address_header(value) if name in ("From", "To", "Reply-To") else _encoded(value)  # type: ignore[assignment]
    return body


def _headers(mail: OutgoingMail, settings: MailSettings, *, to: str) -> list[tuple[str, str]]:
    """The message's headers, in the order they are written."""
    headers = [("From", settings.sender), ("To", to), ("Subject", one_line(mail.subject, 500))]
    headers += [("Date", format_datetime(mail.created_at)), ("Message-ID", mail.message_id)]
    if settings.reply_to:
        headers.append(("Reply-To", settings.reply_to))
    headers.append(("Auto-Submitted", "auto-generated" if mail.kind not in WRITTEN_BY_PEOPLE else "no"))
    if mail.list_unsubscribe:
        # RFC 2369 and RFC 8058: mail programs show "unsubscribe" and may POST List-Unsubscribe=One-Click to it.
        headers.append(("List-Unsubscribe", f"<{mail.list_unsubscribe}>"))
        headers.append(("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
    return headers


def _boundary() -> str:
    """A part boundary nothing in the message can contain: quoted-printable and base64, the only encodings used
    here, never write "=_". Left to the generator, each boundary is checked against the text with a regular
    expression compiled anew (a third of a message's writing time)."""
    return "=_" + secrets.token_hex(16)


_UTF8 = Charset("utf-8")
_UTF8.body_encoding = QP  # text stays readable in the raw message, as EmailMessage writes it


def _text(subtype: str, text: str, params: dict[str, str] | None = None) -> Message:
    part = MIMENonMultipart("text", subtype)
    for key, value in (params or {}).items():
        part.set_param(key, value)
    part.set_payload(text, charset=_UTF8)
    return part


def _attachment(attachment: Attachment) -> Message:
    maintype, subtype, params = _content_type(attachment.content_type)
    content = bytes(attachment.content)
    if maintype == "text":  # calendar invitations travel as text parts so mail clients offer "add to calendar"
        part = _text(subtype, content.decode("utf-8"), params)
    else:
        part = MIMENonMultipart(maintype, subtype)
        part.set_payload(content)
        encode_base64(part)
    part.add_header("Content-Disposition", "attachment", filename=attachment.filename)
    return part


def _encoded(value: str) -> str | Header:
    """A header's text, RFC 2047-encoded where it is not ASCII."""
    return value if value.isascii() else Header(value, "utf-8")


def _address_header(value: str) -> str:
    """`Name <address>` with the name RFC 2047-encoded where it is not ASCII (the address is ASCII here)."""
    name, address = parseaddr(value)
    return formataddr((name, address), charset="utf-8") if address else value


def _utf8_email(mail: OutgoingMail, attachments: Sequence[Attachment], settings: MailSettings) -> EmailMessage:
    message = EmailMessage()
    for name, value in _headers(mail, settings, to=recipient(one_line(mail.to_name, 200), mail.to_email)):
        message[name] = value
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

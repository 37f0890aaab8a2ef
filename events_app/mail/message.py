"""An outbox row as an RFC 5322 message: From, To, Subject, Date, Message-ID, plain text and HTML, attachments."""

from __future__ import annotations

from collections.abc import Sequence
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from events_app.core.settings import MailSettings
from events_app.mail.outbox import one_line


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


def build_email(row: dict[str, Any], attachments: Sequence[dict[str, Any]], settings: MailSettings) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = Address(display_name=one_line(row["to_name"], 200), addr_spec=row["to_email"])
    message["Subject"] = one_line(row["subject"], 500)
    message["Date"] = format_datetime(row["created_at"])
    message["Message-ID"] = row["message_id"]
    if settings.reply_to:
        message["Reply-To"] = settings.reply_to
    message["Auto-Submitted"] = "auto-generated" if row["kind"] != "organiser_message" else "no"
    message.set_content(row["text_body"])
    if row["html_body"]:
        message.add_alternative(row["html_body"], subtype="html")
    for attachment in attachments:
        maintype, subtype, params = _content_type(attachment["content_type"])
        content = bytes(attachment["content"])
        if maintype == "text":
            # Calendar invitations travel as text parts so mail clients offer "add to calendar".
            message.add_attachment(
                content.decode("utf-8"), subtype=subtype, filename=attachment["filename"], params=params
            )
        else:
            message.add_attachment(content, maintype=maintype, subtype=subtype, filename=attachment["filename"])
    return message

"""Where messages go: an SMTP server through aiosmtplib (one connection per batch), or .eml files in a folder
when no SMTP server is configured. Failures are sorted into temporary (try again later) and permanent."""

from __future__ import annotations

import asyncio
import email.policy
import logging
import os
import tempfile
from email.message import Message
from pathlib import Path
from types import TracebackType
from typing import Protocol

import aiosmtplib

from events_app.core.settings import MailSettings
from events_app.mail.message import needs_utf8

logger = logging.getLogger(__name__)


class DeliveryFailed(Exception):
    """A message was not accepted. `permanent`: never retry it. `connection`: the server is unreachable,
    so the rest of the batch waits too."""

    def __init__(self, reason: str, *, permanent: bool, connection: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.connection = connection


class Transport(Protocol):
    async def __aenter__(self) -> Transport: ...

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    async def send(self, message: Message) -> str:
        """Deliver one message; returns the server's answer. Raises DeliveryFailed."""
        ...


def classify(exc: BaseException) -> DeliveryFailed:
    """Turn an aiosmtplib (or socket) error into a decision: retry later, or record as failed for good."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [r.code for r in exc.recipients]
        reason = "; ".join(f"{r.recipient}: {r.code} {r.message}" for r in exc.recipients)
        return DeliveryFailed(f"Recipient refused: {reason}", permanent=all(c >= 500 for c in codes))
    if isinstance(exc, aiosmtplib.SMTPRecipientRefused):
        return DeliveryFailed(f"Recipient refused: {exc.code} {exc.message}", permanent=exc.code >= 500)
    if isinstance(exc, aiosmtplib.SMTPAuthenticationError):
        # The server's settings are wrong, not the message: keep it queued until they are fixed.
        return DeliveryFailed(
            f"SMTP sign-in refused ({exc.code} {exc.message}): check SMTP_USERNAME/SMTP_PASSWORD",
            permanent=False,
            connection=True,
        )
    if isinstance(exc, aiosmtplib.SMTPSenderRefused):
        return DeliveryFailed(
            f"Sender refused ({exc.code} {exc.message}): check MAIL_FROM", permanent=False, connection=True
        )
    if isinstance(exc, (aiosmtplib.SMTPConnectError, aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPTimeoutError)):
        return DeliveryFailed(f"Mail server unavailable: {exc}", permanent=False, connection=True)
    if isinstance(exc, aiosmtplib.SMTPNotSupported) and "SMTPUTF8" in str(exc):
        # This recipient's address is internationalised and this server cannot carry it; others still go.
        return DeliveryFailed("The mail server does not accept internationalised addresses (SMTPUTF8)", permanent=True)
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return DeliveryFailed(f"Refused by the mail server: {exc.code} {exc.message}", permanent=exc.code >= 500)
    if isinstance(exc, (OSError, TimeoutError, asyncio.TimeoutError)):
        return DeliveryFailed(f"Mail server unavailable: {exc!r}", permanent=False, connection=True)
    if isinstance(exc, aiosmtplib.SMTPException):
        return DeliveryFailed(f"Mail error: {exc}", permanent=False, connection=True)
    return DeliveryFailed(f"Could not send: {exc!r}", permanent=False)


class SmtpTransport:
    """One SMTP connection, opened lazily and reused for every message of a batch."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self.smtp: aiosmtplib.SMTP | None = None

    async def __aenter__(self) -> SmtpTransport:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.smtp is not None and self.smtp.is_connected:
            try:
                await self.smtp.quit()
            except (aiosmtplib.SMTPException, OSError):
                self.smtp.close()
        self.smtp = None

    async def _connected(self) -> aiosmtplib.SMTP:
        if self.smtp is not None and self.smtp.is_connected:
            return self.smtp
        s = self.settings
        smtp = aiosmtplib.SMTP(
            hostname=s.smtp_host,
            port=s.smtp_port,
            username=s.smtp_username or None,
            password=s.smtp_password or None,
            use_tls=s.smtp_security == "tls",
            start_tls=True if s.smtp_security == "starttls" else False,  # noqa: SIM210 - None would mean "maybe"
            timeout=s.smtp_timeout,
        )
        await smtp.connect()
        self.smtp = smtp
        return smtp

    async def send(self, message: Message) -> str:
        try:
            smtp = await self._connected()
            _, response = await smtp.send_message(message)
        except Exception as exc:
            failure = classify(exc)
            if failure.connection and self.smtp is not None:
                self.smtp.close()
                self.smtp = None
            raise failure from exc
        return response


def eml_name(message_id: str) -> str:
    """The file a message is written to: its Message-ID's random part (erasure finds it again by this)."""
    return message_id.strip("<>").split("@")[0] + ".eml"


class FileTransport:
    """Development without a mail server: each message becomes an .eml file that any mail program opens."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def __aenter__(self) -> FileTransport:
        await asyncio.to_thread(self.folder.mkdir, parents=True, exist_ok=True)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None

    async def send(self, message: Message) -> str:
        name = eml_name(str(message["Message-ID"]))
        policy = email.policy.SMTPUTF8 if needs_utf8(message) else message.policy  # as an SMTPUTF8 server gets it
        try:
            path = await asyncio.to_thread(self._write, name, message.as_bytes(policy=policy))
        except OSError as exc:
            raise DeliveryFailed(f"Could not write to {self.folder}: {exc}", permanent=False, connection=True) from exc
        return f"written to {path}"

    def _write(self, name: str, data: bytes) -> Path:
        target = self.folder / name
        handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(handle, "wb") as f:
            f.write(data)
        Path(temporary).replace(target)  # a reader never sees half a file
        return target


def transport_for(settings: MailSettings) -> Transport:
    if settings.uses_smtp:
        return SmtpTransport(settings)
    return FileTransport(settings.outbox_dir)

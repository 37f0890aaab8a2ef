"""Internationalised addresses (SMTPUTF8, RFC 6531) travel from the outbox to a real SMTP server; a server that
cannot carry them fails that one message for good, with a reason, instead of stalling the queue."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from events_app.core.settings import MailSettings
from events_app.mail.render import RenderedMail
from events_app.mail.tables import OutboxMessage
from tests.mail.conftest import SmtpServer
from tests.mail.test_delivery import deliver, queue, row


@pytest.fixture
def utf8_server() -> Iterator[SmtpServer]:
    server = SmtpServer(smtputf8=True)
    server.start()
    yield server
    server.stop()


@pytest.mark.parametrize("address", ["josé@exämple.org", "用户@例子.广告"])
async def test_an_internationalised_address_is_delivered_with_smtputf8(
    client: AsyncTestClient[Any],
    run: Callable[..., Any],
    utf8_server: SmtpServer,
    mail_settings: MailSettings,
    rendered: Callable[..., RenderedMail],
    address: str,
) -> None:
    settings = dataclasses.replace(mail_settings, smtp_port=utf8_server.port)
    message_id = queue(run, rendered(), to=address, name="José Núñez")

    report = deliver(run, settings)

    assert (report.sent, report.failed) == (1, 0)
    [received] = utf8_server.received
    assert received.rcpt_tos == [address]
    assert received.message["To"] == f"José Núñez <{address}>"
    assert row(run, message_id)["status"] == "sent"


async def test_an_ascii_name_at_an_internationalised_domain_needs_no_smtputf8(
    client: AsyncTestClient[Any],
    run: Callable[..., Any],
    smtp_server: SmtpServer,
    mail_settings: MailSettings,
    rendered: Callable[..., RenderedMail],
) -> None:
    """The domain travels in its xn-- form, which every server carries."""
    queue(run, rendered(), to="Jose@Exämple.org")
    assert deliver(run, mail_settings).sent == 1
    [received] = smtp_server.received
    assert received.rcpt_tos == ["jose@xn--exmple-cua.org"]


async def test_a_server_without_smtputf8_fails_only_that_message_for_good(
    client: AsyncTestClient[Any],
    run: Callable[..., Any],
    smtp_server: SmtpServer,
    mail_settings: MailSettings,
    rendered: Callable[..., RenderedMail],
) -> None:
    international = queue(run, rendered(), to="josé@exämple.org")
    ordinary = queue(run, rendered(), to="sian@example.org")

    report = deliver(run, mail_settings)

    assert (report.sent, report.failed) == (1, 1)
    assert [r.rcpt_tos for r in smtp_server.received] == [["sian@example.org"]]
    failed = row(run, international)
    assert failed["status"] == "failed"
    assert "internationalised addresses" in failed["last_error"]
    assert row(run, ordinary)["status"] == "sent"
    assert run(OutboxMessage.count) == 2

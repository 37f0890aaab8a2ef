"""The outbox is written with the change that causes the mail, once, and several workers send each message once."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from events_app.app import create_app
from events_app.core import database
from events_app.core.settings import MailSettings, get_settings
from events_app.mail import outbox
from events_app.mail.render import RenderedMail
from events_app.mail.tables import OutboxAttachment, OutboxMessage
from events_app.programme.tables import Series
from tests.conftest import reset_database
from tests.mail.conftest import SmtpServer


class Boom(Exception):
    pass


async def test_mail_is_committed_with_the_change_or_not_at_all(
    client: AsyncTestClient[Any], run: Callable[..., Any], rendered: Callable[..., RenderedMail]
) -> None:
    mail = rendered()
    attachment = outbox.Attachment("ticket.png", "image/png", b"\x89PNG")

    async def change_that_fails() -> None:
        async with database.write_transaction():
            await Series.insert(Series(slug="kept-or-not", title="Kept or not"))
            await outbox.enqueue(to_email="a@example.org", to_name="A", mail=mail, attachments=[attachment])
            raise Boom

    async def change_that_commits() -> None:
        async with database.write_transaction():
            await Series.insert(Series(slug="kept", title="Kept"))
            await outbox.enqueue(to_email="a@example.org", to_name="A", mail=mail, attachments=[attachment])

    with pytest.raises(Boom):
        run(change_that_fails)
    assert run(OutboxMessage.count) == 0
    assert run(OutboxAttachment.count) == 0
    assert run(Series.count) == 0

    run(change_that_commits)
    assert run(OutboxMessage.count) == 1
    assert run(OutboxAttachment.count) == 1
    assert run(Series.count) == 1


async def test_a_dedupe_key_queues_a_message_once(
    client: AsyncTestClient[Any], run: Callable[..., Any], rendered: Callable[..., RenderedMail]
) -> None:
    mail = rendered("reminder")

    async def remind() -> int | None:
        async with database.write_transaction():
            return await outbox.enqueue(
                to_email="a@example.org", to_name="A", mail=mail, dedupe_key="reminder:registration-7:1d"
            )

    async def remind_concurrently() -> list[int | None]:
        return list(await asyncio.gather(*(remind() for _ in range(5))))

    first = run(remind)
    assert first is not None
    assert run(remind) is None
    assert run(remind_concurrently) == [None] * 5
    assert run(OutboxMessage.count) == 1


def _worker_process(settings: MailSettings) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "SMTP_HOST": settings.smtp_host,
        "SMTP_PORT": str(settings.smtp_port),
        "SMTP_SECURITY": "none",
        "MAIL_BATCH_SIZE": "10",
        "MAIL_FROM": settings.sender,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "events_app.cli", "worker", "--until-empty"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.slow
async def test_two_worker_processes_deliver_each_message_once(
    client: AsyncTestClient[Any],
    run: Callable[..., Any],
    smtp_server: SmtpServer,
    mail_settings: MailSettings,
    rendered: Callable[..., RenderedMail],
) -> None:
    mail = rendered()

    async def queue_many() -> None:
        async with database.write_transaction():
            for n in range(300):
                await outbox.enqueue(to_email=f"d{n}@example.org", to_name=f"Delegate {n}", mail=mail)

    run(queue_many)

    workers = [_worker_process(mail_settings) for _ in range(2)]
    outputs = [w.communicate(timeout=120)[0] for w in workers]

    assert all(w.returncode == 0 for w in workers), outputs
    sent_by = [int(out.split("Sent ")[1].split(",")[0]) for out in outputs]
    assert sum(sent_by) == 300, outputs
    assert all(n > 0 for n in sent_by), f"one worker did all the work: {outputs}"
    counts = Counter(smtp_server.message_ids())
    assert len(counts) == 300
    assert max(counts.values()) == 1  # nobody got a message twice
    assert run(OutboxMessage.count().where(OutboxMessage.status == "sent").run) == 300


async def test_the_service_delivers_mail_itself_soon_after_the_commit(
    smtp_server: SmtpServer, mail_settings: MailSettings, rendered: Callable[..., RenderedMail]
) -> None:
    """With MAIL_WORKER_IN_APP (the default), the service's lifespan runs the sender; a commit wakes it."""
    settings = dataclasses.replace(
        get_settings(), mail=dataclasses.replace(mail_settings, worker_in_app=True, poll_seconds=30)
    )
    mail = rendered()

    async def register_and_wake() -> None:
        async with database.write_transaction():
            await outbox.enqueue(to_email="fast@example.org", to_name="Fast", mail=mail)
        outbox.wake_sender()

    get_settings.cache_clear()
    async with AsyncTestClient(app=create_app(settings)) as service:
        service.blocking_portal.call(reset_database)
        service.blocking_portal.call(register_and_wake)
        for _ in range(100):
            if smtp_server.received:
                break
            await asyncio.sleep(0.05)
    assert [r.rcpt_tos for r in smtp_server.received] == [["fast@example.org"]]


async def test_a_message_dropped_while_on_its_way_leaves_no_file(
    client: AsyncTestClient[Any], run: Callable[..., Any], rendered: Callable[..., RenderedMail], tmp_path: Path
) -> None:
    """An erasure drops the unsent mail of the person erased; a worker that was writing one of them at that moment
    deletes the file it wrote, since no row is left to say what it was."""
    from events_app.core.settings import load_mail_settings
    from events_app.mail import erasure
    from events_app.mail.transport import FileTransport
    from events_app.mail.worker import deliver_batch

    settings = dataclasses.replace(load_mail_settings(), outbox_dir=tmp_path)

    class ErasedMidway(FileTransport):
        async def send(self, message: Any) -> str:
            await erasure.forget_recipient("gone@example.org")  # the erasure commits while the mail is written
            return await super().send(message)

    async def queue_and_send() -> int:
        await outbox.enqueue(to_email="gone@example.org", to_name="Gone", mail=rendered())
        async with ErasedMidway(tmp_path) as transport:
            report = await deliver_batch(settings, transport)
        return report.sent

    assert run(queue_and_send) == 1
    assert await asyncio.to_thread(lambda: list(tmp_path.glob("*.eml"))) == []
    assert run(OutboxMessage.count) == 0

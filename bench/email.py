"""Benchmark: the email outbox through a local aiosmtpd server.

    uv run python bench/email.py                     # SQLite (a temporary file)
    uv run python bench/email.py --engine postgres   # a temporary PostgreSQL database on 127.0.0.1:5432

Prints: messages per second from a queue of 1,000 (one SMTP connection reused per run of the sender),
and the time from a commit to the message arriving at the SMTP server, with the sender woken by the
commit (same process) and without (another process, which finds it on its next poll)."""

from __future__ import annotations

import sys

# This file is named email.py (as asked); keep its folder off the import path so `import email` finds the stdlib.
sys.path[:] = [p for p in sys.path if not p.rstrip("/").endswith("bench")]

import argparse
import asyncio
import dataclasses
import os
import socket
import statistics
import threading
import time
from typing import Any

from bench.common import ROOT, fresh_database


class ArrivalHandler:
    """Notes when each Message-ID arrived, and wakes whoever waits for one (the server runs in its own thread)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.arrived: dict[str, float] = {}
        self.waiting: dict[str, asyncio.Event] = {}
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        now = time.perf_counter()
        content: bytes = envelope.original_content or envelope.content
        for line in content.split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                message_id = line.split(b":", 1)[1].strip().decode()
                with self.lock:
                    self.arrived[message_id] = now
                    waiter = self.waiting.get(message_id)
                if waiter is not None:
                    self.loop.call_soon_threadsafe(waiter.set)
                break
        return "250 OK"

    async def arrival(self, message_id: str) -> float:
        waiter = asyncio.Event()
        with self.lock:
            self.waiting[message_id] = waiter
            arrived = message_id in self.arrived
        if not arrived:
            await asyncio.wait_for(waiter.wait(), timeout=30)
        return self.arrived[message_id]


async def throughput(engine: str, count: int, settings: Any, mail: Any, handler: ArrivalHandler) -> None:
    from events_app.core import database
    from events_app.mail import outbox, worker

    started = time.perf_counter()
    async with database.write_transaction():
        for n in range(count):
            await outbox.enqueue(to_email=f"delegate{n}@example.org", to_name=f"Delegate {n}", mail=mail)
    queued = time.perf_counter() - started

    started = time.perf_counter()
    report = await worker.deliver_due(settings)
    elapsed = time.perf_counter() - started
    assert report.sent == count, report
    assert len(handler.arrived) == count

    print(f"engine: {engine}; each message: {len(mail.text)} characters of text and {len(mail.html)} of HTML")
    print(f"queue {count} messages in one transaction: {queued:.2f} s ({count / queued:,.0f} per second)")
    print(
        f"deliver {count} messages (batches of {settings.batch_size}, one SMTP connection): "
        f"{elapsed:.2f} s = {count / elapsed:,.0f} messages per second"
    )


async def latency(settings: Any, mail: Any, handler: ArrivalHandler, samples: int, *, wake: bool) -> list[float]:
    """Commit one message at a time while the sender loop runs; time each until the SMTP server has it."""
    from events_app.core import database
    from events_app.mail import outbox, worker
    from events_app.mail.tables import OutboxMessage

    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(settings, stop))
    await asyncio.sleep(0.2)
    found: list[float] = []
    for n in range(samples):
        async with database.write_transaction():
            row_id = await outbox.enqueue(to_email=f"late{n}@example.org", to_name="Late", mail=mail)
        committed = time.perf_counter()
        if wake:
            outbox.wake_sender()
        rows = await OutboxMessage.select(OutboxMessage.message_id).where(OutboxMessage.id == row_id)
        found.append(await handler.arrival(rows[0]["message_id"]) - committed)
        await asyncio.sleep(0.05 if wake else 0.37)  # land at different points of the poll cycle
    stop.set()
    await task
    return sorted(found)


async def main(engine: str, count: int, samples: int) -> None:
    from aiosmtpd.controller import Controller

    from events_app.core import database
    from events_app.core.settings import get_settings
    from events_app.mail.render import render
    from tests.mail.conftest import CONTEXT

    handler = ArrivalHandler(asyncio.get_running_loop())
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings = dataclasses.replace(
        get_settings().mail, smtp_host="127.0.0.1", smtp_port=port, smtp_security="none", poll_seconds=1.0
    )
    mail = render("registration_confirmed", CONTEXT)
    await database.open_pool(get_settings())
    try:
        await throughput(engine, count, settings, mail, handler)
        for wake, label in (
            (True, "woken by the commit"),
            (False, f"found by a poll every {settings.poll_seconds:g} s"),
        ):
            times = await latency(settings, mail, handler, samples, wake=wake)
            p95 = times[max(0, int(len(times) * 0.95) - 1)]
            print(
                f"commit to delivery, {label}: median {statistics.median(times) * 1000:.1f} ms, "
                f"p95 {p95 * 1000:.1f} ms, max {times[-1] * 1000:.1f} ms ({len(times)} messages)"
            )
    finally:
        await database.close_pool()
        controller.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--samples", type=int, default=40)
    args = parser.parse_args()
    url, cleanup = fresh_database(args.engine)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 40)
    os.environ["MAIL_WORKER_IN_APP"] = "false"
    sys.path.insert(0, str(ROOT))
    try:
        asyncio.run(main(args.engine, args.messages, args.samples))
    finally:
        cleanup()

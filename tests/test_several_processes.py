"""`events-app serve --workers 2` on one database: what must happen once happens once, whichever process a
request reaches: places within capacity, promotions from the waiting list, check-ins, scheduled reminders."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from events_app.tickets import codes
from tests.live import LiveService, create_event, person, rush, signed_in
from tests.test_faults import assert_capacity_kept, registrations, wait_for

pytestmark = pytest.mark.slow


def test_two_processes_keep_capacity_promote_once_and_check_in_once(live: LiveService) -> None:
    base = live.serve(workers=2)
    capacity, people = 25, 150
    # On today (the door takes tickets only on the event's days), starting within the hour.
    soon = datetime.now(UTC) + timedelta(minutes=50)
    event = asyncio.run(
        create_event(
            base,
            capacity=capacity,
            waitlist_enabled=True,
            starts_at=soon.strftime("%Y-%m-%dT%H:%M:%SZ"),
            ends_at=(soon + timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
    )
    slug = event["slug"]
    responses = asyncio.run(
        rush(base, f"/api/events/{slug}/registrations", [person(n) for n in range(people)], concurrency=24)
    )
    assert {r.status_code for r in responses} == {202}  # "check your inbox"
    rows = registrations(live, event["id"])
    assert_capacity_kept(rows, capacity)

    # Ten confirmed people cancel at the same moment: ten promotions, each once, the list closing up.
    confirmed = [r for r in rows if r["status"] == "confirmed"]
    first_waiting = sorted((r for r in rows if r["status"] == "waitlisted"), key=lambda r: r["waitlist_position"])

    async def cancel_ten() -> list[int]:
        clients = [await signed_in(base) for _ in range(10)]
        try:
            answers = await asyncio.gather(
                *(
                    c.post(f"/api/registrations/{r['id']}/cancel", json={})
                    for c, r in zip(clients, confirmed, strict=False)
                )
            )
        finally:
            for c in clients:
                await c.aclose()
        return [a.status_code for a in answers]

    assert asyncio.run(cancel_ten()) == [200] * 10
    after = [r for r in registrations(live, event["id"]) if r["status"] != "cancelled"]
    assert_capacity_kept(after, capacity)
    promoted = {r["email"] for r in first_waiting[:10]}
    assert {r["email"] for r in after if r["status"] == "confirmed"} >= promoted
    promotions = Counter(
        m["to_email"] for m in live.query("SELECT to_email FROM outbox_message WHERE kind = 'promoted'")
    )
    assert promotions == Counter(dict.fromkeys(promoted, 1))

    # Twelve scanners at two doors scan one ticket at once: one check-in, eleven "already".
    holder = next(r for r in after if r["status"] == "confirmed")
    code = codes.issue(event["id"], holder["id"])

    async def scan_twelve() -> list[str]:
        clients = [await signed_in(base) for _ in range(12)]
        try:
            answers = await asyncio.gather(
                *(c.post(f"/api/events/{slug}/check-in/scan", json={"code": code}) for c in clients)
            )
        finally:
            for c in clients:
                await c.aclose()
        return sorted(a.json()["result"] for a in answers)

    assert asyncio.run(scan_twelve()) == ["already_checked_in"] * 11 + ["checked_in"]
    check_ins = live.query("SELECT id FROM check_in WHERE registration = $1", holder["id"])
    assert len(check_ins) == 1


def test_two_processes_queue_and_send_each_reminder_once(live: LiveService) -> None:
    base = live.serve(workers=1)
    soon = (datetime.now(UTC) + timedelta(minutes=30)).replace(microsecond=0)
    event = asyncio.run(
        create_event(
            base,
            capacity=20,
            timezone="UTC",
            starts_at=soon.strftime("%Y-%m-%dT%H:%M:%S"),
            ends_at=(soon + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S"),
        )
    )
    asyncio.run(rush(base, f"/api/events/{event['slug']}/registrations", [person(n) for n in range(30)], 8))
    live.stop_all()
    outbox = Path(live.folder) / "mail"
    before = len(list(outbox.glob("*.eml"))) if outbox.exists() else 0
    # Two processes, each running the scheduler and the sender, start together.
    base = live.serve(workers=2, MAIL_WORKER_IN_APP="true", REMINDERS_BEFORE="1h", MAIL_POLL_SECONDS="0.5")

    def reminders() -> list[dict[str, Any]]:
        return live.query("SELECT to_email, status FROM outbox_message WHERE kind = 'reminder'")

    wait_for(lambda: len(reminders()) >= 20 and {r["status"] for r in reminders()} == {"sent"}, 60, "reminders")
    time.sleep(2)
    sent = reminders()
    confirmed = [r["email"] for r in registrations(live, event["id"]) if r["status"] == "confirmed"]
    assert Counter(r["to_email"] for r in sent) == Counter(dict.fromkeys(confirmed, 1))
    wait_for(lambda: len(list(outbox.glob("*.eml"))) - before >= 50, 30, "every message written")
    time.sleep(1)
    files = list(outbox.glob("*.eml"))
    assert len(files) - before == 30 + 20  # every confirmation or waiting-list email, and one reminder each
    assert httpx.get(f"{base}/healthz", timeout=5).status_code == 200

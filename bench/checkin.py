"""Benchmark: check-in at the door against a real server process, beside this machine's ceilings.

    uv run python bench/checkin.py                  # PostgreSQL on 127.0.0.1:5432 (a temporary database)
    uv run python bench/checkin.py --engine sqlite

Seeds an event with --tickets confirmed delegates and a check-in staff account; wrk, signed in as that staff
member, scans from 50 connections: first each ticket once (for --seconds, or until every ticket is scanned),
then tickets already checked in, then forged codes (refused before any ticket is looked up, and the refusal kept
for the door's log: one write each, so its ceiling is the one-UPDATE app). In the same run it measures the
ceilings and prints each figure beside its ratio. Then it checks that every ticket was checked in at most once
and that each "checked in" answer is one check-in on record."""

from __future__ import annotations

import sys

# bench/email.py (named as asked) would shadow the stdlib `email` package: keep this folder off the path.
sys.path[:] = [p for p in sys.path if not p.rstrip("/").endswith("bench")]

import argparse
import asyncio
import random
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from bench.common import (
    POOL_SIZE,
    Figure,
    Load,
    bench_env,
    fresh_database,
    measure_ceilings,
    profiling,
    report,
    require_wrk,
    start_server,
    stop_server,
    wrk,
)

PASSWORD = "bench password for staff"  # noqa: S105 - a throwaway account in a throwaway database


async def seed(tickets: int) -> tuple[int, dict[int, str]]:
    from events_app.accounts import services as accounts
    from events_app.accounts.roles import Role
    from events_app.accounts.schemas import OrganiserCreate
    from events_app.core import database
    from events_app.core.settings import get_settings
    from events_app.core.timezones import utc_now
    from events_app.people.services import ensure_default_groups
    from events_app.people.tables import Delegate, StakeholderGroup
    from events_app.programme.tables import Event
    from events_app.registration.tables import Registration
    from events_app.tickets import codes

    await database.open_pool(get_settings())
    try:
        await ensure_default_groups()
        now = utc_now()
        event = Event(
            slug="big-day",
            title="Big day",
            kind="conference",
            status="published",
            online_url="https://x.org",
            starts_at=now + timedelta(hours=1),
            ends_at=now + timedelta(hours=9),
            created_at=now,
            updated_at=now,
        )
        await event.save()
        group = await StakeholderGroup.select(StakeholderGroup.id).first()
        assert group is not None
        people = [
            Delegate(
                email=f"d{n}@example.org",
                name=f"Delegate {n}",
                organisation_name="U",
                stakeholder_group=group["id"],
                created_at=now,
                updated_at=now,
            )
            for n in range(tickets)
        ]
        for start in range(0, len(people), 1000):  # PostgreSQL takes at most 32,767 arguments in one statement
            await Delegate.insert(*people[start : start + 1000])
        delegates = await Delegate.select(Delegate.id, Delegate.name)
        rows = [
            Registration(
                event=event.id,
                delegate=d["id"],
                name=d["name"],  # who the registration was made as: what the door shows
                organisation_name="U",
                stakeholder_group=group["id"],
                status="confirmed",
                created_at=now,
                updated_at=now,
                confirmed_at=now,
            )
            for d in delegates
        ]
        for start in range(0, len(rows), 1000):  # PostgreSQL takes at most 32,767 arguments in one statement
            await Registration.insert(*rows[start : start + 1000])
        registrations = await Registration.select(Registration.id).where(Registration.event == event.id)
        await accounts.create_organiser(
            OrganiserCreate(email="door@example.org", name="Door staff", role=Role.checkin, password=PASSWORD)
        )
        return event.id, {r["id"]: codes.issue(event.id, r["id"]) for r in registrations}
    finally:
        await database.close_pool()


async def checked_in(event_id: int) -> list[int]:
    """The registration of each check-in on record (a ticket twice would appear twice)."""
    from events_app.checkin.tables import CheckIn
    from events_app.core import database
    from events_app.core.settings import get_settings

    await database.open_pool(get_settings())
    try:
        before: list[dict[str, Any]] = []
        while True:  # wrk stops counting at its deadline; the server still finishes the scans it was sent
            rows = await CheckIn.select(CheckIn.registration).where(CheckIn.event == event_id)
            if len(rows) == len(before):
                return [r["registration"] for r in rows]
            before = rows
            await asyncio.sleep(1)
    finally:
        await database.close_pool()


def sign_in(base: str) -> str:
    """The staff member's session cookie, as a Cookie header."""
    with httpx.Client(base_url=base) as http:
        response = http.post("/api/auth/sign-in", json={"email": "door@example.org", "password": PASSWORD})
        response.raise_for_status()
        return "; ".join(f"{name}={value}" for name, value in http.cookies.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=10.0, help="each load phase")
    parser.add_argument("--profile", type=Path, help="py-spy's collapsed stacks of the server during the scans")
    parser.add_argument("--tickets", type=int, default=40000, help="more than the scans of one phase")
    args = parser.parse_args()
    require_wrk()
    url, cleanup = fresh_database(args.engine)
    env = bench_env(url, DB_POOL_MIN=POOL_SIZE, DB_POOL_MAX=POOL_SIZE)
    folder = Path(tempfile.mkdtemp(prefix="events_app_checkin_"))
    server = None
    try:
        event_id, tickets = asyncio.run(seed(args.tickets))
        ceilings = measure_ceilings(args.seconds)
        server, base = start_server(env, args.workers)
        headers = {"Cookie": sign_in(base)}
        scan_url = f"{base}/api/events/big-day/check-in/scan"
        body = '{"code": "{line}"}'

        def scan(codes: list[str], seconds: float, count: str) -> Load:
            listed = folder / "codes.txt"
            listed.write_text("\n".join(codes) + "\n")
            return wrk(
                scan_url, seconds, method="POST", body=body, lines=listed, count=count, headers=headers, server=server
            )

        random.seed(7)
        forged = [t[:-6] + "".join(random.choice("ABCDEFGHIJ") for _ in range(6)) for t in list(tickets.values())[:500]]
        scan(forged, 2, "refused")  # warm-up: connections, caches
        with profiling(server, args.profile):
            first = scan(list(tickets.values()), args.seconds, '"result":"checked_in"')
        after_first = asyncio.run(checked_in(event_id))
        again = scan([tickets[r] for r in after_first], args.seconds, '"result":"already_checked_in"')
        refused = scan(forged, args.seconds, '"result":"checked_in"')
        stop_server(server)
        server = None
        recorded = asyncio.run(checked_in(event_id))
    finally:
        stop_server(server)
        cleanup()
        shutil.rmtree(folder, ignore_errors=True)

    once = len(recorded) == len(set(recorded))
    report(
        f"Check-in at the door: engine {args.engine}; server processes {args.workers}; {args.tickets:,} tickets",
        ceilings,
        [
            Figure(
                f"check-in scan ({args.engine})",
                first,
                target=0.5,
                p99_under_ms=100,
                checks=[
                    (
                        f"each ticket checked in once ({len(recorded):,} check-ins, {len(set(recorded)):,} tickets)",
                        once,
                    ),
                    (
                        f"each 'checked in' answer one check-in on record ({first.counted:,} answers)",
                        first.counted <= len(after_first) <= first.counted + 50,
                    ),
                    ("no ticket scanned twice in this phase", first.requests <= args.tickets),
                ],
            ),
            Figure(
                f"re-scan, already checked in ({args.engine})",
                again,
                checks=[
                    ("every answer 'already checked in'", again.counted == again.requests),
                    ("no check-in added by re-scans", len(recorded) == len(after_first)),
                ],
            ),
            Figure(
                f"forged codes, refusal kept ({args.engine})",
                refused,
                checks=[
                    ("no forged code let in", refused.counted == 0 and refused.statuses.get(200, 0) == refused.requests)
                ],
            ),
        ],
    )


if __name__ == "__main__":
    main()

"""Benchmark: check-in at the door against a real server process.

    uv run python bench/checkin.py                  # PostgreSQL on 127.0.0.1:5432 (a temporary database)
    uv run python bench/checkin.py --engine sqlite

Seeds an event with 2,000 confirmed delegates; 50 concurrent scanners (signed in as check-in staff)
check in all 2,000 tickets, then scan 500 of them again (already checked in), then scan 500 invalid
codes. Prints scans per second and p50/p95/p99 latency for each phase, and checks that every ticket was
checked in exactly once."""

from __future__ import annotations

import sys

# bench/email.py (named as asked) would shadow the stdlib `email` package: keep this folder off the path.
sys.path[:] = [p for p in sys.path if not p.rstrip("/").endswith("bench")]

import argparse
import asyncio
import random
import time
from datetime import timedelta

import httpx

from bench.common import bench_env, fresh_database, start_server, stop_server

TICKETS = 2000
SCANNERS = 50
PASSWORD = "bench password for staff"  # noqa: S105 - a throwaway account in a throwaway database


async def seed() -> tuple[int, list[str]]:
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
        await Delegate.insert(
            *[
                Delegate(
                    email=f"d{n}@example.org",
                    name=f"Delegate {n}",
                    organisation_name="U",
                    stakeholder_group=group["id"],
                    created_at=now,
                    updated_at=now,
                )
                for n in range(TICKETS)
            ]
        )
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
        return event.id, [codes.issue(event.id, r["id"]) for r in registrations]
    finally:
        await database.close_pool()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def phase(clients: list[httpx.AsyncClient], scans: list[str]) -> tuple[float, list[float], dict[str, int]]:
    queue: asyncio.Queue[str] = asyncio.Queue()
    for code in scans:
        queue.put_nowait(code)
    latencies: list[float] = []
    answers: dict[str, int] = {}

    async def scanner(http: httpx.AsyncClient) -> None:
        while True:
            try:
                code = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            started = time.perf_counter()
            response = await http.post("/api/events/big-day/check-in/scan", json={"code": code})
            latencies.append(time.perf_counter() - started)
            answer = response.json().get("result", str(response.status_code))
            answers[answer] = answers.get(answer, 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*(scanner(http) for http in clients))
    return time.perf_counter() - started, latencies, answers


async def run(base: str, tickets: list[str]) -> list[tuple[str, float, list[float], dict[str, int]]]:
    async with httpx.AsyncClient(base_url=base) as login:
        response = await login.post("/api/auth/sign-in", json={"email": "door@example.org", "password": PASSWORD})
        response.raise_for_status()
        cookies = login.cookies
    clients = [httpx.AsyncClient(base_url=base, cookies=cookies, timeout=30) for _ in range(SCANNERS)]
    try:
        await phase(clients, ["T1.warm-up-invalid"] * 200)  # connections and caches, not measured
        random.seed(7)
        invalid = [t[:-6] + "".join(random.choice("ABCDEFGHIJ") for _ in range(6)) for t in random.sample(tickets, 500)]
        results = []
        for label, scans in (
            ("check in 2,000 tickets", tickets),
            ("re-scan 500 (already checked in)", random.sample(tickets, 500)),
            ("scan 500 invalid codes", invalid),
        ):
            elapsed, latencies, answers = await phase(clients, scans)
            results.append((label, elapsed, latencies, answers))
        return results
    finally:
        for http in clients:
            await http.aclose()


async def checked_in_once(event_id: int) -> tuple[int, int]:
    from events_app.checkin.tables import CheckIn
    from events_app.core import database
    from events_app.core.settings import get_settings

    await database.open_pool(get_settings())
    try:
        rows = await CheckIn.select(CheckIn.registration).where(CheckIn.event == event_id)
        return len(rows), len({r["registration"] for r in rows})
    finally:
        await database.close_pool()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    url, cleanup = fresh_database(args.engine)
    env = bench_env(url, DB_POOL_MIN="20", DB_POOL_MAX="20")
    server = None
    try:
        event_id, tickets = asyncio.run(seed())
        server, base = start_server(env, args.workers)
        results = asyncio.run(run(base, tickets))
        rows, distinct = asyncio.run(checked_in_once(event_id))
    finally:
        stop_server(server)
        cleanup()

    print(f"engine: {args.engine}; server processes: {args.workers}; {SCANNERS} concurrent scanners")
    for label, elapsed, latencies, answers in results:
        print(
            f"{label}: {len(latencies) / elapsed:,.0f} scans/s; p50 {percentile(latencies, 50) * 1000:.1f} ms, "
            f"p95 {percentile(latencies, 95) * 1000:.1f} ms, p99 {percentile(latencies, 99) * 1000:.1f} ms; "
            f"answers {answers}"
        )
    once = "each once" if rows == distinct == TICKETS else "NOT each once"
    print(f"check-ins recorded: {rows} for {distinct} tickets ({once})")


if __name__ == "__main__":
    main()

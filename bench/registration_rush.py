"""Benchmark: a registration rush against a real server process.

    uv run python bench/registration_rush.py                  # PostgreSQL on 127.0.0.1:5432 (a temporary database)
    uv run python bench/registration_rush.py --engine sqlite  # the embedded default, for comparison
    uv run python bench/registration_rush.py --workers 2      # two server processes

Starts `events-app serve` on a fresh database with one published event of 100 places, then sends 1,000
registrations (each a different delegate) from 64 concurrent clients over HTTP. Prints registrations per
second, latency percentiles, the confirmed and waitlisted counts from the database, and whether any place
was oversold (more confirmed than places) or any waiting-list number was repeated or skipped."""

from __future__ import annotations

import sys

# bench/email.py (named as asked) would shadow the stdlib `email` package: keep this folder off the path.
sys.path[:] = [p for p in sys.path if not p.rstrip("/").endswith("bench")]

import argparse
import asyncio
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.common import ROOT, bench_env, fresh_database, start_server, stop_server

SLUG = "rush-seminar"


SEED = """
import asyncio
from datetime import timedelta
from events_app.core import database
from events_app.core.settings import get_settings
from events_app.core.timezones import utc_now
from events_app.programme.tables import Event, Venue

async def main():
    await database.open_pool(get_settings())
    venue = Venue(name="Kingsgate Centre", address="1 Kingsgate Square", city="London", postcode="WC1H 0AA")
    await venue.save()
    start = utc_now() + timedelta(days=30)
    for slug, capacity in (("%s", %d), ("warm-up", None)):
        await Event(slug=slug, title=slug, kind="seminar", status="published", venue=venue.id,
                    starts_at=start, ends_at=start + timedelta(hours=2), capacity=capacity, waitlist_enabled=True,
                    published_at=utc_now()).save()
    await database.close_pool()

asyncio.run(main())
"""


async def rush(
    http_clients: list[httpx.AsyncClient], total: int, slug: str = SLUG, prefix: str = "delegate"
) -> tuple[float, list[float], dict[int, int]]:
    """Each client sends registrations one after another until `total` have been sent."""
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(total):
        queue.put_nowait(n)
    latencies: list[float] = []
    statuses: dict[int, int] = {}

    async def client(http: httpx.AsyncClient) -> None:
        while True:
            try:
                n = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            body = {
                "name": f"Delegate {n}",
                "email": f"{prefix}{n}@example.org",
                "stakeholder_group": "higher-education-institution" if n % 2 else "third-sector-organisation",
                "organisation_name": "University of Testing",
            }
            started = time.perf_counter()
            response = await http.post(f"/api/events/{slug}/registrations", json=body)
            latencies.append(time.perf_counter() - started)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*(client(http) for http in http_clients))
    return time.perf_counter() - started, latencies, statuses


async def warm_up_and_rush(base: str, total: int, clients: int) -> tuple[float, list[float], dict[int, int]]:
    """Warm up (connections, pools, caches) on another event, then rush: the figures are steady service."""
    http_clients = [httpx.AsyncClient(base_url=base, timeout=60) for _ in range(clients)]
    try:
        await rush(http_clients, 4 * clients, slug="warm-up", prefix="warm")
        return await rush(http_clients, total)
    finally:
        for http in http_clients:
            await http.aclose()


async def outcome(database_url: str) -> dict[str, Any]:
    from events_app.core import database
    from events_app.core.settings import get_settings
    from events_app.registration.tables import Registration

    await database.open_pool(get_settings())
    try:
        rows = await Registration.select(Registration.status, Registration.waitlist_position).where(
            Registration.event.slug == SLUG
        )
    finally:
        await database.close_pool()
    positions = sorted(r["waitlist_position"] for r in rows if r["status"] == "waitlisted")
    return {
        "confirmed": sum(r["status"] == "confirmed" for r in rows),
        "waitlisted": len(positions),
        "positions_ok": positions == list(range(1, len(positions) + 1)),
    }


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--registrations", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--no-mail-sender", action="store_true", help="leave the outbox undelivered during the rush")
    parser.add_argument("--capacity", type=int, default=100)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="events_app_rush_"))
    url, drop = fresh_database(args.engine)
    env = bench_env(
        url,
        MAIL_OUTBOX_DIR=str(folder / "mail"),
        SMTP_HOST="",
        MAIL_WORKER_IN_APP="false" if args.no_mail_sender else "true",
        DB_POOL_MIN="20",
        DB_POOL_MAX="20",
    )
    server = None
    try:
        subprocess.run([sys.executable, "-c", SEED % (SLUG, args.capacity)], env=env, cwd=ROOT, check=True)
        server, base = start_server(env, args.workers)
        elapsed, latencies, statuses = asyncio.run(warm_up_and_rush(base, args.registrations, args.clients))
        stop_server(server)
        server = None
        result = asyncio.run(outcome(url))
    finally:
        if server is not None:
            server.kill()
            server.wait(timeout=30)
        drop()
        shutil.rmtree(folder, ignore_errors=True)

    oversold = result["confirmed"] > args.capacity
    print(
        f"engine: {args.engine}; server processes: {args.workers}; {args.registrations} registrations from "
        f"{args.clients} concurrent clients; event of {args.capacity} places"
    )
    print(f"throughput: {args.registrations / elapsed:,.0f} registrations per second ({elapsed:.2f} s in all)")
    print(
        "latency: p50 {:.0f} ms, p95 {:.0f} ms, p99 {:.0f} ms, max {:.0f} ms (mean {:.0f} ms)".format(
            *(percentile(latencies, p) * 1000 for p in (50, 95, 99, 100)), statistics.mean(latencies) * 1000
        )
    )
    print(f"HTTP statuses: {dict(sorted(statuses.items()))}")
    print(
        f"confirmed: {result['confirmed']}, waitlisted: {result['waitlisted']}; "
        f"oversold: {'YES' if oversold else 'no'}; "
        f"waiting list numbered 1..n without gaps or repeats: {'yes' if result['positions_ok'] else 'NO'}"
    )


if __name__ == "__main__":
    main()

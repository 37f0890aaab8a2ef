"""Benchmark: a registration rush against a real server process, beside this machine's ceilings.

    uv run python bench/registration_rush.py                  # PostgreSQL on 127.0.0.1:5432 (a temporary database)
    uv run python bench/registration_rush.py --engine sqlite  # the embedded default
    uv run python bench/registration_rush.py --workers 2      # two server processes
    uv run python bench/registration_rush.py --mail-sender worker  # mail sent by an `events-app worker` beside it

Starts `events-app serve` on a fresh database with one published event of 100 places, warms it up on another
event (and waits for the warm-up's mail to go out), then wrk sends registrations (each a different delegate)
from 50 connections for --seconds. In the same run it measures the ceilings (bare Litestar JSON; one PostgreSQL
UPDATE ... RETURNING per request) and prints each figure beside its ratio to the ceiling, the target, and whether
it holds. Then it checks the database: none oversold (confirmed <= places), the waiting list numbered 1..n
without gaps or repeats, one registration per answered request, and every registration's email delivered.

Mail is sent, during the rush, by the server's own sender (`--mail-sender in-app`, the embedded default), by an
`events-app worker` process beside the one server process (`worker`: the layout README gives for several
processes; its CPU is quoted apart), or not until after the rush (`none`)."""

from __future__ import annotations

import sys

# bench/email.py (named as asked) would shadow the stdlib `email` package: keep this folder off the path.
sys.path[:] = [p for p in sys.path if not p.rstrip("/").endswith("bench")]

import argparse
import asyncio
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import (
    POOL_SIZE,
    ROOT,
    Figure,
    bench_env,
    cpu_seconds,
    fresh_database,
    measure_ceilings,
    profiling,
    report,
    require_wrk,
    start_server,
    stop_server,
    wrk,
)

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


async def outcome(database_url: str) -> dict[str, Any]:
    from events_app.core import database
    from events_app.core.settings import get_settings
    from events_app.registration.tables import Registration

    await database.open_pool(get_settings())
    try:
        rows = await Registration.select(Registration.status, Registration.waitlist_position).where(
            Registration.event.slug == SLUG
        )
        warm_up = await Registration.count().where(Registration.event.slug != SLUG)
    finally:
        await database.close_pool()
    positions = sorted(r["waitlist_position"] for r in rows if r["status"] == "waitlisted")
    return {
        "warm_up": warm_up,
        "confirmed": sum(r["status"] == "confirmed" for r in rows),
        "waitlisted": len(positions),
        "positions_ok": positions == list(range(1, len(positions) + 1)),
    }


def wait_for_mail(folder: Path, expected: int, seconds: float = 120) -> int:
    """The messages written to the outbox folder once `expected` are there, or `seconds` have passed."""
    deadline = time.monotonic() + seconds
    while True:
        written = len(list(folder.glob("*.eml"))) if folder.exists() else 0
        if written >= expected or time.monotonic() > deadline:
            return written
        time.sleep(0.5)


def body(prefix: str) -> str:
    """A registration whose address no other request of the run uses ({n} is wrk's per-request number)."""
    return json.dumps(
        {
            "name": "Delegate {n}",
            "email": prefix + "{n}@example.org",
            "stakeholder_group": "higher-education-institution",
            "organisation_name": "University of Testing",
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--seconds", type=float, default=10.0, help="each load phase")
    parser.add_argument("--mail-sender", choices=["in-app", "worker", "none"], default="in-app")
    parser.add_argument("--profile", type=Path, help="py-spy's collapsed stacks of the server during the rush")
    parser.add_argument("--capacity", type=int, default=100)
    args = parser.parse_args()
    require_wrk()

    folder = Path(tempfile.mkdtemp(prefix="events_app_rush_"))
    url, drop = fresh_database(args.engine)
    env = bench_env(
        url,
        MAIL_OUTBOX_DIR=str(folder / "mail"),
        SMTP_HOST="",
        MAIL_WORKER_IN_APP="true" if args.mail_sender == "in-app" else "false",
        MAIL_POLL_SECONDS="0.5",
        DB_POOL_MIN=POOL_SIZE,
        DB_POOL_MAX=POOL_SIZE,
    )
    server = sender = None
    try:
        subprocess.run([sys.executable, "-c", SEED % (SLUG, args.capacity)], env=env, cwd=ROOT, check=True)
        ceilings = measure_ceilings(args.seconds)
        server, base = start_server(env, args.workers)
        if args.mail_sender == "worker":
            sender = subprocess.Popen(
                [sys.executable, "-m", "events_app.cli", "worker"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL
            )
        warm = wrk(f"{base}/api/events/warm-up/registrations", 2, method="POST", body=body("warm"))
        if args.mail_sender != "none":  # the warm-up's mail sent first: the rush starts on a quiet server
            wait_for_mail(folder / "mail", warm.statuses.get(202, 0))
        sender_before = cpu_seconds(sender)
        with profiling(server, args.profile):
            load = wrk(
                f"{base}/api/events/{SLUG}/registrations",
                args.seconds,
                method="POST",
                body=body("delegate"),
                server=server,
            )
        sender_cpu = (cpu_seconds(sender) or 0.0) - (sender_before or 0.0)
        if args.mail_sender == "none":  # the rush is over: now the server's own sender sends what it queued
            stop_server(server)
            server, base = start_server({**env, "MAIL_WORKER_IN_APP": "true"})
        result = asyncio.run(outcome(url))
        delivered = wait_for_mail(folder / "mail", result["confirmed"] + result["waitlisted"] + result["warm_up"])
        stop_server(server)  # every request it took is finished: the database is the whole story
        server = None
        result = asyncio.run(outcome(url))
    finally:
        for process in (server, sender):
            if process is not None:
                process.kill()
                process.wait(timeout=30)
        drop()
        shutil.rmtree(folder, ignore_errors=True)

    answered = load.statuses.get(202, 0)
    sent_by = {
        "in-app": "by the server's own sender",
        "none": "after the rush",
        "worker": f"by an `events-app worker` process: {1000 * sender_cpu / max(load.requests, 1):.2f} ms of its "
        "CPU per registration",
    }[args.mail_sender]
    in_flight_at_end = 50  # wrk stops counting at the deadline; the server still finishes what it was sent
    report(
        f"Registration rush: engine {args.engine}; server processes {args.workers}; an event of {args.capacity} "
        f"places; {load.requests:,} attempts in {load.seconds:.1f} s",
        ceilings,
        [
            Figure(
                f"registration rush ({args.engine})",
                load,
                target=0.25 if args.engine == "postgres" else 0.1,
                p99_under_ms=250 if args.engine == "postgres" else None,
                checks=[
                    (f"every answer 202 'check your inbox' ({answered:,})", answered == load.requests),
                    (
                        f"none oversold (confirmed {result['confirmed']} of {args.capacity} places)",
                        result["confirmed"] <= args.capacity,
                    ),
                    (
                        f"waiting list numbered 1..{result['waitlisted']} without gaps or repeats",
                        result["positions_ok"],
                    ),
                    (
                        f"one registration per answer ({result['confirmed'] + result['waitlisted']:,} registrations)",
                        answered <= result["confirmed"] + result["waitlisted"] <= answered + in_flight_at_end,
                    ),
                    (
                        f"every registration's email delivered ({delivered:,} messages; mail sent {sent_by})",
                        delivered == result["confirmed"] + result["waitlisted"] + result["warm_up"],
                    ),
                ],
            )
        ],
    )


if __name__ == "__main__":
    main()

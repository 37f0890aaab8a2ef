"""Benchmark: the organisers' workspace pages.

    uv run python bench/organiser_pages.py                   # PostgreSQL on 127.0.0.1:5432 (a temporary database)
    uv run python bench/organiser_pages.py --engine sqlite

Loads the demo programme and a conference of 300 sessions in 10 rooms (made through the programme's services,
as the pages make them), signs in as the demo admin, then wrk (50 connections, --seconds each) loads a real
`events-app serve` process: /healthz (one query), the dashboard, the big timetable (the grid), the event form and
the speakers list. In the same run it measures the ceilings (bench/ceiling_*.py) and prints each figure beside its
ratio to them, so runs on other machines compare."""

from __future__ import annotations

import sys

# bench/email.py (named as asked) would shadow the stdlib `email` package: keep this folder off the path.
sys.path[:] = [p for p in sys.path if not p.rstrip("/").endswith("bench")]

import argparse
import asyncio
from datetime import timedelta

import httpx

from bench.common import (
    POOL_SIZE,
    Figure,
    Load,
    bench_env,
    fresh_database,
    measure_ceilings,
    report,
    require_wrk,
    start_server,
    stop_server,
    wrk,
)

SESSIONS = 300


async def seed() -> str:
    """The demo, and a conference of 300 sessions; returns the demo admin's password."""
    from events_app import demo
    from events_app.core import database
    from events_app.core.settings import get_settings
    from events_app.core.timezones import utc_now
    from events_app.programme import events, schemas, sessions, venues

    await database.open_pool(get_settings())
    try:
        password = await demo.load()
        start = (utc_now() + timedelta(days=40)).replace(hour=8, minute=0, second=0, microsecond=0)
        venue = await venues.create_venue(
            schemas.VenueCreate(
                name="Kingsgate Centre",
                city="London",
                rooms=[schemas.RoomCreate(name=f"Room {n + 1}", capacity=80) for n in range(10)],
            )
        )
        await events.create_event(
            schemas.EventCreate(
                title="Big conference",
                slug="big-conference",
                kind="conference",
                status="published",
                starts_at=start,
                ends_at=start + timedelta(days=1, hours=14),
                venue_id=venue.id,
            )
        )
        for n in range(SESSIONS):
            slot, room = divmod(n, 10)
            begins = start + timedelta(minutes=30 * slot)
            await sessions.create_session(
                "big-conference",
                schemas.SessionCreate(
                    title=f"Session {n}: partnerships that last",
                    starts_at=begins,
                    ends_at=begins + timedelta(minutes=25),
                    kind="workshop" if n < 25 else "talk",
                    room_id=venue.rooms[room].id,
                    capacity=30 if n < 25 else None,
                ),
            )
        return password
    finally:
        await database.close_pool()


async def sign_in(base: str, password: str) -> str:
    """The admin's session, as a Cookie header."""
    from events_app.demo import ADMIN_EMAIL

    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        response = await http.post(
            "/api/auth/sign-in", json={"email": ADMIN_EMAIL, "password": password}, headers={"origin": base}
        )
        assert response.status_code == 200, response.text
        return "; ".join(f"{name}={value}" for name, value in http.cookies.items())


PAGES = (
    ("/healthz (one query)", "/healthz"),
    ("dashboard", "/organiser"),
    ("timetable of 300 sessions", "/organiser/events/big-conference/timetable"),
    ("event form", "/organiser/events/big-conference/edit"),
    ("speakers", "/organiser/speakers"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--seconds", type=float, default=10.0, help="each load phase")
    args = parser.parse_args()
    require_wrk()
    url, cleanup = fresh_database(args.engine)
    env = bench_env(url, DB_POOL_MIN=POOL_SIZE, DB_POOL_MAX=POOL_SIZE)
    server = None
    loads: dict[str, Load] = {}
    try:
        password = asyncio.run(seed())
        ceilings = measure_ceilings(args.seconds)
        server, base = start_server(env)
        headers = {"Cookie": asyncio.run(sign_in(base, password))}
        for label, path in PAGES:
            wrk(base + path, 1, headers=headers)  # warm-up
            loads[label] = wrk(base + path, args.seconds, headers=headers, server=server)
    finally:
        stop_server(server)
        cleanup()

    report(
        f"The organisers' pages: engine {args.engine}; one server process; signed in as an admin",
        ceilings,
        [
            Figure(
                label,
                loads[label],
                checks=[("every answer 200", loads[label].statuses.get(200, 0) == loads[label].requests)],
            )
            for label, _ in PAGES
        ],
    )


if __name__ == "__main__":
    main()

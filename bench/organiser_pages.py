"""Benchmark: the organisers' workspace pages.

    uv run python bench/organiser_pages.py                   # PostgreSQL on 127.0.0.1:5432 (a temporary database)
    uv run python bench/organiser_pages.py --engine sqlite

Loads the demo programme and a conference of 300 sessions in 10 rooms (made through the programme's services,
as the pages make them), signs in as the demo admin, then measures pages per second from 8 concurrent clients
against a real `events-app serve` process: the dashboard, the big timetable (the grid), the event form, the
speakers list, and /healthz as the ceiling measured in the same run. Each page's figure is also given as a share
of that ceiling, so runs on other machines compare."""

from __future__ import annotations

import sys

# bench/email.py (named as asked) would shadow the stdlib `email` package: keep this folder off the path.
sys.path[:] = [p for p in sys.path if not p.rstrip("/").endswith("bench")]

import argparse
import asyncio
import time
from datetime import timedelta

import httpx

from bench.common import bench_env, fresh_database, start_server, stop_server

SESSIONS = 300
CLIENTS = 8


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


async def hammer(base: str, path: str, cookies: httpx.Cookies, seconds: float) -> float:
    done = 0
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal done
        async with httpx.AsyncClient(base_url=base, timeout=30, cookies=cookies) as http:
            while time.perf_counter() < deadline:
                response = await http.get(path)
                assert response.status_code == 200, (path, response.status_code)
                done += 1

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(CLIENTS)))
    return done / (time.perf_counter() - started)


async def sign_in(base: str, password: str) -> httpx.Cookies:
    from events_app.demo import ADMIN_EMAIL

    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        response = await http.post(
            "/api/auth/sign-in", json={"email": ADMIN_EMAIL, "password": password}, headers={"origin": base}
        )
        assert response.status_code == 200, response.text
        return http.cookies


PAGES = (
    ("ceiling: /healthz", "/healthz"),
    ("dashboard", "/organiser"),
    ("timetable of 300 sessions", "/organiser/events/big-conference/timetable"),
    ("event form", "/organiser/events/big-conference/edit"),
    ("speakers", "/organiser/speakers"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    url, cleanup = fresh_database(args.engine)
    env = bench_env(url)
    server = None
    rates: dict[str, float] = {}
    try:
        password = asyncio.run(seed())
        server, base = start_server(env)
        cookies = asyncio.run(sign_in(base, password))
        for label, path in PAGES:
            rates[label] = asyncio.run(hammer(base, path, cookies, args.seconds))
    finally:
        stop_server(server)
        cleanup()

    ceiling = rates[PAGES[0][0]]
    print(f"engine: {args.engine}; {CLIENTS} concurrent clients, {args.seconds:g} s per page, one server process")
    for label, _ in PAGES:
        print(f"{label:>28}: {rates[label]:8.1f} pages/s  ({rates[label] / ceiling:6.1%} of the ceiling)")


if __name__ == "__main__":
    main()

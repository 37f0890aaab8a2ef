"""Benchmark: calendar feeds and the public event page, beside this machine's ceilings.

    uv run python bench/calendar_feed.py                   # PostgreSQL on 127.0.0.1:5432 (a temporary database)
    uv run python bench/calendar_feed.py --engine sqlite

Seeds a conference of 500 sessions and a delegate with a personal feed of 50 items (25 events and 25 booked
workshops), prints the time to build each feed, then wrk (50 connections, --seconds each) against a real
`events-app serve` process: conditional GETs (304) and full GETs of the conference feed, the personal feed,
and a seminar's public page. In the same run it measures the ceilings and prints each figure beside its
ratio to the ceiling, the target, and whether it holds."""

from __future__ import annotations

import sys

# bench/email.py (named as asked) would shadow the stdlib `email` package: keep this folder off the path.
sys.path[:] = [p for p in sys.path if not p.rstrip("/").endswith("bench")]

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
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

SESSIONS = 500


async def seed() -> str:
    """A conference of 500 sessions in 10 rooms over 3 days, 25 seminars, and one delegate registered for
    all of them with 25 workshops booked; returns the delegate's feed token."""
    from events_app.core import database
    from events_app.core.settings import get_settings
    from events_app.core.timezones import utc_now
    from events_app.people.feeds import feed_token
    from events_app.people.services import ensure_default_groups
    from events_app.people.tables import Delegate, StakeholderGroup
    from events_app.programme.tables import Event, Room, Session, Venue
    from events_app.registration.tables import Registration, SessionBooking

    await database.open_pool(get_settings())
    try:
        await ensure_default_groups()
        now = utc_now()
        start = (now + timedelta(days=40)).replace(hour=8, minute=0, second=0, microsecond=0)
        venue = Venue(
            name="Kingsgate Centre",
            address="1 Kingsgate Square",
            city="London",
            postcode="WC1H 0AA",
            latitude=51.52,
            longitude=-0.13,
            created_at=now,
        )
        await venue.save()
        rooms = []
        for n in range(10):
            room = Room(venue=venue.id, name=f"Room {n + 1}", capacity=80)
            await room.save()
            rooms.append(room.id)
        conference = Event(
            slug="big-conference",
            title="Big conference",
            kind="conference",
            status="published",
            venue=venue.id,
            starts_at=start,
            ends_at=start + timedelta(days=2, hours=10),
            created_at=now,
            updated_at=now,
            published_at=now,
        )
        await conference.save()
        sessions = []
        for n in range(SESSIONS):
            day, slot, room_index = divmod(n, 200)[0], (n % 200) // 10, n % 10
            begins = start + timedelta(days=day, minutes=30 * slot)
            sessions.append(
                Session(
                    event=conference.id,
                    title=f"Session {n}: partnerships that last, ür, ŵ",
                    kind="workshop" if n < 25 else "talk",
                    starts_at=begins,
                    ends_at=begins + timedelta(minutes=25),
                    room=rooms[room_index],
                    capacity=30 if n < 25 else None,
                    description="A session " * 30,
                    created_at=now,
                    updated_at=now,
                )
            )
        await Session.insert(*sessions)
        group = await StakeholderGroup.select(StakeholderGroup.id).first()
        assert group is not None
        delegate = Delegate(
            email="bench@example.org",
            name="Bench Delegate",
            stakeholder_group=group["id"],
            created_at=now,
            updated_at=now,
        )
        await delegate.save()
        registration = Registration(
            event=conference.id, delegate=delegate.id, status="confirmed", created_at=now, updated_at=now
        )
        await registration.save()
        workshops = await Session.select(Session.id).where(Session.capacity.is_not_null())
        await SessionBooking.insert(
            *[
                SessionBooking(
                    registration=registration.id, session=w["id"], status="confirmed", created_at=now, updated_at=now
                )
                for w in workshops
            ]
        )
        for n in range(24):
            begins = start + timedelta(days=3 + 7 * n)
            seminar = Event(
                slug=f"seminar-{n}",
                title=f"Seminar {n}",
                kind="seminar",
                status="published",
                venue=venue.id,
                starts_at=begins,
                ends_at=begins + timedelta(hours=2),
                created_at=now,
                updated_at=now,
                published_at=now,
            )
            await seminar.save()
            await Registration(
                event=seminar.id, delegate=delegate.id, status="confirmed", created_at=now, updated_at=now
            ).save()
        return await feed_token(delegate.id)
    finally:
        await database.close_pool()


async def build_times(token: str, runs: int = 15) -> dict[str, float]:
    from events_app.calendar import feeds
    from events_app.core import database
    from events_app.core.settings import get_settings

    await database.open_pool(get_settings())
    try:
        results = {}
        makers: tuple[tuple[str, Callable[[], Awaitable[Any]]], ...] = (
            ("conference of 500 sessions", lambda: feeds.event_feed("big-conference")),
            ("personal feed of 50 items", lambda: feeds.personal_feed(token)),
        )
        for label, make in makers:
            feed = await make()
            cold, warm = [], []
            for _ in range(runs):
                feeds._cache.clear()  # build from the database, as after a change
                started = time.perf_counter()
                feed = await make()
                cold.append(time.perf_counter() - started)
                started = time.perf_counter()
                await make()  # unchanged: the version check and the kept feed
                warm.append(time.perf_counter() - started)
            results[label] = statistics.median(cold)
            results[label + " warm"] = statistics.median(warm)
            results[label + " size"] = len(feed.body)
            results[label + " entries"] = feed.body.count(b"BEGIN:VEVENT")
        return results
    finally:
        await database.close_pool()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--seconds", type=float, default=10.0, help="each load phase")
    parser.add_argument("--profile", type=Path, help="py-spy's collapsed stacks of the server during the 304s")
    args = parser.parse_args()
    require_wrk()
    url, cleanup = fresh_database(args.engine)
    env = bench_env(url, DB_POOL_MIN=POOL_SIZE, DB_POOL_MAX=POOL_SIZE)
    server = None
    loads: dict[str, Load] = {}
    bodies_ok: dict[str, bool] = {}
    try:
        token = asyncio.run(seed())
        built = asyncio.run(build_times(token))
        ceilings = measure_ceilings(args.seconds)
        server, base = start_server(env)
        for label, path in (
            ("conference", "/events/big-conference/calendar.ics"),
            ("personal", f"/calendar/{token}.ics"),
            ("page", "/events/seminar-0"),
        ):
            first = httpx.get(base + path, timeout=30)
            bodies_ok[label] = first.status_code == 200 and (label == "page" or b"BEGIN:VEVENT" in first.content)
            wrk(base + path, 2)  # warm-up: connections, caches
            loads[label] = wrk(base + path, args.seconds, server=server)
            if label != "page":
                with profiling(server if label == "conference" else None, args.profile):
                    loads[label + " 304"] = wrk(
                        base + path, args.seconds, headers={"If-None-Match": first.headers["etag"]}, server=server
                    )
    finally:
        stop_server(server)
        cleanup()

    print(f"engine: {args.engine}")
    for label in ("conference of 500 sessions", "personal feed of 50 items"):
        print(
            f"{label}: {int(built[label + ' entries'])} entries, {built[label + ' size'] / 1024:.0f} KiB; "
            f"built in {built[label] * 1000:.1f} ms, unchanged {built[label + ' warm'] * 1000:.1f} ms (medians)"
        )

    def every(load: Load, status: int) -> list[tuple[str, bool]]:
        return [(f"every answer {status}", load.statuses.get(status, 0) == load.requests)]

    report(
        f"Calendar feeds and the public event page: engine {args.engine}; one server process",
        ceilings,
        [
            Figure(
                "conditional feed GET (304), conference",
                loads["conference 304"],
                target=0.8,
                checks=every(loads["conference 304"], 304),
            ),
            Figure(
                "full conference feed, 500 sessions",
                loads["conference"],
                target=0.2,
                checks=[*every(loads["conference"], 200), ("the feed has its entries", bodies_ok["conference"])],
            ),
            Figure(
                "conditional GET (304), personal feed", loads["personal 304"], checks=every(loads["personal 304"], 304)
            ),
            Figure("full personal feed, 50 items", loads["personal"], checks=every(loads["personal"], 200)),
            Figure(
                "public event page (a seminar)",
                loads["page"],
                target=0.3,
                checks=[*every(loads["page"], 200), ("the page answers 200", bodies_ok["page"])],
            ),
        ],
    )


if __name__ == "__main__":
    main()

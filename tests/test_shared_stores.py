"""Two server processes sharing Redis (REDIS_URL) are one service to the people using them: one sign-in limit
between them, and a signed-out session, a deactivated account or a lowered role is refused by the other process
at once, not when its memory expires. Without REDIS_URL the stores are this process's memory."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import secrets
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import redis
from litestar.stores.memory import MemoryStore
from litestar.stores.redis import RedisStore

from events_app.core import stores
from events_app.core.settings import get_settings
from tests import dbsetup
from tests.live import ORGANISER, LiveService, free_port

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
LIMIT = 4
ADMIN = ("admin@example.org", "an admin password long enough")


@pytest.fixture
def redis_namespace() -> Iterator[str]:
    """A key prefix of this test's own in the machine's Redis; its keys (and only they) are deleted afterwards."""
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=3)
    try:
        client.ping()
    except redis.RedisError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"Redis is not answering at {REDIS_URL} (scripts/test starts it)")
    namespace = f"events_app_test_{secrets.token_hex(6)}"
    yield namespace
    keys = list(client.scan_iter(match=f"{namespace}:*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


def _sign_in(base: str, email: str, password: str) -> httpx.Response:
    return httpx.post(f"{base}/api/auth/sign-in", json={"email": email, "password": password}, timeout=30)


@pytest.mark.slow
@pytest.mark.skipif(
    dbsetup.ENGINE != "postgres",
    reason="runs on the PostgreSQL run only: several processes share a PostgreSQL in production, and what is shared "
    "here (Redis) is the same whichever database the processes use; starting two servers is most of its time",
)
def test_two_processes_sharing_redis_enforce_one_limit_and_end_sessions_at_once(
    live: LiveService, redis_namespace: str
) -> None:
    shared = {"REDIS_URL": REDIS_URL, "REDIS_NAMESPACE": redis_namespace, "RATE_LIMIT_SIGN_IN": f"{LIMIT}/minute"}
    with ThreadPoolExecutor(2) as starting:  # both start at once: starting is most of this test's time
        first, second = starting.map(lambda _: live.serve(1, **shared), range(2))

    # Staff on either process: an admin, and the organiser the live service made.
    live.cli("create-organiser", "--email", ADMIN[0], "--name", "Ada Admin", "--role", "admin", "--password", ADMIN[1])
    admin = _sign_in(first, *ADMIN)
    assert admin.status_code == 200, admin.text
    staff_session = _sign_in(second, *ORGANISER)
    assert staff_session.status_code == 200

    # Signed out on the first process: the second refuses the cookie at once, though it had just used it.
    assert httpx.get(f"{second}/api/auth/me", cookies=admin.cookies, timeout=30).status_code == 200
    assert httpx.post(f"{first}/api/auth/sign-out", cookies=admin.cookies, timeout=30).status_code in {200, 204}
    assert httpx.get(f"{second}/api/auth/me", cookies=admin.cookies, timeout=30).status_code == 401

    # A role lowered and then an account deactivated on the first process: the second knows at once.
    admin = _sign_in(first, *ADMIN)
    me = httpx.get(f"{second}/api/auth/me", cookies=staff_session.cookies, timeout=30)
    assert me.status_code == 200 and me.json()["role"] == "organiser"
    user_id = me.json()["user_id"]
    lowered = httpx.patch(
        f"{first}/api/organisers/{user_id}", json={"role": "checkin"}, cookies=admin.cookies, timeout=30
    )
    assert lowered.status_code == 200, lowered.text
    assert httpx.get(f"{second}/api/auth/me", cookies=staff_session.cookies, timeout=30).json()["role"] == "checkin"
    gone = httpx.patch(f"{first}/api/organisers/{user_id}", json={"active": False}, cookies=admin.cookies, timeout=30)
    assert gone.status_code == 200, gone.text
    assert httpx.get(f"{second}/api/auth/me", cookies=staff_session.cookies, timeout=30).status_code == 401

    # One sign-in limit for the address, counted by both: the attempts so far (two good sign-ins on the first,
    # one on the second) and wrong passwords split between the processes reach it; the next is refused on either.
    used = 3
    for n in range(LIMIT - used):
        wrong = _sign_in((first, second)[n % 2], ADMIN[0], "a wrong guess")
        assert wrong.status_code == 400, wrong.text
    for base in (first, second):
        refused = _sign_in(base, *ADMIN)
        assert refused.status_code == 429, refused.text
        assert 0 < int(refused.headers["retry-after"]) <= 60


async def test_without_redis_url_the_stores_are_this_process_memory() -> None:
    settings = dataclasses.replace(get_settings(), redis_url="")
    assert isinstance(stores.stores_for(settings).store("sessions"), MemoryStore)
    counter = stores.RequestCounter(settings)
    counts = [await counter.count("sign_in:192.0.2.1", 60) for _ in range(3)]
    assert [c.requests for c in counts if c is not None] == [1, 2, 3]
    other_app = stores.RequestCounter(settings)  # each app counts its own, as one process always did
    assert (await other_app.count("sign_in:192.0.2.1", 60)) == stores.Count(1, 60)


async def test_with_redis_url_two_counters_share_one_count_even_when_asked_at_once(redis_namespace: str) -> None:
    settings = dataclasses.replace(get_settings(), redis_url=REDIS_URL, redis_namespace=redis_namespace)
    try:
        assert isinstance(stores.stores_for(settings).store("sessions"), RedisStore)
        one, two = stores.RequestCounter(settings), stores.RequestCounter(settings)
        counts = await asyncio.gather(*(c.count("sign_in:192.0.2.1", 60) for _ in range(25) for c in (one, two)))
        assert sorted(c.requests for c in counts if c is not None) == list(range(1, 51))  # none counted twice
    finally:
        await stores.close_stores(settings)


async def test_when_redis_does_not_answer_requests_go_on_uncounted_and_read_the_database() -> None:
    from events_app.core.settings import settings_in_use

    port = free_port()  # nothing listens there: refused at once
    settings = dataclasses.replace(get_settings(), redis_url=f"redis://127.0.0.1:{port}/0")
    try:
        assert await stores.RequestCounter(settings).count("sign_in:192.0.2.1", 60) is None
        with settings_in_use(settings):
            remembered = stores.Remembered("sessions", 10)
            generation = await remembered.generation()
            assert generation is None
            await remembered.set(generation, "key", b"value")
            assert await remembered.get(generation, "key") is None
            await remembered.forget_all()
    finally:
        await stores.close_stores(settings)

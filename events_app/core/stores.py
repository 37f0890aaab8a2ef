"""Where the service keeps what it remembers for a moment (who a session cookie belongs to, the event a door
scans at) and what it counts (requests per address at the doors anyone may knock on).

Without REDIS_URL: this process's memory (Litestar's MemoryStore), as one process needs. With REDIS_URL: Redis,
through Litestar's RedisStore, shared by every process on every machine, so `--workers N` on several machines
enforces one limit, and signing out or deactivating an account is refused everywhere at once.

Two rules make the sharing safe:
- a remembered value is filed under a generation, and forgetting starts a new one (`Remembered.forget_all`). A
  reader takes the generation before it reads the database, so a value read before a change is filed under the
  old generation even when it is stored after the change: no process uses it again;
- a count is one atomic step in Redis (INCR, and EXPIRE on the first request), so two processes never both see
  the same count.
When Redis does not answer, remembering is skipped (the database is read each time) and counting lets the request
through; both are logged. The per-account sign-in throttle (accounts.throttle) lives in the database and holds."""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
import weakref
from dataclasses import dataclass
from datetime import timedelta

from litestar.stores.base import Store
from litestar.stores.memory import MemoryStore
from litestar.stores.redis import RedisStore
from redis.asyncio import Redis
from redis.exceptions import RedisError

from events_app.core.settings import Settings, current_settings

logger = logging.getLogger(__name__)

REDIS_TIMEOUT_SECONDS = 2.0  # a Redis that does not answer costs a request this long at most, then is skipped


@dataclass(frozen=True, slots=True)
class Count:
    """The requests counted in the current window (this one included) and the seconds until it ends."""

    requests: int
    resets_in: int


class Stores:
    """The stores of one configuration: Redis when `redis_url` is set, else memory."""

    def __init__(self, redis_url: str, namespace: str) -> None:
        self.namespace = namespace
        self.redis: Redis | None = None
        if redis_url:
            self.redis = Redis.from_url(
                redis_url, socket_timeout=REDIS_TIMEOUT_SECONDS, socket_connect_timeout=REDIS_TIMEOUT_SECONDS
            )
        self._stores: dict[str, Store] = {}

    def store(self, name: str) -> Store:
        """A Litestar store of its own for `name` (a Redis key namespace, or a dict in memory)."""
        if name not in self._stores:
            if self.redis is None:
                self._stores[name] = MemoryStore()
            else:
                self._stores[name] = RedisStore(redis=self.redis, namespace=f"{self.namespace}:{name}")
        return self._stores[name]

    async def count_in_redis(self, key: str, window_seconds: int) -> Count | None:
        """Count one request under `key` in a window that starts with the first request and lasts
        `window_seconds`, in one atomic step. None when Redis does not answer."""
        assert self.redis is not None
        full_key = f"{self.namespace}:count:{key}"
        try:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.incr(full_key)
                pipe.expire(full_key, window_seconds, nx=True)
                pipe.ttl(full_key)
                requests, _, ttl = await pipe.execute()
        except (RedisError, OSError) as exc:
            logger.warning("Redis did not answer (%s): the request is let through uncounted", type(exc).__name__)
            return None
        return Count(int(requests), max(1, int(ttl)))

    async def close(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()


# Memory stores are this process's, whichever event loop asks; a Redis client belongs to the loop it was made on
# (tests run apps on loops of their own), so each loop has its own.
_memory: dict[str, Stores] = {}
_redis: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple[str, str], Stores]] = (
    weakref.WeakKeyDictionary()
)


def stores_for(settings: Settings) -> Stores:
    if not settings.redis_url:
        if settings.redis_namespace not in _memory:
            _memory[settings.redis_namespace] = Stores("", settings.redis_namespace)
        return _memory[settings.redis_namespace]
    on_this_loop = _redis.setdefault(asyncio.get_running_loop(), {})
    key = (settings.redis_url, settings.redis_namespace)
    if key not in on_this_loop:
        on_this_loop[key] = Stores(settings.redis_url, settings.redis_namespace)
    return on_this_loop[key]


async def close_stores(settings: Settings) -> None:
    """Close this loop's Redis connections (at the app's shutdown)."""
    if settings.redis_url:
        on_this_loop = _redis.get(asyncio.get_running_loop(), {})
        stores = on_this_loop.pop((settings.redis_url, settings.redis_namespace), None)
        if stores is not None:
            await stores.close()


class RequestCounter:
    """Requests counted per key, for one app: in Redis when REDIS_URL is set (one count for every process),
    else in this app's memory."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._counts: dict[str, tuple[int, float]] = {}  # memory: key -> (requests, window ends at)

    async def count(self, key: str, window_seconds: int) -> Count | None:
        """Count one request under `key` in a window that starts with the first request and lasts
        `window_seconds`; None when Redis does not answer."""
        if self.settings.redis_url:
            return await stores_for(self.settings).count_in_redis(key, window_seconds)
        now = time.monotonic()
        requests, ends_at = self._counts.get(key, (0, 0.0))
        if now >= ends_at:
            requests, ends_at = 0, now + window_seconds
            if len(self._counts) > 50_000:
                self._counts = {k: v for k, v in self._counts.items() if v[1] > now}
        self._counts[key] = (requests + 1, ends_at)  # no await since the read: one step in this process
        return Count(requests + 1, max(1, round(ends_at - now)))


class Remembered:
    """Values remembered for `seconds` under a name, in the store of the settings in use, with a way to forget
    all of them at once in every process (see the module's docstring). Values are bytes; callers encode."""

    def __init__(self, name: str, seconds: float) -> None:
        self.name = name
        self.expires_in = timedelta(seconds=seconds)
        self._sets = 0

    def _store(self) -> Store:
        return stores_for(current_settings()).store(self.name)

    async def generation(self) -> str | None:
        """Take this before reading the database; None when the store does not answer (then read, don't keep)."""
        try:
            found = await self._store().get("generation")
        except (RedisError, OSError) as exc:
            logger.warning("Redis did not answer (%s): %s is read from the database", type(exc).__name__, self.name)
            return None
        return found.decode() if found else "0"

    async def get(self, generation: str | None, key: str) -> bytes | None:
        if generation is None:
            return None
        try:
            return await self._store().get(f"{generation}:{key}")
        except (RedisError, OSError) as exc:
            logger.warning("Redis did not answer (%s): %s is read from the database", type(exc).__name__, self.name)
            return None

    async def set(self, generation: str | None, key: str, value: bytes) -> None:
        if generation is None:
            return
        store = self._store()
        try:
            await store.set(f"{generation}:{key}", value, expires_in=self.expires_in)
        except (RedisError, OSError) as exc:
            logger.warning("Redis did not answer (%s): %s is not remembered", type(exc).__name__, self.name)
            return
        self._sets += 1
        if isinstance(store, MemoryStore) and self._sets % 1000 == 0:
            await store.delete_expired()  # Redis expires keys itself; memory only when asked

    async def forget_all(self) -> None:
        """After a change is written: every process stops using what it remembered before."""
        store = self._store()
        try:
            if isinstance(store, MemoryStore):
                await store.delete_all()  # frees the memory (Redis lets the old generation expire), then:
            await store.set("generation", secrets.token_hex(8))
        except (RedisError, OSError) as exc:
            logger.warning("Redis did not answer (%s): %s could not be forgotten", type(exc).__name__, self.name)

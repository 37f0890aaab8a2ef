"""Ceiling: bare Litestar doing one PostgreSQL `UPDATE ... RETURNING` per request through an asyncpg pool.

    CEILING_DATABASE_URL=postgresql://... uv run uvicorn bench.ceiling_update:app --port 8002

The least a request that changes a row can cost here: one round trip to PostgreSQL, on one hot row (as a rush
locks one event row). The pool has as many connections as the benchmarked app's (DB_POOL_MAX)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from litestar import Litestar, post
from litestar.datastructures import State


@asynccontextmanager
async def database(app: Litestar) -> AsyncIterator[None]:
    size = int(os.environ.get("DB_POOL_MAX", "20"))
    pool = await asyncpg.create_pool(os.environ["CEILING_DATABASE_URL"], min_size=size, max_size=size)
    await pool.execute("CREATE TABLE IF NOT EXISTS bench_counter (id integer PRIMARY KEY, n bigint NOT NULL)")
    await pool.execute("INSERT INTO bench_counter VALUES (1, 0) ON CONFLICT (id) DO NOTHING")
    app.state.pool = pool
    try:
        yield
    finally:
        await pool.close()


@post("/", status_code=200)
async def count(state: State) -> dict[str, int]:
    n = await state.pool.fetchval("UPDATE bench_counter SET n = n + 1 WHERE id = 1 RETURNING n")
    return {"n": int(n)}


app = Litestar([count], lifespan=[database], openapi_config=None)

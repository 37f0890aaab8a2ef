"""Ceiling: bare Litestar answering JSON, served like the app (uvicorn, one process). No database, no middleware.

    uv run uvicorn bench.ceiling_json:app --port 8001

What this machine's Python web stack does at best; the benchmarks measure it in the same run as the app."""

from __future__ import annotations

from litestar import Litestar, get


@get("/", sync_to_thread=False)
def answer() -> dict[str, bool]:
    return {"ok": True}


app = Litestar([answer], openapi_config=None)

"""What the benchmarks share: a fresh, migrated database (a temporary SQLite file or PostgreSQL database)."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _postgres(sql: str) -> None:
    import asyncpg

    async def go() -> None:
        connection = await asyncpg.connect(POSTGRES_ADMIN_URL)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    asyncio.run(go())


def fresh_database(engine: str) -> tuple[str, Callable[[], None]]:
    """(DATABASE_URL, cleanup) of a new database with every migration applied."""
    folder = tempfile.mkdtemp(prefix="events_app_bench_")
    if engine == "postgres":
        name = f"events_app_bench_{uuid.uuid4().hex[:10]}"
        _postgres(f'CREATE DATABASE "{name}"')
        url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"

        def cleanup() -> None:
            _postgres(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
            _postgres(f'DROP DATABASE IF EXISTS "{name}"')
            shutil.rmtree(folder, ignore_errors=True)

    else:
        url = f"sqlite:///{folder}/bench.sqlite3"

        def cleanup() -> None:
            shutil.rmtree(folder, ignore_errors=True)

    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "-m", "events_app.cli", "migrate"], env=env, check=True, capture_output=True, cwd=ROOT
    )
    return url, cleanup


def bench_env(url: str, **extra: str) -> dict[str, str]:
    """The environment a benchmark's server runs with (and this process, for its own database work)."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-" + "x" * 40,
        "LOG_LEVEL": "WARNING",
        "MAIL_WORKER_IN_APP": "false",
        # The load comes from one address; a real rush comes from many, each under the limits.
        "RATE_LIMIT_SIGN_IN": "off",
        "RATE_LIMIT_REGISTRATION": "off",
        "RATE_LIMIT_FEEDBACK": "off",
        **extra,
    }
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "SECRET_KEY")})
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(env: dict[str, str], workers: int = 1) -> tuple[subprocess.Popen[bytes], str]:
    """`events-app serve` on a free port, once it answers /healthz; returns the process and its base URL.
    Its log goes to a file (a pipe nobody reads would fill and stop the server mid-run)."""
    import httpx

    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="events_app_bench_server_", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "events_app.cli", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180  # a busy machine starts slowly
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"server did not start; its log:\n{Path(log.name).read_text()}")


def stop_server(process: subprocess.Popen[bytes] | None) -> None:
    if process is not None:
        process.terminate()
        process.wait(timeout=30)


# --- Load from a compiled generator (wrk), and the ceilings measured in the same run -------------------------

CONNECTIONS = 50
WRK_THREADS = 2
LOAD_SCRIPT = ROOT / "bench" / "load.lua"
POOL_SIZE = "20"  # the app's DB_POOL_MIN/MAX in every benchmark, and the ceiling app's pool

# Issue 20's note measured pretix on this machine the same way (wrk, 50 connections): quoted beside our figures.
PRETIX = {"registration rush": 41.0, "check-in scan": 31.0}


def require_wrk() -> str:
    """The path of wrk, or stop with how to install it: the figures come from a compiled load generator only."""
    found = shutil.which("wrk")
    if found is None:
        sys.exit(
            "wrk is not installed. The benchmarks drive load with it (a Python client would measure itself):\n"
            "    sudo apt-get install -y wrk        # Debian, Ubuntu\n"
            "    brew install wrk                   # macOS"
        )
    return found


@dataclass
class Load:
    """What wrk saw in one load phase."""

    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    socket_errors: int
    counted: int
    statuses: dict[int, int]
    cpu_ms: float | None = None  # the server process's CPU time per answered request (steadier than req/s)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def wrk(
    url: str,
    seconds: float,
    *,
    method: str = "GET",
    body: str | None = None,
    lines: Path | None = None,
    count: str | None = None,
    headers: dict[str, str] | None = None,
    connections: int = CONNECTIONS,
    server: subprocess.Popen[bytes] | None = None,
) -> Load:
    """Send requests to `url` from `connections` connections for `seconds` (see bench/load.lua for body/lines)."""
    env = {**os.environ, "BENCH_METHOD": method, "BENCH_THREADS": str(WRK_THREADS)}
    for key, value in (("BENCH_BODY", body), ("BENCH_LINES", str(lines) if lines else None), ("BENCH_COUNT", count)):
        if value is not None:
            env[key] = value
        else:
            env.pop(key, None)
    command = [
        require_wrk(),
        f"-t{WRK_THREADS}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "30s",
        "-s",
        str(LOAD_SCRIPT),
    ]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    cpu_before = cpu_seconds(server)
    done = subprocess.run([*command, url], env=env, capture_output=True, text=True, check=True)
    cpu_after = cpu_seconds(server)
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary:\n{done.stdout}\n{done.stderr}")
    data = json.loads(line.removeprefix("BENCH "))
    data["statuses"] = {int(k): v for k, v in data["statuses"].items()}
    if cpu_before is not None and cpu_after is not None and data["requests"]:
        data["cpu_ms"] = 1000 * (cpu_after - cpu_before) / data["requests"]
    return Load(**data)


def cpu_seconds(process: subprocess.Popen[bytes] | None) -> float | None:
    """User and system CPU seconds the process (one server process) has used so far (Linux /proc)."""
    if process is None:
        return None
    try:
        fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait_until_answering(base: str, process: subprocess.Popen[bytes]) -> None:
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{base} exited (run it by hand to see why)")
        try:
            httpx.get(base + "/", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{base} did not start")


def _serve_ceiling(module: str, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    """A ceiling app under uvicorn as `events-app serve` runs the app: one process, the same event loop and parser."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", f"bench.{module}:app", "--port", str(port), "--log-level", "warning"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    _wait_until_answering(base, process)
    return process, base


@dataclass
class Ceilings:
    json: Load  # bare Litestar JSON, no database
    update: Load  # one PostgreSQL UPDATE ... RETURNING per request


def measure_ceilings(seconds: float) -> Ceilings:
    """Both ceiling apps, each loaded like the app (wrk, 50 connections) for `seconds`, one after the other."""
    name = f"events_app_ceiling_{uuid.uuid4().hex[:10]}"
    _postgres(f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "CEILING_DATABASE_URL": POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}",
        "DB_POOL_MAX": POOL_SIZE,
    }
    try:
        loads = []
        for module, method in (("ceiling_json", "GET"), ("ceiling_update", "POST")):
            process, base = _serve_ceiling(module, env)
            try:
                wrk(base + "/", 2, method=method)  # warm-up: connections, pool
                loads.append(wrk(base + "/", seconds, method=method, server=process))
            finally:
                stop_server(process)
        return Ceilings(json=loads[0], update=loads[1])
    finally:
        _postgres(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
        _postgres(f'DROP DATABASE IF EXISTS "{name}"')


@dataclass
class Figure:
    """One measured figure, set against a ceiling: `target` is the least ratio asked, `p99_under_ms` the latency."""

    label: str
    load: Load
    ceiling: str = "update"  # "update" (one UPDATE per request) or "json" (no database)
    target: float | None = None
    p99_under_ms: float | None = None
    checks: list[tuple[str, bool]] = field(default_factory=list)


def report(title: str, ceilings: Ceilings, figures: list[Figure]) -> bool:
    """Print the table (figure, ceiling, ratio, target, pass/fail) and the checks; True when every target holds."""
    print(f"\n{title}")
    print(
        f"ceilings, same run: bare Litestar JSON {ceilings.json.rate:,.0f}/s (p99 {ceilings.json.p99_ms:.0f} ms); "
        f"one PostgreSQL UPDATE ... RETURNING per request {ceilings.update.rate:,.0f}/s "
        f"(p99 {ceilings.update.p99_ms:.0f} ms); wrk, {CONNECTIONS} connections"
    )
    print(
        "ratio: req/s over the ceiling's req/s. cpu ms: the server's CPU time per request; by cpu: the ceiling's "
        "over this one's,\nwhat the ratio would be were the server alone on its core (steadier on a busy machine)"
    )
    header = (
        f"{'figure':<44} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'cpu ms':>6} {'ceiling':>8} {'ratio':>6} "
        f"{'by cpu':>6}  {'target':<22} result"
    )
    print(header)
    print("-" * len(header))
    every = True
    for figure in figures:
        ceiling = ceilings.update if figure.ceiling == "update" else ceilings.json
        ratio = figure.load.rate / ceiling.rate if ceiling.rate else 0.0
        wanted, held = [], []
        if figure.target is not None:
            wanted.append(f">= {figure.target:g}")
            held.append(ratio >= figure.target)
        if figure.p99_under_ms is not None:
            wanted.append(f"p99 < {figure.p99_under_ms:g}")
            held.append(figure.load.p99_ms < figure.p99_under_ms)
        result = ("pass" if all(held) else "FAIL") if held else "-"
        every = every and all(held)
        cpu = f"{figure.load.cpu_ms:>6.2f}" if figure.load.cpu_ms else f"{'':>6}"
        by_cpu = f"{ceiling.cpu_ms / figure.load.cpu_ms:>6.2f}" if figure.load.cpu_ms and ceiling.cpu_ms else f"{'':>6}"
        print(
            f"{figure.label:<44} {figure.load.rate:>8,.0f} {figure.load.p50_ms:>7.1f} {figure.load.p99_ms:>7.1f} "
            f"{cpu} {figure.ceiling:>8} {ratio:>6.2f} {by_cpu}  {', '.join(wanted) or '-':<22} {result}"
        )
        pretix = PRETIX.get(figure.label.split(" (")[0])
        if pretix:
            print(
                f"{'':<4}pretix, measured the same way in issue 20's note: {pretix:g}/s; "
                f"here {figure.load.rate / pretix:.1f} x pretix"
            )
    for figure in figures:
        print(
            f"  {figure.label}: HTTP statuses {dict(sorted(figure.load.statuses.items()))}"
            + (f", socket errors {figure.load.socket_errors}" if figure.load.socket_errors else "")
        )
        for name, ok in figure.checks:
            print(f"    {name}: {'yes' if ok else 'NO'}")
            every = every and ok
    print("every target and check holds" if every else "NOT every target or check holds")
    if to := os.environ.get("BENCH_FIGURES_TO"):  # for bench/two_workers.py: each figure's rate and p99
        Path(to).write_text(json.dumps({f.label: [f.load.rate, f.load.p99_ms] for f in figures}))
    return every


# --- Where the time goes: py-spy on the server process while wrk loads it ------------------------------------


@contextmanager
def profiling(process: subprocess.Popen[bytes] | None, to: Path | None) -> Iterator[None]:
    """Sample `process` with py-spy while the block runs; write collapsed stacks to `to` (nothing when None)."""
    if process is None or to is None:
        yield
        return
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    sampler = subprocess.Popen(
        [spy, "record", "--pid", str(process.pid), "--format", "raw", "--output", str(to), "--rate", "200"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        sampler.send_signal(signal.SIGINT)
        sampler.wait(timeout=60)
        print(f"profile: {to}\n{flame_summary(to)}")


IDLE = ("_worker (concurrent/futures/thread.py", "Condition.wait (threading.py", "select (selectors.py")


def _package(frame: str) -> str:
    """'Query.run (piccolo/query/base.py:199)' -> 'piccolo'; the standard library's asyncio, threading ... as such."""
    where = frame.rpartition(" (")[2]
    return where.split("/", 1)[0] if "/" in where else where.split(".py", 1)[0].split(":", 1)[0]


def flame_summary(collapsed: Path, top: int = 20) -> str:
    """A flame graph in words: the share of samples each package spends itself, and the frames below the
    ASGI entry that hold the most samples (inclusive, own), as shares of all samples."""
    inclusive: dict[str, int] = {}
    own: dict[str, int] = {}
    by_package: dict[str, int] = {}
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        frames = stack.split(";")
        if frames[-1].startswith(IDLE):  # a thread waiting for work, sampled anyway on a busy machine
            continue
        n = int(count)
        total += n
        for frame in set(frames):
            inclusive[frame] = inclusive.get(frame, 0) + n
        own[frames[-1]] = own.get(frames[-1], 0) + n
        package = _package(frames[-1])
        by_package[package] = by_package.get(package, 0) + n
    if not total:
        return "no samples"
    trunk = max((n for f, n in inclusive.items() if f.startswith("Litestar.__call__")), default=total)
    lines = [
        f"{total} samples. Own time by package: "
        + ", ".join(f"{p} {100 * n / total:.0f}%" for p, n in sorted(by_package.items(), key=lambda kv: -kv[1])[:10]),
        "Frames below the ASGI entry, inclusive share (own share):",
    ]
    below = [(f, n) for f, n in inclusive.items() if n < trunk]
    for frame, n in sorted(below, key=lambda kv: -kv[1])[:top]:
        lines.append(f"  {100 * n / total:5.1f}% ({100 * own.get(frame, 0) / total:4.1f}%)  {frame}")
    return "\n".join(lines)

"""Benchmark: what a second server process adds, for the registration rush and the check-in load.

    uv run python bench/two_workers.py                   # PostgreSQL on 127.0.0.1:5432 (temporary databases)
    uv run python bench/two_workers.py --engine sqlite   # the embedded default
    uv run python bench/two_workers.py --workers 3       # compare 1 process with 3

Runs bench/registration_rush.py and bench/checkin.py with `events-app serve --workers 1`, then with
`--workers N`, each on a fresh database, prints each run's own figures (the same as the single-process
benchmarks print) and then a table: throughput and latency with one process and with N, and the gain.
On a machine with fewer cores than server processes, database and load generator, the gain is small or
negative: the table shows what this machine does, not what a bigger one would."""

from __future__ import annotations

import sys

# bench/email.py would shadow the stdlib `email` package: keep this folder off the path.
sys.path[:] = [p for p in sys.path if not p.rstrip("/").endswith("bench")]

import argparse
import os
import re
import subprocess

from bench.common import ROOT

RUSH_THROUGHPUT = re.compile(r"throughput: ([\d,]+) registrations per second")
SCAN_LINE = re.compile(
    r"^(?P<label>[^:]+): (?P<rate>[\d,]+) scans/s; p50 [\d.]+ ms, p95 [\d.]+ ms, p99 (?P<p99>[\d.]+) ms"
)
P99 = re.compile(r"p99 (\d+) ms")


def run(script: str, engine: str, workers: int) -> str:
    command = [sys.executable, str(ROOT / "bench" / script), "--engine", engine, "--workers", str(workers)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False, env=os.environ.copy())
    if result.returncode != 0:
        raise SystemExit(f"{script} --workers {workers} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def rush_figures(output: str) -> dict[str, tuple[float, float]]:
    rate = RUSH_THROUGHPUT.search(output)
    p99 = P99.search(output)
    if rate is None or p99 is None:
        raise SystemExit(f"no figures in:\n{output}")
    return {"registration rush": (float(rate.group(1).replace(",", "")), float(p99.group(1)))}


def scan_figures(output: str) -> dict[str, tuple[float, float]]:
    found = {}
    for line in output.splitlines():
        if match := SCAN_LINE.match(line):
            found[match.group("label")] = (float(match.group("rate").replace(",", "")), float(match.group("p99")))
    if not found:
        raise SystemExit(f"no figures in:\n{output}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--workers", type=int, default=2, help="server processes to compare with one")
    args = parser.parse_args()

    figures: dict[int, dict[str, tuple[float, float]]] = {}
    for workers in (1, args.workers):
        figures[workers] = {}
        for script, parse in (("registration_rush.py", rush_figures), ("checkin.py", scan_figures)):
            output = run(script, args.engine, workers)
            print(f"--- {script}, {workers} server process{'es' if workers > 1 else ''}")
            print(output.rstrip())
            figures[workers].update(parse(output))

    print()
    print(f"engine: {args.engine}; machine: {os.cpu_count()} cores shared by server, database and load")
    header = f"{'load':<36} {'1 process':>20} {f'{args.workers} processes':>20} {'gain':>8}"
    print(header)
    print("-" * len(header))
    for label, (one_rate, one_p99) in figures[1].items():
        many_rate, many_p99 = figures[args.workers][label]
        gain = (many_rate / one_rate - 1) * 100
        print(
            f"{label:<36} {f'{one_rate:,.0f}/s p99 {one_p99:.0f} ms':>20} "
            f"{f'{many_rate:,.0f}/s p99 {many_p99:.0f} ms':>20} {gain:>+7.0f}%"
        )


if __name__ == "__main__":
    main()

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
import json
import os
import subprocess
import tempfile
from pathlib import Path

from bench.common import ROOT


def run(script: str, engine: str, workers: int) -> tuple[str, dict[str, tuple[float, float]]]:
    """The script's own output, and its figures: label -> (requests per second, p99 ms)."""
    with tempfile.TemporaryDirectory() as folder:
        figures = Path(folder) / "figures.json"
        command = [sys.executable, str(ROOT / "bench" / script), "--engine", engine, "--workers", str(workers)]
        env = {**os.environ, "BENCH_FIGURES_TO": str(figures)}
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False, env=env)
        if result.returncode != 0 or not figures.exists():
            raise SystemExit(f"{script} --workers {workers} failed:\n{result.stdout}\n{result.stderr}")
        found = json.loads(figures.read_text())
    return result.stdout, {label: (rate, p99) for label, (rate, p99) in found.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--workers", type=int, default=2, help="server processes to compare with one")
    args = parser.parse_args()

    figures: dict[int, dict[str, tuple[float, float]]] = {}
    for workers in (1, args.workers):
        figures[workers] = {}
        for script in ("registration_rush.py", "checkin.py"):
            output, found = run(script, args.engine, workers)
            print(f"--- {script}, {workers} server process{'es' if workers > 1 else ''}")
            print(output.rstrip())
            figures[workers].update(found)

    print()
    print(f"engine: {args.engine}; machine: {os.cpu_count()} cores shared by server, database and load")
    header = f"{'load':<44} {'1 process':>20} {f'{args.workers} processes':>20} {'gain':>8}"
    print(header)
    print("-" * len(header))
    for label, (one_rate, one_p99) in figures[1].items():
        many_rate, many_p99 = figures[args.workers][label]
        gain = (many_rate / one_rate - 1) * 100
        print(
            f"{label:<44} {f'{one_rate:,.0f}/s p99 {one_p99:.0f} ms':>20} "
            f"{f'{many_rate:,.0f}/s p99 {many_p99:.0f} ms':>20} {gain:>+7.0f}%"
        )


if __name__ == "__main__":
    main()

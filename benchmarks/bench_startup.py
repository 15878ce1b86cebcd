"""Benchmark: start-up time of `bubble-monitor --help` against `python -c "import typer"`.

Each command runs in a fresh interpreter (wall time from spawn to exit, median of
`--runs`, after one warm-up run of each so the file cache is warm for both). The target
(issue 14): the help costs at most 2x importing typer. Run on demand:

    PYTHONPATH=. /work/venv/bin/python benchmarks/bench_startup.py [--runs 15]

tests/test_startup.py checks *which* modules the help loads; this script measures time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO = 2.0
CASES: dict[str, list[str]] = {
    "import typer": [sys.executable, "-c", "import typer"],
    "bubble-monitor --help": [sys.executable, "-m", "monitor", "--help"],
    "bubble-monitor report --help": [sys.executable, "-m", "monitor", "report", "--help"],
}


def wall_time(argv: list[str]) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def median_time(argv: list[str], runs: int) -> float:
    wall_time(argv)  # warm-up: the first run pays for cold file caches
    return statistics.median(wall_time(argv) for _ in range(runs))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    times = {name: median_time(argv, args.runs) for name, argv in CASES.items()}
    base = times["import typer"]
    for name, seconds in times.items():
        print(f"{name:32s} {seconds * 1000:7.1f} ms  ({seconds / base:.2f}x import typer)")
    ratio = times["bubble-monitor --help"] / base
    verdict = "meets" if ratio <= TARGET_RATIO else "misses"
    print(f"--help ratio {ratio:.2f} {verdict} the target of {TARGET_RATIO:.0f}x")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())

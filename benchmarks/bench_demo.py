"""Benchmark: `report --demo` with its whole history, wall time and peak memory.

Runs the real command in a fresh interpreter (a new temporary database each run) under
`/usr/bin/time -v`, and prints the wall time, CPU time and the whole process's peak
resident memory; median of `--runs`, twice: a first run (a new data directory each run,
so the demo computes its ~560 daily readings: what a new user waits for once) and a
repeat run (one data directory, its history cache written beforehand:
monitor.ops.demo_cache). Targets (issue 21): under 15 s and 700 MB on the project's
2-core machine. On a shared, busy machine the wall time follows the load; the CPU time
(user + system) is the figure to compare between runs. Run on demand:

    PYTHONPATH=. /work/venv/bin/python benchmarks/bench_demo.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 15.0
TARGET_MB = 700.0


def one_run(data_dir: Path) -> tuple[float, float, float]:
    """(wall s, cpu s, peak MB) of one `report --demo --db NEW` run with `data_dir`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "80"}
    env["BUBBLE_MONITOR_DATA_DIR"] = str(data_dir)
    with tempfile.TemporaryDirectory() as tmp:
        argv = ["/usr/bin/time", "-v", sys.executable, "-m", "monitor", "report", "--demo"]
        argv += ["--db", str(Path(tmp) / "demo.db")]
        done = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
    report = done.stderr
    wall = _field(report, r"Elapsed \(wall clock\) time .*: (?:(\d+):)?(\d+):([\d.]+)")
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", report).group(1))  # type: ignore[union-attr]
    system = float(re.search(r"System time \(seconds\): ([\d.]+)", report).group(1))  # type: ignore[union-attr]
    peak_kb = float(re.search(r"Maximum resident set size \(kbytes\): (\d+)", report).group(1))  # type: ignore[union-attr]
    return wall, user + system, peak_kb / 1024


def _field(text: str, pattern: str) -> float:
    match = re.search(pattern, text)
    assert match is not None, text
    hours, minutes, seconds = match.groups()
    return 3600 * float(hours or 0) + 60 * float(minutes) + float(seconds)


def first_runs(count: int) -> list[tuple[float, float, float]]:
    """Runs with a new, empty data directory each: the history is computed."""
    out = []
    for _ in range(count):
        with tempfile.TemporaryDirectory() as data_dir:
            out.append(one_run(Path(data_dir)))
    return out


def repeat_runs(count: int) -> list[tuple[float, float, float]]:
    """Runs sharing one data directory whose cache an untimed first run wrote."""
    with tempfile.TemporaryDirectory() as data_dir:
        one_run(Path(data_dir))
        return [one_run(Path(data_dir)) for _ in range(count)]


def summary(name: str, runs: list[tuple[float, float, float]]) -> tuple[float, float]:
    wall, cpu, peak = (statistics.median(r[i] for r in runs) for i in range(3))
    print(f"report --demo, {name}: wall {wall:.1f} s, cpu {cpu:.1f} s, peak {peak:.0f} MB")
    return wall, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    wall, peak = summary("first run", first_runs(args.runs))
    summary("repeat run", repeat_runs(args.runs))
    load = os.getloadavg()[0]
    print(f"(median of {args.runs} each; 1-minute load average {load:.1f} at the end)")
    ok = wall < TARGET_SECONDS and peak < TARGET_MB
    print(f"target < {TARGET_SECONDS:.0f} s and < {TARGET_MB:.0f} MB: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark: `evaluate-index`, whole process, two cases.

    .venv/bin/python benchmarks/bench_evaluate_index.py [--runs 3] [--data ../shared/data]

1. walk-forward on the French 49-industry file: a fresh `python -m monitor evaluate-index
   --prices ff49_... --format french49 --json` (interpreter start, imports, reading the CSV,
   features, 70-odd yearly refits of the model and the baselines, the GSY replication);
   target: wall time under a minute;
2. frozen evaluation of one daily series: `evaluate-index --prices sp500_daily_1927_2009.csv
   --model shipped --json` (82 years of daily closes, the shipped 6m model applied as it
   is); target: wall time under 10 s.

Wall time, CPU time (user + system of the child, from the kernel) and peak memory (max RSS)
are reported. The machine may be shared: CPU time is the figure that load does not move.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILE = "ff49_industry_portfolios_1926_2014.csv"
SERIES = "sp500_daily_1927_2009.csv"
#: (title, file, extra arguments, target wall seconds)
CASES = (
    ("walk-forward, French 49 monthly", FILE, ["--format", "french49"], 60.0),
    ("frozen, one daily series", SERIES, ["--model", "shipped"], 10.0),
)


def one_run(
    data: Path, file: str, extra: list[str]
) -> tuple[float, float, float, dict[str, object]]:
    cmd = [sys.executable, "-m", "monitor", "evaluate-index", "--prices", str(data / file)]
    cmd += [*extra, "--json"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # ru_maxrss of the children is the largest child so far, in KiB on Linux.
    return wall, cpu, after.ru_maxrss / 1024, json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    for title, file, extra, target in CASES:
        if not (args.data / file).is_file():
            sys.exit(f"{args.data / file} is absent: the benchmark needs ../shared/data")
        walls, cpus, peak = [], [], 0.0
        doc: dict[str, object] = {}
        for _ in range(args.runs):
            wall, cpu, rss, doc = one_run(args.data, file, extra)
            walls.append(wall)
            cpus.append(cpu)
            peak = max(peak, rss)
        print(f"{title}: {file}: {doc['n_predictions']} predictions, {doc['refits']} refits")
        print(
            f"  wall  median {statistics.median(walls):.1f} s (runs: "
            f"{', '.join(f'{w:.1f}' for w in walls)})"
        )
        print(f"  cpu   median {statistics.median(cpus):.1f} s")
        print(f"  peak memory {peak:.0f} MiB")
        verdict = "under" if statistics.median(walls) < target else "OVER"
        print(f"  target: wall under {target:.0f} s: {verdict}")


if __name__ == "__main__":
    main()

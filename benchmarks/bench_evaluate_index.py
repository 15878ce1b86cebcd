"""Benchmark: `evaluate-index` on the French 49-industry file, whole process.

    .venv/bin/python benchmarks/bench_evaluate_index.py [--runs 3] [--data ../shared/data]

Each run is a fresh `python -m monitor evaluate-index --prices ff49_... --format french49
--json` (interpreter start, imports, reading the CSV, features, 70-odd yearly refits of the
model and the baselines, the GSY replication). Wall time, CPU time (user + system of the
child, from the kernel) and peak memory (max RSS) are reported; the target is a wall time
under a minute. The machine may be shared: CPU time is the figure that load does not move.
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
TARGET_SECONDS = 60.0


def one_run(data: Path) -> tuple[float, float, float, dict[str, object]]:
    cmd = [
        sys.executable,
        "-m",
        "monitor",
        "evaluate-index",
        "--prices",
        str(data / FILE),
        "--format",
        "french49",
        "--json",
    ]
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
    if not (args.data / FILE).is_file():
        sys.exit(f"{args.data / FILE} is absent: the benchmark needs ../shared/data")
    walls, cpus, peak = [], [], 0.0
    doc: dict[str, object] = {}
    for _ in range(args.runs):
        wall, cpu, rss, doc = one_run(args.data)
        walls.append(wall)
        cpus.append(cpu)
        peak = max(peak, rss)
    print(f"evaluate-index on {FILE}: {doc['n_predictions']} predictions, {doc['refits']} refits")
    print(
        f"wall  median {statistics.median(walls):.1f} s (runs: "
        f"{', '.join(f'{w:.1f}' for w in walls)})"
    )
    print(f"cpu   median {statistics.median(cpus):.1f} s")
    print(f"peak memory {peak:.0f} MiB")
    verdict = "under" if statistics.median(walls) < TARGET_SECONDS else "OVER"
    print(f"target: wall under {TARGET_SECONDS:.0f} s: {verdict}")


if __name__ == "__main__":
    main()

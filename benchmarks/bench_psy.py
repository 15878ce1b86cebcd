"""Benchmark: GSADF with 200 Monte Carlo replications on the Shiller P/D ratio (T = 1680).

The whole process is timed (interpreter start, imports, reading the CSV, the statistic,
the simulation and the critical values), as exuber's figure is, and its peak memory read
from the kernel. Run on demand:

    .venv/bin/python benchmarks/bench_psy.py [--reps 200] [--runs 3]

exuber's C++ core takes about 9.6 s for the same work on the project's machine.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "shiller_sp500_pd_1871_2011.csv"


def child(reps: int, workers: int | None) -> None:
    import numpy as np

    from signals.psy import critical_values, radf

    with DATA.open(newline="") as f:
        ratio = [float(r["Ratio"]) for r in csv.DictReader(f) if r["month"] <= "2010-12"]
    res = radf(np.asarray(ratio), min_window=36)
    cv = critical_values(res.T, 36, reps=reps, seed=2015, workers=workers)
    print(f"T={res.T} GSADF={res.gsadf:.4f} cv90/95/99={np.round(cv.gsadf, 3).tolist()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.reps, args.workers)
        return
    if not DATA.is_file():
        sys.exit(f"{DATA} is absent: the benchmark needs ../shared/data")
    cmd = [sys.executable, __file__, "--child", "--reps", str(args.reps)]
    if args.workers:
        cmd += ["--workers", str(args.workers)]
    walls, cpus = [], []
    for _ in range(args.runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        # CPU time does not depend on what else the machine runs; wall time does.
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        print(out.stdout.strip(), f"wall {walls[-1]:.2f} s, cpu {cpus[-1]:.2f} s")
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    median = statistics.median(walls)
    print(
        f"GSADF + {args.reps} Monte Carlo reps, whole process: median {median:.2f} s"
        f" (min {min(walls):.2f}, max {max(walls):.2f}, {args.runs} runs);"
        f" peak RSS {peak_mib:.0f} MiB; cpu median {statistics.median(cpus):.2f} s;"
        f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )


if __name__ == "__main__":
    main()

"""Benchmark the index stage with segments: what reading every segment on its own costs.

    .venv/bin/python benchmarks/bench_segments.py [--runs 5]

Seeds the demo scenario into a temporary store (560 sessions, 28 basket tickers, three
segments), then times `compute_reading` in this process with the default feeds.yaml
(three segments: llm, applied_ai, market) and with the same basket as one plain `basket:`
(the single segment `ai`). Target: a reading with segments under 5 seconds (the index
job runs hourly; a reading must never hold up the scheduler's next job).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from monitor.config import Config, load_config
    from monitor.demo import DEMO_NOW, demo_config, seed_demo_history
    from monitor.pipeline import Context
    from monitor.readings import compute_reading
    from monitor.store import Store

    config = demo_config(load_config())
    single = Config(basket=config.basket, benchmarks=config.tickers[len(config.basket):])
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        seed_demo_history(Context(config, store, clock=lambda: DEMO_NOW), readings=1)
        for name, cfg in (("three segments", config), ("one segment (basket:)", single)):
            times = []
            for run in range(args.runs):
                start = time.perf_counter()
                compute_reading(store, cfg, now=DEMO_NOW + timedelta(minutes=run))
                times.append(time.perf_counter() - start)
            print(f"{name:<24} median {statistics.median(times):.2f} s, "
                  f"min {min(times):.2f} s over {args.runs} readings")


if __name__ == "__main__":
    main()

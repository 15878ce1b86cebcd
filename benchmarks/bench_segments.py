"""Benchmark the index stage with segments: what reading every segment on its own costs.

    .venv/bin/python benchmarks/bench_segments.py [--runs 5] [--data ../shared/data]

Seeds the demo scenario into a temporary store (560 sessions, 28 basket tickers, three
segments) and, when the data folder is there, imports the real closes (11 years, 33
columns), then times `compute_reading` in this process with the default feeds.yaml
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
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    from monitor.app import build
    from monitor.config.feeds_yaml import Config, load_config
    from monitor.ops.demo import DEMO_NOW, demo_config, seed_demo_history
    from monitor.store import Store

    config = demo_config(load_config())
    single = Config(basket=config.basket, benchmarks=config.tickers[len(config.basket) :])
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        seed_demo_history(build(config, store=store, clock=lambda: DEMO_NOW), readings=1)
        print("demo store (560 sessions):")
        _time(
            store, {"three segments": config, "one segment (basket:)": single}, DEMO_NOW, args.runs
        )
    real = args.data / "ai_stocks_daily_adjclose_2015_2026.csv"
    if not real.exists():
        print(f"{real} absent: real-data timing skipped")
        return
    from monitor.sources.csv.prices import read_price_csv
    from monitor.store.prices import upsert_bars

    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "real.db") as store:
        upsert_bars(store, read_price_csv(real).bars, fetched_at=DEMO_NOW)
        print("real closes (2015-2026):")
        _time(
            store,
            {"three segments": config, "one segment (basket:)": single},
            DEMO_NOW.replace(year=2026, month=7, day=13),
            args.runs,
        )


def _time(store: Any, configs: dict[str, Any], now: datetime, runs: int) -> None:
    from monitor.stages.index import compute_reading

    for name, cfg in configs.items():
        times = []
        for run in range(runs):
            start = time.perf_counter()
            compute_reading(store, cfg, now=now + timedelta(minutes=run))
            times.append(time.perf_counter() - start)
        print(
            f"  {name:<24} median {statistics.median(times):.2f} s, "
            f"min {min(times):.2f} s over {runs} readings"
        )


if __name__ == "__main__":
    main()

"""Benchmark the backtest on the real AI basket: 11 years x 33 tickers, whole process.

    .venv/bin/python benchmarks/bench_backtest.py [--runs 3] [--data ../shared/data]

1. Whole processes, wall time and peak memory (max RSS of the child, os.wait4):
   `bubble-monitor backtest --prices ai_stocks_daily_adjclose_2015_2026.csv --layoffs
   layoffs_fyi_2020_2026.csv --out FILE.csv --chart FILE.png`. Target: under a minute.
2. In this process, the stages of one run timed apart (read the CSV, market frame, news
   frame, combine), and the PSY engine's calls counted: it must run once per basket
   ticker for the whole history, never once per day.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PRICES = "ai_stocks_daily_adjclose_2015_2026.csv"
LAYOFFS = "layoffs_fyi_2020_2026.csv"


def whole_process(data: Path, out: Path) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one `bubble-monitor backtest` process."""
    command = [
        # The interpreter running the benchmark: the venv need not be <project>/.venv.
        sys.executable,
        "-m",
        "monitor",
        "backtest",
        "--prices",
        str(data / PRICES),
        "--layoffs",
        str(data / LAYOFFS),
        "--out",
        str(out / "backtest.csv"),
        "--chart",
        str(out / "backtest.png"),
        "--json",
    ]
    env = dict(os.environ, BUBBLE_MONITOR_DATA_DIR=str(out / "data-dir"))
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, env=env, cwd=ROOT)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"backtest failed with status {status}")
    return seconds, usage.ru_maxrss / 1024.0


def stages(data: Path) -> None:
    """Time the stages of one run and count PSY calls (after a warm-up run)."""
    import pandas as pd

    import signals.market_explosive as explosive
    from monitor.config.feeds_yaml import load_config
    from monitor.research.backtest.run import BacktestInputs, _news_frame, load_closes_csv, run
    from monitor.sources.layoffs.import_csv import merge_rows, read_layoff_rows
    from signals.backtest import join_components, run_backtest
    from signals.market import market_component_frame

    cfg = load_config(None)
    run(BacktestInputs(data / PRICES), cfg)  # warm-up: imports and cached critical values
    calls = 0
    namespace = vars(explosive)
    real_radf = namespace["radf"]

    def counting_radf(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        return real_radf(*args, **kwargs)

    namespace["radf"] = counting_radf
    # The warm-up filled the per-ticker PSY memo: empty it, or the stage times a lookup.
    namespace["_MEMO"].clear()
    times: dict[str, float] = {}
    t = time.perf_counter()
    closes = load_closes_csv(data / PRICES)
    times["read prices CSV"] = time.perf_counter() - t
    basket = [b for b in cfg.basket if b in closes.columns]
    t = time.perf_counter()
    market = market_component_frame(closes, basket)
    times["market frame (PSY included)"] = time.perf_counter() - t
    t = time.perf_counter()
    events = merge_rows(read_layoff_rows(data / LAYOFFS))
    news = _news_frame([], events, pd.DatetimeIndex(closes.index))
    times["layoffs + news frame"] = time.perf_counter() - t
    t = time.perf_counter()
    components = join_components(pd.DatetimeIndex(closes.index), market, news)
    run_backtest(components, cfg.index.weights, closes=closes, basket=basket)
    times["index, drawdown, regimes, episodes"] = time.perf_counter() - t
    namespace["radf"] = real_radf
    for name, seconds in times.items():
        print(f"  {name:<38} {seconds:6.2f} s")
    listed = sum(1 for b in basket if closes[b].notna().any())
    print(f"  PSY radf calls: {calls} for {listed} basket tickers x {len(closes)} days")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = [whole_process(args.data, Path(tmp)) for _ in range(args.runs)]
        rows = len((Path(tmp) / "backtest.csv").read_text().splitlines()) - 1
        png = (Path(tmp) / "backtest.png").stat().st_size
    walls = [r[0] for r in results]
    print(f"whole process, {args.runs} runs ({rows} days x 33 tickers, CSV + chart):")
    median, low, high = statistics.median(walls), min(walls), max(walls)
    print(f"  wall median {median:.2f} s (min {low:.2f}, max {high:.2f})")
    print(f"  peak RSS {max(r[1] for r in results):.0f} MB; chart {png / 1024:.0f} KB")
    print("stages, in process (after a warm-up run):")
    stages(args.data)


if __name__ == "__main__":
    main()

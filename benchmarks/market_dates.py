"""What the five market components said on the real data around three market events.

Reads ../shared/data/ai_stocks_daily_adjclose_2015_2026.csv and the basket of feeds.yaml,
computes the component frame once (as the backtest does) and prints a Markdown table of
the readings with their detail lines. Run on demand:

    .venv/bin/python benchmarks/market_dates.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd
import yaml

from signals.market import COMPONENTS, market_components, market_signals

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "ai_stocks_daily_adjclose_2015_2026.csv"
EVENTS = {
    "2024-07-10": "July 2024 peak",
    "2025-01-27": "DeepSeek sell-off",
    "2025-04-08": "April 2025 drop",
}


def main() -> None:
    if not DATA.is_file():
        sys.exit(f"{DATA} is absent")
    basket = yaml.safe_load((ROOT / "feeds.yaml").read_text())["basket"]
    closes = pd.read_csv(DATA, parse_dates=["date"], index_col="date")
    start = time.perf_counter()
    comps = market_components(closes, basket)
    took = time.perf_counter() - start
    print(f"{len(closes)} days x {closes.shape[1]} tickers; component frame in {took:.2f} s\n")
    print("| day | event | " + " | ".join(COMPONENTS) + " |")
    print("|---|---|" + "---|" * len(COMPONENTS))
    for day, event in EVENTS.items():
        row = comps.values.loc[day]
        cells = " | ".join("n/a" if pd.isna(row[c]) else f"{row[c]:.0f}" for c in COMPONENTS)
        print(f"| {day} | {event} | {cells} |")
    print()
    for day, event in EVENTS.items():
        print(f"{day} ({event}):")
        for s in market_signals(closes, basket, as_of=pd.Timestamp(day)):
            value = "n/a" if s.value is None else f"{s.value:.0f}"
            print(f"- {s.name} {value} (coverage {s.coverage:.2f}): {s.detail}")
        print()


if __name__ == "__main__":
    main()

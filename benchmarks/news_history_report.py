"""The news history of docs/news-history.md: chart and tables from imported headlines.

    .venv/bin/python benchmarks/news_history_report.py --db DB \
        [--prices ../shared/data/ai_stocks_daily_adjclose_2015_2026.csv] \
        [--chart docs/news_history.png] [--start 2022-01-01]

DB is a store into which `bubble-monitor import-headlines` loaded the shared corpus (or
its stratified sample: monitor/research/news_sample.py; `--sample-every N --corpus FILE`
writes and imports that sample into DB first). Printed as Markdown: the store's counts,
the basket's named drawdowns, each component's mean around them, the lead/lag table
(Spearman, counts) and the stated rule's verdict per component.
"""

from __future__ import annotations

import argparse
import math
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from monitor.config.feeds_yaml import load_config  # noqa: E402
from monitor.research.news_history import NewsHistory, around, news_history  # noqa: E402
from monitor.research.news_history_chart import draw_news_history  # noqa: E402
from monitor.store import Store  # noqa: E402
from signals.news_history import MIN_ABS_RHO, MIN_TEST_MONTHS  # noqa: E402

DATA = ROOT.parent / "shared" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument(
        "--prices", type=Path, default=DATA / "ai_stocks_daily_adjclose_2015_2026.csv"
    )
    parser.add_argument("--chart", type=Path, default=ROOT / "docs" / "news_history.png")
    parser.add_argument("--start", type=date.fromisoformat, default=date(2022, 1, 1))
    args = parser.parse_args()
    with Store(args.db) as store:
        counts = store.conn.execute(
            "SELECT COUNT(*), SUM(imported), MIN(published), MAX(published) FROM headlines"
        ).fetchone()
        labels = store.conn.execute(
            "SELECT label, COUNT(*) FROM headline_scores GROUP BY label ORDER BY 2 DESC"
        ).fetchall()
        history = news_history(store, args.prices, load_config(None), start=args.start)
    print(f"store: {counts[0]} headlines ({counts[1]} imported), {counts[2]} .. {counts[3]}")
    print("labels: " + ", ".join(f"{label} {n}" for label, n in labels))
    draw_news_history(
        history, args.chart,
        title=f"News components from {history.headlines:,} imported headlines; "
        "shaded: the basket's 2022 and 2025 drawdowns",
    )  # fmt: skip
    print(f"chart: {args.chart}")
    report(history)


def report(history: NewsHistory) -> None:
    for e in history.episodes:
        print(f"\n### Drawdown {e.peak} .. {e.trough}: -{100 * e.depth:.1f}%\n")
        table = around(history, e)
        print("| component | 3 months before peak | peak to trough | 3 months after trough |")
        print("|---|---|---|---|")
        for _, row in table.iterrows():
            cells = [
                f"{_num(row[k])} ({int(row[k + ' days'])} d)"
                for k in ("before peak", "peak to trough", "after trough")
            ]
            print(f"| {row['component']} | " + " | ".join(cells) + " |")
    print("\n### Lead/lag: Spearman rho of C(t+s) with D(t), month-ends (pairs)\n")
    wide = history.table.pivot(index="component", columns="shift", values="rho")
    counts = history.table.pivot(index="component", columns="shift", values="n")
    print("| component | " + " | ".join(f"s={s:+d}" for s in wide.columns) + " |")
    print("|---|" + "---|" * len(wide.columns))
    for name in wide.index:
        cells = [f"{_num(wide.loc[name, s], 2)} ({int(counts.loc[name, s])})" for s in wide.columns]
        print(f"| {name} | " + " | ".join(cells) + " |")
    print(f"\n### The rule (|rho| >= {MIN_ABS_RHO}, >= {MIN_TEST_MONTHS} months, p < 0.05)\n")
    print("| component | rho 2022-23 (n) | rho 2024-26 (n) | p (rotations) | candidate |")
    print("|---|---|---|---|---|")
    for v in history.verdicts:
        print(
            f"| {v.component} | {_num(v.rho_first, 2)} ({v.n_first}) | "
            f"{_num(v.rho_second, 2)} ({v.n_second}) | {_num(v.p_second, 3)} | "
            f"{'yes' if v.candidate else 'no'} |"
        )
    daily = history.daily
    known = daily[[c for c in daily.columns if c not in ("basket", "forward_drawdown")]]
    by_year = known.notna().groupby(pd.DatetimeIndex(known.index).year).mean()
    print("\n### Share of business days with a value, per year\n")
    print("| year | " + " | ".join(by_year.columns) + " |")
    print("|---|" + "---|" * len(by_year.columns))
    for year, row in by_year.iterrows():
        print(f"| {year} | " + " | ".join(f"{v:.2f}" for v in row) + " |")


def _num(value: float, digits: int = 1) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:.{digits}f}"


if __name__ == "__main__":
    main()

"""The century episode table behind `bubble_evidence`: every GSY run-up episode of the
French 49 industries at the thresholds 50%, 100% and 150% (2-year return above it raw and
net of the market), with its peak month, run-up and what followed.

Regenerate (the shipped table is signals/crash/episodes_ff49.json):

    python -m monitor.research.episode_table ../shared/data/ff49_industry_portfolios_1926_2014.csv
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from monitor.sources.french.industries49 import read_french49
from signals.crash.evidence import THRESHOLDS
from signals.crash.gsy import EPISODE_GAP_MONTHS, episodes, run_ups
from signals.crash.outcomes import max_drawdown_ahead
from signals.crash.panel import price_index

TABLE = Path(__file__).resolve().parents[2] / "signals" / "crash" / "episodes_ff49.json"


def episode_rows(path: Path) -> list[dict[str, Any]]:
    panel = read_french49(path)
    r = run_ups(panel, 24, 0.40)
    level = price_index(panel.returns)
    out = []
    # The fall `crashed` is decided on: the largest within 24 months of the flag month.
    falls = {name: max_drawdown_ahead(level[name], 24) for name in level.columns}
    for threshold in THRESHOLDS:
        for e in episodes(r, threshold, five_year=None):
            row = _row(e, level)
            fall = falls[e.series].get(e.start)
            row["fall_24m"] = None if fall is None or np.isnan(fall) else round(float(fall), 3)
            out.append({"threshold": threshold, **row})
    return out


def _row(e: Any, level: pd.DataFrame) -> dict[str, Any]:
    window = pd.DateOffset(months=EPISODE_GAP_MONTHS)
    path = level[e.series].loc[e.start : e.start + window].dropna()
    peak = path.idxmax()
    after = level[e.series].loc[peak : peak + window].dropna()
    fall = float(1 - np.exp(after.min() - after.iloc[0])) if len(after) > 1 else None
    return {
        "industry": e.series,
        "start": f"{e.start:%Y-%m}",
        "peak": f"{peak:%Y-%m}",
        "runup_2y": round(e.runup_2y, 3),
        "net_2y": round(e.net_2y, 3),
        "peak_runup_2y": round(e.peak_runup_2y, 3),
        "crashed": e.crashed,
        "fall_after_peak_24m": None if fall is None else round(fall, 3),
    }


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    rows = episode_rows(Path(argv[0]))
    doc = {"source": Path(argv[0]).name, "crash": "40% drawdown within 24 months", "episodes": rows}
    TABLE.write_text(json.dumps(doc, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {TABLE}: {len(rows)} episodes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

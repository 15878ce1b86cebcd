"""The century episode table behind `bubble_evidence`: every GSY run-up episode of the
French 49 industries at the thresholds 50%, 100% and 150% (2-year return above it raw and
net of the market), with its peak month, run-up and what followed.

Regenerate (the shipped table is signals/crash/episodes_ff49.json), or write it elsewhere
to check its counts without touching the shipped one:

    python -m monitor.research.episode_table ../shared/data/ff49_industry_portfolios_1926_2014.csv
    python -m monitor.research.episode_table ../shared/data/ff49_....csv /tmp/e.json
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
    if len(argv) not in (1, 2):
        print(__doc__, file=sys.stderr)
        return 2
    target = Path(argv[1]) if len(argv) == 2 else TABLE
    rows = episode_rows(Path(argv[0]))
    doc = {"source": Path(argv[0]).name, "crash": "40% drawdown within 24 months", "episodes": rows}
    target.write_text(json.dumps(doc, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {target}: {len(rows)} episodes")
    for line in count_lines(rows):
        print(line)
    return 0


def count_lines(rows: list[dict[str, Any]]) -> list[str]:
    """Per threshold, the crashed share of the episodes with a known outcome."""
    lines = []
    for threshold in THRESHOLDS:
        at = [r for r in rows if r["threshold"] == threshold]
        known = [r for r in at if r["crashed"] is not None]
        crashed = sum(r["crashed"] is True for r in known)
        unknown = len(at) - len(known)
        lines.append(
            f"{threshold:.0%}: {crashed} of {len(known)} crashed"
            + (f" ({unknown} outcome unknown)" if unknown else "")
        )
    return lines


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

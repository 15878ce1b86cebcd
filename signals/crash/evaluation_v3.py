"""v3 additions to the `evaluate-index` document: the ranking within a date, calibration
per model and per unit, a year-block bootstrap of the Brier improvement over the best
baseline, episode counts and a leave-one-episode-out check.

Market-wide episodes: a date is market-wide when at least half of the evaluated units are
followed by a crash; an episode is a run of such dates, runs closer than the horizon being
one episode. Leave-one-episode-out drops the rows dated from `horizon` months before an
episode to its end (the forecasts whose outcome window touches it) and re-scores the rest.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from signals.crash.dataset import LABEL
from signals.crash.metrics import auc, brier
from signals.crash.scoring import (
    bootstrap_improvement,
    by_unit,
    calibration_summary,
    within_date_auc,
)

MARKET_WIDE_SHARE = 0.5


def model_extras(known: pd.DataFrame, name: str) -> dict[str, Any]:
    """within_date_auc, mean_probability, realized_rate, calibration_slope of one column."""
    if name not in known or not len(known):
        return {}
    y = known[LABEL].to_numpy(dtype=np.float64)
    p = known[name].to_numpy(dtype=np.float64)
    dates = known.index.get_level_values("date").to_numpy()
    value = within_date_auc(dates, y, p)
    summary = calibration_summary(y, p)
    return {
        "within_date_auc": None if value is None else round(value, 4),
        "mean_probability": summary["mean_probability"],
        "realized_rate": summary["realized_rate"],
        "calibration_slope": summary["calibration_slope"],
    }


def best_baseline(known: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    y = known[LABEL].to_numpy(dtype=np.float64)
    present = [n for n in names if n != "model" and n in known]
    if not present or not len(known):
        return None
    return min(present, key=lambda n: brier(y, known[n].to_numpy(dtype=np.float64)))


def bootstrap(known: pd.DataFrame, names: tuple[str, ...]) -> dict[str, Any] | None:
    """90% year-block interval of Brier(best baseline) - Brier(model)."""
    best = best_baseline(known, names)
    if best is None:
        return None
    years = pd.DatetimeIndex(known.index.get_level_values("date")).year.to_numpy()
    result = bootstrap_improvement(
        years,
        known[LABEL].to_numpy(dtype=np.float64),
        known["model"].to_numpy(dtype=np.float64),
        known[best].to_numpy(dtype=np.float64),
    )
    return None if result is None else {"baseline": best, **result}


def market_wide_episodes(known: pd.DataFrame, horizon_months: int) -> list[dict[str, Any]]:
    share = known[LABEL].groupby(level="date").mean()
    wide = share.index[share >= MARKET_WIDE_SHARE]
    episodes: list[list[pd.Timestamp]] = []
    for day in pd.DatetimeIndex(wide):
        if episodes and day <= episodes[-1][1] + pd.DateOffset(months=horizon_months):
            episodes[-1][1] = day
        else:
            episodes.append([day, day])
    return [{"start": f"{s:%Y-%m-%d}", "end": f"{e:%Y-%m-%d}"} for s, e in episodes]


def episode_counts(known: pd.DataFrame, runup_episodes: int, horizon_months: int) -> dict[str, Any]:
    wide = market_wide_episodes(known, horizon_months)
    dates = pd.DatetimeIndex(known.index.get_level_values("date"))
    inside = np.zeros(len(known), dtype=bool)
    for e in wide:
        inside |= (dates >= pd.Timestamp(e["start"])) & (dates <= pd.Timestamp(e["end"]))
    events = known[LABEL].to_numpy() == 1
    return {
        "runup_episodes": runup_episodes,
        "market_wide_episodes": len(wide),
        "market_wide": wide,
        "events": int(events.sum()),
        "events_in_market_wide_episodes": int((events & inside).sum()),
    }


def leave_one_episode_out(
    known: pd.DataFrame, episodes: list[dict[str, Any]], horizon_months: int
) -> list[dict[str, Any]]:
    dates = pd.DatetimeIndex(known.index.get_level_values("date"))
    out = []
    for e in episodes:
        first = pd.Timestamp(e["start"]) - pd.DateOffset(months=horizon_months)
        keep = ~((dates >= first) & (dates <= pd.Timestamp(e["end"])))
        rest = known.loc[keep]
        y = rest[LABEL].to_numpy(dtype=np.float64)
        p = rest["model"].to_numpy(dtype=np.float64)
        reference = brier(y, rest["base_rate"].to_numpy(dtype=np.float64)) if len(y) else 0.0
        value = auc(y, p) if len(y) else None
        out.append(
            {
                "left_out": f"{e['start']} .. {e['end']}",
                "n": len(rest),
                "auc": None if value is None else round(value, 4),
                "brier_skill": round(1 - brier(y, p) / reference, 4) if reference > 0 else None,
            }
        )
    return out


def extend(
    doc: dict[str, Any],
    known: pd.DataFrame,
    *,
    names: tuple[str, ...],
    mode: str,
    horizon_months: int,
) -> dict[str, Any]:
    """`doc` (the v2 report over `known`) with the v3 keys added; no v2 key changes."""
    doc["mode"] = mode
    for name in names:
        doc["models"].setdefault(name, {}).update(model_extras(known, name))
    doc["by_unit"] = by_unit(known, LABEL) if len(known) else {}
    doc["brier_improvement"] = bootstrap(known, names) if len(known) else None
    runups = len(doc.get("episodes", []))
    counts: dict[str, Any] = (
        episode_counts(known, runups, horizon_months)
        if len(known)
        else {"runup_episodes": runups, "market_wide_episodes": 0, "market_wide": []}
    )
    doc["episode_counts"] = counts
    wide: list[dict[str, Any]] = counts["market_wide"]
    doc["leave_one_episode_out"] = leave_one_episode_out(known, wide, horizon_months)
    return doc

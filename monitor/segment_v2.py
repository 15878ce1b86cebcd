"""Index v2 for every segment: the fitted crash model on the segment's own basket.

The same pure function as the headline reading (signals.crash.reading.crash_reading) runs
on each segment's tickers, so each segment gets its probability, base rate, froth and
stress. The model was fitted on run-ups net of the market, so the market (SPY) is the
benchmark of the probability for every segment; a segment's own benchmark (XBI for drug
discovery) stays the context of its `runup_net`. A segment with under a year of prices
keeps its v1 reading and says why.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pandas as pd

from monitor.crash_live import BENCHMARK, CREDIT, LIVE_HORIZON_MONTHS, from_crash
from monitor.crash_model import load_model
from signals.crash.model import CrashModel
from signals.crash.reading import NotEnoughHistoryError, crash_reading
from signals.models import IndexReading, Signal
from signals.segments import SegmentSpec, Upgrade


def v2_upgrade(now: datetime, model: CrashModel | None = None) -> Upgrade:
    """The upgrade that turns a segment's v1 reading into its v2 reading as of `now`."""
    fitted = model or load_model(LIVE_HORIZON_MONTHS)

    def upgrade(v1: IndexReading, closes: pd.DataFrame, spec: SegmentSpec) -> IndexReading:
        basket = [t for t in spec.tickers if t in closes and closes[t].notna().any()]
        if not basket:
            return v1
        news = [
            Signal(c.name, c.kind, c.value, c.detail, c.coverage)
            for c in v1.components
            if c.kind == "news"
        ]
        try:
            crash = crash_reading(
                closes[basket],
                benchmark=closes.get(BENCHMARK),
                news=news,
                model=fitted,
                now=now,
                extras=closes[list(CREDIT)] if all(t in closes for t in CREDIT) else None,
                name=spec.name,
            )
        except NotEnoughHistoryError as e:
            return replace(v1, notes=(*v1.notes, f"index v2 not available: {e}; v1 index shown"))
        return from_crash(crash, v1, None, fitted)

    return upgrade

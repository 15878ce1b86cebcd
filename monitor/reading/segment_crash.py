"""Index v2 for every segment: the fitted crash model on the segment's own basket.

The same function as the headline reading (monitor.reading.crash, over the pure
signals.crash.reading) runs on each segment's tickers, so each segment gets its
probability, base rate, froth and stress. The model was fitted on run-ups net of the
market, so the market (SPY) is the benchmark of the probability for every segment; a
segment's own benchmark (XBI for drug discovery) stays the context of its `runup_net`.
A segment with under a year of prices keeps its v1 reading and a note says why.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from monitor.reading.crash import basket_v2_reading
from signals.crash.model import CrashModel
from signals.models import IndexReading
from signals.segments import SegmentSpec, Upgrade


def v2_upgrade(now: datetime, model: CrashModel) -> Upgrade:
    """The upgrade that turns a segment's v1 reading into its v2 reading as of `now`, with
    the live crash model (`index.model`), the same as the headline reading's."""

    def upgrade(v1: IndexReading, closes: pd.DataFrame, spec: SegmentSpec) -> IndexReading:
        # The change is the segment's own (signals.segments), hence no previous here.
        return basket_v2_reading(
            v1, closes, spec.tickers, now=now, previous=None, model=model, name=spec.name
        )

    return upgrade

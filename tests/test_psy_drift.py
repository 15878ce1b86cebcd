"""PSY explosiveness on trending stocks: with critical values simulated under drift 1/T, a
no-bubble stock drifting 30% a year read explosive on far more than 5% of days. The null
now matches each series' own trailing drift.

Tolerance rule (fixed before measuring): on simulated no-bubble baskets the share of
tested days whose BSADF exceeds its 95% critical value must lie within 5% +/- 2.5 points
(half the nominal level). A basket is 24 geometric random walks of 1,000 sessions; three
seeded baskets are pooled. Volatility 35% a year (a typical AI stock) was chosen first; at
35% the old null's excess turned out mild (6.5%), so 20% (a calmer large cap, where the
old null reads 10.9%) was added after that measurement. The new null reads 3.2-4.5%:
inside the band, slightly conservative (see docs/reliability.md).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from signals.market_explosive import ExplosiveSettings, ticker_bsadf

pytestmark = pytest.mark.slow

SESSIONS, SERIES, SEEDS = 1000, 24, (11, 12, 13)
NOMINAL, TOLERANCE = 0.05, 0.025


def no_bubble_basket(annual_drift: float, vol: float, seed: int) -> list[pd.Series]:
    rng = np.random.default_rng(seed)
    days = pd.bdate_range("2018-01-01", periods=SESSIONS)
    sigma = vol / np.sqrt(252)
    mu = np.log1p(annual_drift) / 252
    out = []
    for _ in range(SERIES):
        steps = rng.normal(mu, sigma, SESSIONS)
        out.append(pd.Series(100 * np.exp(np.cumsum(steps)), index=days))
    return out


def false_explosive_share(annual_drift: float, vol: float, settings: ExplosiveSettings) -> float:
    """Share of tested days above the 95% cv, pooled over the seeded baskets."""
    above = tested = 0
    baskets = [no_bubble_basket(annual_drift, vol, seed) for seed in SEEDS]
    for prices in (p for basket in baskets for p in basket):
        stat = ticker_bsadf(prices, settings)
        above += int((stat["bsadf"] > stat["cv95"]).sum())
        tested += len(stat)
    return above / tested


@pytest.mark.parametrize(("annual_drift", "vol"), [(0.0, 0.35), (0.30, 0.35), (0.30, 0.20)])
def test_no_bubble_baskets_read_explosive_near_the_nominal_5_percent(
    annual_drift: float, vol: float
) -> None:
    share = false_explosive_share(annual_drift, vol, ExplosiveSettings())
    print(f"drift {annual_drift:.0%}/yr, vol {vol:.0%}: {share:.1%} of days above the 95% cv")
    assert abs(share - NOMINAL) <= TOLERANCE, share


def test_the_drift_1_over_t_null_overstates_a_trending_stock() -> None:
    # The old null, kept as the documented contrast: outside the band at 30%/yr, 20% vol.
    share = false_explosive_share(0.30, 0.20, ExplosiveSettings(match_drift=False))
    print(f"old null, drift 30%/yr, vol 20%: {share:.1%}")
    assert share > NOMINAL + TOLERANCE, share

"""The PSY test on simulated paths: its critical value, size and power, against rules
fixed before running.

The data-generating process follows Phillips, Shi and Yu (2015, section 5): a random walk
(y0 = 100, sigma = 6.79) with two explosive episodes, y_t = delta_T y_{t-1} + e_t with
delta_T = 1 + T^-0.6, the first from 0.2T for 0.2T observations, the second from 0.6T
for 0.1T; each collapses back to the level it started from. The rules:

- size: GSADF's rejection rate on bubble-free paths lies in the 99% binomial interval of
  the nominal 5%;
- power: the lower end of the 99% interval of GSADF's rejection rate on two-bubble paths
  is above the upper end of the size interval;
- PSY's claim against PWY: GSADF rejects at least as often as SADF on two-bubble paths.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binom

from signals.psy import critical_values, psy_min_window
from signals.psy_mc import simulate_null
from signals.psy_windows import window_stats

pytestmark = pytest.mark.slow

T = 200
PATHS = 200
LEVEL = 0.05


def _paths(rng: np.random.Generator, bubbles: bool) -> np.ndarray:
    delta = 1.0 + T**-0.6
    y = np.empty((PATHS, T))
    y[:, 0] = 100.0
    noise = rng.normal(0.0, 6.79, size=(PATHS, T))
    episodes = [(int(0.2 * T), int(0.2 * T)), (int(0.6 * T), int(0.1 * T))] if bubbles else []
    explosive = np.zeros(T, dtype=bool)
    collapse = {}
    for start, length in episodes:
        explosive[start : start + length] = True
        collapse[start + length] = start
    for t in range(1, T):
        if explosive[t]:
            y[:, t] = delta * y[:, t - 1] + noise[:, t]
        elif t in collapse:
            y[:, t] = y[:, collapse[t]] + noise[:, t]
        else:
            y[:, t] = y[:, t - 1] + noise[:, t]
    return y


def _interval(hits: int) -> tuple[float, float]:
    low, high = binom.interval(0.99, PATHS, hits / PATHS)
    return low / PATHS, high / PATHS


def test_gsadf_keeps_its_size_and_has_power_against_two_bubbles() -> None:
    rng = np.random.default_rng(20151)
    window = psy_min_window(T)
    cv = critical_values(T, window, reps=500, seed=2015)
    null = window_stats(_paths(rng, bubbles=False), window)
    two = window_stats(_paths(rng, bubbles=True), window)

    size = int((null.bsadf.max(axis=1) > cv.gsadf[1]).sum())
    low, high = binom.interval(0.99, PATHS, LEVEL)
    assert low <= size <= high, f"GSADF size {size / PATHS:.3f} outside [{low}, {high}]/{PATHS}"

    gsadf_hits = int((two.bsadf.max(axis=1) > cv.gsadf[1]).sum())
    sadf_hits = int((np.nanmax(two.badf, axis=1) > cv.sadf[1]).sum())
    rates = (size / PATHS, gsadf_hits / PATHS, sadf_hits / PATHS)
    print("\nsize {:.3f}; power GSADF {:.3f}, SADF {:.3f}".format(*rates))
    assert _interval(gsadf_hits)[0] > high / PATHS
    assert gsadf_hits >= sadf_hits


def test_our_null_distribution_reproduces_the_papers_critical_value() -> None:
    """PSY simulate the 95% GSADF critical value for T = 1680, smallest window 36, as 2.73
    (2,000 replications). Rule: 2.73 lies in the distribution-free 99% confidence interval
    of the 95% quantile of our own 400 replications (order statistics X_(l) .. X_(u) with l,
    u from Binomial(400, 0.95)); no band chosen by hand."""
    from scipy.stats import binom

    reps = 400
    gsadf = np.sort(window_stats(simulate_null(1680, reps, seed=2015), 36).bsadf.max(axis=1))
    low, high = (int(k) for k in binom.interval(0.99, reps, 0.95))
    print(
        f"\n95% GSADF quantile {np.quantile(gsadf, 0.95):.3f}, 99% interval "
        f"[{gsadf[low - 1]:.3f}, {gsadf[high]:.3f}] (order statistics {low}..{high + 1})"
    )
    assert gsadf[low - 1] <= 2.73 <= gsadf[high]

"""The PSY engine on the paper's own data: Shiller's S&P 500 price-dividend ratio."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from signals.psy import psy_test

pytestmark = pytest.mark.validation


def _shiller(folder: Path) -> tuple[list[str], np.ndarray]:
    with (folder / "shiller_sp500_pd_1871_2011.csv").open(newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["month"] <= "2010-12"]
    return [r["month"] for r in rows], np.array([float(r["Ratio"]) for r in rows])


def test_gsadf_and_dot_com_episode_match_phillips_shi_yu(shared_data: Path) -> None:
    months, ratio = _shiller(shared_data)
    assert len(ratio) == 1680
    test = psy_test(ratio, min_window=36, lag=0, reps=100, seed=2015)
    assert test.result.T == 1680 and test.result.offset == 36
    # PSY (2015), Table 8: GSADF = 4.21 on this series (T = 1680, smallest window 36).
    assert test.result.gsadf == pytest.approx(4.21, abs=0.01)
    assert test.result.gsadf > test.cv.gsadf[2]
    dot_com = [
        e
        for e in test.episodes
        if months[e.start] <= "1997-01" and (e.end is None or months[e.end] >= "2000-12")
    ]
    assert dot_com, [(months[e.start], e.end and months[e.end]) for e in test.episodes]
    assert "1999-06" <= months[dot_com[0].peak] <= "2000-12"

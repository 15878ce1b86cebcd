"""The pure numbers of the news history (signals.news_history) and the stratified sample
rule (monitor.research.news_sample), on small series built here."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from monitor.research.news_sample import stratified_sample
from signals.news_history import (
    forward_drawdown,
    lead_lag,
    month_ends,
    rotation_p_value,
    spearman,
    verdict,
)


def test_forward_drawdown_is_the_worst_fall_ahead() -> None:
    level = pd.Series([100.0, 110.0, 99.0, 120.0, 60.0, 70.0])
    dd = forward_drawdown(level, days=2)
    # From day 0: path 100, 110, 99 -> worst fall 110 -> 99 = 10%.
    assert dd.iloc[0] == pytest.approx(0.1)
    assert dd.iloc[1] == pytest.approx(0.1)  # 110, 99, 120
    assert dd.iloc[2] == pytest.approx(0.5)  # 99, 120, 60
    assert dd.iloc[3] == pytest.approx(0.5)  # 120, 60, 70
    assert dd.iloc[4:].isna().all()  # not enough future: unknown, not zero


def test_rising_path_has_no_drawdown() -> None:
    assert forward_drawdown(pd.Series(np.arange(1.0, 10.0)), days=3).dropna().eq(0).all()


def test_month_ends_keep_the_last_row_of_each_month() -> None:
    days = pd.bdate_range("2024-01-25", "2024-03-05")
    frame = pd.DataFrame({"x": range(len(days))}, index=days)
    ends = month_ends(frame)
    assert list(ends.index.strftime("%Y-%m-%d")) == ["2024-01-31", "2024-02-29", "2024-03-05"]


def test_spearman_needs_enough_pairs() -> None:
    a = pd.Series(range(20), dtype=float)
    assert spearman(a, a**3) == (pytest.approx(1.0), 20)
    rho, n = spearman(a.iloc[:5], a.iloc[:5])
    assert np.isnan(rho) and n == 5


def test_lead_lag_finds_a_planted_lead() -> None:
    months = pd.date_range("2022-01-31", periods=48, freq="ME")
    rng = np.random.default_rng(1)
    news = pd.Series(rng.normal(size=48), index=months)
    target = news.shift(3)  # the target follows the news by three months
    table = lead_lag(news.to_frame("bubble_warning"), target, shifts=(-3, 0, 3))
    rho = dict(zip(table["shift"], table["rho"], strict=True))
    assert rho[-3] == pytest.approx(1.0) and abs(rho[0]) < 0.5 and abs(rho[3]) < 0.5
    assert set(table["n"]) == {42, 45}


def test_rotation_test_and_the_rule() -> None:
    months = pd.date_range("2022-01-31", periods=50, freq="ME")
    rng = np.random.default_rng(7)
    target = pd.Series(rng.normal(size=50), index=months)
    strong = target + rng.normal(scale=0.3, size=50)
    noise = pd.Series(rng.normal(size=50), index=months)
    rho, p, n = rotation_p_value(strong, target)
    assert rho > 0.8 and p < 0.05 and n == 50
    split = pd.Timestamp("2024-01-01")
    assert verdict("capex_debt", strong, target, split).candidate
    assert not verdict("capex_debt", noise, target, split).candidate
    # The right sign in the second half only is not enough.
    flipped = strong.where(strong.index >= split, -strong)
    assert not verdict("capex_debt", flipped, target, split).candidate


def test_stratified_sample_keeps_every_nth_row_per_collection_and_month(tmp_path: Path) -> None:
    rows = [{"date": "2023-01-05", "collection": "a", "title": f"a{i}"} for i in range(7)]
    rows += [{"date": "2023-01-06", "collection": "b", "title": f"b{i}"} for i in range(2)]
    rows += [{"date": "2023-02-01", "collection": "a", "title": f"f{i}"} for i in range(4)]
    source = tmp_path / "all.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in rows) + "\n{broken\n")
    out = tmp_path / "sample.jsonl"
    assert stratified_sample(source, out, every=3) == 3 + 1 + 2 + 1
    lines = out.read_text().splitlines()
    assert [json.loads(x)["title"] for x in lines[:-1]] == ["a0", "a3", "a6", "b0", "f0", "f3"]
    assert lines[-1] == "{broken"  # kept: the import names and rejects it
    with pytest.raises(ValueError, match="at least 1"):
        stratified_sample(source, out, every=0)

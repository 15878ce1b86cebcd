"""Index v3's pure parts: within-date AUC, calibration slope, the tolerances, Wilson
intervals and counts in words, bubble evidence and analogs, relative fragility, the
pre-registered regimes, the reference tables and the fitting mixes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from monitor.present.segments import analog_text
from signals.crash.evidence import bubble_evidence, count_words, flag_line, followed, wilson
from signals.crash.reference import (
    industry_percentile,
    kind_base_rate,
    probability_interval,
    reference_table,
)
from signals.crash.regimes import regime_v3
from signals.crash.relative import Unit, relative_doc
from signals.crash.scoring import calibration_slope, mean_within, within_date_auc
from signals.crash.units import with_mixes

TABLE = [
    {"threshold": 0.5, "industry": "Steel", "start": "1950-01", "peak": "1951-02",
     "runup_2y": 0.6, "net_2y": 0.55, "peak_runup_2y": 0.8, "crashed": False,
     "fall_after_peak_24m": 0.2},
    {"threshold": 1.0, "industry": "Chips", "start": "1998-06", "peak": "2000-03",
     "runup_2y": 1.1, "net_2y": 1.05, "peak_runup_2y": 3.0, "crashed": True,
     "fall_after_peak_24m": 0.8},
    {"threshold": 1.0, "industry": "Gold", "start": "1979-01", "peak": "1980-09",
     "runup_2y": 1.9, "net_2y": 1.8, "peak_runup_2y": 2.5, "crashed": True,
     "fall_after_peak_24m": 0.7},
    {"threshold": 1.0, "industry": "Softw", "start": "1979-06", "peak": "1980-08",
     "runup_2y": 1.2, "net_2y": 1.1, "peak_runup_2y": 1.4, "crashed": False,
     "fall_after_peak_24m": 0.1},
    {"threshold": 1.0, "industry": "Oil", "start": "2005-01", "peak": "2008-06",
     "runup_2y": 1.05, "net_2y": 1.02, "peak_runup_2y": 1.3, "crashed": None,
     "fall_after_peak_24m": None},
]  # fmt: skip


def test_within_date_auc_counts_only_pairs_of_the_same_date() -> None:
    dates = np.array(["d1"] * 3 + ["d2"] * 3)
    y = np.array([1, 0, 0, 1, 0, 0], dtype=float)
    # Day 2's scores are all lower than day 1's: a pooled AUC would mix the days.
    score = np.array([0.9, 0.8, 0.1, 0.05, 0.01, 0.02])
    assert within_date_auc(dates, y, score) == pytest.approx(1.0)
    assert within_date_auc(dates, y, -score) == pytest.approx(0.0)
    assert within_date_auc(np.array(["d"] * 2), np.array([0.0, 0.0]), np.ones(2)) is None


def test_calibration_slope_is_one_for_a_calibrated_forecast() -> None:
    rng = np.random.default_rng(0)
    p = rng.uniform(0.02, 0.6, 40_000)
    y = (rng.uniform(size=p.size) < p).astype(float)
    assert calibration_slope(y, p) == pytest.approx(1.0, abs=0.06)
    # Too extreme a forecast (log-odds doubled) has a slope near one half.
    logit = np.log(p / (1 - p))
    assert calibration_slope(y, 1 / (1 + np.exp(-2 * logit))) == pytest.approx(0.5, abs=0.05)


def test_mean_tolerance_is_3_points_or_30_percent_whichever_is_larger() -> None:
    assert mean_within(0.11, 0.081) and not mean_within(0.12, 0.081)
    assert mean_within(0.38, 0.30) and not mean_within(0.40, 0.30)


def test_wilson_interval_and_counts_in_words() -> None:
    low, high = wilson(21, 40) or (0, 0)
    assert (round(low, 3), round(high, 3)) == (0.375, 0.671)
    assert wilson(0, 0) is None
    assert count_words(12) == "twelve" and count_words(19) == "nineteen"
    assert count_words(20) == "20" and count_words(0) == "no"


def test_bubble_evidence_uses_the_highest_threshold_cleared_raw_and_net() -> None:
    doc = bubble_evidence(1.3, 1.15, TABLE)
    assert doc["flag"] is True and doc["threshold"] == 1.0
    # Unknown outcomes (Oil, still inside its two years) are not counted.
    assert (doc["episodes"], doc["crashed"]) == (3, 2)
    low, high = doc["interval"]
    assert low < 2 / 3 < high
    assert [a["industry"] for a in doc["analogs"]] == ["Softw", "Chips", "Gold"]
    assert doc["analogs"][1]["followed"] == "fell 80% after the peak"
    assert "two of three past industry run-ups above 100%" in doc["text"]


def test_analog_says_the_fall_its_crash_verdict_is_decided_on() -> None:
    """`crashed` counts the largest fall within two years of the flag month; a larger fall
    after a later peak must not read as a crash the verdict denies (Toys, flagged 1939-10)."""
    toys = {"industry": "Toys", "start": "1939-10", "peak": "1940-03", "crashed": False,
            "fall_24m": 0.321, "fall_after_peak_24m": 0.435}  # fmt: skip
    assert followed(toys) == (
        "no crash: fell 32% at most within 2 years of the flag, 44% in the 2 years after the peak"
    )
    # The line names the flag month (and the run-up there) and the peak month.
    assert analog_text({**toys, "runup_2y": 1.771, "followed": followed(toys)}) == (
        "Toys, flagged 1939-10 at a 2-year run-up of +177%, peak 1940-03: no crash: fell 32% at "
        "most within 2 years of the flag, 44% in the 2 years after the peak"
    )
    chips = {**toys, "start": "1966-04", "peak": "1966-04", "crashed": True,
             "fall_24m": 0.462, "fall_after_peak_24m": 0.462}  # fmt: skip
    assert followed(chips) == "crashed: fell 46% at most within 2 years of the flag"
    table = [{**e, "fall_24m": 0.5 if e["crashed"] else 0.2} for e in TABLE]
    doc = bubble_evidence(1.3, 1.15, table)
    assert [(a["start"], a["fall_24m"]) for a in doc["analogs"]] == [
        ("1979-06", 0.2),
        ("1998-06", 0.5),
        ("1979-01", 0.5),
    ]


def test_the_flag_line_names_flagged_units_with_their_history() -> None:
    name = {"basket": "the basket", "llm": "LLM", "market": "market"}
    basket = bubble_evidence(0.75, 0.17, TABLE)
    llm = bubble_evidence(1.3, 1.15, TABLE)
    market = bubble_evidence(0.3, 0.0, TABLE)
    doc = {**basket, "segments": {"llm": llm, "market": market}}
    assert flag_line(doc, name) == (
        "GSY bubble flag on LLM (two of three past industry run-ups like it crashed within "
        "two years; 95% interval 21%-94%); off for the basket, market"
    )
    calm = {**basket, "segments": {"market": market}}
    assert flag_line(calm, name) == (
        "GSY bubble flag off for the basket, market (2-year run-up above 100% raw and net of "
        "the market)"
    )
    # Less than two years of prices: the unit is left out; none at all: no line.
    young = bubble_evidence(None, None, TABLE)
    assert flag_line({**young, "segments": {"llm": llm}}, {}).startswith("GSY bubble flag on llm")
    assert flag_line(young, {}) is None
    # A flag with no past episode of known outcome says so, never "no of no".
    lonely = {**llm, "episodes": 0, "crashed": 0, "interval": None}
    assert flag_line(lonely, {}) == (
        "GSY bubble flag on basket (no past industry run-up like it with a known outcome)"
    )


def test_bubble_evidence_without_a_run_up_says_why() -> None:
    small = bubble_evidence(0.75, 0.17, TABLE)
    assert small["flag"] is False and small["episodes"] == 0 and small["analogs"] == []
    assert "+75%" in small["text"] and "+17% net" in small["text"]
    assert bubble_evidence(None, None, TABLE)["text"].startswith("no 2-year run-up yet")
    # Raw above 100% but not net of the market: no GSY flag.
    assert bubble_evidence(1.2, 0.6, TABLE)["flag"] is False


@pytest.mark.parametrize(
    ("p", "flag", "drawdown", "expected"),
    [
        (0.05, True, 0.3, "calm"),
        (0.10, False, None, "warming"),
        (0.14, True, 0.5, "warming"),
        (0.16, False, 0.02, "frothy"),
        (0.16, True, 0.02, "bubble"),
        (0.30, True, 0.12, "bursting"),
    ],
)
def test_regime_v3_follows_the_probability_against_its_base_rate(
    p: float, flag: bool, drawdown: float | None, expected: str
) -> None:
    assert regime_v3(p, 0.10, flag=flag, drawdown=drawdown) == expected


def test_a_regime_never_contradicts_the_probability() -> None:
    order = {"calm": 0, "warming": 1, "frothy": 2, "bubble": 2, "bursting": 2}
    grid = np.linspace(0.0, 0.5, 51)
    for flag in (False, True):
        for dd in (None, 0.0, 0.2):
            levels = [order[regime_v3(float(p), 0.1, flag=flag, drawdown=dd)] for p in grid]
            assert levels == sorted(levels)


def _reference() -> dict[str, object]:
    rng = np.random.default_rng(2)
    n = 6000
    volatility = rng.uniform(0.1, 0.5, n)
    probability = np.clip(volatility - 0.05, 0.01, 0.9)
    y = (rng.uniform(size=n) < probability).astype(float)
    dates = pd.date_range("1950-01-31", periods=n // 10, freq="ME").repeat(10).to_numpy()
    series = np.tile(
        np.array(["ff10:A", "ff10:B", "ff10:all", "ff10:mix2-00"] + ["x"] * 6), n // 10
    )
    return reference_table(
        probability=probability,
        volatility=volatility,
        y=y,
        dates=dates,
        industry=np.asarray(~np.char.startswith(series.astype(str), "ff10:all"), dtype=bool),
        market=np.asarray(series == "ff10:all", dtype=bool),
    )


def test_reference_base_rate_rises_with_the_unit_volatility() -> None:
    ref = _reference()
    calm, wild = kind_base_rate(ref, 0.12), kind_base_rate(ref, 0.48)
    assert calm is not None and wild is not None
    assert calm["rate"] < wild["rate"] and calm["low"] <= calm["rate"] <= calm["high"]
    low, high = probability_interval(ref, 0.4) or (0, 0)
    assert low < high
    assert industry_percentile(ref, 0.0) == 0.0 and industry_percentile(ref, 1.0) == 100.0
    assert kind_base_rate(None, 0.2) is None


def test_relative_ranks_units_and_leads_with_the_most_fragile() -> None:
    ref = _reference()
    units = [Unit("market", 0.08, 0.15), Unit("llm", 0.4, 0.45), Unit("applied_ai", 0.2, 0.3)]
    basket = Unit("basket", 0.3, 0.35)
    doc = relative_doc(units, ref, target="20% drawdown within 6 months", basket=basket)
    assert doc["basket"]["rank"] is None and doc["basket"]["more_fragile_than_segments"] == 0.667
    assert doc["basket"]["base_rate"] is not None and len(doc["basket"]["interval"]) == 2
    assert [u["name"] for u in doc["units"]] == ["llm", "applied_ai", "market"]
    assert doc["units"][0]["more_fragile_than_segments"] == 1.0
    assert doc["units"][2]["more_fragile_than_segments"] == 0.0
    assert doc["text"].startswith("LLM: more fragile than ")
    assert "% of industries; applied AI " in doc["text"]
    assert doc["market_wide"]["base_rate"] > 0 and len(doc["market_wide"]["range"]) == 2


def test_mixes_are_equal_weighted_and_start_with_all_their_members() -> None:
    days = pd.bdate_range("2000-01-03", periods=5)
    returns = pd.DataFrame(
        {
            "A": [0.01, 0.02, 0.0, 0.0, 0.0],
            "B": [np.nan, 0.0, 0.02, 0.0, 0.0],
            "C": [0.0] * 5,
        },
        index=days,
    )
    mixed = with_mixes(returns, "f", sizes=(2,), per_size=3)
    assert {"f:A", "f:B", "f:C", "f:all", "f:mix2-00", "f:mix2-02"} <= set(mixed.columns)
    assert mixed["f:all"].iloc[0] == pytest.approx(0.005)
    with_b = [c for c in mixed if c.startswith("f:mix") and mixed[c].isna().iloc[0]]
    assert with_b, "a mix holding B starts on B's first day"

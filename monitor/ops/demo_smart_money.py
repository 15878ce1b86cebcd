"""The demo's SIMULATED smart money: short interest, two 13F filings and a model-mix series.

Short interest rises over the scenario's last three months (the smart money turning as
the planted bubble tops out); two fictional funds file 13Fs for the last quarter, one
with puts on the leaders, one long; the share of LLMs among new Hub models drifts down
over a year. The fund names are invented on purpose: simulated positions are never
attributed to a real manager.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np

from monitor.store import Store
from monitor.store.filings import save_filing
from monitor.store.model_mix import save_week
from monitor.store.positioning import upsert_short_interest
from signals.model_mix import WeekMix, week_start
from signals.positioning import ShortInterest
from signals.thirteenf import Filing, Holding

SETTLEMENTS = 24  # a year of twice-monthly settlement dates
MODEL_WEEKS = 56
_PERIOD = date(2026, 6, 30)
_FILED = date(2026, 8, 14)


def seed_smart_money(store: Store, tickers: tuple[str, ...], now: datetime, seed: int) -> None:
    rng = np.random.default_rng(seed + 13)
    with store.transaction():
        upsert_short_interest(store, _short_interest(rng, tickers, now.date()), fetched_at=now)
        for filing, holdings in _filings():
            save_filing(store, filing, holdings, value_multiplier=1, fetched_at=now)
        for week in _model_weeks(rng, now.date()):
            save_week(store, week, fetched_at=now)


def _settlement_dates(end: date) -> list[date]:
    """The 15th and the last day of each month, going back from `end` (as FINRA settles)."""
    out: list[date] = []
    month = date(end.year, end.month, 1)
    while len(out) < SETTLEMENTS + 2:
        last = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        out += [d for d in (last, month.replace(day=15)) if d <= end - timedelta(days=14)]
        month = (month - timedelta(days=1)).replace(day=1)
    return sorted(out)[-SETTLEMENTS:]


def _short_interest(
    rng: np.random.Generator, tickers: tuple[str, ...], end: date
) -> list[ShortInterest]:
    dates = _settlement_dates(end)
    ramp = np.clip((np.arange(len(dates)) - (len(dates) - 7)) / 6, 0, 1)  # last 3 months
    out: list[ShortInterest] = []
    for ticker in tickers:
        base = rng.uniform(0.008, 0.04)
        float_shares = int(rng.uniform(0.5e9, 20e9))
        for i, day in enumerate(dates):
            share = base * (1 + 0.6 * ramp[i] + rng.normal(0, 0.05))
            short = int(share * float_shares)
            out.append(
                ShortInterest(
                    ticker=ticker,
                    settlement=day,
                    shares_short=short,
                    shares_short_prior=None if i == 0 else out[-1].shares_short,
                    percent_of_float=round(float(share), 5),
                    float_shares=float_shares,
                    days_to_cover=round(float(rng.uniform(1.0, 2.0) * (1 + ramp[i])), 2),
                )
            )
    return out


def _filings() -> list[tuple[Filing, list[Holding]]]:
    short = Filing(
        9000001, "Simulated Short Capital (demo)", "0009000001-26-000003", "13F-HR", _PERIOD, _FILED
    )
    growth = Filing(
        9000002,
        "Simulated Growth Partners (demo)",
        "0009000002-26-000007",
        "13F-HR",
        _PERIOD,
        _FILED + timedelta(days=1),
    )
    return [
        (
            short,
            [
                Holding(
                    "67066G104", "NVIDIA CORPORATION", "COM", 1_000_000, 186_580_000, "put", "NVDA"
                ),
                Holding(
                    "69608A108",
                    "PALANTIR TECHNOLOGIES INC",
                    "CL A",
                    5_000_000,
                    912_100_000,
                    "put",
                    "PLTR",
                ),
                Holding("023135106", "AMAZON COM INC", "COM", 120_000, 26_350_000, None, "AMZN"),
            ],
        ),
        (
            growth,
            [
                Holding(
                    "67066G104", "NVIDIA CORPORATION", "COM", 2_400_000, 447_790_000, None, "NVDA"
                ),
                Holding("594918104", "MICROSOFT CORP", "COM", 600_000, 310_740_000, None, "MSFT"),
                Holding("11135F101", "BROADCOM INC", "COM", 300_000, 103_800_000, "call", "AVGO"),
            ],
        ),
    ]


def _model_weeks(rng: np.random.Generator, end: date) -> list[WeekMix]:
    last = week_start(end) - timedelta(weeks=1)
    out: list[WeekMix] = []
    for n in range(MODEL_WEEKS):
        start = last - timedelta(weeks=MODEL_WEEKS - 1 - n)
        llm_share = 0.38 - 0.07 * n / (MODEL_WEEKS - 1)
        total = int(rng.uniform(26_000, 32_000))
        shares = {
            "llm": llm_share,
            "image_video": 0.17,
            "biology": 0.04 + 0.03 * n / MODEL_WEEKS,
            "chemistry": 0.015 + 0.01 * n / MODEL_WEEKS,
            "robotics": 0.02 + 0.02 * n / MODEL_WEEKS,
            "time_series": 0.01,
            "audio": 0.05,
        }
        counts = {k: int(total * v) for k, v in shares.items()}
        counts["other"] = total - sum(counts.values())
        out.append(WeekMix(start, counts))
    return out

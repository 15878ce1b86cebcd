"""French's `Average Firm Size` of month t is the size at the END OF MONTH t-1 (the weight
the portfolio's return of month t is value-weighted with). Two consequences checked here on
small files in the published format: the market return of month t is weighted with the
sizes listed in row t (not row t-1), and issuance (equity growth net of return) is zero for
an industry whose equity grows only with its returns."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from monitor.sources.french.industries49 import read_french49
from signals.crash.features import feature_frames


def _write(path: Path, months: list[str], returns: dict[str, list[float]],
           firms: dict[str, list[int]], sizes: dict[str, list[float]]) -> Path:  # fmt: skip
    names = list(returns)

    def section(title: str, table: dict[str, list[float]] | dict[str, list[int]]) -> str:
        rows = [f"  {title}", "," + ",".join(names)]
        for i, month in enumerate(months):
            rows.append(month + "," + ",".join(f"{table[n][i]:.6f}" for n in names))
        return "\n".join(rows) + "\n\n"

    path.write_text(
        "A test file in French's format.\n\n"
        + section("Average Value Weighted Returns -- Monthly", returns)
        + section("Number of Firms in Portfolios", firms)
        + section("Average Firm Size", sizes),
        encoding="utf-8",
    )
    return path


def _months(n: int) -> list[str]:
    return [f"{1926 + (6 + i) // 12}{(6 + i) % 12 + 1:02d}" for i in range(n)]


def test_market_of_month_t_is_weighted_with_the_sizes_listed_in_row_t(tmp_path: Path) -> None:
    # A rises 10% in August, so its size at the end of August (row 192609) is 110.
    path = _write(
        tmp_path / "f.csv",
        _months(3),
        {"A": [0.0, 10.0, 10.0], "B": [0.0, 0.0, 0.0]},
        {"A": [1, 1, 1], "B": [1, 1, 1]},
        {"A": [100.0, 100.0, 110.0], "B": [100.0, 100.0, 100.0]},
    )
    market = read_french49(path).market
    assert market.iloc[1] == pytest.approx(0.05)
    # September: weights 110 and 100 (end of August), not 100 and 100 (end of July).
    assert market.iloc[2] == pytest.approx(110 * 0.10 / 210)


def test_issuance_is_zero_when_equity_grows_only_with_returns(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    returns = list(np.round(rng.normal(1.0, 5.0, 40), 2))
    sizes = [100.0]
    for r in returns[:-1]:  # the size listed in row t is the end of month t-1
        sizes.append(sizes[-1] * (1 + r / 100.0))
    path = _write(
        tmp_path / "f.csv",
        _months(40),
        {"A": returns, "B": [0.0] * 40},
        {"A": [3] * 40, "B": [1] * 40},
        {"A": sizes, "B": [100.0] * 40},
    )
    issuance = feature_frames(read_french49(path))["issuance"]["A"].dropna()
    assert len(issuance) >= 20
    assert np.abs(issuance.to_numpy()).max() < 1e-5

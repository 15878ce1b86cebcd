"""The Kenneth French 49-industry reader, on a small file written in its published format."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from monitor.errors import InputError
from monitor.sources.french.industries49 import read_french49
from tests.conftest import FIXTURES

SMALL = FIXTURES / "french49_small.csv"


def test_reads_value_weighted_monthly_returns_not_equal_weighted_or_annual() -> None:
    panel = read_french49(SMALL)
    assert list(panel.returns.columns) == ["Agric", "Food", "Chips"]
    assert [d.strftime("%Y-%m-%d") for d in panel.returns.index] == [
        "1926-07-31",
        "1926-08-31",
        "1926-09-30",
        "1926-10-31",
    ]
    assert panel.returns.at[panel.returns.index[1], "Agric"] == pytest.approx(0.10)
    assert panel.frequency == "monthly"


def test_minus_99_99_and_minus_999_are_missing_not_returns() -> None:
    panel = read_french49(SMALL)
    assert math.isnan(panel.returns.iloc[0]["Chips"])
    assert math.isnan(panel.returns.iloc[1]["Chips"])
    assert panel.returns.iloc[2]["Chips"] == pytest.approx(0.20)
    assert panel.equity is not None
    assert math.isnan(panel.equity.iloc[0]["Chips"])


def test_market_equity_is_firms_times_average_size() -> None:
    panel = read_french49(SMALL)
    assert panel.equity is not None
    assert panel.equity.iloc[0].tolist()[:2] == [200.0, 200.0]


def test_market_is_cap_weighted_with_previous_month_weights() -> None:
    panel = read_french49(SMALL)
    # 1926-08: weights from 1926-07 (Agric 200, Food 200): (10% + 0%) / 2.
    assert panel.market.iloc[1] == pytest.approx(0.05)
    # 1926-09: Chips has no equity in 1926-08, so it carries no weight yet;
    # weights Agric 2 x 102 = 204, Food 4 x 49.5 = 198.
    expected = (204 * -0.05 + 198 * 0.04) / (204 + 198)
    assert panel.market.iloc[2] == pytest.approx(expected)
    # 1926-10: Chips now weighs 1 x 300.
    w = [2 * 112.2, 4 * 49.5, 300.0]
    r = [0.01, 0.01, -0.10]
    assert panel.market.iloc[3] == pytest.approx(
        sum(a * b for a, b in zip(w, r, strict=True)) / sum(w)
    )
    assert math.isnan(panel.market.iloc[0])


def test_a_short_row_names_the_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    lines = SMALL.read_text().splitlines()
    lines[5] = "192607,   2.00,  -1.00"
    bad.write_text("\n".join(lines))
    with pytest.raises(InputError, match=r"bad\.csv:6: 2 values .* names 3 industries"):
        read_french49(bad)


def test_a_non_number_names_the_industry(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(SMALL.read_text().replace("192608,  10.00", "192608,  ten"))
    with pytest.raises(InputError, match=r"bad\.csv:7: industry Agric: not a number: 'ten'"):
        read_french49(bad)


def test_a_file_without_the_sections_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "prices.csv"
    other.write_text("date,NVDA\n2024-01-02,100\n")
    with pytest.raises(InputError, match="no section 'average value weighted returns"):
        read_french49(other)


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        read_french49(tmp_path / "absent.csv")

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


def test_market_equity_is_firms_times_average_size_at_the_end_of_the_month() -> None:
    panel = read_french49(SMALL)
    assert panel.equity is not None
    # Row 192608 lists the sizes at the end of July (test_french49_alignment.py).
    assert panel.equity.iloc[0].tolist()[:2] == [204.0, 198.0]
    assert math.isnan(panel.equity.iloc[-1]["Agric"])


def test_market_is_cap_weighted_with_the_sizes_at_the_start_of_the_month() -> None:
    panel = read_french49(SMALL)
    assert panel.market.iloc[0] == pytest.approx((200 * 0.02 + 200 * -0.01) / 400)
    assert panel.market.iloc[1] == pytest.approx(204 * 0.10 / 402)
    # 1926-09: Chips is listed with 1 firm of 300 and weighs from its first month.
    w = [2 * 112.2, 4 * 49.5, 300.0]
    r = [-0.05, 0.04, 0.20]
    assert panel.market.iloc[2] == pytest.approx(
        sum(a * b for a, b in zip(w, r, strict=True)) / sum(w)
    )


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

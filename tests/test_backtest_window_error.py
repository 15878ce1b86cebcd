"""A backtest window outside the file names what was asked and what the file holds:
`--start 2030-01-01` said "no trading days between 2030-01-01 and None"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from monitor.config.feeds_yaml import load_config
from monitor.errors import InputError
from monitor.research.backtest.run import BacktestInputs, run
from tests.test_backtest import market_closes, write_prices


def test_a_start_after_the_file_names_the_files_span(tmp_path: Path) -> None:
    prices = write_prices(tmp_path / "p.csv", market_closes(days=300))
    with pytest.raises(InputError) as caught:
        run(BacktestInputs(prices, start=date(2030, 1, 1)), load_config(None))
    message = str(caught.value)
    assert "None" not in message
    assert message == (
        f"{prices}: no trading days from 2030-01-01 (the file has 2020-01-01 to 2021-02-23)"
    )

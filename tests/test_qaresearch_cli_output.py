"""The research commands' table output as a researcher reads it: an 80-column terminal
(a pipe or a default window). A header or a name cut to `brier_…` or `gsy_ru…` no longer
says which column or baseline it is; a date pair printed as a range must be a range."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from monitor.cli.app import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def narrow_console() -> Iterator[None]:
    """The CLI's console at 80 columns (conftest makes it 10,000 wide for every other test)."""
    from rich.console import Console

    from monitor.cli import common

    lazy = vars(common.console)
    saved = lazy["_console"]
    lazy["_console"] = Console(width=80)
    yield
    lazy["_console"] = saved


@pytest.fixture(scope="module")
def prices(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six years of business days: NVDA soars then halves (run-ups and crashes to score)."""
    rng = np.random.default_rng(11)
    days = pd.bdate_range("2015-01-02", periods=252 * 6)
    names = ["NVDA", "MSFT", "AMD", "SPY", "HYG", "LQD"]
    vols = np.array([0.45, 0.25, 0.5, 0.15, 0.06, 0.05]) / np.sqrt(252)
    returns = rng.normal(0.0003, vols, size=(len(days), len(names)))
    returns[600:900, 0] += 0.004
    returns[900:960, 0] -= 0.012
    closes = pd.DataFrame(100 * np.cumprod(1 + returns, axis=0), index=days, columns=names)
    path = tmp_path_factory.mktemp("prices") / "closes.csv"
    closes.rename_axis("date").to_csv(path, float_format="%.4f")
    return path


def _whole_words(output: str, words: list[str]) -> None:
    assert "…" not in output, output
    for word in words:
        assert word in output, f"{word!r} missing from:\n{output}"


def test_walk_forward_tables_fit_80_columns_with_every_name_whole(prices: Path) -> None:
    result = runner.invoke(app, ["evaluate-index", "--prices", str(prices)])
    assert result.exit_code == 0, result.output
    names = ["base_rate", "gsy_runup", "ma_distance", "v1_index", "volatility"]
    _whole_words(result.stdout, [*names, "Brier", "skill", "slope", "crash rate"])
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_frozen_tables_fit_80_columns_and_show_each_units_auc(prices: Path) -> None:
    args = ["evaluate-index", "--prices", str(prices), "--model", "shipped"]
    result = runner.invoke(app, [*args, "--units", "NVDA,SPY,basket"])
    assert result.exit_code == 0, result.output
    _whole_words(result.stdout, ["within", "tolerance", "By unit", "basket"])
    by_unit = result.stdout[result.stdout.index("By unit") :]
    assert "AUC" in by_unit
    assert max(len(line) for line in result.stdout.splitlines()) <= 80

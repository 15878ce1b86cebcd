"""The research commands' table output as a researcher reads it: an 80-column terminal
(a pipe or a default window). A header or a name cut to `brier_…` or `gsy_ru…` no longer
says which column or baseline it is; a date pair printed as a range must be a range."""

from __future__ import annotations

import json
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


def test_spread_names_the_days_of_its_low_and_high_not_a_date_range(tmp_path: Path) -> None:
    """`range -15 .. +314 points (2022-12-27 .. 2025-01-23)` read as the period measured;
    the two dates are the days of the low and of the high."""
    from tests.test_backtest_segment import FEEDS, _prices

    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(FEEDS, encoding="utf-8")
    prices = _prices(tmp_path / "prices.csv", days=700)
    args = ["spread", "--prices", str(prices), "--feeds", str(feeds)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = json.loads(runner.invoke(app, [*args, "--json"]).stdout)["rows"]
    known = [r for r in rows if r["net"] is not None]
    low = min(known, key=lambda r: r["net"])
    high = max(known, key=lambda r: r["net"])
    lines = {line.split()[1]: line for line in result.stdout.splitlines() if line.count("│") == 3}
    assert f"{low['net'] * 100:+.0f} points on {low['date']}" in lines["low"]
    assert f"{high['net'] * 100:+.0f} points on {high['date']}" in lines["high"]


def test_evaluate_confusion_names_every_true_label_at_80_columns() -> None:
    """`evaluate`'s confusion rows read `funding_ro…`, `circular_d…`, `bubble_war…` at 80
    columns: the rows take the columns' short names, so every row says which label it is."""
    from rich.console import Console

    from monitor.cli.cmd_evaluate import _confusion
    from signals.classifier.evaluate import ClassScores, Report
    from signals.labels import LABELS

    scores = {label: ClassScores(1.0, 1.0, 1.0, 100) for label in LABELS}
    confusion = [[1000 if i == j else 10 for j in range(len(LABELS))] for i in range(len(LABELS))]
    report = Report(scores, 1.0, 1.0, confusion, n=7000)
    out = Console(width=80, record=True)
    out.print(_confusion(report, "held-out confusion"))
    text = out.export_text()
    _whole_words(text, ["layoffs", "funding", "circular", "capex", "bubble", "demand", "other"])
    rows = [line.split("│")[1].strip() for line in text.splitlines() if line.startswith("│")]
    assert rows == ["layoffs", "funding", "circular", "capex", "bubble", "demand", "other"]

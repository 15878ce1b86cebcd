"""`backtest --segment NAME`: one segment's tickers, its news and its currency."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.config.feeds_yaml import Config
from monitor.errors import ConfigError, InputError
from monitor.research.backtest.run import BacktestInputs, run
from monitor.research.segment_backtest import select_segment
from signals.models import Headline, HeadlineScore, StoredHeadline

runner = CliRunner()
FEEDS = """\
benchmarks: [SPY]
segments:
  - name: llm
    benchmark: SPY
    aliases: [Vantor]
    tickers: {AAA: GPUs, 9984.T: SoftBank}
  - name: applied_ai
    benchmark: SPY
    aliases: [drug discovery]
    tickers: {BBB: drug discovery}
  - name: market
    news: none
    in_index: false
    tickers: {SPY: S&P 500}
"""


def _prices(path: Path, days: int = 400) -> Path:
    rng = np.random.default_rng(11)
    index = pd.bdate_range("2024-01-01", periods=days)
    yen = 150 * np.exp(np.cumsum(rng.normal(0, 0.004, days)))
    frame = pd.DataFrame(
        {
            "AAA": 100 * np.exp(np.cumsum(rng.normal(0.002, 0.02, days))),
            "BBB": 40 * np.exp(np.cumsum(rng.normal(0.0, 0.02, days))),
            "SPY": 400 * np.exp(np.cumsum(rng.normal(0.0003, 0.01, days))),
            "9984.T": 60 * yen,  # flat in dollars
            "JPY=X": yen,
        },
        index=index,
    )
    frame.index.name = "date"
    frame.to_csv(path, float_format="%.6f")
    return path


@pytest.fixture
def feeds(tmp_path: Path) -> Path:
    path = tmp_path / "feeds.yaml"
    path.write_text(FEEDS, encoding="utf-8")
    return path


def test_segment_backtest_reads_only_its_tickers(tmp_path: Path, feeds: Path) -> None:
    prices = _prices(tmp_path / "prices.csv")
    args = ["backtest", "--prices", str(prices), "--segment", "llm", "--json"]
    args += ["--feeds", str(feeds)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["segment"] == "llm"
    assert payload["basket"] == ["AAA", "9984.T"]
    assert payload["readings"][-1]["index"] is not None


def test_market_segment_weighs_no_news(tmp_path: Path, feeds: Path) -> None:
    from monitor.config.feeds_yaml import load_config

    prices = _prices(tmp_path / "prices.csv")
    run_ = run(BacktestInputs(prices, segment="market"), load_config(feeds))
    assert run_.basket == ("SPY",)
    assert run_.segment == "market"
    assert set(run_.result.components) <= {
        "overextension",
        "explosiveness",
        "concentration",
        "fragility",
        "credit",
    }


def test_yen_listing_is_replayed_in_dollars(tmp_path: Path) -> None:
    """9984.T is flat in dollars while the yen moves: its own segment never moves."""
    prices = _prices(tmp_path / "prices.csv")
    config = Config.model_validate(
        {"segments": [{"name": "tokyo", "news": "none", "tickers": {"9984.T": "SoftBank"}}]}
    )
    run_ = run(BacktestInputs(prices, segment="tokyo"), config)
    assert "JPY=X" not in run_.tickers  # used for the conversion, then dropped
    level = run_.basket_level.dropna()
    assert len(level) == 400
    assert (level - 1.0).abs().max() < 1e-6


def test_unknown_segment_and_missing_tickers_are_clear_errors(tmp_path: Path, feeds: Path) -> None:
    prices = _prices(tmp_path / "prices.csv")
    result = runner.invoke(
        app, ["backtest", "--prices", str(prices), "--segment", "llms", "--feeds", str(feeds)]
    )
    assert result.exit_code != 0
    assert "no segment named 'llms'" in result.output and "llm, applied_ai, market" in result.output
    config = Config.model_validate(
        {"segments": [{"name": "robots", "news": "none", "tickers": {"ZZZ": "robots"}}]}
    )
    with pytest.raises(InputError, match=r"prices\.csv: none of segment robots's tickers"):
        run(BacktestInputs(prices, segment="robots"), config)
    with pytest.raises(ConfigError):
        run(BacktestInputs(prices, segment="nope"), config)


def test_segment_news_is_attributed_by_aliases(feeds: Path) -> None:
    from monitor.config.feeds_yaml import load_config

    when = datetime(2025, 1, 2, tzinfo=UTC)
    score = HeadlineScore("capex_debt", 0.9, {"capex_debt": 0.9}, "t")
    items = [
        StoredHeadline(
            i, Headline(t, f"https://x.invalid/{i}", "X", "f", when - timedelta(i)), i, score
        )
        for i, t in enumerate(["Vantor borrows $5B", "AI drug discovery deal", "Oil rises"], 1)
    ]
    config = load_config(feeds)
    llm = select_segment("llm", config, ["AAA"], items, [], "p.csv")
    assert llm.attributed == 1
    # Every headline stays (the days the feeds were collecting), only the segment's scored.
    assert [h.id for h in llm.headlines] == [1, 2, 3]
    assert [h.score is not None for h in llm.headlines] == [True, False, False]
    market = select_segment("market", config, ["SPY"], items, [], "p.csv")
    assert market.headlines == [] and "layoffs" not in market.weights

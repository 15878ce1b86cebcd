"""`bubble-monitor spread` (from a price file and from the store) and `segments`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.store import Store
from monitor.store.prices import upsert_bars
from signals.models import PriceBar
from tests.test_backtest_segment import FEEDS, _prices

runner = CliRunner()


@pytest.fixture
def feeds(tmp_path: Path) -> Path:
    path = tmp_path / "feeds.yaml"
    path.write_text(FEEDS, encoding="utf-8")
    return path


def test_spread_from_a_price_file(tmp_path: Path, feeds: Path) -> None:
    prices = _prices(tmp_path / "prices.csv", days=700)
    out = tmp_path / "spread.csv"
    args = ["spread", "--prices", str(prices), "--json", "--out", str(out), "--feeds", str(feeds)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert (payload["a"], payload["b"], payload["horizon_days"]) == ("llm", "applied_ai", 504)
    assert payload["tickers_a"] == ["AAA", "9984.T"] and payload["tickers_b"] == ["BBB"]
    rows = payload["rows"]
    assert len(rows) == 700 and rows[503]["net"] is None and rows[504]["net"] is not None
    last = payload["last"]
    assert last["net"] == pytest.approx(last["runup_a"] - last["runup_b"], abs=2e-4)
    with out.open(encoding="utf-8") as f:
        written = list(csv.DictReader(f))
    assert len(written) == 700 and set(written[0]) == {
        "date",
        "runup_a",
        "runup_b",
        "net",
        "percentile",
    }


def test_spread_from_the_store_with_a_shorter_horizon(tmp_path: Path, feeds: Path) -> None:
    import pandas as pd

    db = tmp_path / "m.db"
    frame = pd.read_csv(_prices(tmp_path / "prices.csv", days=300), index_col="date")
    bars = [
        PriceBar(str(t), pd.Timestamp(day).date(), float(v))
        for t in frame.columns
        for day, v in frame[t].items()
    ]
    with Store(db) as store:
        upsert_bars(store, bars, fetched_at=pd.Timestamp("2026-01-01", tz="UTC").to_pydatetime())
    args = ["spread", "--horizon", "63", "--json", "--db", str(db), "--feeds", str(feeds)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["rows"]
    assert rows[62]["net"] is None and rows[63]["net"] is not None
    table = runner.invoke(app, [a for a in args if a != "--json"], env={"COLUMNS": "200"})
    assert table.exit_code == 0 and "LLM run-up net of applied AI" in table.output


def test_spread_errors_name_the_segment(tmp_path: Path, feeds: Path) -> None:
    prices = _prices(tmp_path / "prices.csv")
    result = runner.invoke(
        app, ["spread", "--prices", str(prices), "--b", "robots", "--feeds", str(feeds)]
    )
    assert result.exit_code == 2 and "no segment named 'robots'" in result.output
    empty = tmp_path / "empty.db"
    Store(empty).close()  # spread only reads: a missing file is refused, not created
    result = runner.invoke(app, ["spread", "--db", str(empty), "--feeds", str(feeds)])
    assert result.exit_code == 2 and "no stored prices" in result.output


def test_segments_lists_reasons_benchmarks_and_aliases() -> None:
    result = runner.invoke(app, ["segments", "--json"])
    assert result.exit_code == 0, result.output
    by_name = {s["name"]: s for s in json.loads(result.stdout)}
    softbank = next(t for t in by_name["llm"]["tickers"] if t["ticker"] == "9984.T")
    assert softbank["currency"] == "JPY" and "OpenAI" in softbank["reason"]
    recursion = next(t for t in by_name["applied_ai"]["tickers"] if t["ticker"] == "RXRX")
    assert recursion["benchmark"] == "XBI"
    assert "OpenAI" in by_name["llm"]["aliases"] and by_name["market"]["news"] == "none"
    table = runner.invoke(app, ["segments"], env={"COLUMNS": "200"})
    assert table.exit_code == 0 and "why it is here" in table.output

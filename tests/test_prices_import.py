"""import-prices: wide and long CSVs, idempotence, errors naming file, line and column,
the command's output, and a validation import of the real shared price file."""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.errors import InputError
from monitor.sources.csv.prices import import_prices, read_price_csv
from monitor.store import Store
from monitor.store.prices import load_closes

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "prices"
NOW = datetime(2025, 4, 1, 12, 0, tzinfo=UTC)
runner = CliRunner()


def write(tmp_path: Path, text: str, name: str = "prices.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_wide_csv_skips_empty_cells_as_not_listed() -> None:
    parsed = read_price_csv(FIXTURES / "wide.csv")
    assert (parsed.format, parsed.rows, len(parsed.bars)) == ("wide", 5, 17)
    crwv = [b for b in parsed.bars if b.ticker == "CRWV"]
    assert [(b.day, b.close) for b in crwv] == [
        (date(2025, 3, 28), 40.0),
        (date(2025, 3, 31), 36.08),
    ]
    assert {b.source for b in parsed.bars} == {"csv"}


def test_long_csv_is_recognised_case_insensitively_and_ignores_extra_columns() -> None:
    parsed = read_price_csv(FIXTURES / "long.csv")
    assert (parsed.format, parsed.rows, len(parsed.bars)) == ("long", 6, 5)
    assert {b.ticker for b in parsed.bars} == {"NVDA", "^VIX"}


def test_import_stores_then_reimport_changes_nothing_and_revisions_update(
    store: Store, tmp_path: Path
) -> None:
    first = import_prices(store, FIXTURES / "wide.csv", now=NOW)
    assert (first.new, first.updated, first.unchanged) == (17, 0, 0)
    again = import_prices(store, FIXTURES / "wide.csv", now=NOW)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 17)
    revised = write(tmp_path, "date,ticker,close\n2025-03-31,NVDA,108.40\n2025-04-01,NVDA,110.15\n")
    result = import_prices(store, revised, now=NOW)
    nvda = result.tickers[0]
    assert (nvda.counts.new, nvda.counts.updated) == (1, 1)
    closes = load_closes(store, ["NVDA", "CRWV"])
    assert closes["NVDA"].iloc[-2:].tolist() == [108.40, 110.15]
    assert closes["CRWV"].isna().sum() == 4  # not listed before 2025-03-28
    sources = {r[0] for r in store.conn.execute("SELECT DISTINCT source FROM prices")}
    assert sources == {"csv"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("date,NVDA\n2025-01-02,1.0\n2025-01-03,abc\n", ":3: column 'NVDA': 'abc' is not a number"),
        (
            "date,NVDA\n2025-01-02,1.0\n02/01/2025,2.0\n",
            ":3: column 'date': '02/01/2025' is not a date",
        ),
        ("date,NVDA\n2025-01-02,inf\n", ":2: column 'NVDA': 'inf' is not a finite number"),
        ("date,NVDA,SPY\n2025-01-02,1.0\n", ":2: 2 cells, but the header has 3 columns"),
        ("date,NVDA\n2025-01-02,1\n2025-01-02,2\n", ":3: date 2025-01-02 repeats line 2"),
        ("date,NVDA,NV DA\n2025-01-02,1,2\n", ":1: column 3 'NV DA' is not a ticker symbol"),
        ("date,NVDA,NVDA\n2025-01-02,1,2\n", ":1: column 3 'NVDA' repeats an earlier column"),
        ("day,NVDA\n2025-01-02,1\n", ":1: no 'date' column"),
        ("date,NVDA\n2025-01-02,\n", "no prices found"),
        ("", "empty file"),
        (
            "date,ticker,close\n2025-01-02,NVDA,1\n2025-01-03,NVDA,2\n2025-01-02,NVDA,3\n",
            ":4: NVDA on 2025-01-02 repeats line 2",
        ),
        ("date,ticker,close\n2025-01-02,,1\n", ":2: column 'ticker': '' is not a ticker symbol"),
        ("date,ticker,close\n2025-01-02,NVDA,x\n", ":2: column 'close': 'x' is not a number"),
    ],
)
def test_errors_name_file_line_and_column(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        read_price_csv(path)
    assert str(caught.value).startswith(str(path))
    assert expected in str(caught.value)


def test_line_numbers_count_physical_lines_and_timestamps_are_dates(tmp_path: Path) -> None:
    path = write(tmp_path, 'date,NVDA\n2025-01-02 00:00:00,"1.0"\n\n2025-01-03,bad\n')
    with pytest.raises(InputError, match=":4: column 'NVDA'"):
        read_price_csv(path)
    ok = write(tmp_path, "\ufeffdate,NVDA\n2025-01-02 00:00:00,1.5\n", "bom.csv")
    assert read_price_csv(ok).bars[0].day == date(2025, 1, 2)


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_price_csv(tmp_path / "nope.csv")
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"date,NVDA\n\xff\xfe\x00,1\n")
    with pytest.raises(InputError, match="not UTF-8"):
        read_price_csv(binary)


def test_a_bad_file_writes_nothing(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, "date,NVDA\n2025-01-02,1.0\n2025-01-03,x\n")
    with pytest.raises(InputError):
        import_prices(store, path, now=NOW)
    assert store.conn.execute("SELECT COUNT(*) FROM prices").fetchone()[0] == 0


def test_command_prints_counts_per_ticker_and_json(db_path: Path) -> None:
    args = ["import-prices", str(FIXTURES / "wide.csv"), "--db", str(db_path)]
    text = runner.invoke(app, args)
    assert text.exit_code == 0, text.output
    assert "CRWV" in text.output and "17 new" in text.output
    out = runner.invoke(app, [*args, "--json"])
    assert out.exit_code == 0, out.output
    payload = json.loads(out.output)
    assert (payload["format"], payload["new"], payload["unchanged"]) == ("wide", 0, 17)
    assert payload["tickers"]["CRWV"] == {
        "new": 0,
        "updated": 0,
        "unchanged": 2,
        "first": "2025-03-28",
        "last": "2025-03-31",
    }


def test_command_reports_bad_input_on_one_line_with_status_2(db_path: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "date,NVDA\n2025-01-02,oops\n")
    result = runner.invoke(app, ["import-prices", str(path), "--db", str(db_path)])
    assert result.exit_code == 2
    assert f"{path}:2: column 'NVDA': 'oops' is not a number" in result.output


@pytest.mark.validation
def test_real_shared_price_file_imports_completely(shared_data: Path, store: Store) -> None:
    path = shared_data / "ai_stocks_daily_adjclose_2015_2026.csv"
    result = import_prices(store, path, now=NOW)
    assert (result.format, result.rows, len(result.tickers)) == ("wide", 2897, 33)
    per = {t.ticker: t for t in result.tickers}
    assert per["NVDA"].counts.new == 2897
    assert (per["NVDA"].first, per["NVDA"].last) == (date(2015, 1, 2), date(2026, 7, 13))
    assert per["CRWV"].counts.new == 323 and per["CRWV"].first.year == 2025
    assert per["PLTR"].first == date(2020, 9, 30)
    assert per["^IRX"].counts.new == 2896
    closes = load_closes(store)
    assert closes.shape == (2897, 33)
    assert int(closes.notna().sum().sum()) == result.new
    assert closes["^IRX"].min() < 0  # a yield, not a price: negative values are real
    assert (closes.drop(columns=["^IRX", "^TNX"]).min() > 0).all()
    nvda = closes["NVDA"]
    assert nvda.index.is_monotonic_increasing and not math.isnan(nvda.iloc[-1])
    again = import_prices(store, path, now=NOW)
    assert (again.new, again.updated) == (0, 0)

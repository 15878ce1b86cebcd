"""`report` fits a terminal: the compact default at 80 columns, `--full` at 80 and 120.

The issue's measure: `COLUMNS=80 report --demo` prints at most 60 lines, none wider than
80 characters, and no cell cut with an ellipsis; `--full` cuts no cell at 120 columns
(nor at 80, where its tables are stacked).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.present.console_compact import Beside, compact_lines
from signals.stale import stale_lines

runner = CliRunner()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("compact") / "demo.db"


def _report(db: Path, columns: int, *extra: str) -> list[str]:
    args = ["report", "--demo", "--db", str(db), *extra]
    result = runner.invoke(app, args, env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def test_compact_report_fits_80_columns_and_one_screen(demo_db: Path) -> None:
    lines = _report(demo_db, 80)
    assert len(lines) <= 60
    assert max(len(line) for line in lines) <= 80
    assert not any("…" in line for line in lines)
    text = "\n".join(lines)
    for heading in ("Why", "What changed", "Headlines that moved it", "Smart money"):
        assert heading in lines, heading
    assert "Crash probability" in text and "base rate" in text and "Regime " in text
    # "What changed" says what each input's move alone did to the probability; the index's
    # own move is said once, on the Index line.
    assert "alone, that" in text
    assert sum(" points since " in line for line in lines) == 1


@pytest.mark.parametrize("columns", [80, 120])
def test_full_report_cuts_no_cell(demo_db: Path, columns: int) -> None:
    lines = _report(demo_db, columns, "--full")
    assert max(len(line) for line in lines) <= columns
    assert not any("…" in line for line in lines)
    text = "\n".join(lines)
    assert "Components" in text and "Segments" in text
    for name in ("runup_2y", "volatility", "layoffs", "circular_deal"):
        assert name in text, name
    for segment in ("LLM:", "applied AI:", "market:"):
        assert segment in text


def test_stale_prices_are_one_line() -> None:
    from datetime import date

    tickers = [f"T{i}" for i in range(45)]
    lines = stale_lines(
        [*tickers, "layoffs", "runup_5y (no value, counted as its historical mean)"],
        tickers,
        {t: date(2026, 7, 13) for t in tickers},
    )
    assert lines == [
        "prices: all 45 tickers stale since 2026-07-13",
        "news components warming up (no value yet): layoffs",
        "model inputs counted as their historical mean: 5-year run-up",
    ]
    assert stale_lines(["T1", "T2"], tickers, {})[0] == "prices: 2 tickers stale: T1, T2"


def test_fresh_headlines_show_while_the_news_warms_up() -> None:
    doc = {"as_of": "2026-12-01T21:30:00+00:00", "index": 40.0, "regime": "calm"}
    beside = Beside(
        fresh_headlines=[{"title": "Nvidia backs OpenAI", "source": "Wire", "label": None}]
    )
    lines = compact_lines(doc, beside, width=80, demo=False)
    assert any("still warming up" in line for line in lines)
    assert "  - Nvidia backs OpenAI (Wire, not yet scored)" in lines


def test_a_key_added_by_another_part_gets_its_line() -> None:
    doc = {
        "as_of": "2026-12-01T21:30:00+00:00",
        "index": 40.0,
        "regime": "calm",
        "circular": {"line": "3 circular deals this quarter", "deals": []},
        "valuation": {"summary": "forward P/E 31, 2000: 27"},
    }
    lines = compact_lines(doc, Beside(), width=80, demo=False)
    assert "  - circular: 3 circular deals this quarter" in lines
    assert "  - valuation: forward P/E 31, 2000: 27" in lines


def test_what_changed_can_leave_the_index_move_to_another_line() -> None:
    from monitor.present.changes import what_changed

    before = {"as_of": "2026-11-30T21:30:00+00:00", "index": 38.0, "regime": "calm"}
    now = {"as_of": "2026-12-01T21:30:00+00:00", "index": 40.0, "regime": "calm"}
    assert what_changed(now, before)[0].startswith("The index is up 2.0 points since")
    assert not any(s.startswith("The index is") for s in what_changed(now, before, index=False))
    # An index that cannot be compared is still said: no other line says it.
    blank = {**before, "index": None}
    assert "has no comparable index" in what_changed(now, blank, index=False)[0]


def test_a_reading_without_a_probability_says_why_in_its_notes() -> None:
    """Under a year of the basket's prices the reading is v1: its notes say so (they were
    dropped, and the report gave no reason for the missing crash probability)."""
    why = "index v2 not available: basket: less than a year of prices before 2026-12-07"
    stale = "prices: all 43 tickers stale since 2026-07-13"
    doc = {"as_of": "2026-12-07T18:00:00+00:00", "index": 36.8, "regime": "warming"}
    lines = compact_lines(doc, Beside(stale=[stale], notes=[why, stale]), width=80, demo=False)
    text = " ".join(" ".join(lines).split())
    assert "Notes" in lines and why in text
    assert text.count(stale) == 1  # said once, under Stale or missing
    fitted = {**doc, "probability": 0.12, "base_rate": 0.16, "target": "a 20% drawdown"}
    assert "Notes" not in compact_lines(fitted, Beside(notes=[why]), width=80, demo=False)

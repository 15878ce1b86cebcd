"""`history` names segments and inputs as the report does, not by their internal keys."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from monitor.cli.app import app
from signals.crash.words import feature_name, value_text
from tests.conftest import DemoReport

runner = CliRunner()


def test_history_table_uses_display_names(demo_report: DemoReport, tmp_path: Path) -> None:
    db = demo_report.copy_to(tmp_path)
    result = runner.invoke(
        app, ["history", "--limit", "5", "--db", str(db)], env={"COLUMNS": "250"}
    )
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "LLM " in text and "applied AI " in text
    assert "llm " not in text and "applied_ai" not in text
    assert "runup_" not in text and "volatility_change" not in text
    assert "run-up" in text


def test_feature_values_in_their_own_unit() -> None:
    assert feature_name("runup_2y") == "2-year run-up"
    assert feature_name("layoffs") is None
    # A run-up is stored as a log return: 0.96 is +161%, not "0.96".
    assert value_text("runup_2y", 0.96) == "+161%"
    assert value_text("drawdown", 0.13) == "13%"
    assert value_text("volatility_change", 0.1) == "1.11x"
    assert value_text("acceleration", 0.2) == "+20 pts"
    assert value_text("psy", 1.2) == "1.20"
    assert value_text("not_a_feature", 3.0) == "3.00"


def test_history_fits_60_columns_without_breaking_words(
    demo_report: DemoReport, tmp_path: Path
) -> None:
    db = demo_report.copy_to(tmp_path)
    result = runner.invoke(app, ["history", "--limit", "3", "--db", str(db)], env={"COLUMNS": "60"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 60
    text = result.stdout
    # Before: "chang/e", "2026-1/0-28" and "accel/erati/on" folded mid-word at 60 columns.
    assert "change" in text and "moved most" in text
    assert all(re.search(r"\d{4}-\d{2}-\d{2}", line) for line in lines if line.startswith("│ 20"))
    assert "segments" not in text and "stale" not in text  # left to 80 and 100 columns


def test_headlines_at_60_columns_keep_the_title_readable(
    demo_report: DemoReport, tmp_path: Path
) -> None:
    db = demo_report.copy_to(tmp_path)
    args = ["headlines", "--limit", "3", "--db", str(db)]
    result = runner.invoke(app, args, env={"COLUMNS": "60"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 60
    # Before: six columns left the title two letters a line and cut "co…" and "so…".
    assert "…" not in result.stdout and "title (source)" in result.stdout
    wide = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert "conf" in wide.stdout and "source" in wide.stdout

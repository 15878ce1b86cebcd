"""What the user typed is printed as typed: rich read `[bold]` or `[x]` in a path, a
column or a config name as markup (the text vanished, or a `[/]` stopped the command with
a MarkupError), and `:fire:` as an emoji code. Every console the CLI prints through
(stdout, stderr, the report's and history's) now prints strings as written; styles are
given as styles. Real files, the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from monitor.cli.app import app

runner = CliRunner()
WIDE = {"COLUMNS": "250"}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder whose name rich would read as a tag, with a prices file in it."""
    inside = tmp_path / "[x] :fire:"
    inside.mkdir()
    days = pd.bdate_range(end="2026-07-13", periods=60)
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"date": days.strftime("%Y-%m-%d")})
    frame["NVDA"] = 100 * np.exp(np.cumsum(rng.normal(0.002, 0.02, len(days))))
    frame.to_csv(inside / "p[bold].csv", index=False)
    return inside


def test_import_prices_names_the_file_as_written(folder: Path) -> None:
    prices = folder / "p[bold].csv"
    result = runner.invoke(
        app, ["import-prices", str(prices), "--db", str(folder / "m.db")], env=WIDE
    )
    assert result.exit_code == 0, result.output
    assert "prices from p[bold].csv" in result.stdout
    assert f"{prices} (wide, 60 rows)" in result.stdout


def test_written_files_are_named_as_written(folder: Path) -> None:
    db = folder / "m.db"
    assert runner.invoke(app, ["deals", "seed", "--db", str(db)]).exit_code == 0
    svg = folder / "g[bold].svg"
    graph = runner.invoke(app, ["deals", "graph", "--out", str(svg), "--db", str(db)], env=WIDE)
    assert graph.exit_code == 0, graph.output
    assert f"graph written to {svg}" in graph.stdout
    png = folder / "b[/].png".replace("/", "")
    psy = runner.invoke(
        app,
        ["bubbles", str(folder / "p[bold].csv"), "--column", "NVDA", "--reps", "19",
         "--chart", str(png)],
        env=WIDE,
    )  # fmt: skip
    assert psy.exit_code == 0, psy.output
    assert f"chart written to {png}" in psy.stdout


def test_a_closing_tag_in_a_deal_party_prints_in_graph_loops(tmp_path: Path) -> None:
    # A loop through a party named "Acme [/]" raised MarkupError from `deals graph`.
    db = ["--db", str(tmp_path / "m.db")]
    tail = ["--kind", "equity", "--date", "2025-09-15", "--source", "https://x.test/"]
    for n, (a, b) in enumerate([("Acme [/]", "Beta"), ("Beta", "Acme [/]")]):
        added = runner.invoke(app, ["deals", "add", a, b, "1e9", *tail[:-1], f"{tail[-1]}{n}", *db])
        assert added.exit_code == 0, added.output
    graph = runner.invoke(app, ["deals", "graph", *db], env=WIDE)
    assert graph.exit_code == 0, graph.output
    assert "loop Acme [/] → Beta → Acme [/]" in graph.stdout or (
        "loop Beta → Acme [/] → Beta" in graph.stdout
    )


def test_segment_names_and_aliases_from_feeds_yaml_print_as_written(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(
        "segments:\n"
        "  - name: llm\n"
        "    description: 'labs [red]and[/red] hosts :fire:'\n"
        "    tickers: {NVDA: 'GPUs [b]'}\n"
        "    aliases: ['OpenAI']\n"
        "feeds: []\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["segments", "--feeds", str(feeds)], env=WIDE)
    assert result.exit_code == 0, result.output
    # The title also lost the description's last colon to an rstrip(": ").
    assert "LLM (llm): labs [red]and[/red] hosts :fire:" in result.stdout
    assert "GPUs [b]" in result.stdout


def test_json_output_is_untouched(folder: Path) -> None:
    prices = folder / "p[bold].csv"
    result = runner.invoke(
        app, ["import-prices", str(prices), "--json", "--db", str(folder / "m.db")]
    )
    assert result.exit_code == 0, result.output
    assert "p[bold].csv" in json.dumps(json.loads(result.stdout))

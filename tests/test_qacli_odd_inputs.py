"""Odd but possible inputs, through the real CLI on real SQLite files:
- `headlines` at 80 columns cut a long word of a title with an ellipsis ("[bold]raises[/bo…",
  a 150-character token to 16 characters): the title column now folds, nothing is cut;
- `spread --a llm --b llm` printed "llm run-up net of llm", a spread that is zero by
  construction: it is refused, naming both options.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.store import Store
from monitor.store.headlines import insert_headlines
from signals.models import Headline

runner = CliRunner()
LONG = "x" * 150


def test_headlines_fold_long_words_instead_of_cutting_them(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    when = datetime(2026, 7, 10, 12, tzinfo=UTC)
    titles = [f"Nvidia {LONG} warning", "OpenAI [bold]raises[/bold] $40bn at a $300bn value"]
    with Store(db) as store:
        insert_headlines(
            store,
            [
                Headline(t, f"https://e.test/{n}", "Wire", "wire", when)
                for n, t in enumerate(titles)
            ],
            fetched_at=when,
        )
    result = runner.invoke(app, ["headlines", "--db", str(db)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert "…" not in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    cells = "".join(line.split("│")[-2].strip() for line in result.stdout.splitlines()
                    if line.count("│") > 2)  # fmt: skip
    assert LONG in cells and "[bold]raises[/bold]" in cells


def test_spread_refuses_a_segment_net_of_itself(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["spread", "--a", "llm", "--b", "llm", "--prices", str(tmp_path / "p.csv")]
    )
    assert result.exit_code == 2, result.output
    assert "--a and --b are both 'llm'" in result.output


def test_deals_graph_since_takes_the_month_its_help_promises(tmp_path: Path) -> None:
    # --help: "Series from this month (default 2023-01)", yet `--since 2024-01` was
    # refused ("use YYYY-MM-DD"): a month or a day is now taken, the series starts there.
    db = ["--db", str(tmp_path / "m.db")]
    assert runner.invoke(app, ["deals", "seed", *db]).exit_code == 0
    by_month = runner.invoke(app, ["deals", "graph", "--json", "--since", "2024-01", *db])
    assert by_month.exit_code == 0, by_month.output
    by_day = runner.invoke(app, ["deals", "graph", "--json", "--since", "2024-01-01", *db])
    series = json.loads(by_month.stdout)["series"]
    assert series == json.loads(by_day.stdout)["series"]
    assert series[0]["month"].startswith("2024-01")
    bad = runner.invoke(app, ["deals", "graph", "--since", "2024-13", *db])
    assert bad.exit_code == 2 and "--since '2024-13'" in bad.output


def test_fundamentals_on_a_store_without_any_says_how_to_get_them(tmp_path: Path) -> None:
    # Before: no output at all and exit 0, as if there were nothing to say.
    db = tmp_path / "m.db"
    Store(db).close()
    result = runner.invoke(app, ["fundamentals", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "no fundamentals stored for the configured tickers" in result.stdout
    assert "bubble-monitor collect fundamentals" in result.stdout
    as_json = runner.invoke(app, ["fundamentals", "--json", "--db", str(db)])
    assert json.loads(as_json.stdout) == {}


def test_headlines_on_an_empty_store_says_so_instead_of_an_empty_table(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    Store(db).close()
    result = runner.invoke(app, ["headlines", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("no stored headlines yet; run `bubble-monitor collect news`")
    filtered = runner.invoke(app, ["headlines", "--label", "layoffs", "--db", str(db)])
    assert filtered.stdout.strip() == "no stored headlines match --since/--label"
    assert json.loads(runner.invoke(app, ["headlines", "--json", "--db", str(db)]).stdout) == []


def test_evaluate_index_names_a_bad_month_before_reading_the_file(tmp_path: Path) -> None:
    # A short file with --start 2020-13 said "too short for a 6-month outcome window":
    # the typo went unnamed until the file was long enough.
    prices = tmp_path / "p.csv"
    prices.write_text("date,NVDA\n2026-01-02,100\n2026-01-05,101\n", encoding="utf-8")
    for option in ("--start", "--end"):
        result = runner.invoke(app, ["evaluate-index", "--prices", str(prices), option, "2020-13"])
        assert result.exit_code == 2, result.output
        assert f"error: {option} '2020-13': expected YYYY-MM" in result.output

"""`headlines` and `import-headlines` as a new user reads them: the table at 80 columns,
what a --limit cut says, and a file with nothing importable.

Each test failed on the code before it (the old text is quoted in a comment)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from monitor.cli.app import app
from tests.test_cli_headlines import filled_db  # noqa: F401  (the fixture)

runner = CliRunner()


def test_at_80_columns_the_title_gets_the_room(filled_db: Path) -> None:  # noqa: F811
    result = runner.invoke(app, ["headlines", "--db", str(filled_db)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    # Before: six columns at 80 left the title 17 characters, "Amazon to cut" alone on a line.
    assert any("Amazon to cut 14,000 corporate jobs" in line for line in lines)
    assert "conf" in result.stdout and "0.91" in result.stdout


def test_a_cut_list_says_it_holds_the_newest_and_how_to_see_more(
    filled_db: Path,  # noqa: F811
) -> None:
    args = ["headlines", "--limit", "2", "--db", str(filled_db)]
    result = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    # Before: "2 headlines", as if the store held two.
    assert "the 2 newest headlines (--limit N for more, 0 for all)" in result.stdout
    wide = runner.invoke(app, ["headlines", "--db", str(filled_db)], env={"COLUMNS": "200"})
    assert "4 headlines" in wide.stdout and "newest" not in wide.stdout
    assert "outlets" in wide.stdout  # the story's outlet count; it was headed "src"


def test_a_file_with_no_importable_row_exits_2_and_says_what_was_expected(
    tmp_path: Path,
) -> None:
    path = tmp_path / "prices.jsonl"
    path.write_text('{"date": "2024-01-02", "NVDA": 48.1}\nnot json\n', encoding="utf-8")
    db = tmp_path / "m.db"
    result = runner.invoke(app, ["import-headlines", str(path), "--db", str(db)])
    # Before: exit 0 and "2 rows (no rows): 0 stored and scored ..., 2 rejected".
    assert result.exit_code == 2, result.output
    assert "2 rows (none valid)" in result.stdout and "(no rows)" not in result.stdout
    assert f"{path}: no row could be imported (2 read, all rejected)" in result.output
    as_json = runner.invoke(app, ["import-headlines", str(path), "--db", str(db), "--json"])
    assert as_json.exit_code == 2
    assert json.loads(as_json.stdout)["rejected"] == 2  # the JSON still says why


def test_one_good_row_among_bad_ones_is_an_import(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    good = {"date": "2023-01-10", "title": "Microsoft to cut 10,000 jobs", "url": "https://d/1"}
    path.write_text(json.dumps(good) + "\nnot json\n", encoding="utf-8")
    result = runner.invoke(app, ["import-headlines", str(path), "--db", str(tmp_path / "m.db")])
    assert result.exit_code == 0, result.output
    assert "2 rows (2023-01-10 .. 2023-01-10): 1 stored and scored" in result.stdout


def test_import_progress_says_how_far_through_the_file_it_is(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text(
        "date,title,source,url\n"
        "2023-01-23,Microsoft invests $10 billion in OpenAI,Bloomberg,https://n.test/1\n"
        "2023-01-24,Alphabet cuts 12000 jobs,WSJ,https://n.test/2\n"
        "2023-01-25,Meta plans AI bond sale,FT,https://n.test/3\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["import-headlines", str(path), "--db", str(tmp_path / "m.db")])
    assert result.exit_code == 0, result.output
    # Before: "3 rows read: 3 stored, ..." with no total (66,693 rows take minutes).
    assert "3 of about 3 (100%) rows read: 3 stored" in result.stderr

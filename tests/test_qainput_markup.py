"""Square brackets in what the monitor prints, through the real commands: rich reads
`[/]` or `[bold red]` in a string as markup, so a headline, a deal's title or a feed's
error with brackets restyled the output, added a terminal link, or stopped the command
with a MarkupError traceback (after the data was stored)."""

from __future__ import annotations

import json
from pathlib import Path

from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from monitor.cli.app import app

runner = CliRunner()
TITLES = ["Nvidia [/] closing tag headline", "[bold red]Loud[/bold red] [link=https://e.test]x"]


def test_headlines_prints_bracketed_titles_as_written(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    rows = [{"date": "2026-11-02", "title": t, "url": f"https://m.test/{i}"}
            for i, t in enumerate(TITLES)]  # fmt: skip
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    db = tmp_path / "m.db"
    assert runner.invoke(app, ["import-headlines", str(path), "--db", str(db)]).exit_code == 0
    out = runner.invoke(app, ["headlines", "--db", str(db)], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert TITLES[0] in out.stdout and "[bold red]Loud[/bold red]" in out.stdout


def test_deals_list_prints_a_bracketed_title_as_written(tmp_path: Path) -> None:
    db = ["--db", str(tmp_path / "m.db")]
    args = ["deals", "add", "Acme", "Beta", "1e9", "--kind", "loan", "--date", "2025-09-15"]
    added = runner.invoke(
        app, [*args, "--source", "https://x.test/1", "--title", "Acme [/] x", *db]
    )
    assert added.exit_code == 0, added.output
    out = runner.invoke(app, ["deals", "list", *db], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert "Acme [/] x" in out.stdout


def test_collect_prints_a_bracketed_feed_failure_then_its_error_line(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request("/gone").respond_with_data("gone", status=404)
    feeds = tmp_path / "feeds.yaml"
    url = httpserver.url_for("/gone")
    feeds.write_text(f"basket: [NVDA]\nfeeds:\n  - {{name: 'wire [/]', url: '{url}'}}\n")
    out = runner.invoke(
        app, ["collect", "news", "--feeds", str(feeds), "--db", str(tmp_path / "m.db")],
        env={"COLUMNS": "200"},
    )  # fmt: skip
    assert out.exit_code == 2, out.output
    assert "wire [/]" in out.stdout and "Traceback" not in out.output
    assert "error: news: the one feed asked failed (first: wire [/]: HTTP 404" in out.output

"""import-headlines on files as other tools write them, through the CLI into a real
SQLite file: Excel for Mac's CSV ends lines in a lone CR, which read as one line and
stopped the import with a csv traceback; a header the csv module cannot read (a field over
its limit) did too."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app

runner = CliRunner()


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("mac.csv", b"date,title,url\r2026-11-02,Nvidia sells chips to a startup,"
                    b"https://m.test/1\r2026-11-03,Alphabet cuts 12000 jobs,https://m.test/2\r"),
        ("mac.jsonl", b'{"date": "2026-11-02", "title": "Nvidia sells chips to a startup", '
                      b'"url": "https://m.test/1"}\r{"date": "2026-11-03", '
                      b'"title": "Alphabet cuts 12000 jobs", "url": "https://m.test/2"}\r'),
    ],
)  # fmt: skip
def test_lines_ending_in_a_lone_cr_are_lines(tmp_path: Path, name: str, body: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(body)
    db = tmp_path / "m.db"
    out = runner.invoke(app, ["import-headlines", str(path), "--db", str(db), "--json"])
    assert out.exit_code == 0, out.output
    summary = json.loads(out.stdout)
    assert (summary["rows"], summary["stored"], summary["rejected"]) == (2, 2, 0)
    with sqlite3.connect(db) as conn:
        titles = sorted(t for (t,) in conn.execute("SELECT title FROM headlines"))
    assert titles == ["Alphabet cuts 12000 jobs", "Nvidia sells chips to a startup"]


def test_an_unreadable_csv_header_is_one_error_line(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    path.write_bytes(b'date,title,url,"' + b"x" * 200_000 + b'"\n2026-11-02,x,https://m.test/1\n')
    out = runner.invoke(app, ["import-headlines", str(path), "--db", str(tmp_path / "m.db")])
    assert out.exit_code == 2, out.output
    assert out.output.startswith(f"error: {path}:1: not a readable CSV header")


def test_a_broken_json_line_reads_as_one_sentence(tmp_path: Path) -> None:
    # Before: "not valid JSON (Invalid control character at at column 41)".
    path = tmp_path / "h.jsonl"
    path.write_text('{"date": "2026-11-02", "title": "cut off\n', encoding="utf-8")
    out = runner.invoke(app, ["import-headlines", str(path), "--db", str(tmp_path / "m.db"),
                              "--json"])  # fmt: skip
    (rejection,) = json.loads(out.stdout)["rejections"]
    assert rejection["message"] == (
        f"{path}:1: not valid JSON (Invalid control character at column 41)"
    )

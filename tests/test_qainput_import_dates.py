"""import-headlines on dates far in the past, through the CLI, the real model and a real
SQLite file: a year-1 date used to overflow the story window (`published - window`) and
stop the whole import with a traceback, storing none of the good rows after it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from monitor.cli.app import app


def test_a_year_one_date_is_a_bad_row_and_the_others_are_stored(tmp_path: Path) -> None:
    rows = [
        {"date": "2023-01-10", "title": "Microsoft to cut 10,000 jobs", "url": "https://d.test/1"},
        {"date": "0001-01-01", "title": "A typo for 2001", "url": "https://d.test/2"},
        {"date": "0202-03-01", "title": "A typo for 2020", "url": "https://d.test/3"},
        {"date": "1929-10-29", "title": "Stocks crash on Black Tuesday", "url": "https://d.test/4"},
    ]
    path = tmp_path / "h.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    db = tmp_path / "m.db"
    out = CliRunner().invoke(app, ["import-headlines", str(path), "--db", str(db), "--json"])
    assert out.exit_code == 0, out.output
    summary = json.loads(out.stdout)
    assert (summary["stored"], summary["rejected_by_reason"]) == (2, {"bad_date": 2})
    assert [(r["line"], r["message"]) for r in summary["rejections"]] == [
        (2, f"{path}:2: field date: '0001-01-01' is before 1800"),
        (3, f"{path}:3: field date: '0202-03-01' is before 1800"),
    ]
    with sqlite3.connect(db) as conn:
        urls = {u for (u,) in conn.execute("SELECT url FROM headlines")}
    assert urls == {"https://d.test/1", "https://d.test/4"}

"""evaluate-index --format french-daily on a careless file, through the CLI: an
impossible date (20231399) passed the digit check and stopped pandas with a traceback; a
file saved as Latin-1 did too; `inf` or a return below -100% was read as data."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app

runner = CliRunner()
GOOD = ["date,Food,Tech", "19900102,0.31,-0.52", "19900103,0.12,0.40"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("20231399,0.10,0.20", "prices.csv:3: date '20231399': expected YYYYMMDD"),
        ("19900104,inf,0.20", "prices.csv:3: Food: 'inf' is not a return in percent"),
        ("19900104,-150,0.20", "prices.csv:3: Food: '-150' is not a return in percent"),
    ],
)
def test_a_bad_cell_is_named_by_line_and_field(tmp_path: Path, row: str, message: str) -> None:
    path = tmp_path / "prices.csv"
    path.write_text("\n".join([*GOOD[:2], row, GOOD[2]]) + "\n", encoding="utf-8")
    out = runner.invoke(app, ["evaluate-index", "--prices", str(path), "--format", "french-daily"])
    assert out.exit_code == 2, out.output
    assert out.output.startswith(f"error: {tmp_path}/{message}"), out.output


def test_a_latin1_file_is_named_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "prices.csv"
    path.write_bytes("date,Café\n19900102,0.31\n".encode("latin-1"))
    out = runner.invoke(app, ["evaluate-index", "--prices", str(path), "--format", "french-daily"])
    assert out.exit_code == 2, out.output
    assert out.output.startswith(f"error: {path}: not UTF-8 text"), out.output


def test_missing_markers_still_read_as_no_data(tmp_path: Path) -> None:
    from monitor.sources.french.daily import read_french_daily

    path = tmp_path / "prices.csv"
    path.write_text("date,Food,Tech\n19900102,-99.99,0.5\n19900103,-999,0.4\n")
    panel = read_french_daily(path)
    assert panel.returns["Food"].isna().all() and panel.returns["Tech"].notna().all()

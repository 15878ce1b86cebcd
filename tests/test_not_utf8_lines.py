"""A file that is not UTF-8 is named with the line of its first bad byte, not a byte offset."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.errors import InputError, not_utf8
from monitor.research.backtest.headlines import read_headlines_jsonl

runner = CliRunner()
LATIN1_ON_LINE_2 = b'{"text": "a", "label": "other"}\n{"text": "Caf\xe9", "label": "other"}\n'


def test_the_message_names_the_line_and_the_byte() -> None:
    try:
        LATIN1_ON_LINE_2.decode("utf-8")
    except UnicodeDecodeError as e:
        assert not_utf8(LATIN1_ON_LINE_2, e, "x.jsonl") == (
            "x.jsonl:2: not UTF-8 text (byte 0xe9); save it as UTF-8"
        )


def test_label_file_names_the_line(tmp_path: Path) -> None:
    # Before: "... can't decode byte 0xe9 in position 60" (qatrain2's reproducer).
    path = tmp_path / "mine.jsonl"
    path.write_bytes(LATIN1_ON_LINE_2)
    result = runner.invoke(app, ["label", "--file", str(path), "--db", str(tmp_path / "m.db")])
    assert result.exit_code == 2, result.output
    assert f"{path}:2: not UTF-8 text (byte 0xe9)" in " ".join(result.output.split())


def test_backtest_headlines_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    path.write_bytes(b'{"title": "ok"}\n\n{"title": "Caf\xe9"}\n')
    with pytest.raises(InputError, match=rf"{path}:3: not UTF-8 text \(byte 0xe9\)"):
        read_headlines_jsonl(path)

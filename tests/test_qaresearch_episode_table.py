"""`python -m monitor.research.episode_table`: checking the century table's figures must not
rewrite the shipped table, and the command prints the counts docs/index-v3.md quotes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.research import episode_table
from tests.conftest import FIXTURES


def test_an_output_path_leaves_the_shipped_table_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shipped = episode_table.TABLE.read_bytes()
    out = tmp_path / "episodes.json"
    assert episode_table.main([str(FIXTURES / "french49_small.csv"), str(out)]) == 0
    assert episode_table.TABLE.read_bytes() == shipped
    rows = json.loads(out.read_text(encoding="utf-8"))["episodes"]
    printed = capsys.readouterr().out
    assert f"wrote {out}: {len(rows)} episodes" in printed
    for threshold in (0.5, 1.0, 1.5):
        at = [r for r in rows if r["threshold"] == threshold]
        known = [r for r in at if r["crashed"] is not None]
        crashed = sum(r["crashed"] is True for r in known)
        assert f"{threshold:.0%}: {crashed} of {len(known)} crashed" in printed

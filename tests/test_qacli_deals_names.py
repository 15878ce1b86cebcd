"""`deals add` refuses a party name that names no one: "the", "and", a number, a product.

Before: `deals add the and 1e9 ...` stored a confirmed $1B deal from "the" to "and", a
node of the graph (and of its loops) on the dashboard. Real SQLite file, the real CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app

runner = CliRunner()
TAIL = ["1e9", "--kind", "loan", "--date", "2025-09-15", "--source", "https://x.test/a"]


def _add(db: Path, payer: str, payee: str) -> tuple[int, str]:
    result = runner.invoke(app, ["deals", "add", payer, payee, *TAIL, "--db", str(db)])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("payer", "payee", "named"),
    [
        ("the", "Nvidia", "FROM 'the'"),
        ("Nvidia", "and", "TO 'and'"),
        ("The", "OpenAI", "FROM 'The'"),
        ("of the", "OpenAI", "FROM 'of the'"),
        ("Nvidia", "1234", "TO '1234'"),
        ("Nvidia", "???", "TO '???'"),
        ("ChatGPT", "Nvidia", "FROM 'ChatGPT'"),
    ],
)
def test_a_name_that_names_no_party_is_refused_and_nothing_is_stored(
    tmp_path: Path, payer: str, payee: str, named: str
) -> None:
    db = tmp_path / "m.db"
    code, output = _add(db, payer, payee)
    assert code == 2, output
    assert output.startswith(f"error: {named}"), output
    assert "Traceback" not in output
    listed = runner.invoke(app, ["deals", "list", "--json", "--db", str(db)])
    assert listed.stdout.strip() in ("", "[]"), listed.output


@pytest.mark.parametrize(
    ("payer", "payee"),
    [("Nvidia", "OpenAI"), ("The Carlyle Group", "Crusoe"), ("AND Capital", "xAI"),
     ("3M", "Figure AI")],
)  # fmt: skip
def test_real_names_with_common_words_in_them_are_kept(
    tmp_path: Path, payer: str, payee: str
) -> None:
    code, output = _add(tmp_path / "m.db", payer, payee)
    assert code == 0, output
    assert "1 added" in output

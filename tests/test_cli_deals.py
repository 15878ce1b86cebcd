"""`bubble-monitor deals ...` on a real database, and the `circular` line in every channel
of a reading (report JSON, history JSON, console text, Slack blocks)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.notify.console import reading_lines
from monitor.notify.slack_blocks import reading_blocks
from monitor.present.reading import reading_to_dict
from monitor.reading.circular import circular_context
from monitor.store import Store
from monitor.store.deals_seed import seed_deals
from monitor.store.readings import reading_from_payload
from tests.conftest import FIXTURES

runner = CliRunner()
NOW = datetime(2026, 5, 1, tzinfo=UTC)


@pytest.fixture
def seeded(db_path: Path) -> Path:
    result = runner.invoke(app, ["deals", "seed", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    return db_path


def _json(args: list[str]) -> object:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_list_json_rows_have_the_issue_keys(seeded: Path) -> None:
    rows = _json(["deals", "list", "--json", "--db", str(seeded)])
    assert isinstance(rows, list) and len(rows) >= 30
    keys = {"id", "date", "from", "to", "amount_usd", "kind", "title", "url", "status"}
    assert all(set(r) == keys for r in rows)
    recent = _json(["deals", "list", "--json", "--since", "2026-01-01", "--db", str(seeded)])
    assert isinstance(recent, list) and all(r["date"] >= "2026-01-01" for r in recent)


def test_graph_json_and_svg(seeded: Path, tmp_path: Path) -> None:
    out = tmp_path / "graph.svg"
    doc = _json(["deals", "graph", "--json", "--out", str(out), "--db", str(seeded)])
    assert isinstance(doc, dict)
    assert {"nodes", "edges", "cycles", "circular_share", "series"} <= set(doc)
    assert all(set(c) >= {"members", "amount_usd"} for c in doc["cycles"])
    assert doc["series"][0]["month"] == "2023-01"
    assert set(doc["firm"]) == {"rule", "circular_usd", "circular_share", "cycles"}
    assert doc["firm"]["circular_usd"] <= doc["circular_usd"]  # a subset of the deals
    svg = out.read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "http://" not in svg.replace("http://www.w3.org", "")
    assert 'class="edge loop"' in svg


def test_add_confirm_reject_and_their_errors(seeded: Path) -> None:
    db = ["--db", str(seeded)]
    add = ["deals", "add", "Nvidia", "CoreWeave", "$6.3bn", "--kind", "guarantee"]
    result = runner.invoke(
        app, [*add, "--date", "2025-09-15", "--source", "https://x.example", *db]
    )
    assert result.exit_code == 0, result.output
    rows = _json(["deals", "list", "--json", "--status", "confirmed", *db])
    assert isinstance(rows, list)
    added = next(r for r in rows if r["kind"] == "guarantee")
    assert added["amount_usd"] == pytest.approx(6.3e9)
    assert runner.invoke(app, ["deals", "reject", str(added["id"]), *db]).exit_code == 0
    rejected = _json(["deals", "list", "--json", "--status", "rejected", *db])
    assert [r["id"] for r in rejected] == [added["id"]]  # type: ignore[index]
    for bad, message in [
        (["deals", "add", "A", "B", "1e308", "--kind", "loan"], "AMOUNT"),
        (["deals", "add", "A", "B", "1e9", "--kind", "gift"], "--kind"),
        (["deals", "add", "A", "A", "1e9", "--kind", "loan"], "same party"),
        (["deals", "confirm", "99999"], "no such deal"),
        (["deals", "list", "--status", "maybe"], "--status"),
    ]:
        extra = [] if bad[1] != "add" else ["--date", "2025-01-01", "--source", "u"]
        result = runner.invoke(app, [*bad, *extra, *db])
        assert result.exit_code == 2 and message in result.output, result.output


def test_the_circular_line_in_json_console_and_slack(db_path: Path) -> None:
    with Store(db_path) as store:
        seed_deals(store, now=NOW)
        circular = circular_context(store, now=NOW)
    assert circular is not None
    data = json.loads((FIXTURES / "index" / "readings.json").read_text(encoding="utf-8"))
    reading = reading_from_payload(data[-1])
    reading = replace(reading, context={**reading.context, "circular": circular})
    doc = reading_to_dict(reading)
    assert doc["circular"]["line"] == circular["line"] and doc["circular"]["status"] == "context"
    assert any(line.startswith("Circular deals: ") for line in reading_lines(reading))
    text = json.dumps(reading_blocks(reading, title="AI bubble monitor"))
    assert "Circular deals" in text and "Nvidia" in text
    assert reading_to_dict(replace(reading, context={}))["circular"] is None


def test_history_json_keeps_the_circular_member_of_stored_readings(db_path: Path) -> None:
    from monitor.store.readings import save_reading

    with Store(db_path) as store:
        seed_deals(store, now=NOW)
        circular = circular_context(store, now=NOW)
        data = json.loads((FIXTURES / "index" / "readings.json").read_text(encoding="utf-8"))
        reading = reading_from_payload(data[-1])
        save_reading(store, replace(reading, context={"circular": circular}), computed_at=NOW)
    rows = _json(["history", "--json", "--db", str(db_path)])
    assert isinstance(rows, list)
    assert rows[-1]["circular"]["line"] == circular["line"]  # type: ignore[index]


@pytest.mark.parametrize(
    "command",
    [["history"], ["headlines"], ["fundamentals"], ["deals", "list"], ["deals", "graph"],
     ["deals", "confirm", "1"]],
)  # fmt: skip
def test_a_reading_command_on_a_mistyped_db_names_it_and_creates_nothing(
    tmp_path: Path, command: list[str]
) -> None:
    typo = tmp_path / "monitr.db"
    result = runner.invoke(app, [*command, "--db", str(typo)])
    assert result.exit_code == 2, result.output
    assert f"{typo}: no such database" in " ".join(result.output.split())
    assert not typo.exists()


def test_add_refuses_a_deal_it_could_not_show_and_keeps_the_graph(seeded: Path) -> None:
    # Before: each of these was stored (a deal with itself in another case, a link to
    # `javascript:` or to nothing, a date the graph would hide until that day came).
    db = ["--db", str(seeded)]
    before = _json(["deals", "list", "--json", *db])
    ok = ["--date", "2025-09-15", "--source", "https://x.example/a"]
    for args, message in [
        (["Nvidia", "nvidia", "1e9", "--kind", "loan", *ok], "same party"),
        (["Nvidia", "OpenAI", "1e9", "--kind", "loan", "--date", "2025-09-15",
          "--source", "javascript:alert(1)"], "--source 'javascript:alert(1)': give the http(s)"),
        (["Nvidia", "OpenAI", "1e9", "--kind", "loan", "--date", "2025-09-15",
          "--source", "not a url"], "--source 'not a url'"),
        (["Nvidia", "OpenAI", "1e9", "--kind", "loan", "--date", "9999-01-01",
          "--source", "https://x.example/b"], "--date '9999-01-01': in the future"),
    ]:  # fmt: skip
        result = runner.invoke(app, ["deals", "add", *args, *db])
        assert result.exit_code == 2 and message in result.output, result.output
    assert _json(["deals", "list", "--json", *db]) == before


def test_graph_out_to_a_missing_folder_or_a_folder_is_an_error_line(
    seeded: Path, tmp_path: Path
) -> None:
    # Before: FileNotFoundError / IsADirectoryError tracebacks.
    for out in (tmp_path / "missing" / "graph.svg", tmp_path):
        result = runner.invoke(app, ["deals", "graph", "--out", str(out), "--db", str(seeded)])
        assert result.exit_code == 2, result.output
        assert f"error: --out {out}: cannot write:" in result.output


def test_add_keeps_no_control_characters_in_names_or_title(seeded: Path) -> None:
    # Before: an ESC sequence in a party name or --title was stored and printed by
    # `deals list` as it came (it could clear or recolour the operator's terminal).
    db = ["--db", str(seeded)]
    args = ["deals", "add", "Acme\x1b[2J", "Beta\x07Corp", "1e9", "--kind", "loan"]
    extra = ["--date", "2025-09-15", "--source", "https://x.example/c"]
    result = runner.invoke(app, [*args, *extra, "--title", "Acme \x1b[31mlends", *db])
    assert result.exit_code == 0, result.output
    rows = _json(["deals", "list", "--json", "--status", "confirmed", *db])
    assert isinstance(rows, list)
    added = next(r for r in rows if r["url"] == "https://x.example/c")
    assert (added["from"], added["to"], added["title"]) == (
        "Acme [2J",
        "Beta Corp",
        "Acme [31mlends",
    )


def test_add_spells_known_parties_as_stored(seeded: Path) -> None:
    # Before: 'nvidia' -> 'OPENAI' made two new graph nodes beside Nvidia and OpenAI, so
    # the deal was on no loop and joined no stored deal.
    db = ["--db", str(seeded)]
    nodes = _json(["deals", "graph", "--json", *db])["nodes"]  # type: ignore[index]
    args = ["deals", "add", "nvidia", "OPENAI", "5e9", "--kind", "equity"]
    result = runner.invoke(app, [*args, "--date", "2025-10-01", "--source",
                                 "https://x.example/spelt", *db])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert _json(["deals", "graph", "--json", *db])["nodes"] == nodes  # type: ignore[index]
    rows = _json(["deals", "list", "--json", "--status", "confirmed", *db])
    assert isinstance(rows, list)
    assert {(r["from"], r["to"]) for r in rows if r["url"] == "https://x.example/spelt"} == {
        ("Nvidia", "OpenAI")
    }

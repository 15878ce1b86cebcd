"""`report --demo`: the whole pipeline offline on the simulated scenario, end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.config import load_config
from monitor.demo import DEMO_NOW, build_scenario
from monitor.store import Store

runner = CliRunner()


@pytest.fixture(scope="module")
def demo_json(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, object], Path]:
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    result = runner.invoke(app, ["report", "--demo", "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), db


def test_demo_json_has_the_design_shape(demo_json: tuple[dict[str, object], Path]) -> None:
    payload, _ = demo_json
    assert set(payload) == {"as_of", "index", "regime", "change", "components",
                            "top_headlines", "stale", "probability", "base_rate", "froth",
                            "stress", "drivers", "target", "smart_money",
                            "model_mix"}
    assert payload["target"] == "40% drawdown within 24 months"
    assert 0 < payload["probability"] < 1 and 0 < payload["base_rate"] < 1  # type: ignore[operator]
    assert len(payload["drivers"]) == 3  # type: ignore[arg-type]
    assert isinstance(payload["index"], float) and 0 <= payload["index"] <= 100
    assert payload["regime"] in {"calm", "warming", "frothy", "bubble", "bursting"}
    assert payload["as_of"].startswith(DEMO_NOW.date().isoformat())  # type: ignore[union-attr]
    assert isinstance(payload["change"], float)  # the demo stores earlier readings


def test_demo_components_explain_the_index(demo_json: tuple[dict[str, object], Path]) -> None:
    payload, _ = demo_json
    components = payload["components"]
    assert isinstance(components, list) and len(components) >= 8
    for c in components:
        assert set(c) == {"name", "value", "weight", "contribution", "detail", "unfitted"}
        assert c["detail"]
    total = sum(c["contribution"] for c in components)
    assert total == pytest.approx(payload["index"], abs=0.1)


def test_demo_planted_bubble_reads_as_risky(demo_json: tuple[dict[str, object], Path]) -> None:
    payload, _ = demo_json
    by_name = {c["name"]: c for c in payload["components"]}  # type: ignore[union-attr]
    assert by_name["runup_1y"]["value"] > 0.5  # the planted boom: a log run-up above +65%
    assert payload["probability"] > payload["base_rate"]  # type: ignore[operator]
    assert payload["froth"] >= 80  # type: ignore[operator]
    assert payload["regime"] in {"frothy", "bubble", "bursting"}
    # News is unfitted: it moves the index a little and the probability not at all.
    news = [c for c in payload["components"] if c["unfitted"] and c["weight"] > 0]  # type: ignore[union-attr]
    assert {c["name"] for c in news} >= {"layoffs", "circular_deal", "bubble_warning"}
    assert all(abs(c["contribution"]) <= 2.0 for c in news)


def test_demo_top_headlines_are_labelled(demo_json: tuple[dict[str, object], Path]) -> None:
    payload, _ = demo_json
    top = payload["top_headlines"]
    assert isinstance(top, list) and len(top) >= 3
    for h in top:
        assert set(h) == {"title", "url", "source", "label", "confidence"}
        assert h["url"].startswith("https://demo.invalid/")
        assert 0 < h["confidence"] <= 1


def test_demo_is_idempotent(demo_json: tuple[dict[str, object], Path]) -> None:
    _, db = demo_json
    with Store(db) as store:
        counts = [store.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                  for t in ("prices", "headlines", "headline_scores", "index_readings")]
    result = runner.invoke(app, ["report", "--demo", "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    with Store(db) as store:
        again = [store.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                 for t in ("prices", "headlines", "headline_scores", "index_readings")]
    assert again == counts


def test_demo_rich_output_says_it_is_simulated() -> None:
    result = runner.invoke(app, ["report", "--demo"])
    assert result.exit_code == 0, result.output
    assert "SIMULATED DEMO" in result.output
    assert "Components" in result.output


def test_scenario_is_seeded_and_covers_the_config() -> None:
    config = load_config()
    a, b = build_scenario(config), build_scenario(config)
    assert a.bars == b.bars
    assert {bar.ticker for bar in a.bars} == set(config.tickers)
    assert len(a.headlines) >= 60

"""The live crash model: chosen by feeds.yaml `index.model`, `auto` by the rule of
docs/index-v2.md on the hold-outs stored in the shipped JSONs, and a caution on every
reading from a model that did not pass (report --json, the report, Slack, history and the
dashboard)."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from starlette.testclient import TestClient
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.config.feeds_yaml import default_feeds_path
from monitor.reading.crash_model import MODEL_DIR, live_model, live_model_name, load_model
from signals.basket import caution, target_text
from signals.crash.frozen_checks import check_caution
from signals.crash.scoring import mean_within
from tests.slack_server import CHANNEL, TOKEN, SlackStandIn
from tests.web_helpers import app_for

runner = CliRunner(env={"COLUMNS": "250"})


def _shipped_copy(tmp_path: Path) -> Path:
    for name in ("model_6m.json", "model_24m.json"):
        shutil.copy(MODEL_DIR / name, tmp_path / name)
    return tmp_path


def _set_holdout(path: Path, auc: float, skill: float) -> None:
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["holdout"]["model"] = {"auc": auc, "brier_skill": skill}
    path.write_text(json.dumps(raw), encoding="utf-8")


def test_auto_is_the_shipped_model_that_passed_its_hold_out() -> None:
    assert live_model_name("auto") == "6m"
    model = live_model("auto")
    assert model.horizon_months == 6 and model.holdout is not None and model.holdout.passed


def test_auto_reads_the_stored_hold_outs_not_a_fixed_name(tmp_path: Path) -> None:
    directory = _shipped_copy(tmp_path)
    _set_holdout(directory / "model_6m.json", auc=0.55, skill=-0.02)  # now worse than base
    _set_holdout(directory / "model_24m.json", auc=0.70, skill=0.12)  # now beats gsy_runup
    assert live_model_name("auto", directory) == "24m"
    assert live_model("auto", directory).horizon_months == 24


def test_an_explicit_choice_is_used_even_when_it_failed() -> None:
    assert live_model("24m").horizon_months == 24
    assert live_model("6m").horizon_months == 6


def test_caution_names_the_failed_hold_out_or_the_frozen_check_the_6m_model_missed() -> None:
    # The 6m model passed its hold-out; its stored AI-file check is not calibrated.
    six = load_model(6)
    assert six.holdout is not None and six.holdout.passed
    assert [c["calibrated"] for c in six.frozen_checks] == [False]
    assert caution(six) == check_caution(six.frozen_checks, None, target_text(six))
    assert caution(dataclasses.replace(six, frozen_checks=())) is None
    text = caution(load_model(24))
    assert text is not None
    assert "24-month crash model failed its pre-committed hold-out" in text
    assert "did not beat its best baseline" in text and "Brier skill +0.001" in text


def kind_rates(model: Any) -> list[float]:
    return [band["rate"] for band in model.reference["kinds"]["bands"]]


def _feeds(tmp_path: Path, model: str) -> Path:
    raw = yaml.safe_load(default_feeds_path().read_text(encoding="utf-8"))
    raw["index"]["model"] = model
    path = tmp_path / "feeds.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


def _demo(tmp: Path, monkeypatch: pytest.MonkeyPatch, model: str | None) -> dict[str, Any]:
    """report --demo --slack --json (with `index.model: model`); the Slack post's text."""
    feeds = [] if model is None else ["--feeds", str(_feeds(tmp, model))]
    with SlackStandIn() as slack:
        monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
        monkeypatch.setenv("SLACK_CHANNEL", CHANNEL)
        monkeypatch.setenv("BUBBLE_MONITOR_SLACK_BASE_URL", slack.base_url)
        args = ["report", "--demo", "--slack", "--json", "--db", str(tmp / "d.db"), *feeds]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        (post,) = slack.calls("chat.postMessage")
    blocks = post.form["blocks"]
    slack_text = json.dumps(json.loads(blocks) if isinstance(blocks, str) else blocks)
    return {"json": json.loads(result.stdout), "slack": slack_text, "db": tmp / "d.db"}


@pytest.fixture(scope="module")
def monkeymodule() -> pytest.MonkeyPatch:
    return pytest.MonkeyPatch()


@pytest.fixture(scope="module")
def default_demo(
    tmp_path_factory: pytest.TempPathFactory, monkeymodule: pytest.MonkeyPatch
) -> dict[str, Any]:
    return _demo(tmp_path_factory.mktemp("auto"), monkeymodule, None)


@pytest.fixture(scope="module")
def failed_demo(
    tmp_path_factory: pytest.TempPathFactory, monkeymodule: pytest.MonkeyPatch
) -> dict[str, Any]:
    return _demo(tmp_path_factory.mktemp("long"), monkeymodule, "24m")


def test_the_default_live_reading_comes_from_the_6m_model(default_demo: dict[str, Any]) -> None:
    doc = default_demo["json"]
    assert doc["target"] == "20% drawdown within 6 months"
    # v3: the base rate of units as volatile as the basket (signals.crash.reference).
    assert doc["base_rate"] in kind_rates(load_model(6))
    assert doc["validated"] is True
    assert doc["caution"] == caution(load_model(6), doc["probability"])
    assert "20% drawdown within 6 months" in default_demo["slack"]
    assert "Caution: on AI stocks and ETFs" in default_demo["slack"]


def test_a_24m_reading_says_its_model_failed_its_hold_out(failed_demo: dict[str, Any]) -> None:
    doc = failed_demo["json"]
    assert doc["target"] == "40% drawdown within 24 months"
    assert doc["base_rate"] in kind_rates(load_model(24))
    assert doc["validated"] is False
    assert "failed its pre-committed hold-out" in doc["caution"]
    assert (
        "Caution: the 24-month crash model failed its pre-committed hold-out"
        in (failed_demo["slack"])
    )
    # Against a century of industries the demo's planted boom is above the median froth
    # (79.7 on the 820-session scenario); the v3 regime follows the probability against
    # the base rate, not the froth.
    assert doc["froth"] > 50
    elevated = doc["probability"] >= 1.5 * doc["base_rate"]
    assert (doc["regime"] in {"frothy", "bubble", "bursting"}) == elevated


def test_every_reading_carries_relative_fragility_and_bubble_evidence(
    default_demo: dict[str, Any],
) -> None:
    doc = default_demo["json"]
    relative, evidence = doc["relative"], doc["bubble_evidence"]
    assert {"flag", "episodes", "crashed", "interval", "analogs"} <= set(evidence)
    assert doc["comparison"].startswith(relative["text"])
    assert relative["text"].startswith("LLM: more fragile than ")
    units = {u["name"]: u for u in relative["units"]}
    assert set(units) == {s["name"] for s in doc["segments"]}
    for unit in units.values():
        assert unit["base_rate"] is not None and len(unit["interval"]) == 2
    # The market segment reads near the base rate of units like it: within the
    # pre-registered tolerance, max(3 points, 30%) (docs/preregistration.md).
    market = units["market"]
    assert mean_within(market["probability"], market["base_rate"])
    assert relative["market_wide"]["base_rate"] > 0
    assert "Base rates and bubble evidence" in default_demo["slack"]
    db = default_demo["db"]
    last = json.loads(runner.invoke(app, ["history", "--json", "--db", str(db)]).stdout)[-1]
    assert last["relative"] == relative and last["bubble_evidence"] == evidence
    client = TestClient(app_for(db))
    api = client.get("/api/reading").json()
    assert api["relative"] == relative and api["bubble_evidence"] == evidence
    page = client.get("/").text
    assert 'id="relative"' in page and 'id="bubble-evidence"' in page


def test_the_report_text_carries_the_three_parts(default_demo: dict[str, Any]) -> None:
    """`report` (compact and --full) says the bubble evidence too, not only --json: the
    demo's LLM segment carries the GSY flag, its count and its analogs are printed."""
    db = default_demo["db"]
    llm = default_demo["json"]["bubble_evidence"]["segments"]["llm"]
    assert llm["flag"] is True and llm["analogs"]
    flag = f"GSY bubble flag on LLM ({llm['crashed']} of {llm['episodes']} past industry run-ups"
    # --no-collect: the report of the stored demo reading; collecting would try Yahoo (its
    # curl client is not stopped by pytest-socket) and spent ~10 s failing offline.
    compact_run = runner.invoke(app, ["report", "--no-collect", "--db", str(db)])
    compact = " ".join(compact_run.stdout.split())
    assert flag in compact and "off for the basket, applied AI, market" in compact
    full_run = runner.invoke(app, ["report", "--full", "--no-collect", "--db", str(db)])
    full = " ".join(full_run.stdout.split())
    assert "History's evidence (index v3)" in full
    assert "market-wide falls (all industries): base rate" in full
    assert "LLM: crash probability" in full and "units as volatile crashed" in full
    for analog in llm["analogs"]:
        assert f"analog: {analog['industry']}, flagged {analog['start']} at a 2-year" in full
    assert flag in default_demo["slack"]


def test_history_and_dashboard_carry_the_caution(failed_demo: dict[str, Any]) -> None:
    db = failed_demo["db"]
    result = runner.invoke(app, ["history", "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    last = json.loads(result.stdout)[-1]
    assert last["validated"] is False and "failed its pre-committed hold-out" in last["caution"]
    page = TestClient(app_for(db)).get("/").text
    assert 'id="caution"' in page and "failed its pre-committed hold-out" in page


def test_the_rich_report_shows_the_caution(tmp_path: Path) -> None:
    feeds = _feeds(tmp_path, "24m")
    result = runner.invoke(app, ["report", "--demo", "--feeds", str(feeds)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Caution: the 24-month crash model failed its pre-committed hold-out" in text


def test_doctor_names_the_live_model_and_warns_when_it_failed(tmp_path: Path) -> None:
    def crash_check(*feeds: str) -> dict[str, str]:
        args = ["doctor", "--skip-model", "--json", "--db", str(tmp_path / "m.db"), *feeds]
        result = runner.invoke(app, args)
        checks = {c["name"]: c for c in json.loads(result.stdout)}
        return checks["crash_model"]  # type: ignore[no-any-return]

    default = crash_check()
    assert default["status"] == "ok" and "model_6m.json" in default["detail"]
    assert "hold-out passed; on AI stocks and ETFs 2016-2026, never fitted" in default["detail"]
    failed = crash_check("--feeds", str(_feeds(tmp_path, "24m")))
    assert failed["status"] == "warn" and "model_24m.json" in failed["detail"]
    assert "failed its pre-committed hold-out" in failed["detail"]


def test_no_change_is_computed_across_a_model_switch() -> None:
    from datetime import UTC, datetime

    from signals.basket import basket_reading, closes_fitted
    from signals.index import index_shape
    from signals.models import IndexReading
    from tests.test_crash_reading import NOW, closes

    prices, spy = closes(0.002)
    frame = prices.assign(SPY=spy)
    before = datetime(2020, 1, 1, tzinfo=UTC)
    long = IndexReading(before, 30.0, "frothy", None, (), target="40% drawdown within 24 months")
    short = IndexReading(before, 30.0, "frothy", None, (), target="20% drawdown within 6 months")

    def read(previous: IndexReading) -> IndexReading:
        model = live_model("6m")
        fitted = closes_fitted(frame, ["AAA", "BBB"], model, now=NOW, name="basket")
        return basket_reading(
            index_shape(NOW), [], {}, previous=previous, model=model, fitted=fitted, market=tuple
        )

    switched = read(long)
    assert switched.change is None
    assert any("crash model changed since the last reading" in n for n in switched.notes)
    assert read(short).change == pytest.approx(read(short).index - 30.0)

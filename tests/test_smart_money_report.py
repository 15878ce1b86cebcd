"""Smart money and model mix in `report --demo`: rich, JSON and Slack, and in the reading."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.config.feeds_yaml import Config, load_config
from monitor.reading.smart_money import smart_money_view
from monitor.store import Store
from monitor.store.filings import save_filing
from signals.thirteenf import Filing, Holding
from tests.conftest import DemoReport
from tests.slack_server import CHANNEL, TOKEN, SlackStandIn

runner = CliRunner()
EXAMPLE = (
    "Simulated Short Capital (demo) reported puts on 1,000,000 NVDA shares, notional $186.6M, "
    "in its 13F for 2026-06-30"
)


@pytest.fixture(scope="module")
def demo(
    tmp_path_factory: pytest.TempPathFactory, demo_report: DemoReport
) -> tuple[dict[str, object], Path]:
    """`report --demo --json --db demo.db`'s output and a copy of the store it left."""
    db = demo_report.copy_to(tmp_path_factory.mktemp("demo"))
    return json.loads(demo_report.stdout), db


def test_json_has_smart_money_and_model_mix(demo: tuple[dict[str, object], Path]) -> None:
    payload, _ = demo
    smart = payload["smart_money"]
    assert isinstance(smart, dict)
    segments = {s["name"]: s for s in smart["segments"]}
    assert list(segments) == ["llm", "applied_ai", "market"]  # feeds.yaml segments
    segment = segments["llm"]
    assert segment["positioning"]["status"] == "component"
    assert segment["positioning"]["value"] > 70  # the demo's short interest rises at the end
    assert segment["smart_money"]["status"] == "context"  # one quarter: context, not a component
    assert segment["quarters"][0]["put_share"] == pytest.approx(
        (186_580_000 + 912_100_000)
        / (186_580_000 + 912_100_000 + 26_350_000 + 447_790_000 + 310_740_000),
        abs=1e-4,
    )
    assert EXAMPLE in smart["events"]
    assert smart["events"][0].startswith("Simulated Short Capital (demo) reported puts")
    assert "notional" in smart["notes"][0] and "not premium" in smart["notes"][0]
    assert smart["line"].startswith("LLM short interest")
    mix = payload["model_mix"]
    assert isinstance(mix, dict)
    assert mix["line"].startswith("LLMs were 31% of the") and mix["line"].endswith("38% a year ago")
    assert len(mix["weeks"]) == 8  # the last eight of the 56 stored: each reading keeps them


def test_positioning_is_a_component_of_the_reading(demo: tuple[dict[str, object], Path]) -> None:
    payload, _ = demo
    by_name = {c["name"]: c for c in payload["components"]}  # type: ignore[union-attr]
    # Index v2: an unfitted component beside the probability, 0.04 per point from 50.
    positioning = by_name["positioning"]
    assert positioning["value"] > 70 and positioning["weight"] == pytest.approx(0.04)
    assert positioning["contribution"] == pytest.approx(0.04 * (positioning["value"] - 50))
    assert positioning["detail"].startswith("unfitted: LLM: ")  # named as every line names it
    assert "smart_money" not in by_name  # context only: not listed as a missing input
    assert not any("positioning" in s or "smart_money" in s for s in payload["stale"])


def test_the_demo_history_uses_short_interest_only_once_published(
    demo: tuple[dict[str, object], Path],
) -> None:
    _, db = demo
    result = runner.invoke(app, ["history", "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    used: dict[str, set[str]] = {}
    for reading in json.loads(result.stdout):
        day = reading["as_of"][:10]
        (llm,) = (s for s in reading["smart_money"]["segments"] if s["name"] == "llm")
        assert all(n["published"] <= day for n in llm["names"]), day
        used[day] = {n["settlement"] for n in llm["names"]}
    # The 2026-10-15 settlement is public on 2026-10-26 (7 business days): the days
    # before rank the 2026-09-30 one, as a user could have then.
    assert used["2026-10-23"] == {"2026-09-30"} and used["2026-10-26"] == {"2026-10-15"}


def test_rich_report_shows_smart_money_and_model_mix() -> None:
    result = runner.invoke(app, ["report", "--demo"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    # Under its "Smart money" heading the line no longer repeats "Smart money: ".
    assert "\nSmart money\n" in result.output and "Model mix:" in result.output
    assert "LLM short interest" in result.output
    assert "13F: " + EXAMPLE in result.output
    assert "not premium" in result.output


def test_slack_report_carries_the_smart_money_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with SlackStandIn() as slack:
        monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
        monkeypatch.setenv("SLACK_CHANNEL", CHANNEL)
        monkeypatch.setenv("BUBBLE_MONITOR_SLACK_BASE_URL", slack.base_url)
        args = ["report", "--demo", "--slack", "--json", "--db", str(tmp_path / "d.db")]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        (post,) = slack.calls("chat.postMessage")
    blocks = (
        json.loads(post.form["blocks"])
        if isinstance(post.form["blocks"], str)
        else post.form["blocks"]
    )
    text = json.dumps(blocks)
    assert "Smart money: LLM short interest" in text
    assert "Model mix: LLMs were 31%" in text
    assert "notional" in text


def test_events_and_aggregate_follow_the_store(tmp_path: Path) -> None:
    config = load_config()
    now = datetime(2025, 12, 1, tzinfo=UTC)
    with Store(tmp_path / "m.db") as store:
        empty = smart_money_view(store, config, now=now)
        assert empty.line is None and empty.empty
        filing = Filing(
            1, "Fund A", "0000000001-25-000001", "13F-HR", date(2025, 9, 30), date(2025, 11, 14)
        )
        puts = Holding("67066G104", "NVIDIA", "COM", 1000, 186_580.0, "put", "NVDA")
        save_filing(store, filing, [puts], value_multiplier=1, fetched_at=now)
        view = smart_money_view(store, config, now=now)
        assert view.events == (
            "Fund A reported puts on 1,000 NVDA shares, notional $186.6K, "
            "in its 13F for 2025-09-30",
        )
        # A filing not yet filed on the reading's date is not known to it.
        before = smart_money_view(store, config, now=datetime(2025, 11, 13, tzinfo=UTC))
        assert before.events == () and before.segments[0].quarters == ()


def test_segments_when_the_config_has_them() -> None:
    from types import SimpleNamespace

    from monitor.reading.smart_money import segment_baskets

    assert segment_baskets(load_config())["llm"][:2] == ("NVDA", "MSFT")
    # A feeds.yaml with `basket:` alone is the one segment `ai`.
    assert segment_baskets(Config(basket=("NVDA", "MSFT"))) == {"ai": ("NVDA", "MSFT")}
    llm = SimpleNamespace(name="llm", symbols=("NVDA", "9984.T"))
    applied = SimpleNamespace(name="applied_ai", symbols=("RXRX",))
    config = SimpleNamespace(segments=(llm, applied), basket=("NVDA",))
    assert segment_baskets(config) == {  # type: ignore[arg-type]
        "llm": ("NVDA", "9984.T"),
        "applied_ai": ("RXRX",),
    }

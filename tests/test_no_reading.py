"""No silent failure to the channel: a store with headlines but no prices.

`report --slack` exits 2 naming the missing prices and the command that fixes them, and
exactly one short "no reading today" message reaches Slack (a local stand-in for its Web
API), however many times the report runs that day.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.config.feeds_yaml import load_config
from monitor.errors import NoReadingError
from monitor.reading.missing import missing_inputs
from monitor.stages.no_reading import no_reading_alert
from monitor.store import Store
from monitor.store.headlines import insert_headlines
from signals.models import Headline
from tests.slack_server import CHANNEL, TOKEN, SlackStandIn

runner = CliRunner()
NOW = datetime.now(UTC)
TITLES = (
    "Nvidia and OpenAI agree a $100bn investment tied to chip purchases",
    "Chipmaker cuts 900 jobs as orders slow",
    "Startup raises $2bn at a $40bn valuation",
    "Investor warns AI stocks look like 1999",
)


def _headlines_only(db: Path) -> None:
    with Store(db) as store:
        insert_headlines(
            store,
            [
                Headline(t, f"https://news.invalid/{i}", "Wire", "wire", NOW - timedelta(hours=i))
                for i, t in enumerate(TITLES)
            ],
            fetched_at=NOW,
        )


def test_headlines_without_prices_name_the_prices_and_reach_slack_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "news.db"
    _headlines_only(db)
    with SlackStandIn() as slack:
        monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
        monkeypatch.setenv("SLACK_CHANNEL", CHANNEL)
        monkeypatch.setenv("BUBBLE_MONITOR_SLACK_BASE_URL", slack.base_url)
        args = ["report", "--slack", "--no-collect", "--db", str(db)]
        first, second = runner.invoke(app, args), runner.invoke(app, args)
        posts = slack.calls("chat.postMessage")
    for result in (first, second):
        assert result.exit_code == 2, result.output
        assert "prices: no close stored for any of the" in result.output
        assert "bubble-monitor collect prices" in result.output
        assert "news: 4 headlines stored since" in result.output
    assert len(posts) == 1  # once a day, not once per run
    text = json.dumps(posts[0].form)
    assert "No AI bubble reading today" in text
    assert "prices: no close stored" in text and "collect prices" in text


def test_missing_inputs_name_stale_prices_with_their_date(tmp_path: Path) -> None:
    config = load_config()
    with Store(tmp_path / "empty.db") as store:
        lines = missing_inputs(store, config, NOW)
    assert lines[0].startswith(f"prices: no close stored for any of the {len(config.tickers)}")
    assert lines[1] == "headlines: none stored; run `bubble-monitor collect news`"


def test_the_message_is_keyed_by_the_local_day() -> None:
    config = load_config()
    error = NoReadingError("x", ("prices: none",))
    alert = no_reading_alert(config, error.missing, NOW)
    assert alert.kind == "no_reading" and alert.dedup_key.startswith("no_reading:")
    assert alert.text == "Missing: prices: none"


def test_old_prices_and_fresh_headlines_reach_slack_grouped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's store: months-old prices and four fresh headlines. The Slack report
    names the headlines (the news components are still warming up) and the stale prices
    in one line with their date, not ticker by ticker."""
    import math

    from monitor.store.prices import upsert_bars
    from signals.models import PriceBar

    config = load_config()
    db = tmp_path / "old.db"
    _headlines_only(db)
    last = (NOW - timedelta(days=150)).date()
    days = [
        last - timedelta(days=i) for i in range(420) if (last - timedelta(days=i)).weekday() < 5
    ]
    bars = [
        PriceBar(t, d, 50 + n + 10 * math.sin(i / 30), "csv")
        for n, t in enumerate(config.tickers)
        for i, d in enumerate(sorted(days))
    ]
    with Store(db) as store:
        upsert_bars(store, bars, fetched_at=NOW)
    with SlackStandIn() as slack:
        monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
        monkeypatch.setenv("SLACK_CHANNEL", CHANNEL)
        monkeypatch.setenv("BUBBLE_MONITOR_SLACK_BASE_URL", slack.base_url)
        args = ["report", "--slack", "--no-collect", "--db", str(db)]
        result = runner.invoke(app, args, env={"COLUMNS": "80"})
        assert result.exit_code == 0, result.output
        (post,) = slack.calls("chat.postMessage")
    text = json.dumps(post.form)
    count = len(config.tickers)
    line = f"prices: all {count} tickers stale since {max(days).isoformat()}"
    assert line in text and line in result.stdout
    assert "still warming up" in text and "still warming up" in result.stdout
    assert TITLES[0] in text and TITLES[0] in result.stdout
    assert "NVDA, MSFT" not in text  # not ticker by ticker


def test_the_digest_job_sends_one_no_reading_message_a_day(tmp_path: Path) -> None:
    """The service's digest: an empty store fails the job clearly, and the channel gets
    one message naming the missing inputs however many times the job runs that day."""
    from monitor.config.feeds_yaml import Config
    from monitor.notify import NotifierManager
    from monitor.stages.digest import run_digest
    from tests.fakes import Recorder, make_app

    recorder = Recorder()
    with Store(tmp_path / "svc.db") as store:
        app = make_app(
            Config(basket=("NVDA", "AMD")),
            store,
            clock=lambda: NOW,
            notifier=NotifierManager([recorder]),
        )
        for _ in range(3):
            with pytest.raises(NoReadingError, match="prices: no close stored"):
                run_digest(app)
    assert [a.kind for a, _ in recorder.sent] == ["no_reading"]
    assert "prices: no close stored for any of the 2 configured tickers" in recorder.sent[0][0].text


def test_an_unreadable_model_is_sent_as_the_reason(tmp_path: Path) -> None:
    from monitor.errors import ModelError
    from monitor.notify import NotifierManager
    from monitor.stages.no_reading import send_no_reading
    from tests.fakes import Recorder

    recorder = Recorder()
    error = ModelError("head.json: cannot load the classifier head: bad JSON")
    with Store(tmp_path / "m.db") as store:
        manager = NotifierManager([recorder])
        assert send_no_reading(store, load_config(), error, manager, now=NOW)
        assert not send_no_reading(store, load_config(), error, manager, now=NOW)
    ((alert, _),) = recorder.sent
    assert alert.text == "Missing: head.json: cannot load the classifier head: bad JSON"

"""dispatch on a real store: claim, send once, isolate failing channels, survive restarts."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.config.feeds_yaml import Config
from monitor.config.secrets import slack_settings
from monitor.errors import NotifyError
from monitor.notify import ConsoleNotifier, NotifierManager
from monitor.notify.slack import SlackBotNotifier
from monitor.stages.alerts import alert_settings, dispatch, send_report
from monitor.store import Store
from monitor.store.alerts import sent_alerts
from monitor.store.headlines import insert_headlines
from monitor.store.readings import save_reading
from monitor.store.scores import save_scores
from signals.models import Alert, Component, Headline, HeadlineScore, IndexReading
from signals.regime import band
from tests.fakes import Recorder
from tests.slack_server import CHANNEL, TOKEN, SlackStandIn, slack_error

CONFIG = Config(basket=("NVDA",))
T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # 10:00 New York: the digest is due


def reading(at: datetime, value: float) -> IndexReading:
    comp = Component("overextension", "market", value, 1.0, value, "detail")
    return IndexReading(at, value, band(value), None, (comp,))


def step(store: Store, at: datetime, value: float, notifier: object) -> list[Alert]:
    r = reading(at, value)
    save_reading(store, r, computed_at=at)
    return dispatch(store, CONFIG, r, notifier, now=at)  # type: ignore[arg-type]


def test_settings_come_from_the_config() -> None:
    s = alert_settings(CONFIG)
    assert s.digest_time.hour == 9 and str(s.tz) == "America/New_York"
    assert s.jump_points == CONFIG.alerts.jump_points


def test_digest_sent_once_with_chart_and_not_again_after_restart(
    store: Store, db_path: Path
) -> None:
    rec = Recorder()
    sent = step(store, T0, 40.0, rec)
    assert [a.dedup_key for a in sent] == ["digest:2026-03-02"]
    _, chart = rec.sent[0]
    assert chart is not None and chart.startswith(b"\x89PNG")
    assert step(store, T0 + timedelta(hours=1), 41.0, rec) == []
    with Store(db_path) as restarted:
        fresh = Recorder()
        r = reading(T0 + timedelta(hours=1), 41.0)
        assert dispatch(restarted, CONFIG, r, fresh, now=r.as_of) == []
        assert fresh.sent == []


def test_failing_channel_does_not_stop_the_others(store: Store) -> None:
    down, up = Recorder("down", fail=True), Recorder("up")
    sent = step(store, T0, 40.0, NotifierManager([down, up]))
    assert len(sent) == 1 and len(up.sent) == 1
    row = store.conn.execute("SELECT channel, sent_at FROM alerts").fetchone()
    assert row["channel"] == "up" and row["sent_at"] is not None


def test_all_channels_failing_releases_the_claim_for_a_retry(store: Store) -> None:
    assert step(store, T0, 40.0, Recorder("down", fail=True)) == []
    assert sent_alerts(store) == []
    rec = Recorder()
    assert [a.kind for a in step(store, T0 + timedelta(hours=1), 40.0, rec)] == ["digest"]


def test_regime_change_and_jump_at_once_send_one_message(store: Store) -> None:
    rec = Recorder()
    step(store, T0, 40.0, rec)  # digest
    sent = step(store, T0 + timedelta(hours=2), 56.0, rec)
    assert [a.kind for a in sent] == ["regime_change"]
    # The jump was recorded as merged: the next reading does not announce it again.
    assert step(store, T0 + timedelta(hours=3), 56.5, rec) == []
    kinds = {a.kind for a in sent_alerts(store)}
    assert kinds == {"digest", "regime_change", "jump"}


def test_breaking_headline_from_the_store(store: Store) -> None:
    items = [
        Headline(
            "Nvidia to invest in OpenAI <!channel>",
            f"https://n.example/{i}",
            src,
            "f",
            T0 - timedelta(hours=2),
        )
        for i, src in enumerate(("Reuters", "Bloomberg", "FT"))
    ]
    ids = insert_headlines(store, items[:1], fetched_at=T0)
    ids += insert_headlines(
        store,
        [
            Headline(
                "Nvidia-OpenAI circular deal draws scrutiny",
                "https://n.example/x",
                "FT",
                "f",
                T0 - timedelta(hours=2),
            )
        ],
        fetched_at=T0,
    )
    store.conn.execute("UPDATE headlines SET story_id = ?", (ids[0],))
    score = HeadlineScore("circular_deal", 0.95, {"circular_deal": 0.95}, "m")
    save_scores(store, [(i, score) for i in ids], scored_at=T0)
    rec = Recorder()
    sent = step(store, T0, 40.0, rec)
    assert sorted(a.kind for a in sent) == ["breaking", "digest"]
    assert step(store, T0 + timedelta(hours=1), 40.0, rec) == []


def test_console_when_no_slack_is_configured(store: Store) -> None:
    out = io.StringIO()
    step(store, T0, 40.0, NotifierManager([ConsoleNotifier(out)]))
    assert "Daily digest 2026-03-02" in out.getvalue()
    assert "overextension" in out.getvalue()


def test_the_app_builds_the_channels_from_its_environment(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    from monitor.app import build

    app = build(CONFIG, {}, store=store)  # no Slack variables: the console
    step(store, T0, 40.0, app.notifier)
    assert "Daily digest" in capsys.readouterr().out


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn() as server:
        yield server


def test_dispatch_through_the_real_slack_client(store: Store, slack: SlackStandIn) -> None:
    settings = slack_settings(
        {
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_CHANNEL": CHANNEL,
            "BUBBLE_MONITOR_SLACK_BASE_URL": slack.base_url,
        }
    )
    manager = NotifierManager([SlackBotNotifier(settings)])
    sent = step(store, T0, 40.0, manager)
    assert len(sent) == 1 and len(slack.calls("chat.postMessage")) == 1
    assert len(slack.completed) == 1 and len(slack.uploads) == 1
    step(store, T0 + timedelta(minutes=5), 40.0, manager)
    assert len(slack.calls("chat.postMessage")) == 1
    delivery = send_report(store, CONFIG, reading(T0, 40.0), manager, now=T0 + timedelta(minutes=6))
    assert delivery.sent == ("slack",) and len(slack.calls("chat.postMessage")) == 2
    # Asked again at the same instant (the demo's clock stands still): sent again, not
    # refused as a duplicate of the first request.
    send_report(store, CONFIG, reading(T0, 40.0), manager, now=T0 + timedelta(minutes=6))
    assert len(slack.calls("chat.postMessage")) == 3
    slack.script("chat.postMessage", slack_error("not_in_channel"))
    with pytest.raises(NotifyError, match=r"report not sent.*/invite"):
        send_report(store, CONFIG, reading(T0, 40.0), manager, now=T0 + timedelta(minutes=7))


def test_a_report_slack_refused_promises_no_retry(
    store: Store, slack: SlackStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    """`report --slack` with a rejected token logged "will retry on the next run"; a one-off
    report has no next run, so only its error (the reason) remains."""
    settings = slack_settings(
        {
            "SLACK_BOT_TOKEN": "xoxb-rejected",
            "SLACK_CHANNEL": CHANNEL,
            "BUBBLE_MONITOR_SLACK_BASE_URL": slack.base_url,
        }
    )
    manager = NotifierManager([SlackBotNotifier(settings)])
    with pytest.raises(NotifyError, match=r"report not sent .*invalid_auth"):
        send_report(store, CONFIG, reading(T0, 40.0), manager, now=T0)
    assert "retry" not in caplog.text


def test_a_report_of_a_simulated_reading_says_so_in_slack(
    store: Store, slack: SlackStandIn
) -> None:
    """`report --demo --slack` posted the demo's reading to the team's channel looking
    like a real one; a reading marked simulated now says so in the text and the blocks."""
    settings = slack_settings(
        {
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_CHANNEL": CHANNEL,
            "BUBBLE_MONITOR_SLACK_BASE_URL": slack.base_url,
        }
    )
    manager = NotifierManager([SlackBotNotifier(settings)])
    simulated = replace(reading(T0, 40.0), context={"simulated": True})
    send_report(store, CONFIG, simulated, manager, now=T0)
    send_report(store, CONFIG, reading(T0, 40.0), manager, now=T0)
    first, second = (c.form for c in slack.calls("chat.postMessage"))
    assert "SIMULATED DEMO, not market data: AI bubble index report" in first["text"]
    assert "SIMULATED DEMO" in json.dumps(first["blocks"])
    assert "SIMULATED" not in second["text"] + json.dumps(second["blocks"])


def test_a_report_no_channel_takes_says_so(store: Store) -> None:
    with pytest.raises(NotifyError, match=r"report not sent \(no channel took it\)"):
        send_report(store, CONFIG, reading(T0, 40.0), NotifierManager([]), now=T0)


def test_a_chart_the_bot_cannot_upload_is_sent_without_it_and_warned(
    store: Store, slack: SlackStandIn
) -> None:
    """The message is out, the chart is not: the alert counts as sent (no resend) and the
    warning reaches the index run's summary, which the runner writes to the job log."""
    slack.script("files.getUploadURLExternal", slack_error("missing_scope", needed="files:write"))
    env = {"SLACK_BOT_TOKEN": TOKEN, "SLACK_CHANNEL": CHANNEL}
    bot = SlackBotNotifier(
        slack_settings({**env, "BUBBLE_MONITOR_SLACK_BASE_URL": slack.base_url}), retries=[]
    )
    warnings: list[str] = []
    r = reading(T0, 40.0)
    save_reading(store, r, computed_at=T0)
    sent = dispatch(store, CONFIG, r, NotifierManager([bot]), now=T0, on_warning=warnings.append)
    assert [a.kind for a in sent] == ["digest"] and len(slack.calls("chat.postMessage")) == 1
    assert [a.dedup_key for a in sent_alerts(store, since=T0)] == ["digest:2026-03-02"]
    assert len(warnings) == 1 and warnings[0].startswith("digest via slack: chart not")
    assert "files:write" in warnings[0]

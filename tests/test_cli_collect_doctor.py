"""`collect news` and `doctor` through the CLI, against a local feed server and real files."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.store import Store

runner = CliRunner()


def rss(now: datetime) -> str:
    items = "".join(
        f"<item><title>Chipmaker {name} cuts {n} jobs as AI spending shifts</title>"
        f"<link>https://example.org/{name}</link>"
        f"<pubDate>{format_datetime(now - timedelta(hours=n))}</pubDate></item>"
        for n, name in enumerate(("alpha", "beta", "gamma"), 1)
    )
    head = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
    return f"{head}{items}</channel></rss>"


def feeds_file(tmp_path: Path, server: HTTPServer) -> Path:
    path = tmp_path / "feeds.yaml"
    path.write_text(
        "basket: [NVDA]\n"
        "news: {timeout_seconds: 3}\n"
        "feeds:\n"
        f"  - {{name: good, url: '{server.url_for('/good.xml')}'}}\n"
        f"  - {{name: missing, url: '{server.url_for('/missing.xml')}'}}\n"
    )
    return path


def test_collect_news_reports_each_feed_and_is_idempotent(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request("/good.xml").respond_with_data(
        rss(datetime.now(UTC)), content_type="application/rss+xml"
    )
    httpserver.expect_request("/missing.xml").respond_with_data("gone", status=404)
    args = [
        "collect",
        "news",
        "--json",
        "--feeds",
        str(feeds_file(tmp_path, httpserver)),
        "--db",
        str(tmp_path / "m.db"),
    ]

    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    news = json.loads(first.stdout)["news"]
    by_feed = {f["feed"]: f for f in news["feeds"]}
    assert by_feed["good"]["status"] == "new" and by_feed["good"]["new"] == 3
    assert by_feed["missing"]["status"] == "failed" and "404" in by_feed["missing"]["error"]
    assert news["new"] == 3

    second = runner.invoke(app, args)
    assert second.exit_code == 0, second.output
    assert json.loads(second.stdout)["news"]["new"] == 0

    listed = runner.invoke(app, ["headlines", "--json", "--db", str(tmp_path / "m.db")])
    assert listed.exit_code == 0, listed.output
    titles = sorted(h["title"] for h in json.loads(listed.stdout))
    assert titles[0] == "Chipmaker alpha cuts 1 jobs as AI spending shifts"
    assert len(titles) == 3


def test_doctor_reports_each_part_without_failing_on_a_fresh_setup(tmp_path: Path) -> None:
    Store(
        tmp_path / "m.db"
    ).close()  # created, nothing collected (a missing file: test_qaops_doctor)
    result = runner.invoke(
        app, ["doctor", "--skip-model", "--json", "--db", str(tmp_path / "m.db")]
    )
    assert result.exit_code == 0, result.output
    checks = {c["name"]: c for c in json.loads(result.stdout)}
    assert checks["config"]["status"] == "ok"
    assert checks["store"]["status"] == "ok" and "integrity ok" in checks["store"]["detail"]
    assert checks["feeds"]["status"] == "warn" and "never fetched" in checks["feeds"]["detail"]
    assert checks["prices"]["status"] == "warn" and "NVDA" in checks["prices"]["detail"]
    assert checks["slack"]["status"] == "warn" and "console" in checks["slack"]["detail"]


def test_doctor_fails_on_a_broken_config_but_still_checks_the_rest(tmp_path: Path) -> None:
    bad = tmp_path / "feeds.yaml"
    bad.write_text("basket: []\n")
    Store(tmp_path / "m.db").close()
    result = runner.invoke(
        app,
        ["doctor", "--skip-model", "--json", "--feeds", str(bad), "--db", str(tmp_path / "m.db")],
    )
    assert result.exit_code == 1
    checks = {c["name"]: c for c in json.loads(result.stdout)}
    assert checks["config"]["status"] == "fail" and f"{bad}:1: basket" in checks["config"]["detail"]
    assert checks["store"]["status"] == "ok"


def test_doctor_names_a_bad_slack_channel_without_leaking_the_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "xoxb-123456789012-abcdefSECRET"
    monkeypatch.setenv("SLACK_BOT_TOKEN", secret)
    monkeypatch.setenv("SLACK_CHANNEL", "#general")
    result = runner.invoke(
        app, ["doctor", "--skip-model", "--json", "--db", str(tmp_path / "m.db")]
    )
    checks = {c["name"]: c for c in json.loads(result.stdout)}
    assert checks["slack"]["status"] == "fail"
    assert secret not in result.output


def test_collect_news_exits_2_when_every_feed_failed_after_naming_each(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request("/good.xml").respond_with_data("down", status=503)
    httpserver.expect_request("/missing.xml").respond_with_data("gone", status=404)
    feeds = str(feeds_file(tmp_path, httpserver))
    db = str(tmp_path / "m.db")

    result = runner.invoke(app, ["collect", "news", "--feeds", feeds, "--db", db])
    assert result.exit_code == 2, result.output
    assert "503" in result.output and "404" in result.output  # the table names each feed
    assert "news failed:" in result.output and "error: news: " in result.output

    fresh = str(tmp_path / "fresh.db")  # in `db` both feeds now back off: skipped, no failure
    as_json = runner.invoke(app, ["collect", "news", "--json", "--feeds", feeds, "--db", fresh])
    assert as_json.exit_code == 2
    news = json.loads(as_json.stdout)["news"]
    assert news["failed_stage"].startswith("all 2 feeds asked failed")
    assert {f["status"] for f in news["feeds"]} == {"failed"}

    backing_off = runner.invoke(app, ["collect", "news", "--feeds", feeds, "--db", db])
    assert backing_off.exit_code == 0, backing_off.output

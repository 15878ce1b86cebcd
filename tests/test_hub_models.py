"""`collect models`: huggingface_hub's real list_models against a local Hub stand-in."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner
from werkzeug import Request, Response

from monitor.cli.app import app
from monitor.config.smart_money import ModelMixConfig
from monitor.sources.hub.collect import collect_models, hub_api, wanted_weeks
from monitor.store import Store
from monitor.store.model_mix import load_weeks
from signals.model_mix import WeekMix, categorize, mix_line

ROOT = Path(__file__).resolve().parent.parent
MODELS = json.loads(
    (Path(__file__).resolve().parent / "fixtures" / "hub" / "models_newest_first.json").read_text()
)
NOW = datetime(2025, 12, 3, 12, tzinfo=UTC)  # a Wednesday: the last whole week began 11-24
PAGE = 5


class HubStandIn:
    """/api/models in pages of PAGE with a Link header; scripted 429s first."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.queries: list[dict[str, list[str]]] = []
        self.too_many: list[int] = []  # page numbers (0-based) answered 429 once
        server.expect_request("/api/models").respond_with_handler(self.handle)

    @property
    def endpoint(self) -> str:
        return self.server.url_for("").rstrip("/")

    def handle(self, request: Request) -> Response:
        self.queries.append({k: request.args.getlist(k) for k in request.args})
        page = int(request.args.get("cursor", "0"))
        if page in self.too_many:
            self.too_many.remove(page)
            return Response("rate limited", status=429, headers={"Retry-After": "1"})
        items = MODELS[page * PAGE : (page + 1) * PAGE]
        headers = {}
        if (page + 1) * PAGE < len(MODELS):
            headers["Link"] = f'<{self.endpoint}/api/models?cursor={page + 1}>; rel="next"'
        return Response(json.dumps(items), headers=headers, content_type="application/json")

    def pages_served(self) -> int:
        return len(self.queries)


@pytest.fixture
def hub(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[HubStandIn]:
    import huggingface_hub.constants

    # conftest switches the Hub off for the model loads; this test's Hub is local.
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    stand_in = HubStandIn(httpserver)
    monkeypatch.setenv("HF_ENDPOINT", stand_in.endpoint)
    yield stand_in


def test_counts_the_last_whole_week_by_kind_and_stops_paging(store: Store, hub: HubStandIn) -> None:
    result = collect_models(store, ModelMixConfig(), hub_api(hub.endpoint), now=NOW)
    (week,) = result.weeks
    assert week.week_start == date(2025, 11, 24)
    assert dict(week.counts) == {
        "llm": 3,  # two text-generation fine-tunes and a vision-language model
        "biology": 1,  # a protein model on a text-generation pipeline counts as biology
        "chemistry": 1,
        "robotics": 1,
        "time_series": 1,
        "image_video": 1,
        "audio": 1,
        "other": 1,
    }
    # Newest first, sorted by creation, only the fields needed; paging stopped once past
    # 2025-11-24 (page 3 holds the first older model), never reading the last page.
    first = hub.queries[0]
    assert first["sort"] == ["createdAt"]
    assert set(first["expand"]) == {"createdAt", "pipeline_tag", "tags"}
    assert "limit" not in first  # the Hub's own page size; max_models is counted here
    assert hub.pages_served() == 3 and result.scanned == 13
    assert load_weeks(store) == [week]


def test_backfill_and_idempotence(store: Store, hub: HubStandIn) -> None:
    first = collect_models(store, ModelMixConfig(), hub_api(hub.endpoint), now=NOW, weeks=2)
    assert [w.week_start for w in first.weeks] == [date(2025, 11, 17), date(2025, 11, 24)]
    assert first.weeks[0].counts == {"llm": 4, "image_video": 2, "biology": 1}
    served = hub.pages_served()
    again = collect_models(store, ModelMixConfig(), hub_api(hub.endpoint), now=NOW, weeks=2)
    assert again.weeks == () and hub.pages_served() == served  # nothing asked
    assert again.skipped == (date(2025, 11, 17), date(2025, 11, 24))


def test_429_is_retried_after_retry_after(store: Store, hub: HubStandIn) -> None:
    hub.too_many = [1]
    result = collect_models(store, ModelMixConfig(), hub_api(hub.endpoint), now=NOW)
    assert result.weeks[0].total == 10
    assert hub.pages_served() == 4  # page 1 asked twice


def test_the_hub_clients_warnings_are_json_lines_under_serve(
    tmp_path: Path, hub: HubStandIn
) -> None:
    """`serve --log-format json` promises one JSON object a line on stderr; huggingface_hub's
    own stderr handler printed its retry warnings as plain text beside them, unredacted.
    A real process, so the library's handler writes to a real stderr."""
    hub.too_many = [1]
    script = (
        "from datetime import datetime, UTC\n"
        "from monitor.config.smart_money import ModelMixConfig\n"
        "from monitor.service.logging_setup import configure_logging\n"
        "from monitor.sources.hub.collect import collect_models, hub_api\n"
        "from monitor.store import Store\n"
        "configure_logging('json')\n"
        f"with Store({str(tmp_path / 'm.db')!r}) as store:\n"
        f"    collect_models(store, ModelMixConfig(), hub_api({hub.endpoint!r}),\n"
        "                   now=datetime(2025, 12, 3, 12, tzinfo=UTC))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "0"}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert all(line.startswith("{") for line in lines), lines
    records = [json.loads(line) for line in lines]
    assert any("429" in r["message"] for r in records), lines
    assert not [r for r in records if r["level"] == "info"], lines  # no line per request


def test_a_ceiling_on_paging_stores_no_partial_week(store: Store, hub: HubStandIn) -> None:
    result = collect_models(store, ModelMixConfig(max_models=10), hub_api(hub.endpoint), now=NOW)
    assert result.error.startswith("stopped after")
    assert load_weeks(store) == []


def test_offline_mode_is_named(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import huggingface_hub.constants

    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    result = collect_models(store, ModelMixConfig(), hub_api("http://127.0.0.1:9"), now=NOW)
    assert "HF_HUB_OFFLINE" in (result.total_failure() or "") and load_weeks(store) == []


def test_cli_collect_models_json(tmp_path: Path, hub: HubStandIn) -> None:
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("basket: [NVDA]\n")
    db = tmp_path / "m.db"
    args = ["collect", "models", "--json", "--db", str(db), "--feeds", str(feeds)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    # The CLI's week is the last whole one before the wall clock: after the fixture's data,
    # so it is complete and empty unless the clock stands in late 2025.
    out = json.loads(result.stdout)["models"]
    assert out["error"] == "" and len(out["weeks"]) == 1


def test_wanted_weeks_are_whole_and_unstored() -> None:
    assert wanted_weeks(NOW, 2, {date(2025, 11, 24)}) == [date(2025, 11, 17)]


def test_categorize_prefers_domain_tags() -> None:
    cats = ModelMixConfig().as_categories()
    assert categorize("text-generation", ["Protein"], cats) == "biology"
    assert categorize("text-generation", [], cats) == "llm"
    assert categorize(None, ["lerobot"], cats) == "robotics"
    assert categorize("fill-mask", [], cats) == "other"


def test_mix_line_compares_with_a_year_ago() -> None:
    def week(day: date, llm: int) -> WeekMix:
        return WeekMix(day, {"llm": llm, "biology": 100 - llm})

    year = [week(date(2024, 11, 25), 38), week(date(2025, 11, 24), 31)]
    assert mix_line(year) == (
        "LLMs were 31% of the 100 new models in the week of 2025-11-24, 38% a year ago"
    )
    short = [week(date(2025, 11, 17), 40), week(date(2025, 11, 24), 31)]
    assert mix_line(short) is not None and mix_line(short).endswith(  # type: ignore[union-attr]
        "40% in the week of 2025-11-17"
    )
    assert mix_line([]) is None


def test_a_hub_that_cannot_be_reached_is_one_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """huggingface_hub raises its HTTP library's errors (httpx2 under 2.x), not OSError, when
    no answer comes (no route, a refused connection, a mistyped HF_ENDPOINT): `collect
    models` and `collect all` crashed with a traceback. A mistyped scheme fails before the
    Hub client's retries, so the test is fast; an unreachable host takes the same path."""
    import huggingface_hub.constants

    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setenv("HF_ENDPOINT", "htps://127.0.0.1:9")
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("basket: [NVDA]\n")
    args = ["collect", "models", "--db", str(tmp_path / "m.db"), "--feeds", str(feeds)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: Hugging Face Hub unreachable: UnsupportedProtocol")
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body>Please log in to the proxy</body></html>",  # JSONDecodeError
        b'{"error": "Invalid credentials"}',  # TypeError inside the client
        b'[{"id": "a/b", "createdAt": "not a date"}]',  # ValueError inside the client
    ],
)
def test_an_endpoint_that_answers_no_model_list_is_a_named_failure(
    store: Store, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, body: bytes
) -> None:
    # Before: each ended `collect models` in a traceback from inside huggingface_hub.
    import huggingface_hub.constants

    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    httpserver.expect_request("/api/models").respond_with_data(body, content_type="text/html")
    endpoint = httpserver.url_for("").rstrip("/")
    monkeypatch.setenv("HF_ENDPOINT", endpoint)
    result = collect_models(store, ModelMixConfig(), hub_api(endpoint), now=NOW)
    failure = result.total_failure() or ""
    assert "Hugging Face Hub answered no model list" in failure and "HF_ENDPOINT" in failure
    assert load_weeks(store) == []

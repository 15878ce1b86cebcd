"""Count the hops of one headline from feed to Slack: modules visited, store entries,
upward calls and data types built, during one whole pipeline run.

One RSS feed with one headline is served on 127.0.0.1, prices come from a fixed fake
download, the clock stands at 10:00 New York (the daily digest is due), and Slack is the
local stand-in of tests/slack_server.py reached through the real webhook client. The
whole run (collect prices, collect news, score, index, alert) is traced with
sys.setprofile; for every call into a project function (monitor.*, signals.*) the caller
is the nearest project frame below it. Counted:

- modules: distinct project modules whose functions ran;
- store entries: distinct (caller, callee) function pairs where code outside
  monitor.store calls into it;
- upward calls: distinct pairs where the callee sits in a higher layer than the caller
  (layers of tests/architecture_rules.py; the old top-level stage modules count as stages);
- types built: distinct project classes constructed (dataclass __init__ calls);
- reads: calls of the store's headline and reading queries (list_headlines,
  readings_between, latest_reading) from outside the store.

Run on demand (the classifier model is loaded, so it takes a few seconds):

    PYTHONPATH=. /work/venv/bin/python benchmarks/hop_count.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.slack_server import SlackStandIn  # noqa: E402
from tests.architecture_rules import layer_of  # noqa: E402

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Test wire</title>
<item><title>Chipmaker cuts 1,200 jobs as AI spending shifts</title>
<link>https://example.com/a/1</link><pubDate>Mon, 02 Mar 2026 13:00:00 GMT</pubDate></item>
</channel></rss>"""
#: Store reads of the index and alert stages (each call is one query of its table).
READS = ("list_headlines", "readings_between", "latest_reading")
#: The stage modules before issue 14 moved them into monitor/stages/.
OLD_STAGES = ("monitor.pipeline", "monitor.readings", "monitor.scoring", "monitor.alerting")


def _layer(module: str) -> int | None:
    return 4 if module.startswith(OLD_STAGES) else layer_of(module)


def _downloader(tickers: Any, *, start: date, end: date) -> pd.DataFrame:
    days = pd.bdate_range(start, end, inclusive="left")
    columns = pd.MultiIndex.from_tuples([("Close", t) for t in tickers], names=["Price", "Ticker"])
    path = 100 * np.exp(np.linspace(0, 0.5, len(days)))
    return pd.DataFrame(np.tile(path[:, None], (1, len(columns))), index=days, columns=columns)


class _Feed(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.end_headers()
        self.wfile.write(RSS)

    def log_message(self, *args: Any) -> None:
        return None


class Tracer:
    def __init__(self) -> None:
        self.modules: set[str] = set()
        self.store_entries: set[tuple[str, str]] = set()
        self.upward: set[tuple[str, str]] = set()
        self.types: set[str] = set()
        self.reads: dict[str, int] = {}

    def __call__(self, frame: FrameType, event: str, arg: object) -> None:
        if event != "call":
            return
        module = frame.f_globals.get("__name__", "")
        if frame.f_code.co_name == "__init__" and frame.f_code.co_filename == "<string>":
            owner = type(frame.f_locals.get("self"))
            if owner.__module__.startswith(("monitor", "signals")):
                self.types.add(f"{owner.__module__}.{owner.__qualname__}")
            return
        if not module.startswith(("monitor", "signals")):
            return
        self.modules.add(module)
        caller = _project_caller(frame.f_back)
        if caller is None:
            return
        callee = f"{module}.{frame.f_code.co_name}"
        pair = (caller, callee)
        caller_module = caller.rsplit(".", 1)[0]
        if module.startswith("monitor.store") and not caller_module.startswith("monitor.store"):
            self.store_entries.add(pair)
            if frame.f_code.co_name in READS:
                self.reads[frame.f_code.co_name] = self.reads.get(frame.f_code.co_name, 0) + 1
        low, high = _layer(caller_module), _layer(module)
        if low is not None and high is not None and high > low:
            self.upward.add(pair)


def _project_caller(frame: FrameType | None) -> str | None:
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module.startswith(("monitor", "signals")):
            return f"{module}.{frame.f_code.co_name}"
        frame = frame.f_back
    return None


def run_pipeline(db: Path, feed_url: str, webhook: str) -> Callable[[], object]:
    from monitor.config.feeds_yaml import Config, FeedConfig

    feeds = (FeedConfig(name="wire", url=feed_url),)  # type: ignore[arg-type]
    config = Config(basket=("NVDA", "AMD"), feeds=feeds)
    env = {"SLACK_WEBHOOK_URL": webhook}
    try:
        from monitor.app import build
        from monitor.stages.pipeline import run_all

        app = build(config, env, db=db, clock=lambda: NOW, downloader=_downloader)
        return lambda: run_all(app)
    except ImportError:  # the layout before issue 14 (no monitor.app): load it by name
        import importlib

        from monitor.store import Store

        pipeline: Any = importlib.import_module("monitor.pipeline")
        os.environ.update(env)
        ctx = pipeline.Context(config, Store(db), clock=lambda: NOW, downloader=_downloader)
        return lambda: pipeline.run_all(ctx)


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Feed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    feed_url = f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    with SlackStandIn() as slack, tempfile.TemporaryDirectory() as tmp:
        run = run_pipeline(Path(tmp) / "hops.db", feed_url, slack.webhook_url)
        from monitor.reading.classifier_files import load_classifier

        load_classifier()  # warm the model outside the trace (its import is not a hop)
        tracer = Tracer()
        sys.setprofile(tracer)
        try:
            run()
        finally:
            sys.setprofile(None)
        posts = [r for r in slack.requests if r.method == "POST"]
    server.shutdown()
    print(f"modules visited   {len(tracer.modules)}")
    print(f"store entries     {len(tracer.store_entries)}")
    print(f"upward calls      {len(tracer.upward)}")
    print(f"data types built  {len(tracer.types)}")
    print(f"slack posts       {len(posts)}")
    for name in READS:
        print(f"{name:17s} {tracer.reads.get(name, 0)} call(s)")
    for caller, callee in sorted(tracer.upward):
        print(f"  up: {caller} -> {callee}")


if __name__ == "__main__":
    main()

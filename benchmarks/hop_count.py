"""Count the hops of one headline from feed to Slack, and of one price series from the
download to the crash probability: the project modules each passes and the shapes it takes.

One RSS feed with one headline is served on 127.0.0.1, prices come from a fixed fake
download (the yfinance frame shape), the clock stands at 10:00 New York (the daily digest
is due), and Slack is the local stand-in of tests/slack_server.py reached through the real
webhook client. The whole pipeline (collect prices, collect news, score, index, alert) runs
once under sys.setprofile, and the two data are followed by taint:

- a call *carries* a datum when one of its arguments contains the datum's marker (the
  headline's title or URL as text or bytes; the ticker NVDA as a column, a name, a field or a
  ticker list) or is an object returned by an earlier carrying call (so derived data, such
  as the basket level built from NVDA's closes, stays on the path). Configuration objects
  (the App, the pydantic Config, the Store) are not searched: they hold every ticker;
- modules: the distinct project modules (monitor.*, signals.*) with a carrying call;
- shapes: the distinct types the datum is carried in (a list or tuple counts as the type of
  its carrying element; str and bytes count, numbers do not).

The price path ends at the stored reading (the probability); the headline path at Slack.
The older counts stay: upward calls between layers (tests/architecture_rules.py) and the
store's read queries. Run on demand (the classifier model loads, so it takes a while):

    PYTHONPATH=. /work/venv/bin/python benchmarks/hop_count.py
"""

from __future__ import annotations

import dataclasses
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

try:
    from tests.architecture_rules import layer_of
except ImportError:  # the layout before issue 20
    from tests.test_architecture import layer_of  # type: ignore[no-redef]

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
TITLE = "Chipmaker cuts 1,200 jobs as AI spending shifts"
URL = "https://example.com/a/1"
TICKER = "NVDA"
RSS = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Test wire</title>
<item><title>{TITLE}</title>
<link>{URL}</link><pubDate>Mon, 02 Mar 2026 13:00:00 GMT</pubDate></item>
</channel></rss>""".encode()
#: Store reads of the index and alert stages (each call is one query of its table).
READS = ("list_headlines", "readings_between", "latest_reading")
#: Types never searched for a marker: they hold every ticker and every feed.
OPAQUE = ("App", "Config", "Store", "Context", "Connection", "Backend")
SCALARS = (int, float, bool, complex, type(None), np.number)
PROJECT = ("monitor", "signals")


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


def _opaque(obj: object) -> bool:
    kind = type(obj)
    return kind.__name__ in OPAQUE or any(
        base.__module__.startswith("pydantic") for base in kind.__mro__[1:]
    )


def _fields(obj: object) -> list[object]:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return [getattr(obj, f.name, None) for f in dataclasses.fields(obj)]
    return []


class DatumPath:
    """One datum's path: its markers, the tainted objects derived from it, what it passed."""

    def __init__(self, name: str, markers: tuple[str, ...], exact: bool) -> None:
        self.name = name
        self.markers = markers
        self.raw = tuple(m.encode() for m in markers)
        self.exact = exact  # tickers match whole strings; titles match inside text
        self.tainted: dict[int, object] = {}
        self.modules: set[str] = set()
        self.shapes: set[str] = set()
        self.open = True

    def _text_has(self, text: str) -> bool:
        return text in self.markers if self.exact else any(m in text for m in self.markers)

    def carrier(self, obj: object, depth: int = 0) -> object | None:
        """The part of `obj` that carries the datum (for its shape), or None."""
        if id(obj) in self.tainted:
            return obj
        if depth > 3 or isinstance(obj, SCALARS) or _opaque(obj):
            return None
        if isinstance(obj, str):
            return obj if self._text_has(obj) else None
        if isinstance(obj, bytes | bytearray):
            return obj if any(m in obj for m in self.raw) else None
        if isinstance(obj, pd.DataFrame):
            labels = obj.columns.to_flat_index()
            flat = {
                str(x)
                for label in labels
                for x in (label if isinstance(label, tuple) else (label,))
            }
            return obj if flat & set(self.markers) else None
        if isinstance(obj, pd.Series):
            return obj if str(obj.name) in self.markers else None
        if isinstance(obj, dict):
            items: list[object] = [*list(obj)[:50], *list(obj.values())[:50]]
            hit = next((x for x in items if self.carrier(x, depth + 1) is not None), None)
            return None if hit is None else obj
        if isinstance(obj, list | tuple | set | frozenset):
            for item in list(obj)[:100]:
                inner = self.carrier(item, depth + 1)
                if inner is not None:
                    return inner if not isinstance(inner, str | bytes) else obj
            return None
        for value in _fields(obj):
            if self.carrier(value, depth + 1) is not None:
                return obj
        return None

    def taint(self, obj: object) -> None:
        if not isinstance(obj, (*SCALARS, str)):
            self.tainted[id(obj)] = obj  # kept alive, so its id is never reused


def _shape(obj: object) -> str:
    kind = type(obj)
    if isinstance(obj, list | tuple) and obj:
        return f"{type(obj).__name__} of {_shape(obj[0])}"
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"


class Tracer:
    """Follows both paths and keeps the older counts (upward calls, store reads)."""

    def __init__(self, paths: list[DatumPath]) -> None:
        self.paths = paths
        self.carrying: dict[int, list[DatumPath]] = {}
        self.upward: set[tuple[str, str]] = set()
        self.reads: dict[str, int] = {}

    def __call__(self, frame: FrameType, event: str, arg: object) -> None:
        if event == "return":
            for path in self.carrying.pop(id(frame), ()):
                if arg is not None:
                    path.taint(arg)
            return
        if event != "call":
            return
        module = frame.f_globals.get("__name__", "")
        project = module.startswith(PROJECT)
        code = frame.f_code
        args = [frame.f_locals.get(n) for n in code.co_varnames[: code.co_argcount]]
        for path in self.paths:
            if not path.open:
                continue
            hits = (
                [c for a in args if (c := path.carrier(a)) is not None]
                if project
                else [a for a in args if id(a) in path.tainted]
            )
            if not hits:
                continue
            self.carrying.setdefault(id(frame), []).append(path)
            if project:
                path.modules.add(module)
                path.shapes.update(_shape(h) for h in hits if not isinstance(h, SCALARS))
        if project:
            self._older_counts(frame, module)

    def _older_counts(self, frame: FrameType, module: str) -> None:
        caller = _project_caller(frame.f_back)
        if caller is None:
            return
        caller_module = caller.rsplit(".", 1)[0]
        name = frame.f_code.co_name
        into_store = module.startswith("monitor.store")
        if into_store and not caller_module.startswith("monitor.store") and name in READS:
            self.reads[name] = self.reads.get(name, 0) + 1
        low, high = layer_of(caller_module), layer_of(module)
        if low is not None and high is not None and high > low:
            self.upward.add((caller, f"{module}.{name}"))


def _project_caller(frame: FrameType | None) -> str | None:
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module.startswith(PROJECT):
            return f"{module}.{frame.f_code.co_name}"
        frame = frame.f_back
    return None


def build_app(db: Path, feed_url: str, webhook: str) -> Any:
    try:
        from monitor.config.feeds_yaml import Config, FeedConfig
    except ImportError:  # the layout before issue 20
        from monitor.config.feeds_yaml import Config, FeedConfig  # type: ignore[no-redef]
    from monitor.app import build

    feeds = (FeedConfig(name="wire", url=feed_url),)  # type: ignore[arg-type]
    config = Config(basket=(TICKER, "AMD"), feeds=feeds)
    env = {"SLACK_WEBHOOK_URL": webhook}
    return build(config, env, db=db, clock=lambda: NOW, downloader=_downloader)


def _warm_classifier() -> None:
    """Load the model outside the trace (its import is not a hop)."""
    try:
        from monitor.reading.classifier_files import load_classifier
    except ImportError:  # the layout before issue 20
        from signals.classifier import load_classifier  # type: ignore[attr-defined,no-redef]
    load_classifier().embed(["warm"])


def trace(run: Callable[[], object], tracer: Tracer) -> None:
    sys.setprofile(tracer)
    threading.setprofile(tracer)  # type: ignore[arg-type]
    try:
        run()
    finally:
        sys.setprofile(None)
        threading.setprofile(None)  # type: ignore[arg-type]


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Feed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    feed_url = f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    headline = DatumPath("headline feed -> Slack", (TITLE, URL), exact=False)
    prices = DatumPath("price series -> probability", (TICKER,), exact=True)
    tracer = Tracer([headline, prices])
    with SlackStandIn() as slack, tempfile.TemporaryDirectory() as tmp:
        app = build_app(Path(tmp) / "hops.db", feed_url, slack.webhook_url)
        _warm_classifier()
        from monitor.stages.index import run_index
        from monitor.stages.news import run_news
        from monitor.stages.prices import run_prices

        trace(lambda: run_prices(app), tracer)
        trace(lambda: run_news(app, None), tracer)
        trace(lambda: run_index(app, send=False), tracer)
        prices.open = False  # the price path ends at the stored reading
        trace(lambda: run_index(app, send=True), tracer)
        posts = [r for r in slack.requests if r.method == "POST"]
    server.shutdown()
    _report([headline, prices], tracer, len(posts))


def _report(paths: list[DatumPath], tracer: Tracer, posts: int) -> None:
    for path in paths:
        print(f"{path.name}: {len(path.modules)} modules, {len(path.shapes)} shapes")
        print("  modules: " + ", ".join(sorted(path.modules)))
        print("  shapes:  " + ", ".join(sorted(path.shapes)))
    print(f"slack posts       {posts}")
    print(f"upward calls      {len(tracer.upward)}")
    for name in READS:
        print(f"{name:17s} {tracer.reads.get(name, 0)} call(s)")
    for caller, callee in sorted(tracer.upward):
        print(f"  up: {caller} -> {callee}")


if __name__ == "__main__":
    main()

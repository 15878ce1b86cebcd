"""Count the hops of one headline from feed to Slack, and of one price series from the
download to the crash probability: the project modules each passes and the shapes it takes.

One RSS feed with one headline is served on 127.0.0.1, prices come from a fixed fake
download (the yfinance frame shape), the clock stands at 10:00 New York (the daily digest
is due), and Slack is the local stand-in of tests/slack_server.py reached through the real
webhook client. The whole pipeline (collect prices, collect news, score, index, alert) runs
once under sys.setprofile, and the two data are followed by taint:

- a call *carries* a datum when one of its arguments contains it (the headline's title or
  URL as text or bytes; NVDA's closes, the only numbers of the run in PRICE_RANGE, in a
  frame, an array or a field) or is an object returned by an earlier carrying call (so
  derived data, such as the basket level built from NVDA's closes, stays on the path);
  an empty container returned carries nothing (`()` is a shared object);
  Configuration objects (the App, the pydantic Config, the Store) are not searched;
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
#: NVDA's closes, and no other number of the run, lie in this range.
PRICE_RANGE = (5000.0, 6000.0)
RSS = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Test wire</title>
<item><title>{TITLE}</title>
<link>{URL}</link><pubDate>Mon, 02 Mar 2026 13:00:00 GMT</pubDate></item>
</channel></rss>""".encode()
#: Store reads of the index and alert stages (each call is one query of its table).
READS = ("list_headlines", "readings_between", "latest_reading")
#: Types never searched for a marker: they hold every ticker and every feed.
OPAQUE = ("App", "Config", "Store", "Context", "Connection", "Backend")
SCALARS = (int, float, bool, complex, type(None), np.number, date, pd.Timestamp, pd.Index)
#: What a taint sticks to: data (not scalars, dates or cached index objects).
DATA = (pd.DataFrame, pd.Series, np.ndarray, dict, list, tuple, bytes)
#: Containers whose type is no shape of its own: their carrying element is.
CONTAINERS = (list, tuple, set, frozenset)
PROJECT = ("monitor", "signals")


def _downloader(tickers: Any, *, start: date, end: date) -> pd.DataFrame:
    days = pd.bdate_range(start, end, inclusive="left")
    columns = pd.MultiIndex.from_tuples([("Close", t) for t in tickers], names=["Price", "Ticker"])
    path = 100 * np.exp(np.linspace(0, 0.5, len(days)))
    frame = pd.DataFrame(np.tile(path[:, None], (1, len(columns))), index=days, columns=columns)
    if ("Close", TICKER) in frame:  # the followed series: its own range (see PRICE_RANGE)
        frame["Close", TICKER] = PRICE_RANGE[0] + 10 * np.exp(np.linspace(0, 0.5, len(days)))
    return frame


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
    """One datum's path: how to recognise it, the objects derived from it, what it passed.

    A headline is recognised by its title or URL inside text or bytes; the price series by
    its closes, the only numbers of the run in PRICE_RANGE (in frames, arrays, fields)."""

    def __init__(self, name: str, texts: tuple[str, ...] = (), numbers: bool = False) -> None:
        self.name = name
        self.texts = texts
        self.raw = tuple(t.encode() for t in texts)
        self.numbers = numbers
        self.tainted: dict[int, object] = {}
        self.modules: set[str] = set()
        self.shapes: set[str] = set()
        self.open = True

    def _number(self, value: object) -> bool:
        return (
            self.numbers and isinstance(value, float) and PRICE_RANGE[0] <= value < PRICE_RANGE[1]
        )

    def _array(self, values: Any) -> bool:
        if not self.numbers:
            return False
        try:
            array = np.asarray(values, dtype=np.float64)
        except (TypeError, ValueError):
            return False
        return bool(((array >= PRICE_RANGE[0]) & (array < PRICE_RANGE[1])).any())

    def _leaf(self, obj: object) -> bool | None:
        """Whether a leaf carries the datum; None when `obj` is not a leaf."""
        if isinstance(obj, str):
            return any(t in obj for t in self.texts)
        if isinstance(obj, bytes | bytearray):
            return any(t in obj for t in self.raw)
        if isinstance(obj, float):
            return self._number(obj)
        if isinstance(obj, pd.DataFrame | pd.Series | np.ndarray):
            return self._array(
                obj.select_dtypes("number") if isinstance(obj, pd.DataFrame) else obj
            )
        if isinstance(obj, SCALARS):
            return False
        return None

    def carrier(self, obj: object, depth: int = 0) -> object | None:
        """The part of `obj` that carries the datum (for its shape), or None."""
        if id(obj) in self.tainted:
            return obj
        if depth > 3 or _opaque(obj):
            return None
        leaf = self._leaf(obj)
        if leaf is not None:
            return obj if leaf else None
        if isinstance(obj, dict):
            items: list[object] = [*list(obj)[:50], *list(obj.values())[:50]]
            hit = next((x for x in items if self.carrier(x, depth + 1) is not None), None)
            return None if hit is None else obj
        if isinstance(obj, list | tuple | set | frozenset):
            for item in list(obj)[:100]:
                inner = self.carrier(item, depth + 1)
                if inner is not None:
                    return inner if not isinstance(inner, str | bytes | float) else obj
            return None
        for value in _fields(obj):
            if self.carrier(value, depth + 1) is not None:
                return obj
        return None

    def taint(self, obj: object) -> None:
        project_object = type(obj).__module__.startswith(PROJECT) and not _opaque(obj)
        if isinstance(obj, (*CONTAINERS, dict, bytes)) and not obj:
            # An empty container carries nothing, and `()` is one shared object: tainted
            # once, it made every later call with a `()` argument (a default) a carrier.
            return
        if isinstance(obj, DATA) or project_object:
            self.tainted[id(obj)] = obj  # kept alive, so its id is never reused


def _shape(obj: object) -> str | None:
    """The name of the shape a datum is carried in; None for text, scalars and iterators
    (a title or a ticker as a bare string is a field of a shape, not a shape)."""
    if isinstance(obj, CONTAINERS):
        inner = [_shape(x) for x in list(obj)[:20]]
        return next((x for x in inner if x is not None), None)
    if isinstance(obj, (*SCALARS, str)) or type(obj).__name__ in ("generator", "map", "zip"):
        return None
    kind = type(obj)
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
                else [a for a in args[:1] if id(a) in path.tainted]
            )
            if not hits:
                continue
            self.carrying.setdefault(id(frame), []).append(path)
            if project:
                path.modules.add(module)
                path.shapes.update(x for h in hits if (x := _shape(h)) is not None)
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
    import importlib

    from monitor.app import build

    try:
        module = importlib.import_module("monitor.config.feeds_yaml")
    except ImportError:  # the layout before issue 20 (a name .ci/issue20_moves.py leaves)
        module = importlib.import_module(".".join(("monitor", "config")))
    feeds = (module.FeedConfig(name="wire", url=feed_url),)
    config = module.Config(basket=(TICKER, "AMD"), feeds=feeds)
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
    headline = DatumPath("headline feed -> Slack", texts=(TITLE, URL))
    prices = DatumPath("price series -> probability", numbers=True)
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

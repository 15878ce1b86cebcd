"""Test fakes, defined once: passed through constructors and `monitor.app.build`,
never patched into import paths."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from monitor.app import App, build
from monitor.config.feeds_yaml import Config
from monitor.errors import NotifyError
from monitor.notify import ConsoleNotifier, NotifierManager
from monitor.store import Store
from signals.classifier.encoder import Embedder, Vectors
from signals.models import Alert


def make_app(config: Config, store: Store, **seams: Any) -> App:
    """An App on `store` with an empty environment (no Slack: alerts go nowhere unless a
    notifier is given) and the seams given as keywords (clock, downloader, ...)."""
    seams.setdefault("notifier", NotifierManager([ConsoleNotifier(_Sink())]))
    return build(config, {}, store=store, **seams)


class _Sink:
    """A text stream that keeps nothing (the console channel's output in tests)."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        return None


class CountingEmbedder:
    """A real embedder, counting every text it is asked to embed."""

    def __init__(self, inner: Embedder, model_id: str | None = None) -> None:
        self.inner = inner
        self.model_id = model_id or inner.model_id
        self.texts: list[str] = []

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.texts.extend(texts)
        return self.inner.embed(texts)


class WordEmbedder:
    """A tiny deterministic embedder: hashed bag of words, L2-normalised."""

    model_id = "fake-words"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[i, int(hashlib.md5(word.encode()).hexdigest(), 16) % 64] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


class Recorder:
    """A notification channel that keeps what it was given (or fails, when told to)."""

    def __init__(self, name: str = "recorder", *, fail: bool = False) -> None:
        self.name = name
        self.wants_chart = True
        self.fail = fail
        self.sent: list[tuple[Alert, bytes | None]] = []

    def send(self, alert: Alert, *, chart: bytes | None = None) -> None:
        if self.fail:
            raise NotifyError(f"{self.name} is down")
        self.sent.append((alert, chart))


def yf_frame(tickers: list[str], start: date, end: date) -> pd.DataFrame:
    """A frame shaped as yf.download(group_by="column", multi_level_index=True) returns.
    Each ticker's closes are one fixed path, so an overlapping re-download agrees."""
    every_day = pd.bdate_range("2020-01-01", "2027-01-01")
    days = pd.bdate_range(start, end, inclusive="left")
    data = {}
    for seed, ticker in enumerate(tickers):
        rng = np.random.default_rng(seed)
        steps = rng.normal(0.001, 0.02, len(every_day))
        path = pd.Series(100 * np.exp(np.cumsum(steps)), index=every_day)
        data[("Close", ticker)] = path.loc[days].to_numpy()
    frame = pd.DataFrame(data, index=days)
    frame.columns = pd.MultiIndex.from_tuples(frame.columns, names=["Price", "Ticker"])
    return frame


class FakeDownloader:
    """The price-download seam: yf_frame's closes, or an empty frame when `fail`."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.calls: list[tuple[list[str], date, date]] = []

    def __call__(self, tickers: Any, *, start: date, end: date) -> pd.DataFrame:
        self.calls.append((list(tickers), start, end))
        return pd.DataFrame() if self.fail else yf_frame(list(tickers), start, end)

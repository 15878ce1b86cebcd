"""The one Yahoo adapter: daily closes (`yf.download`) and short interest (`Ticker.info`).

Both calls go through yfinance with the same session, the same cache folder (timezones,
cookie) and one translation of yfinance's exceptions: a rate limit becomes
`RateLimitError`, anything else `CollectError`, each naming what was asked, so the price
and the positioning collectors retry the same error. `monitor/app.py` builds one `Yahoo`
and injects its `download` and `info` into the stages. What comes back is parsed by the
pure functions beside it (`download.parse_download`, `info.parse_short_interest`).

`session` is handed to yfinance as is: a curl_cffi Session (its default) or a
`requests.Session`, which is what lets tests replay recorded responses through a
transport adapter instead of reaching Yahoo.

Before its first batch, `download` checks with one plain request, within `timeout`
seconds, that Yahoo can be reached at all (monitor.sources.yahoo.probe): offline,
yfinance's threaded batch of 43 tickers took ~10 s to fail on a host that does not
resolve, and on one that never answers minutes (its cookie and timezone requests use
their own 10-30 s timeouts, not ours).
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from monitor.config import paths
from monitor.errors import CollectError, RateLimitError
from monitor.sources.yahoo.probe import probe_reason, unreachable_error
from monitor.sources.yahoo.yf_messages import captured_errors, ticker_errors

if TYPE_CHECKING:  # pandas and yfinance load on the first call, not when the App is built
    import pandas as pd

_tz_cache_lock = threading.Lock()
_tz_cache_dir: Path | None = None


def use_tz_cache(directory: Path) -> None:
    """Point yfinance's caches (timezones, cookie) at `directory`; done once per folder.

    yfinance caches each ticker's exchange timezone in a SQLite file under the user's
    cache folder by default; keeping it in the app's data directory keeps all of the
    monitor's files in one place and works where the home folder is read-only.
    """
    global _tz_cache_dir
    with _tz_cache_lock:
        if _tz_cache_dir == directory:
            return
        import yfinance as yf

        directory.mkdir(parents=True, exist_ok=True)
        yf.set_tz_cache_location(str(directory))
        _tz_cache_dir = directory


class Yahoo:
    """Yahoo through yfinance: `download` (a [start, end) batch of daily closes) and `info`
    (one ticker's quoteSummary fields), every option explicit."""

    def __init__(
        self, *, session: Any | None = None, timeout: float = 20.0, cache_dir: Path | None = None
    ) -> None:
        self.session = session
        self.timeout = timeout
        self.cache_dir = cache_dir
        #: Set once a probe got an answer: later downloads go straight to the batch.
        self.reached = False

    @contextmanager
    def _call(self, what: str) -> Iterator[list[str]]:
        """yfinance's logged errors (yielded), its exceptions translated for `what`."""
        use_tz_cache(self.cache_dir or paths.data_dir() / "yfinance")
        from yfinance.exceptions import YFRateLimitError

        try:
            # pandas deprecation warnings from inside yfinance are its business, not ours.
            with captured_errors() as messages, warnings.catch_warnings():
                warnings.simplefilter("ignore")
                yield messages
        except YFRateLimitError as e:
            raise RateLimitError(f"{what}: Yahoo rate limit (429): {e}") from e
        except Exception as e:  # yfinance raises bare HTTP, JSON and data errors
            raise CollectError(f"{what}: {type(e).__name__}: {e}") from e

    def download(self, tickers: Sequence[str], *, start: date, end: date) -> pd.DataFrame:
        """`yf.download` of `tickers`, closes of [start, end); yfinance's per-ticker error
        messages ride in `frame.attrs[ERRORS_ATTR]` for the parse. Until Yahoo has
        answered once, a probe goes first (monitor.sources.yahoo.probe): CollectError
        saying "Yahoo unreachable" and naming the first ticker when it gets no HTTP
        answer within `timeout`, and nothing is downloaded."""
        import pandas as pd
        import yfinance as yf

        from monitor.sources.yahoo.download import DOWNLOAD_OPTIONS, ERRORS_ATTR

        if not self.reached and tickers:
            self._probe(tickers[0])
        with self._call(f"yfinance: download of {len(tickers)} tickers") as messages:
            frame = yf.download(
                list(tickers),
                start=start.isoformat(),
                end=end.isoformat(),
                timeout=self.timeout,
                session=self.session,
                **DOWNLOAD_OPTIONS,
            )
        if not isinstance(frame, pd.DataFrame):
            frame = pd.DataFrame()
        frame.attrs[ERRORS_ATTR] = ticker_errors(messages)
        return frame

    def _probe(self, ticker: str) -> None:
        """One GET of Yahoo's API host through the session yfinance will use (its own
        default when none was given), within `timeout`."""
        from yfinance.data import new_session

        session = self.session if self.session is not None else new_session()
        if not callable(getattr(session, "get", None)):
            return  # not a session yfinance can use: yf.download says so (CollectError)
        reason = probe_reason(session, deadline=self.timeout)
        if reason is not None:
            raise unreachable_error(ticker, reason)
        self.reached = True

    def info(self, ticker: str) -> Mapping[str, Any]:
        """`yf.Ticker(ticker).info`; CollectError with yfinance's message when it logged an
        error and gave nothing (an unknown symbol gives an empty mapping)."""
        import yfinance as yf

        with self._call(ticker) as messages:
            info = yf.Ticker(ticker, session=self.session).info
        if not info and messages:
            raise CollectError(f"{ticker}: {messages[-1].strip()[:300]}")
        return info or {}

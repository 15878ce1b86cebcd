"""yfinance's per-ticker error messages, captured from its logger instead of its console.

yf.download does not raise for a failed ticker: it logs "Failed to get ticker 'X' reason:
..." and, at the end, "['X', 'Y']: <error>". We keep those messages per ticker so a failure
in the store and in `collect` says why (a DNS error is not a delisting), and stop them from
reaching the user's terminal as thirty lines of noise.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

_LOGGER = "yfinance"
# How curl, glibc, macOS and Windows say that a host name did not resolve.
_UNRESOLVED = re.compile(
    r"Could not resolve host|Name or service not known|Temporary failure in name resolution"
    r"|nodename nor servname|getaddrinfo failed|No address associated with hostname",
    re.I,
)
_ONE = re.compile(r"Failed to get ticker '([^']+)' reason: (.+)", re.S)
_MANY = re.compile(r"^\[([^\]]*)\]: (.+)$", re.S)


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


_capture_lock = threading.Lock()
_captures = 0
_saved: tuple[int, bool, list[logging.Handler]] | None = None


@contextmanager
def captured_errors() -> Iterator[list[str]]:
    """Collect yfinance's ERROR messages in the block; nothing reaches other handlers.

    Captures may overlap (a probe abandoned on its deadline finishes while the next
    download runs): the logger is silenced by the first and restored by the last, and
    each capture only adds and removes its own collector, so a late finisher never
    takes the running download's messages away."""
    global _captures, _saved
    logger = logging.getLogger(_LOGGER)
    collector = _Collector()
    with _capture_lock:
        if _captures == 0:
            _saved = (logger.level, logger.propagate, logger.handlers[:])
            logger.handlers[:] = []
            logger.setLevel(logging.ERROR)
            logger.propagate = False
        _captures += 1
        logger.addHandler(collector)
    try:
        yield collector.messages
    finally:
        with _capture_lock:
            logger.removeHandler(collector)
            _captures -= 1
            if _captures == 0 and _saved is not None:
                logger.setLevel(_saved[0])
                logger.propagate = _saved[1]
                logger.handlers[:] = _saved[2]
                _saved = None


def ticker_errors(messages: Iterable[str]) -> dict[str, str]:
    """Map upper-case ticker -> yfinance's reason; a ticker's own message wins over the
    summary line that lists many tickers with one reason."""
    specific: dict[str, str] = {}
    summary: dict[str, str] = {}
    for message in messages:
        one = _ONE.search(message)
        if one:
            specific.setdefault(one.group(1).upper(), _clean(one.group(2)))
            continue
        many = _MANY.match(message.strip())
        if many:
            for ticker in re.findall(r"'([^']+)'", many.group(1)):
                summary.setdefault(ticker.upper(), _clean(many.group(2)))
    return {**summary, **specific}


def _clean(reason: str) -> str:
    # yfinance appends a long "See https://curl.se/..." hint to network errors.
    return " ".join(reason.split(" See https://")[0].split())


def host_unresolved(reason: str) -> bool:
    """True if `reason` says Yahoo's host name did not resolve (no network or no DNS):
    retrying within the same run cannot help, so the collector stops at once."""
    return bool(_UNRESOLVED.search(reason))

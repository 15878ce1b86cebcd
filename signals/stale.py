"""Stale and missing inputs grouped into one line per kind, for every channel (pure).

A reading names each stale ticker and each component or model feature without a value.
Forty-five tickers one by one hide the message ("prices stopped two months ago"), so they
are grouped: "prices: all 45 tickers stale since 2026-07-13", "news components warming
up: layoffs, circular deal", "model inputs counted as their historical mean: 5-year run-up".
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date
from typing import Final

from signals.crash.features import FEATURES
from signals.market import COMPONENTS as MARKET
from signals.news import COMPONENTS as NEWS_COMPONENTS
from signals.wording import input_name

SHOWN: Final[int] = 4
MEAN_MARK: Final[str] = " (no value, counted as its historical mean)"
PRICES: Final[str] = "prices: "


def grouped_stale(
    stale: Sequence[str], components: Collection[str], notes: Sequence[str] = ()
) -> list[str]:
    """`stale_lines` for a channel that has the reading but not the config (Slack, the
    page): a name that is no component is a ticker, and the reading's own prices note
    (which has the date, see `prices_note`) stands for the ticker group."""
    known = set(components) | set(NEWS_COMPONENTS) | set(MARKET) | set(FEATURES)
    tickers = [s for s in stale if s not in known and not s.endswith(MEAN_MARK)]
    lines = stale_lines(stale, tickers, total=0)
    note = next((n for n in notes if n.startswith(PRICES)), None)
    if note is not None and tickers:
        lines = [note, *lines[1:]]
    return lines


def prices_note(
    stale: Sequence[str], tickers: Collection[str], last_close: Mapping[str, date | None]
) -> str | None:
    """The prices line a reading keeps among its notes (None when no ticker is stale)."""
    lines = [line for line in stale_lines(stale, tickers, last_close) if line.startswith(PRICES)]
    return lines[0] if lines else None


def stale_lines(
    stale: Sequence[str],
    tickers: Collection[str],
    last_close: Mapping[str, date | None] | None = None,
    *,
    total: int | None = None,
) -> list[str]:
    """One line per kind of stale input; `tickers` are the configured ones (to tell a
    ticker from a component), `last_close` their newest stored close when known; `total`
    the number configured (default len(tickers); 0 when unknown: never says "all")."""
    prices = [s for s in stale if s in tickers]
    news = [s for s in stale if s in NEWS_COMPONENTS]
    means = [s.removesuffix(MEAN_MARK) for s in stale if s.endswith(MEAN_MARK)]
    other = [s for s in stale if s not in tickers and s not in NEWS_COMPONENTS]
    other = [s for s in other if not s.endswith(MEAN_MARK)]
    lines = []
    if prices:
        count = len(tickers) if total is None else total
        lines.append(_prices_line(prices, count, last_close or {}))
    if news:
        lines.append(f"news components warming up (no value yet): {_names(news)}")
    if means:
        inputs = ", ".join(input_name(n) for n in means)
        lines.append(f"model inputs counted as their historical mean: {inputs}")
    if other:
        lines.append(f"without a value: {_names(other)}")
    return lines


def _prices_line(prices: Sequence[str], total: int, last_close: Mapping[str, date | None]) -> str:
    """ "prices: all 45 tickers stale since D", "prices: 16 tickers never collected: A, B,
    C, D and 12 more", "prices: 3 tickers stale since D, 2 never collected: ...": a ticker
    with no stored close was never collected, which is not stale (nothing went old)."""
    count = "all" if len(prices) == total and total > 1 else ""
    days = [d for d in (last_close.get(t) for t in prices) if d is not None]
    never = sum(1 for t in prices if last_close.get(t) is None) if last_close else 0
    old = len(prices) - never
    parts = []
    if old:
        noun = "ticker" if old == 1 else "tickers"
        head = f"{old} {noun} stale"
        if days:
            head += (
                f" since {max(days).isoformat()}"
                if len(set(days)) == 1
                else (f", last closes {min(days).isoformat()} to {max(days).isoformat()}")
            )
        parts.append(head)
    if never:
        parts.append(f"{never} never collected" if old else _never(never))
    if count and old and never:  # all of them, of both kinds
        head = f"{PRICES}all {len(prices)} tickers: {'; '.join(parts)}"
    else:
        head = PRICES + ("all " if count else "") + "; ".join(parts)
    if count:
        return head
    shown = ", ".join(prices[:SHOWN])
    more = f" and {len(prices) - SHOWN} more" if len(prices) > SHOWN else ""
    return f"{head}: {shown}{more}"


def _never(count: int) -> str:
    return f"{count} {'ticker' if count == 1 else 'tickers'} never collected"


def _names(names: Sequence[str]) -> str:
    return ", ".join(n.replace("_", " ") for n in names)

"""Why no reading can be computed: each missing input, since when, and the fixing command.

When no component has a value (no prices, news still warming up, an empty store), the
index stage raises NoReadingError with these lines, so the terminal and the channel say
exactly what is missing instead of going silent (monitor.stages.no_reading).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from monitor.config.feeds_yaml import Config
from monitor.store import Store
from signals.market_explosive import ExplosiveSettings
from signals.news import NewsParams


def missing_inputs(store: Store, config: Config, now: datetime) -> tuple[str, ...]:
    """One line per missing input; empty when prices and headlines are both usable."""
    lines = (_prices(store, config, now), _news(store, now, feeds=len(config.feeds)))
    return tuple(line for line in lines if line)


def _prices(store: Store, config: Config, now: datetime) -> str | None:
    from monitor.store.prices import last_days

    days = {t: d for t, d in last_days(store).items() if t in config.tickers}
    total = len(config.tickers)
    if not days:
        return (
            f"prices: no close stored for any of the {total} configured tickers; run "
            "`bubble-monitor collect prices` (or `bubble-monitor import-prices FILE.csv`)"
        )
    newest = max(days.values())
    if (now.date() - newest).days > config.prices.stale_after_days:
        return (
            f"prices: all {total} tickers stale since {newest.isoformat()}; run "
            "`bubble-monitor collect prices`"
        )
    return _too_short(store, config)


def _too_short(store: Store, config: Config) -> str | None:
    """Fresh prices too short for any market component: a store of 40 sessions said only
    that headlines were missing, as if prices were fine."""
    need = ExplosiveSettings().min_history  # the earliest market component's first value
    counts = store.conn.execute("SELECT ticker, COUNT(*) FROM prices GROUP BY ticker").fetchall()
    longest = max((int(n) for t, n in counts if t in config.tickers), default=0)
    if longest >= need:
        return None
    return (
        f"prices: at most {longest} sessions stored per ticker; the market components need "
        f"{need} (about six months) before the first has a value; `bubble-monitor collect "
        f"prices` fetches {config.prices.history_days} days of history, or import a longer "
        "file with `bubble-monitor import-prices FILE.csv`"
    )


def _news(store: Store, now: datetime, *, feeds: int) -> str | None:
    row = store.conn.execute("SELECT COUNT(*), MIN(published) FROM headlines").fetchone()
    count, first = int(row[0]), row[1]
    if not count and not feeds:  # `collect news` would do nothing
        return (
            "headlines: none stored and no feeds configured; add feeds to feeds.yaml's "
            "`feeds:` or import dated headlines with `bubble-monitor import-headlines FILE`"
        )
    if not count:
        return "headlines: none stored; run `bubble-monitor collect news`"
    params = NewsParams()
    since = datetime.fromisoformat(str(first))
    # A news component needs its long window plus a baseline before it (signals.news).
    warmup = params.long_days + params.min_baseline_days
    ready = since + timedelta(days=warmup)
    if now < ready:
        return (
            f"news: {count} headlines stored since {since.date().isoformat()}; the news "
            f"components need {warmup} days of collected headlines (about "
            f"{ready.date().isoformat()}); run `bubble-monitor collect news` daily until then"
        )
    return None

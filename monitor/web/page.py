"""The dashboard page's model: each block built on its own, so one that fails renders an
error card while the rest of the page renders as usual."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, TypeVar

from monitor.config.secrets import redact
from monitor.store.db import Store
from monitor.store.overview import (
    classifier_model,
    latest_payload,
    payload_field,
    price_fetches,
    recent_payloads,
)
from monitor.web import (
    blocks_circular,
    blocks_components,
    blocks_context,
    blocks_freshness,
    blocks_fundamentals,
    blocks_reading,
)
from monitor.web.next_runs import NextRuns

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Readings behind the sparklines and "what changed".
SPARK_READINGS: Final[int] = 60


@dataclass(frozen=True, slots=True)
class Block:
    """A block's data, or the error that stopped it (then `data` is None)."""

    data: Any
    error: str | None = None


def build(name: str, make: Callable[[], T]) -> Block:
    try:
        return Block(make())
    except Exception as e:
        log.exception("dashboard block %s failed", name)
        return Block(None, redact(f"{type(e).__name__}: {e}"))


@dataclass(frozen=True, slots=True)
class PageSettings:
    """What the page needs besides the store: the clock and where next runs come from."""

    next_runs: NextRuns
    next_runs_note: str
    mode: str  # "service" or "dashboard"
    #: The shipped crash model v2 readings come from, e.g. "model_24m.json, data sha256:..."
    crash_model: str = "the shipped crash model"
    #: feeds.yaml's `index.model`, which the Method page describes.
    index_model: str = "auto"
    #: ` --db PATH` for the commands the page suggests (empty: the default store).
    db_option: str = ""


def next_steps(has_prices: bool, db_option: str) -> tuple[str, list[str]]:
    """What to run to give a store without a reading its first one, and why: from the
    stored prices when there are some (collect needs the network; imported prices are
    enough), else collect first."""
    if has_prices:
        return (
            "It holds prices: compute today's reading from them, or one for every past Friday:",
            [
                f"bubble-monitor report --no-collect{db_option}",
                f"bubble-monitor backfill-readings --start 2023-01-01 --every week{db_option}",
            ],
        )
    return "Collect prices and headlines (this needs the network), then compute a reading:", [
        f"bubble-monitor collect{db_option}",
        f"bubble-monitor report --no-collect{db_option}",
    ]


def page_context(store: Store, settings: PageSettings, now: datetime) -> dict[str, Any]:
    """Everything the template renders, block by block."""
    latest = latest_payload(store)
    payload = None if latest is None else latest.payload
    history = recent_payloads(store, SPARK_READINGS) if latest is not None else []
    previous = history[-2] if len(history) >= 2 else None
    prices = price_fetches(store)  # once: freshness, the stale banner and what to run
    blocks: dict[str, Block] = {}
    if payload is not None:
        blocks["summary"] = build("summary", lambda: blocks_reading.summary(store, payload))
        blocks["changed"] = build("changed", lambda: blocks_reading.what_changed(payload, previous))
        blocks["components"] = build(
            "components", lambda: blocks_components.component_cards(store, payload, history)
        )
        blocks["segments"] = build("segments", lambda: blocks_reading.segments(payload))
        blocks["context"] = build("context", lambda: blocks_context.context(payload))
        blocks["circular"] = build("circular", lambda: blocks_circular.circular(payload))
        blocks["capex"] = build("capex", lambda: blocks_fundamentals.capex_chart(payload))
    blocks["freshness"] = build(
        "freshness",
        lambda: blocks_freshness.freshness(
            store,
            payload,
            None if latest is None else latest.computed_at,
            now=now,
            next_runs=settings.next_runs,
            next_runs_note=settings.next_runs_note,
            prices=prices,
        ),
    )
    blocks["models"] = build("models", lambda: _models(store, payload, settings.crash_model))
    banner = blocks_freshness.stale_banner(store, payload, now, prices)
    if blocks["freshness"].error is None:
        banner += blocks_freshness.failing_sources(blocks["freshness"].data)
    return {
        "next_steps": None if payload is not None else next_steps(bool(prices), settings.db_option),
        "has_reading": payload is not None,
        "simulated": _simulated(payload),
        "v2": payload is not None and payload.get("probability") is not None,
        "caution": None if payload is None else payload.get("caution"),
        "blocks": blocks,
        "stale_reasons": banner,
        "mode": settings.mode,
        "now": now,
    }


def _simulated(payload: dict[str, Any] | None) -> str | None:
    """The demo's banner when the latest reading was computed on the simulated scenario:
    the page opens with it, as the terminal report does."""
    from monitor.present.reading import DEMO_BANNER

    return DEMO_BANNER if payload is not None and payload_field(payload, "simulated") else None


def _models(store: Store, payload: dict[str, Any] | None, crash_model: str) -> dict[str, str]:
    index_model = "no reading yet"
    if payload is not None and payload.get("probability") is not None:
        # v3 readings carry the relative fragility; v2 ones do not.
        version = "v3" if payload_field(payload, "relative") else "v2"
        index_model = f"index {version} ({crash_model})"
    elif payload is not None:
        index_model = "index v1 (fixed component weights)"
    return {
        "index": index_model,
        "classifier": classifier_model(store) or "no headline scored yet",
    }

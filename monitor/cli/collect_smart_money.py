"""`collect positioning|filings|models`: run the stage and summarise the result as plain dicts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from monitor.errors import BubbleMonitorError, CollectError
from monitor.stages.base import SourceResult

if TYPE_CHECKING:
    from monitor.app import App

R = TypeVar("R", bound=SourceResult)


def checked(result: R) -> R:
    """`result`, or CollectError when its whole source failed: the command stops there
    (exit status 2), and `collect all` reports the stage as failed and goes on."""
    if (why := result.total_failure()) is not None:
        raise CollectError(why)
    return result


def collect_smart_money(app: App, what: str, *, weeks: int = 1) -> dict[str, Any]:
    from monitor.stages.filings import run_filings
    from monitor.stages.models import run_models
    from monitor.stages.positioning import run_positioning

    if what == "positioning":
        result = checked(run_positioning(app))
        return {
            "positioning": {
                "new": result.new,
                "failed": result.count("failed"),
                "tickers": [
                    {
                        "ticker": t.ticker,
                        "status": t.status,
                        "settlement": t.settlement,
                        "published": t.published,
                        "new": t.new,
                        "reason": t.reason,
                    }
                    for t in result.tickers
                ],
            }
        }
    if what == "filings":
        filings = checked(run_filings(app))
        return {
            "filings": {
                "requests": filings.requests,
                "failed": filings.count("failed"),
                "funds": [
                    {
                        "fund": f.fund,
                        "cik": f.cik,
                        "status": f.status,
                        "new_filings": ", ".join(f.new_filings),
                        "error": "; ".join(filter(None, (*f.errors, f.warning))),
                    }
                    for f in filings.funds
                ],
                "events": [e for f in filings.funds for e in f.events],
            }
        }
    models = checked(run_models(app, weeks=weeks))
    return {
        "models": {
            "scanned": models.scanned,
            "error": models.error,
            "weeks": [
                {"week_start": w.week_start.isoformat(), "total": w.total, **dict(w.counts)}
                for w in models.weeks
            ],
            "already_stored": [d.isoformat() for d in models.skipped],
        }
    }


def collect_all_smart_money(app: App, *, weeks: int = 1) -> dict[str, Any]:
    """Every smart-money stage; one that fails is reported and the others still run."""
    from monitor.sources.edgar.client import USER_AGENT_ENV

    out: dict[str, Any] = {}
    for what in ("positioning", "filings", "models"):
        if what == "filings" and not app.env.get(USER_AGENT_ENV, "").strip():
            out[what] = {"skipped": f"{USER_AGENT_ENV} is not set (SEC EDGAR requires it)"}
            continue
        try:
            out.update(collect_smart_money(app, what, weeks=weeks))
        except BubbleMonitorError as e:
            out[what] = {"failed_stage": str(e)}
    return out

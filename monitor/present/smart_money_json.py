"""Smart money and model mix as JSON: the `smart_money` and `model_mix` members of a reading
(`report --json`, `history --json`, the stored payload) and the lines channels print.

13F option values are notional (the underlying shares at the quarter's end), not the
premium paid; every rendering says so. Light on purpose: channels import it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from monitor.reading.fundamentals_json import fundamentals_lines
from signals.models import Signal

if TYPE_CHECKING:
    from monitor.reading.smart_money import SmartMoneyView

NOTIONAL_NOTE: Final = "13F option values are notional (shares x quarter-end price), not premium"
#: Weeks of the model mix a reading carries (every reading stores them: keep it small).
MIX_WEEKS: Final = 8
LAGS_NOTE: Final = (
    "13F: counted from its filing date, up to 45 days after quarter end; short interest: "
    "counted from its publication, 7 US business days after each twice-monthly settlement"
)


def view_to_dict(view: SmartMoneyView) -> dict[str, Any]:
    """The `smart_money` and `model_mix` members of `report --json`."""
    return {
        "smart_money": {
            "line": view.line,
            "segments": [
                {
                    "name": s.segment,
                    "positioning": _signal(s.positioning),
                    "names": [
                        {
                            "ticker": p.ticker,
                            "settlement": p.settlement.isoformat(),
                            "published": p.published.isoformat(),
                            "short_percent_of_float": _pct(p.share_of_float),
                            "days_to_cover": _round(p.days_to_cover, 2),
                            "percentile": _round(p.percentile, 1),
                            "history": p.history,
                        }
                        for p in s.names
                    ],
                    "smart_money": _signal(s.smart_money),
                    "quarters": [
                        {
                            "period": q.period.isoformat(),
                            "funds": q.funds,
                            "long_value": round(q.long_value),
                            "put_notional": round(q.put_notional),
                            "call_notional": round(q.call_notional),
                            "put_share": _round(q.put_share, 4),
                        }
                        for q in s.quarters
                    ],
                }
                for s in view.segments
            ],
            "events": list(view.events),
            "notes": [NOTIONAL_NOTE, LAGS_NOTE],
        },
        "model_mix": {
            "line": view.model_line,
            "weeks": [
                {"week_start": w.week_start.isoformat(), "total": w.total, "counts": dict(w.counts)}
                for w in sorted(view.model_weeks, key=lambda w: w.week_start)[-MIX_WEEKS:]
            ],
        },
    }


def context_lines(context: Mapping[str, Any]) -> tuple[str, ...]:
    """The lines Slack and plain-text channels add under a reading, from its `context`
    (the document `view_to_dict` made when the reading was computed)."""
    smart = context.get("smart_money") or {}
    mix = context.get("model_mix") or {}
    lines = []
    if smart.get("line"):
        lines.append(f"Smart money: {smart['line']}")
    lines.extend(f"13F: {e}" for e in list(smart.get("events") or [])[1:4])
    if mix.get("line"):
        lines.append(f"Model mix: {mix['line']} (context, not in the index)")
    if smart.get("line"):
        lines.append(f"({NOTIONAL_NOTE}; lags: {LAGS_NOTE})")
    lines.extend(fundamentals_lines(context))
    return tuple(lines)


def _signal(signal: Signal) -> dict[str, Any]:
    return {
        "value": _round(signal.value, 2),
        "status": "component" if signal.value is not None else "context",
        "detail": signal.detail,
        "coverage": round(signal.coverage, 3),
    }


def _pct(fraction: float | None) -> float | None:
    return None if fraction is None else round(100 * fraction, 2)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)

"""The JSON endpoints: /api/reading, /api/history, /api/headlines, /api/segments, /api/health.

Query parameters are checked and a bad one answers 400 with a message naming it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import JSONResponse

from monitor.errors import QueryError
from monitor.present.reading import reading_to_dict
from monitor.store.db import Store
from monitor.store.headlines import list_headlines
from monitor.store.overview import (
    HistoryPoint,
    history_points,
    latest_payload,
    segment_history_points,
)
from monitor.store.payload import reading_from_payload
from monitor.web import fmt
from monitor.web.blocks_freshness import stale_banner
from signals.labels import LABELS

HEADLINES_DEFAULT_DAYS: Final[int] = 30
HEADLINES_MAX: Final[int] = 1000
NO_READING: Final[str] = (
    "no reading is stored yet: run `bubble-monitor collect` and `bubble-monitor report`, "
    "or let `bubble-monitor serve` run its index job"
)


def error(message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def parse_since(text: str | None) -> datetime | None:
    """`since` as a UTC datetime: a date (YYYY-MM-DD) or an ISO-8601 date-time."""
    if text is None or not text.strip():
        return None
    try:
        if len(text.strip()) == 10:
            return datetime.combine(date.fromisoformat(text.strip()), time(), UTC)
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise QueryError(
            f"since: {text!r} is not a date (YYYY-MM-DD) or an ISO-8601 date-time"
        ) from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


def parse_limit(text: str | None, default: int) -> int:
    if text is None:
        return default
    if not text.isdigit() or not 1 <= int(text) <= HEADLINES_MAX:
        raise QueryError(f"limit: {text!r} is not a whole number from 1 to {HEADLINES_MAX}")
    return int(text)


def reading(store: Store) -> JSONResponse:
    """The newest reading as the one reading document (`report --json`'s keys); when it
    was computed is /api/health's `computed_at`."""
    latest = latest_payload(store)
    if latest is None:
        return error(NO_READING, 404)
    return JSONResponse(reading_to_dict(reading_from_payload(latest.payload)))


def history(store: Store, request: Request) -> JSONResponse:
    since = parse_since(request.query_params.get("since"))
    segment = request.query_params.get("segment") or None
    if segment is None:
        found = history_points(store, since)
    else:
        every = segment_history_points(store, since)
        found = [p for p in every if p.name == segment]
        if not found and (every or history_points(store, since)):
            known = sorted({str(p.name) for p in every})
            return error(
                f"segment: {segment!r} is in no stored reading"
                + (f"; known: {', '.join(known)}" if known else "; readings have no segments yet"),
                404,
            )
    return JSONResponse(
        {
            "segment": segment,
            "since": None if since is None else since.isoformat(),
            "points": [_point(p) for p in found],
        }
    )


def _segments(payload: dict[str, Any]) -> list[dict[str, Any]]:
    raw = payload.get("segments")
    return [s for s in raw if isinstance(s, dict)] if isinstance(raw, list) else []


def _point(point: HistoryPoint) -> dict[str, Any]:
    index, probability = fmt.number(point.index), fmt.number(point.probability)
    return {  # rounded: five years of points stay small (the page budget is 300 KB)
        "as_of": point.as_of,
        "index": None if index is None else round(index, 2),
        "regime": point.regime,
        "probability": None if probability is None else round(probability, 4),
    }


def headlines(store: Store, request: Request, now: datetime) -> JSONResponse:
    label = request.query_params.get("label") or None
    if label is not None and label not in LABELS:
        raise QueryError(f"label: {label!r} is not one of {', '.join(LABELS)}")
    since = parse_since(request.query_params.get("since"))
    since = since or now - timedelta(days=HEADLINES_DEFAULT_DAYS)
    limit = parse_limit(request.query_params.get("limit"), 200)
    rows = list_headlines(store, since=since, label=label, limit=limit)
    return JSONResponse(
        {
            "since": since.isoformat(),
            "label": label,
            "headlines": [
                {
                    "title": h.headline.title,
                    "url": h.headline.url,
                    "source": h.headline.source,
                    "feed": h.headline.feed,
                    "published": h.headline.published.isoformat(),
                    "label": None if h.score is None else h.score.label,
                    "confidence": None if h.score is None else round(h.score.confidence, 3),
                    "sources": h.sources,
                }
                for h in rows
            ],
        }
    )


def segments(store: Store) -> JSONResponse:
    latest = latest_payload(store)
    if latest is None:
        return error(NO_READING, 404)
    found = _segments(latest.payload)
    return JSONResponse(
        {"as_of": latest.payload.get("as_of"), "available": bool(found), "segments": found}
    )


def health(store: Store, probe_doc: dict[str, Any], healthy: bool, now: datetime) -> JSONResponse:
    latest = latest_payload(store)
    payload = None if latest is None else latest.payload
    reasons = stale_banner(store, payload, now)
    doc = {
        **probe_doc,
        "healthy": healthy,
        "latest_reading": None if payload is None else payload.get("as_of"),
        "computed_at": None if latest is None else latest.computed_at,
        "stale": bool(reasons),
        "stale_reasons": reasons,
    }
    return JSONResponse(doc, status_code=200 if healthy else 503)

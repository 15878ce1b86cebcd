"""The weekly `collect models` stage: new public models on the Hugging Face Hub, by kind.

Pages through `HfApi.list_models` newest-first (sorted by creation) until it passes the
start of the oldest week wanted, counting each model once into its week and category
(signals.model_mix.categorize). Only whole weeks (Monday to Monday, UTC) are stored, so a
re-run changes nothing. huggingface_hub's own backoff retries 429 answers, waiting as
long as Retry-After says; `HF_ENDPOINT` points the client at a mirror or a test server.
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from monitor.config.smart_money import ModelMixConfig
from monitor.errors import CollectError
from monitor.store import Store
from monitor.store.model_mix import save_week, stored_weeks
from signals.model_mix import WeekMix, categorize, week_start

ENDPOINT_ENV = "HF_ENDPOINT"
DEFAULT_ENDPOINT = "https://huggingface.co"


@dataclass(frozen=True, slots=True)
class ModelsResult:
    weeks: tuple[WeekMix, ...]
    scanned: int
    skipped: tuple[date, ...] = ()  # weeks already stored
    error: str = ""  # paging stopped at model_mix.max_models: the weeks are incomplete
    failed: str = ""  # the Hub could not be read at all

    def total_failure(self) -> str | None:
        """Why the whole source failed (the Hub unreachable, refusing, or switched off),
        or None; the runner records such a run as an error."""
        return self.failed or None

    def summary(self) -> dict[str, Any]:
        """For the job log: the `models` stage returns this result as is."""
        return {"weeks": len(self.weeks), "scanned": self.scanned, "incomplete": bool(self.error)}


def wanted_weeks(now: datetime, weeks: int, known: set[date]) -> list[date]:
    """The last `weeks` whole weeks before `now` that are not stored yet, newest first."""
    current = week_start(now.astimezone(UTC).date())
    starts = [current - timedelta(weeks=n) for n in range(1, weeks + 1)]
    return [s for s in starts if s not in known]


def hub_api(endpoint: str | None) -> Any:
    """An HfApi at `endpoint` (the Hub when None). Built by the App (monitor.app)."""
    from huggingface_hub import HfApi

    # Given explicitly: huggingface_hub reads HF_ENDPOINT once, at import.
    return HfApi(endpoint=endpoint or DEFAULT_ENDPOINT)


def collect_models(
    store: Store,
    config: ModelMixConfig,
    api: Any,
    *,
    now: datetime,
    weeks: int = 1,
) -> ModelsResult:
    """Count and store the new models of each wanted week, listed by `api` (an HfApi);
    a Hub that cannot be read is the result's `failed`, nothing stored."""
    known = stored_weeks(store)
    wanted = wanted_weeks(now, weeks, known)
    skipped = tuple(sorted(set(wanted_weeks(now, weeks, set())) & known))
    if not wanted:
        return ModelsResult((), 0, skipped)
    try:
        counts, scanned, complete = _count(_list_models(api), wanted, config)
    except CollectError as e:  # reported like every source's total failure, in the result
        return ModelsResult((), 0, skipped, failed=str(e))
    done = [WeekMix(w, dict(counts[w])) for w in sorted(wanted) if w in complete]
    for week in done:
        save_week(store, week, fetched_at=now)
    error = ""
    if len(done) < len(wanted):
        error = (
            f"stopped after {scanned:,} models (model_mix.max_models) before the week of "
            f"{min(wanted)} began; raise max_models or collect fewer weeks"
        )
    return ModelsResult(tuple(done), scanned, skipped, error)


def _count(
    models: Iterable[Any], wanted: list[date], config: ModelMixConfig
) -> tuple[dict[date, Counter[str]], int, set[date]]:
    """Bucket models by week and category; a week is complete once paging passed its start."""
    categories = config.as_categories()
    counts: dict[date, Counter[str]] = {w: Counter() for w in wanted}
    end = datetime.combine(max(wanted) + timedelta(weeks=1), time(), UTC)
    start = datetime.combine(min(wanted), time(), UTC)
    scanned, oldest, exhausted = 0, None, True
    for scanned, model in enumerate(_checked(models), 1):
        created = model.created_at.astimezone(UTC)
        oldest = created
        if created < start:
            break
        if created < end and (bucket := week_start(created.date())) in counts:
            counts[bucket][categorize(model.pipeline_tag, model.tags or (), categories)] += 1
        if scanned >= config.max_models:
            exhausted = False
            break
    # A week is whole once paging passed its start, or when the Hub had nothing older.
    complete = {
        w
        for w in wanted
        if exhausted or (oldest is not None and oldest < datetime.combine(w, time(), UTC))
    }
    return counts, scanned, complete


def _checked(models: Iterable[Any]) -> Iterable[Any]:
    """The models, translating the Hub client's errors into CollectError."""
    from huggingface_hub.errors import HfHubHTTPError, OfflineModeIsEnabled

    try:
        for model in models:
            if model.created_at is None:
                continue  # the Hub omits it for a few legacy repos; they are not new
            yield model
    except OfflineModeIsEnabled as e:
        raise CollectError(
            "the Hugging Face Hub is switched off by HF_HUB_OFFLINE=1; unset it to collect models"
        ) from e
    except HfHubHTTPError as e:
        raise CollectError(f"Hugging Face Hub: {e}".splitlines()[0]) from e
    except _network_errors() as e:
        raise CollectError(f"Hugging Face Hub unreachable: {type(e).__name__}: {e}") from e
    except (ValueError, TypeError, KeyError, AttributeError) as e:
        # An HF_ENDPOINT that answers something else (a proxy's HTML login page, an error
        # object, a malformed date) made the client raise these: a traceback before.
        raise CollectError(
            f"Hugging Face Hub answered no model list ({type(e).__name__}: {e}); check HF_ENDPOINT"
        ) from e


def _network_errors() -> tuple[type[Exception], ...]:
    """What the Hub client raises when it cannot get an answer at all (no route, a refused
    connection, a bad HF_ENDPOINT): its HTTP library's errors, which are not OSErrors."""
    errors: list[type[Exception]] = [OSError]
    # huggingface_hub 1.x sends through httpx, 2.x through its fork httpx2.
    for library in ("httpx2", "httpx"):
        try:
            errors.append(importlib.import_module(library).HTTPError)
        except ImportError:
            continue
    return tuple(errors)


def _list_models(api: Any) -> Iterable[Any]:
    # No `limit`: huggingface_hub would send it as the page size too, and the Hub's own
    # page size is the one it serves reliably; `_count` enforces max_models itself.
    models: Iterable[Any] = api.list_models(
        sort="created_at", expand=["createdAt", "pipeline_tag", "tags"]
    )
    return models

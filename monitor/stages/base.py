"""What every stage returns: one typed result that can summarise itself for the job log."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable


class StageResult(Protocol):
    """A stage's outcome. `summary()` is small, JSON-able and stable: the service stores it
    in job_runs.details and logs it as `key=value` pairs."""

    def summary(self) -> dict[str, Any]: ...


@runtime_checkable
class SourceResult(Protocol):
    """A source stage's outcome (prices, news, positioning, filings, fundamentals, models):
    it says when its whole source failed (every ticker, feed, fund or company; the Hub
    unreachable). This is the one way a source reports it: the stage returns the result
    and never raises for it, so the job log keeps the run's details and the service's
    metrics still count what it saw; the runner records the run as an error."""

    def total_failure(self) -> str | None: ...

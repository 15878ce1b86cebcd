"""What every stage returns: one typed result that can summarise itself for the job log."""

from __future__ import annotations

from typing import Any, Protocol


class StageResult(Protocol):
    """A stage's outcome. `summary()` is small, JSON-able and stable: the service stores it
    in job_runs.details and logs it as `key=value` pairs."""

    def summary(self) -> dict[str, Any]: ...

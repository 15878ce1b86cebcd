"""The job registry: every job of the service named once, with the stage it runs.

The schedule (monitor/stages/schedule.py) plans triggers for these names in this order, the
runner (monitor/service/runner.py) runs their stages and reports their health, and the
dashboard lists their next runs from the same plans. feeds.yaml's `schedule:` section gives
each of them its trigger; tests/test_jobs.py checks that the two name the same jobs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from monitor.stages.digest import run_digest
from monitor.stages.filings import run_filings
from monitor.stages.fundamentals import run_fundamentals
from monitor.stages.index import run_index
from monitor.stages.models import run_models
from monitor.stages.news import run_news
from monitor.stages.positioning import run_positioning
from monitor.stages.prices import run_prices
from monitor.stages.retention import run_retention

if TYPE_CHECKING:
    from monitor.app import App
    from monitor.stages.base import StageResult

JobFunc = Callable[["App"], "StageResult"]


@dataclass(frozen=True, slots=True)
class Job:
    """A job of the service: its name, its stage, and the job whose work it repeats (the
    intraday prices and the digest run the same stage as `prices` and `index`, so a run of
    either counts as that unit of work)."""

    name: str
    stage: JobFunc
    same_work_as: str | None = None


#: In pipeline order: prices before news before the index.
JOBS: tuple[Job, ...] = (
    Job("prices", run_prices),
    Job("prices_intraday", run_prices, same_work_as="prices"),
    Job("news", run_news),
    Job("positioning", run_positioning),
    Job("filings", run_filings),
    Job("fundamentals", run_fundamentals),
    Job("models", run_models),
    Job("index", run_index),
    Job("digest", run_digest, same_work_as="index"),
    Job("retention", run_retention),
)
JOB_NAMES: tuple[str, ...] = tuple(job.name for job in JOBS)
#: Jobs that run the same stage as another job (see `Runner.run_once`).
SAME_WORK: dict[str, str] = {j.name: j.same_work_as for j in JOBS if j.same_work_as is not None}


def default_jobs() -> dict[str, JobFunc]:
    """The pipeline's stages under the service's job names."""
    return {job.name: job.stage for job in JOBS}

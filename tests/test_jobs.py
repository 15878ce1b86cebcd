"""The job registry is the one list of jobs: feeds.yaml's schedule names the same ones, and
the schedule, the runner and the dashboard's next runs all read it."""

from __future__ import annotations

from monitor.config.feeds_yaml import ScheduleConfig
from monitor.stages.jobs import JOB_NAMES, JOBS, SAME_WORK, default_jobs
from monitor.stages.schedule import plan_jobs

#: ScheduleConfig fields that are settings of the schedule, not jobs.
SETTINGS = {"timezone", "misfire_grace_seconds"}


def test_the_schedule_section_names_exactly_the_registered_jobs() -> None:
    assert set(ScheduleConfig.model_fields) - SETTINGS == set(JOB_NAMES)


def test_plans_runner_stages_and_same_work_come_from_the_registry() -> None:
    assert [p.name for p in plan_jobs(ScheduleConfig())] == list(JOB_NAMES)
    assert list(default_jobs()) == list(JOB_NAMES)
    assert set(SAME_WORK) <= set(JOB_NAMES) and set(SAME_WORK.values()) <= set(JOB_NAMES)
    assert all(job.name != job.same_work_as for job in JOBS)

"""Exactly once across instances that share one PostgreSQL store.

Each instance schedules in memory (APScheduler 3 cannot share a job store between
processes), so every instance fires every job. What makes the work happen once:

- the job's advisory lock (`pg_try_advisory_lock`, on the job thread's own connection) is
  held for the whole run: an instance that cannot take it skips the run and records
  `skipped: held by another instance`; twin jobs that run the same stage share one lock;
- a scheduled run belongs to a slot, the trigger's nominal fire time at or before now
  (interval jobs: the epoch-aligned interval, so instances started at different times
  agree). Under the lock the run claims `job@slot` in `work_units` before it starts; an
  instance that fires a moment later in the same slot finds it claimed and skips, so a
  slot never runs twice and never writes two readings;
- a failed run releases its claim, so another instance may try the slot again; a killed
  holder loses its lock with its session, its claim stays (that slot is given up rather
  than risk a second reading), and the next instance to fire takes the next slot;
- the instance that next takes a job's lock closes the dead holder's open `job_runs` row
  as `abandoned` (no live process can hold a run of that job then), so /healthz, /metrics,
  doctor and the dashboard stop showing it as running.

On SQLite (one instance per file, enforced by serve's flock) claims always succeed and no
slot is recorded, so a single instance behaves exactly as before.
"""

from __future__ import annotations

import copy
import logging
import os
import socket
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from monitor.store import Store, work_claims
from monitor.store import jobs as job_log

log = logging.getLogger("monitor.service")

HELD: Final[str] = "held by another instance"
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
#: How far back to look for a cron trigger's last fire time, shortest first.
_LOOKBACKS: Final = tuple(
    timedelta(minutes=m) for m in (2, 2 * 60, 2 * 24 * 60, 9 * 24 * 60, 40 * 24 * 60)
)


def instance_name() -> str:
    """host:pid, which names this process in job_runs and work_units."""
    return f"{socket.gethostname()}:{os.getpid()}"


def slot_start(trigger: BaseTrigger, now: datetime) -> datetime | None:
    """The nominal fire time of the run due at `now` (None for other trigger types)."""
    if isinstance(trigger, IntervalTrigger):
        step = trigger.interval.total_seconds()
        elapsed = (now - _EPOCH).total_seconds()
        return _EPOCH + timedelta(seconds=(elapsed // step) * step)
    if isinstance(trigger, CronTrigger):
        return _last_cron_fire(trigger, now)
    return None


def _last_cron_fire(trigger: CronTrigger, now: datetime) -> datetime | None:
    nominal = copy.copy(trigger)
    nominal.jitter = None  # the slot is the nominal time; jitter only delays the firing
    for lookback in _LOOKBACKS:
        fire: datetime | None = nominal.get_next_fire_time(None, now - lookback)
        if fire is None or fire > now:
            continue
        while True:
            following = nominal.get_next_fire_time(fire, fire + timedelta(microseconds=1))
            if following is None or following > now:
                return fire.astimezone(UTC)
            fire = following
    return None


@dataclass(frozen=True)
class Unit:
    """One job run's unit of work: the lock it takes and, when scheduled, its slot."""

    job: str
    lock: str
    slot: datetime | None

    @property
    def name(self) -> str:
        return f"{self.job}@{self.slot.isoformat()}" if self.slot else self.job


class ExactlyOnce:
    """Claims units of work for one instance; see the module docstring."""

    def __init__(
        self,
        store: Store,
        triggers: Mapping[str, BaseTrigger],
        *,
        same_work: Mapping[str, str],
        instance: str | None = None,
    ) -> None:
        self.store, self.triggers, self.same_work = store, dict(triggers), dict(same_work)
        self.instance = instance or instance_name()
        self.shared = store.backend == "postgresql"

    def unit(self, job: str, now: datetime, *, scheduled: bool) -> Unit:
        trigger = self.triggers.get(job)
        slot = slot_start(trigger, now) if (self.shared and scheduled and trigger) else None
        return Unit(job, self.lock_of(job), slot)

    @contextmanager
    def claim(self, unit: Unit, *, now: datetime) -> Iterator[str | None]:
        """Hold the unit for the block; yield None when this instance should run it, else
        the reason it must skip. Holding the lock proves every earlier run of its jobs
        over: one still open is closed as abandoned first."""
        with self.store.hold_unit(unit.lock) as got:
            if not got:
                yield HELD
                return
            if self.shared:
                self._close_taken_over(unit.lock, at=now)
            if unit.slot is None or work_claims.claim(
                self.store, unit.name, job=unit.job, slot=unit.slot, instance=self.instance,
                at=now,
            ):  # fmt: skip
                yield None
            else:
                yield self._why_claimed(unit)

    def _why_claimed(self, unit: Unit) -> str:
        claim = work_claims.claimed_by(self.store, unit.name)
        if claim is None:  # released between the insert and the read: the next slot runs
            return "released by another instance"
        if claim.instance == self.instance:  # a coalesced or repeated firing in one slot
            return "already run in this slot by this instance"
        if claim.outcome == "ok":
            return f"done by another instance ({claim.instance})"
        return f"started by an instance that stopped before finishing ({claim.instance})"

    def finish(self, unit: Unit, *, ok: bool) -> None:
        """Mark the claim done, or release it after a failure so another may retry."""
        if unit.slot is None:
            return
        if ok:
            work_claims.finish(self.store, unit.name)
        else:
            work_claims.release(self.store, unit.name)

    def close_abandoned(self, *, at: datetime) -> int:
        """Mark runs a dead process left open (at start-up). On a shared store, only those
        of jobs whose lock is free: a run open under a held lock is another instance's,
        still going."""
        if not self.shared:
            return job_log.close_abandoned(self.store, at=at)
        closed = 0
        for lock in sorted({self.lock_of(job) for job in job_log.open_run_jobs(self.store)}):
            with self.store.hold_unit(lock) as got:
                if got:
                    closed += self._close_taken_over(lock, at=at)
        return closed

    def lock_of(self, job: str) -> str:
        """The lock a job runs under (twin jobs that do the same work share one)."""
        return f"job:{self.same_work.get(job, job)}"

    def _close_taken_over(self, lock: str, *, at: datetime) -> int:
        """Under `lock`, no live process runs any job of it: a run of those jobs still open
        was cut short by its holder's death (kill -9, crash, lost session). Close it now,
        when this instance takes the job over, rather than at some instance's restart."""
        known = {*self.triggers, *self.same_work, *self.same_work.values(), lock[4:]}
        jobs = sorted(job for job in known if self.lock_of(job) == lock)
        reason = f"{job_log.STOPPED}; closed by {self.instance}, which took the job over"
        closed = job_log.close_abandoned(self.store, at=at, jobs=jobs, reason=reason)
        if closed:
            log.warning("%d run(s) of %s left open by a stopped instance marked abandoned",
                        closed, "/".join(jobs))  # fmt: skip
        return closed

    def prune(self, *, before: datetime) -> None:
        work_claims.prune_units(self.store, before=before)

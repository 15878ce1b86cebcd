"""Process lifecycle: one service per database, and a clean stop on SIGTERM or SIGINT.

The single-instance lock is `fcntl.flock` on `<db>.lock`: the kernel drops it when the
process exits for any reason (kill -9 included), so a crash never leaves a stale lock to
clean up by hand. The file keeps the holder's pid only to name it in the refusal message.

On SIGTERM/SIGINT the scheduler takes no new jobs and a running job gets until the
deadline to finish (every stage writes in transactions, so its end is a safe point).
A job that does not finish in time is abandoned: the process exits without waiting,
SQLite rolls back the open transaction, and the next start marks the run abandoned.
"""

from __future__ import annotations

import fcntl
import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime
from pathlib import Path
from types import FrameType, TracebackType
from typing import TYPE_CHECKING, Final

from monitor.config.db_target import DbTarget
from monitor.config.feeds_yaml import Config
from monitor.errors import ConfigError, StoreError, StoreUnavailableError
from monitor.notify.base import stopping as notify_stopping
from monitor.store import Store

if TYPE_CHECKING:
    from monitor.app import App
    from monitor.service.job_status import RunOutcome
    from monitor.service.runner import Runner
    from monitor.web.server import WebServer

log = logging.getLogger("monitor.service")

#: systemd's TimeoutStopSec is 15 s; the brief is to be gone within 10.
STOP_DEADLINE: Final[float] = 8.0
#: The database server cannot be reached at start: exit 1, which the systemd unit restarts
#: (it does not restart on 2, the status of every fault only a person can fix).
EXIT_UNAVAILABLE: Final[int] = 1


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


class InstanceLock:
    """An exclusive, non-blocking flock on `<db>.lock`; `acquire()` refuses a second holder."""

    def __init__(self, db: Path) -> None:
        # Beside the real file: a symlink (or a path through ..) names the same database,
        # and a lock beside the link would let a second service run on it.
        self.db, self.path = db, lock_path(db.resolve())
        self._fd: int | None = None

    def acquire(self) -> InstanceLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise StoreError(f"cannot create the lock file {self.path}: {e}") from e
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            who = f" (pid {holder})" if holder else ""
            raise StoreError(
                f"another bubble-monitor serve{who} is already running on {self.db} "
                f"(lock {self.path}); stop it first, or give this one its own --db"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode().strip()
        return int(text) if text.isdigit() else None
    except (OSError, UnicodeDecodeError):
        return None


class StopSignals:
    """Turns SIGTERM and SIGINT into an event; a second signal forces an immediate exit."""

    SIGNALS: Final[tuple[signal.Signals, ...]] = (signal.SIGTERM, signal.SIGINT)

    def __init__(self) -> None:
        self.event = threading.Event()
        self.received: str | None = None
        self._previous: dict[signal.Signals, object] = {}

    def install(self) -> StopSignals:
        for sig in self.SIGNALS:
            self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def restore(self) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)  # type: ignore[arg-type]
        self._previous.clear()

    def wait(self) -> str:
        # A timed wait keeps the main thread returning to the interpreter, where handlers run.
        while not self.event.wait(0.5):
            pass
        return self.received or "stop"

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if self.event.is_set():
            log.warning("second %s: exiting now", name)
            flush_logs()
            os._exit(0)
        self.received = name
        self.event.set()
        notify_stopping.set()  # a send waiting on Slack's Retry-After gives up (notify.base)


def flush_logs() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()


def run_service(
    config: Config,
    db: DbTarget,
    *,
    health: tuple[str, int] | None = None,
    once: bool = False,
    token: str | None = None,
    make_app: Callable[[Config, Store], App] | None = None,
) -> int:
    """`bubble-monitor serve`: lock the database, run the jobs until a stop signal, exit 0.

    `health` is the (host, port) of the web dashboard, /healthz and /metrics, which
    require `token` when it is set. With `once`, run each enabled job once in pipeline
    order and return 1 if one failed.
    """
    from monitor.config.cron import check_timezone
    from monitor.service.runner import Runner
    from monitor.stages.schedule import plan_jobs, without_unconfigured
    from monitor.web.health import ServiceMetrics

    plans = without_unconfigured(plan_jobs(config.schedule), os.environ)
    if not plans:
        raise ConfigError("schedule: every job is disabled (null); there is nothing to serve")
    zone = check_timezone(config.schedule.timezone)
    with _instance_lock(db):
        try:
            store = Store(db)
        except StoreUnavailableError as e:  # PostgreSQL not up yet: worth starting again
            log.error("%s; exiting with status %d to be started again", e, EXIT_UNAVAILABLE)
            return EXIT_UNAVAILABLE
        with store:
            stop = StopSignals().install()  # before anything slow, so SIGTERM is always clean
            notify_stopping.clear()  # a run_service before this one in the process set it
            try:
                app = (make_app or default_app)(config, store)
                grace = config.schedule.misfire_grace_seconds
                runner = Runner(
                    app, plans, timezone=zone, metrics=ServiceMetrics(), misfire_grace=grace
                )
                runner.stopping = stop.event  # a signal also stops `--once` between jobs
                if once:
                    return _once_status(runner.run_once())
                server = _web_server(db, runner, health, token, app.clock) if health else None
                return _serve(runner, server, stop, store)
            finally:
                stop.restore()


def _once_status(outcomes: list[RunOutcome]) -> int:
    """`--once`'s exit status: 1 if a job failed. A job skipped because another instance
    runs it now (a shared store) is being done, so it is no failure."""
    from monitor.service.exactly_once import HELD

    done = all(o.outcome == "ok" or (o.outcome, o.error) == ("skipped", HELD) for o in outcomes)
    return 0 if done else 1


def _web_server(
    db: DbTarget,
    runner: Runner,
    address: tuple[str, int],
    token: str | None,
    clock: Callable[[], datetime],
) -> WebServer:
    """The dashboard, /healthz and /metrics on `address`, beside the runner."""
    from monitor.web.app import build_app
    from monitor.web.server import WebServer
    from monitor.web.settings import service_settings

    return WebServer(build_app(service_settings(db, runner, token=token, clock=clock)), *address)


def _instance_lock(db: DbTarget) -> AbstractContextManager[object]:
    """SQLite: one service per file. PostgreSQL: any number share the database, and each
    unit of work takes its own advisory lock (see Runner)."""
    return InstanceLock(db) if isinstance(db, Path) else nullcontext()


def _serve(runner: Runner, server: WebServer | None, stop: StopSignals, store: Store) -> int:
    if server is not None:
        server.start()
    runner.start()
    log.info(
        "serving %d job(s) on %s store %s (pid %d)",
        len(runner.plans),
        store.backend,
        store.location,
        os.getpid(),
    )
    why = stop.wait()
    started = time.monotonic()
    log.info("%s received: taking no new jobs, letting a running one finish", why)
    if server is not None:
        server.request_stop()  # in parallel with the running job: both within the deadline
    finished = runner.shutdown(STOP_DEADLINE)
    if server is not None:
        server.stop()
    if not finished:
        log.warning("a job was still running after %.0fs; exiting without it", STOP_DEADLINE)
        flush_logs()
        os._exit(0)  # its worker thread cannot be joined; SQLite rolls its transaction back
    log.info("stopped cleanly in %.2fs", time.monotonic() - started)
    return 0


def default_app(config: Config, store: Store) -> App:
    """The production App, built once: Slack settings are checked now, so a malformed
    variable stops start-up, and the channels built here serve every alert run."""
    from monitor.app import build

    app = build(config, store=store)
    log.info("alerts go to %s", ", ".join(n.name for n in app.notifier.notifiers))
    return app

"""Shared fixtures: a fresh database per test, the real data folder, the real model."""

from __future__ import annotations

import importlib.util
import itertools
import logging
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest

from monitor.store import Store
from tests import browser, pg_server

if TYPE_CHECKING:
    from monitor.service.runner import Runner


def _share_the_cores_between_workers() -> None:
    """Under pytest-xdist, give each worker its share of the cores for numeric threads.

    Every worker's torch and BLAS would otherwise start one thread per core: with two
    workers on two cores that is four busy threads on two cores, each stalling the others'
    barriers. Set before numpy or torch is imported (test modules import them later); a
    value already in the environment wins."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if workers <= 1:
        return
    share = str(max(1, (os.cpu_count() or 1) // workers))
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, share)
    os.environ.setdefault("BUBBLE_MONITOR_TORCH_THREADS", share)


_share_the_cores_between_workers()

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

#: CLI tests read text output from a fixed, very wide terminal: rich wraps and truncates at
#: the terminal's width, so a narrow terminal or a long clone or tmp path would split the
#: words a test looks for. rich reads COLUMNS once, when a Console is made, so the CLI's
#: consoles are created here, before any test module imports them; pytest's own report
#: keeps the caller's width.
WIDE_TERMINAL_COLUMNS = "10000"


def _create_wide_cli_consoles() -> None:
    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = WIDE_TERMINAL_COLUMNS
    try:
        from monitor.cli.common import console, err_console

        # The consoles are made on first use: use them now, at this width.
        assert console.width == err_console.width == int(WIDE_TERMINAL_COLUMNS)
    finally:
        if saved is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = saved


_create_wide_cli_consoles()

# The model must never be fetched from a hub, in tests least of all.
# werkzeug (pytest-httpserver's local servers) gives its logger a StreamHandler on the
# sys.stderr of its first log line; when that line falls inside a CliRunner invocation, the
# handler keeps CliRunner's stream, closed afterwards, and every later request line prints
# "--- Logging error --- Traceback" into whichever command output is being captured then
# (a test asserting no traceback failed at random). A handler of ours keeps werkzeug's off;
# its records still reach pytest's capture through the root logger.
logging.getLogger("werkzeug").addHandler(logging.NullHandler())
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def _refuse_the_internet_below_python_sockets() -> None:
    """Send every proxy-aware client to a port that refuses, except local servers.

    pytest-socket blocks Python's own sockets, but not yfinance's libcurl (curl_cffi) nor a
    subprocess (`serve` run as a process): a test that reached for Yahoo or a news site
    would have waited on DNS and the network where there is one. curl, httpx, requests and
    urllib all honour these variables and NO_PROXY keeps 127.0.0.1 direct; port 9
    (discard) refuses at once. Set over any proxy of the developer's: no test may use it."""
    refused = "http://127.0.0.1:9"
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        os.environ[name] = os.environ[name.upper()] = refused
    os.environ["no_proxy"] = os.environ["NO_PROXY"] = "localhost,127.0.0.1,::1"


_refuse_the_internet_below_python_sockets()
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "monitor.db"


#: Test modules whose `store` tests form the contract suite, run on both backends.
CONTRACT_MODULES = ("test_store",)
_database_numbers = itertools.count(1)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every `store` test of the contract modules once per backend; with
    BUBBLE_MONITOR_TEST_BACKENDS=all, every `store` test of every module (a wider check to
    run after merging new store code; see docs/teams-postgresql.md)."""
    module = metafunc.module.__name__.rsplit(".", 1)[-1]
    uses_store = {"store", "store_target"} & set(metafunc.fixturenames)
    widen = os.environ.get("BUBBLE_MONITOR_TEST_BACKENDS") == "all"
    if uses_store and (widen or module.startswith(CONTRACT_MODULES)):
        metafunc.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def pg_server_session() -> Iterator[pg_server.PgServer]:
    """One throwaway PostgreSQL server for the session: skipped where none can start,
    except in CI (CI=true), where the PostgreSQL tests must run."""
    try:
        server = pg_server.start()
    except pg_server.NoServerError as e:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but no PostgreSQL server could be started: {e}")
        pytest.skip(f"no local PostgreSQL server: {e}")
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server_session: pg_server.PgServer) -> str:
    """A new, empty database on the session's server."""
    return pg_server_session.create_database(f"t{os.getpid()}_{next(_database_numbers)}")


@pytest.fixture
def store_target(backend: str, request: pytest.FixtureRequest, db_path: Path) -> str | Path:
    if backend == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    return db_path


@pytest.fixture
def store(store_target: str | Path) -> Iterator[Store]:
    with Store(store_target) as s:
        yield s


@pytest.fixture
def stopper() -> Iterator[list[Runner]]:
    """Runners a test started; shut down at its end even when the test fails."""
    runners: list[Runner] = []
    yield runners
    for r in runners:
        r.shutdown(5)


def wait_for(check: Callable[[], bool], timeout: float = 10.0) -> None:
    """Poll `check` until it is true; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.02)
    raise AssertionError("condition not met in time")


def load_fixture_module(relative: str, name: str) -> ModuleType:
    """tests/fixtures/`relative` (a recorded-answers replay) imported afresh as `name`."""
    spec = importlib.util.spec_from_file_location(name, FIXTURES / relative)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_prices_replay() -> ModuleType:
    """tests/fixtures/prices/replay.py: Yahoo's recorded answers behind a session adapter."""
    return load_fixture_module("prices/replay.py", "prices_replay")


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One headless Chromium (a Playwright Browser) for a module's browser tests; each test
    opens its own context. Skips (fails in CI) where Chromium or Playwright is absent."""
    with browser.launched() as b:
        yield b


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real data beside the project; the test skips when it is not there."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent (validation needs ../shared/data)")
    return SHARED_DATA


#: The developer's own settings, removed for every test (and for the session's demo build).
PRIVATE_ENV = (
    "BUBBLE_MONITOR_DB",
    "BUBBLE_MONITOR_FEEDS",
    "SLACK_BOT_TOKEN",
    "SLACK_CHANNEL",
    "SLACK_WEBHOOK_URL",
    "BUBBLE_MONITOR_SLACK_BASE_URL",
    "BUBBLE_MONITOR_SEC_USER_AGENT",
    "BUBBLE_MONITOR_SEC_DATA_URL",
    "BUBBLE_MONITOR_SEC_ARCHIVES_URL",
    "HF_ENDPOINT",
)


def _isolate(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    for name in PRIVATE_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BUBBLE_MONITOR_DATA_DIR", str(folder / "data-dir"))


@contextmanager
def root_logger_restored() -> Iterator[None]:
    """Put the root logger's handlers and level back as they were on entry.

    `serve` and `dashboard` call configure_logging, which hangs a StreamHandler on the
    root logger with the sys.stderr of the moment: under CliRunner that is the runner's
    stream, closed when the command returns. Left in place, every later record (a local
    server's request line) printed "--- Logging error --- Traceback" into whatever output
    was captured then, and a test asserting no traceback failed at random (CI on 3799354)."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield
    finally:
        for handler in [h for h in root.handlers if h not in handlers]:
            root.removeHandler(handler)
        root.setLevel(level)


@pytest.fixture(autouse=True)
def _root_logger_restored_after_each_test() -> Iterator[None]:
    with root_logger_restored():
        yield


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's own database, feeds or Slack secrets."""
    _isolate(monkeypatch, tmp_path)


@dataclass(frozen=True)
class DemoReport:
    """One run of `report --demo --json --db demo.db`: what it printed and the store it left."""

    stdout: str
    db: Path

    def copy_to(self, folder: Path) -> Path:
        """A copy of the demo store in `folder`, for a module or test to use (and change)."""
        target = folder / "demo.db"
        with closing(sqlite3.connect(self.db)) as source, closing(sqlite3.connect(target)) as copy:
            source.backup(copy)
        return target


@pytest.fixture(scope="session")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> DemoReport:
    """The demo store, built once per session (per xdist worker) by the real command.

    `report --demo` simulates 820 sessions and scores the headlines with the real model:
    5-13 s a run. Five modules each built the same store; they now read copies of this one
    (the command and its output are the same, DEMO_NOW and the seed are fixed)."""
    from typer.testing import CliRunner

    from monitor.cli.app import app

    folder = tmp_path_factory.mktemp("demo-report")
    db = folder / "demo.db"
    with pytest.MonkeyPatch.context() as monkeypatch:
        _isolate(monkeypatch, folder)
        result = CliRunner().invoke(app, ["report", "--demo", "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return DemoReport(result.stdout, db)

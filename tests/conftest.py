"""Shared fixtures: a fresh database per test, the real data folder, the real model."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.store import Store

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# The model must never be fetched from a hub, in tests least of all.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "monitor.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store(db_path) as s:
        yield s


@pytest.fixture
def shared_data() -> Path:
    """The real data beside the project; the test skips when it is not there."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent (validation needs ../shared/data)")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's own database, feeds or Slack secrets."""
    for name in (
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
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BUBBLE_MONITOR_DATA_DIR", str(tmp_path / "data-dir"))

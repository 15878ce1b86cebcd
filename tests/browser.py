"""Debian's Chromium driven by Playwright, for the dashboard's browser tests: the flags it
runs with and where it is; the launch itself is the `chromium` fixture in conftest.py.

Skips where Chromium or Playwright is absent, except in CI (CI=true), where it fails."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: JavaScript for page.evaluate: how many pixels of the history chart's canvas are painted
#: (a blank canvas is 0).
PAINTED_PIXELS = """() => {
  const c = document.querySelector('#history-chart canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
  return n;
}"""


def chromium_path() -> str:
    """Debian's Chromium; skip (fail in CI) with the reason when it or Playwright is absent."""
    path = os.environ.get("BUBBLE_MONITOR_CHROMIUM") or shutil.which("chromium")
    reason = None
    if path is None:
        reason = "Chromium is not installed (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "Playwright is not installed (pip install playwright)"
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests must run in CI: {reason}")
        pytest.skip(reason)
    assert path is not None
    return path


@contextmanager
def launched() -> Iterator[Any]:
    """A headless Chromium (a Playwright Browser), closed on exit."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as p:
        # launch() gives Chromium a fresh temporary user-data dir and deletes it on close.
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            yield b
        finally:
            b.close()

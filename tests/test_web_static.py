"""The vendored uPlot is the published 1.6.32 byte for byte, and the whole page (HTML, its
scripts, styles and icon, and the history JSON) stays under 300 KB on five years of daily
readings."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from starlette.testclient import TestClient

from monitor.store import Store
from monitor.web.app import HERE
from tests.web_helpers import app_for, daily_history

#: SHA-256 of the files in npm's uplot-1.6.32.tgz (package/dist/... and package/LICENSE).
UPLOT_SHA256 = {
    "uPlot.iife.min.js": "19c8d4c6ad88929a79f4ae49d6f7161566dfd0ba3d15cc495e974f787eb78f1f",
    "uPlot.min.css": "df630c6a8d6f8eeaff264b50f73ce5b114f646ffd9a0bb74f049b0a00135fa04",
    "LICENSE": "8f989229699b4fe2f1a0432d0e9edc338a8a911e250e2d1b01ecd770a5f5b1bd",
}
PAGE_BUDGET = 300 * 1024


def test_vendored_uplot_is_the_published_release() -> None:
    folder = HERE / "static" / "vendor" / "uplot"
    for name, digest in UPLOT_SHA256.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    assert "MIT License" in (folder / "LICENSE").read_text()


def test_whole_page_is_under_300_kb_on_five_years(store: Store, db_path: Path) -> None:
    daily_history(store, 5 * 365 + 1)
    client = TestClient(app_for(db_path))
    html = client.get("/").text
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert {"/static/app.js", "/static/app.css", "/static/favicon.svg"} <= set(assets)
    sizes = {path: len(client.get(path).content) for path in assets}
    sizes["/"] = len(html.encode())
    sizes["/api/history"] = len(client.get("/api/history").content)  # what app.js fetches
    total = sum(sizes.values())
    assert total < PAGE_BUDGET, sizes
    # Compressed on the wire it is far smaller: the history JSON is repetitive.
    gz = client.get("/api/history", headers={"Accept-Encoding": "gzip"})
    assert gz.headers["content-encoding"] == "gzip"

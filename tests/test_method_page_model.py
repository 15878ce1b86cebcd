"""The Method page describes the crash model that produces the readings (`index.model`),
not always the 6-month one: with `index.model: 24m` it said "falls 20% within 6 months",
"fitted on French's daily industries" and "passed its hold-out", all false for that model."""

from __future__ import annotations

import html
from datetime import timedelta
from pathlib import Path

from starlette.testclient import TestClient
from web_helpers import NOW, payload, put_payload

from monitor.reading.crash_model import load_model
from monitor.store import Store
from monitor.web.app import WebSettings, build_app
from monitor.web.health import ServiceMetrics
from monitor.web.next_runs import NextRun
from monitor.web.page import PageSettings


def _method_text(db: Path, index_model: str) -> str:
    def next_runs(store: Store, now: object) -> list[NextRun]:
        return [NextRun("index", "every 1h", NOW + timedelta(minutes=30))]

    page = PageSettings(next_runs, "(test)", "dashboard", "model", index_model)
    settings = WebSettings(
        db,
        page,
        lambda: (True, {"status": "ok", "jobs": {}}),
        ServiceMetrics().render,
        lambda: NOW,
        None,
    )
    response = TestClient(build_app(settings)).get("/method")
    assert response.status_code == 200
    return " ".join(html.unescape(response.text).split())


def test_the_long_model_is_described_as_itself(db_path: Path) -> None:
    with Store(db_path) as store:
        put_payload(store, payload(NOW, 30.0))
    text = _method_text(db_path, "24m")
    model = load_model(24)
    assert "falls 40% within 24 months" in text and "6 months" not in text
    assert "Kenneth French's 49 monthly industry portfolios (1926–2014)" in text
    assert "daily industry portfolios" not in text
    assert f"{model.n_train:,} rows through {model.trained_through}" in text
    assert "which it <strong>failed</strong>" in text and "which it passed" not in text
    # No frozen check ships with the 24m model: the page says the level is unchecked.
    assert "carries no frozen check" in text and "calibration slope" not in text


def test_the_short_model_quotes_its_own_hold_out_and_check(db_path: Path) -> None:
    Store(db_path).close()
    text = _method_text(db_path, "auto")
    model = load_model(6)
    assert model.holdout is not None
    assert "falls 20% within 6 months" in text
    assert f"hold-out ({model.holdout.start} to {model.holdout.end}), which it passed" in text
    (check,) = model.frozen_checks
    assert f"calibration slope {check['calibration_slope']:.2f}" in text
    assert "not calibrated" in text  # the check's own verdict, stored in the model


def test_an_unknown_model_name_is_named_not_a_server_error(db_path: Path) -> None:
    Store(db_path).close()
    text = _method_text(db_path, "12m")
    assert "The live crash model cannot be read: index.model '12m'" in text

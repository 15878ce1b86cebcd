"""One reading document: `report --json`, the last element of `history --json` and
/api/reading give the same keys and the same values for the same reading."""

from __future__ import annotations

import json
from pathlib import Path

from starlette.testclient import TestClient
from typer.testing import CliRunner

from monitor.cli.app import app
from tests.conftest import DemoReport
from tests.web_helpers import app_for

runner = CliRunner()


def test_report_history_and_api_give_one_document(tmp_path: Path, demo_report: DemoReport) -> None:
    db = demo_report.copy_to(tmp_path)  # after `report --demo --json --db demo.db`
    history = runner.invoke(app, ["history", "--json", "--db", str(db)])
    assert history.exit_code == 0, history.output
    api = TestClient(app_for(db)).get("/api/reading")
    assert api.status_code == 200

    reported = json.loads(demo_report.stdout)
    last, served = json.loads(history.stdout)[-1], api.json()
    assert set(reported) == set(last) == set(served)
    # the demo reading is index v2 with segments, smart money and (simulated) fundamentals:
    # the keys worth comparing
    keys = {"probability", "segments", "smart_money", "model_mix", "comparison", "fundamentals"}
    assert keys <= set(served) and served["fundamentals"] is not None
    assert reported == last == served

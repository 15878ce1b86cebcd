"""deploy/bubble-monitor.service: the shipped systemd unit runs `serve` as documented.

Read as text (no systemd here): its `serve` options exist, and its environment does not
switch off a job the bundled schedule runs.
"""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.config.feeds_yaml import load_config

UNIT = Path(__file__).resolve().parent.parent / "deploy" / "bubble-monitor.service"


def _unit() -> str:
    return UNIT.read_text(encoding="utf-8")


def test_exec_start_uses_only_options_serve_has() -> None:
    exec_start = re.search(r"^ExecStart=(.*?)(?<!\\)$", _unit(), re.M | re.S)
    assert exec_start is not None
    words = exec_start.group(1).replace("\\\n", " ").split()
    assert words[1] == "serve"
    known = set(re.findall(r"--[a-z-]+", CliRunner().invoke(app, ["serve", "--help"]).output))
    assert {w for w in words if w.startswith("--")} <= known


def test_the_environment_leaves_the_models_job_on() -> None:
    """HF_HUB_OFFLINE=1 switched off the weekly `models` job (the Hub client refuses every
    request), so a systemd service failed it every Monday and /healthz went 503 after three;
    the classifier loads its model from a local folder and needs no such switch."""
    assert load_config().schedule.models is not None  # the bundled schedule runs it
    environment = re.findall(r"^Environment=(\S+)", _unit(), re.M)
    assert not [e for e in environment if e.split("=", 1)[0] == "HF_HUB_OFFLINE"]

"""A command that configures logging must not leave a dead stream on the root logger."""

from __future__ import annotations

import io
import logging

import pytest

from monitor.service.logging_setup import configure_logging
from tests.conftest import root_logger_restored


def _log_after_a_command_closed_its_stream(capsys: pytest.CaptureFixture[str]) -> str:
    stream = io.StringIO()
    configure_logging("text", stream=stream)
    stream.close()  # what CliRunner does to its stderr when the command returns
    capsys.readouterr()
    logging.getLogger("werkzeug").warning('"GET /gone HTTP/1.1" 404 -')
    return capsys.readouterr().err


def test_without_the_restore_a_closed_stream_prints_logging_errors(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with root_logger_restored():
        assert "Logging error" in _log_after_a_command_closed_its_stream(capsys)


def test_the_restore_removes_the_handler_a_command_added(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with root_logger_restored():
        configure_logging("text", stream=io.StringIO())
    before = list(logging.getLogger().handlers)
    with root_logger_restored():
        stream = io.StringIO()
        configure_logging("text", stream=stream)
        stream.close()
    capsys.readouterr()
    logging.getLogger("werkzeug").warning('"GET /gone HTTP/1.1" 404 -')
    assert "Logging error" not in capsys.readouterr().err
    assert logging.getLogger().handlers == before

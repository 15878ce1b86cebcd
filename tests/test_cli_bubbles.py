"""`bubble-monitor bubbles`: the PSY test on a CSV column, its JSON, chart and errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from monitor.cli.app import app

FIXTURE = Path(__file__).parent / "fixtures" / "psy" / "bubble.csv"
runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["bubbles", *args])
    return result.exit_code, result.stdout, result.stderr


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "series.csv"
    path.write_text(text)
    return path


def test_json_reports_statistics_and_dates_the_planted_bubble(tmp_path: Path) -> None:
    code, out, _ = _run(str(FIXTURE), "--column", "price", "--json", "--reps", "99", "--seed", "7")
    assert code == 0
    p = json.loads(out)
    assert set(p) == {"T", "min_window", "lag", "gsadf", "sadf", "gsadf_cv", "bsadf", "episodes"}
    assert p["T"] == 160 and p["lag"] == 0
    assert p["min_window"] == 24  # floor(160 (0.01 + 1.8 / sqrt 160))
    assert set(p["gsadf_cv"]) == {"90", "95", "99"}
    assert p["gsadf"] > p["gsadf_cv"]["99"]
    assert len(p["bsadf"]) == 160 - 24
    assert p["bsadf"][0]["date"] == "2012-01-01"  # observation min_window, as exuber
    assert set(p["bsadf"][0]) == {"date", "value", "cv95"}
    # The bubble runs from 2018-05 (observation 100) to its crash in 2020-11 (130).
    bubble = [e for e in p["episodes"] if "2018-03" <= e["start"] <= "2018-12"]
    assert bubble, p["episodes"]
    assert bubble[0]["end"] is not None and "2020-09" <= bubble[0]["end"] <= "2021-01"
    assert bubble[0]["peak"] == "2020-10-01"


def test_summary_chart_lag_and_log(tmp_path: Path) -> None:
    chart = tmp_path / "psy.png"
    code, out, err = _run(
        str(FIXTURE), "--column", "other", "--log", "--lag", "1", "--reps", "50",
        "--min-duration", "3", "--chart", str(chart),
    )  # fmt: skip
    assert code == 0, err
    assert "GSADF" in out and "min window / lag" in out and "chart written" in out
    assert "skipped 5 empty cell(s)" in err
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_critical_values_are_cached_in_the_data_dir(tmp_path: Path) -> None:
    args = (str(FIXTURE), "--column", "price", "--json", "--reps", "40", "--seed", "3")
    first = _run(*args)
    cached = list((tmp_path / "data-dir" / "psy_cv").glob("*.npz"))
    assert len(cached) == 1
    second = _run(*args)
    assert first == second


def test_bic_lag_selection(tmp_path: Path) -> None:
    code, out, _ = _run(
        str(FIXTURE), "--column", "price", "--bic-max-lag", "2", "--reps", "20", "--json"
    )
    assert code == 0
    p = json.loads(out)
    assert p["lag"] == 2 and len(p["bsadf"]) == 160 - 24 - 2


def test_missing_file_and_column_exit_2_with_one_line(tmp_path: Path) -> None:
    code, out, err = _run(str(tmp_path / "nope.csv"), "--column", "price")
    assert code == 2 and out == ""
    assert err.strip().count("\n") == 0 and "nope.csv: no such file" in err
    code, _, err = _run(str(FIXTURE), "--column", "close")
    assert code == 2 and "no column 'close' (--column); columns: date, price, other" in err
    code, _, err = _run(str(FIXTURE), "--column", "price", "--date-column", "day")
    assert code == 2 and "no column 'day' (--date-column)" in err


def test_non_numeric_cell_names_its_line(tmp_path: Path) -> None:
    rows = "\n".join(f"2020-01-{d:02d},{d}" for d in range(1, 28))
    path = _csv(tmp_path, "date,x\n" + rows.replace("2020-01-05,5", "2020-01-05,n/a") + "\n")
    code, _, err = _run(str(path), "--column", "x")
    assert code == 2
    assert "line 6, column 'x': not a number: 'n/a'" in err


def test_log_of_non_positive_and_decreasing_dates_are_errors(tmp_path: Path) -> None:
    rows = "\n".join(f"2020-01-{d:02d},{d - 3}" for d in range(1, 28))
    code, _, err = _run(str(_csv(tmp_path, "date,x\n" + rows + "\n")), "--column", "x", "--log")
    assert code == 2 and "line 2, column 'x': --log needs values > 0" in err
    rows = "\n".join(f"2020-01-{d:02d},{d}" for d in range(27, 0, -1))
    code, _, err = _run(str(_csv(tmp_path, "date,x\n" + rows + "\n")), "--column", "x")
    assert code == 2 and "line 3, column 'date': dates must increase" in err


def test_too_short_series_is_refused(tmp_path: Path) -> None:
    rows = "\n".join(f"2020-01-{d:02d},{d}" for d in range(1, 8))
    code, _, err = _run(str(_csv(tmp_path, "date,x\n" + rows + "\n")), "--column", "x")
    assert code == 2 and "has 7 values; the test needs at least" in err
    code, _, err = _run(str(FIXTURE), "--column", "price", "--min-window", "200")
    assert code == 2 and "has 160 values" in err

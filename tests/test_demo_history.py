"""The demo has a past: a reading for every simulated session, and one voice throughout.

After `report --demo --db demo.db`, `history --json` holds at least 500 daily readings
over at least two years, every one marked simulated; a history reading equals the live
reading of the same day (the series are causal); and over the whole history the regime
word never contradicts the probability, in the words the terminal, Slack and the page use.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.config.feeds_yaml import load_config
from monitor.notify.slack_blocks import reading_blocks
from monitor.ops.demo import DEMO_NOW, demo_config
from monitor.present.console_compact import Beside, compact_lines
from monitor.store import Store
from monitor.store.readings import readings_between
from monitor.web.blocks_reading import payload_voice
from signals.wording import contradicts, voice
from tests.conftest import DemoReport

runner = CliRunner()


@pytest.fixture(scope="module")
def demo(
    tmp_path_factory: pytest.TempPathFactory, demo_report: DemoReport
) -> tuple[Path, list[dict[str, Any]]]:
    db = demo_report.copy_to(tmp_path_factory.mktemp("history"))  # `report --demo --db`
    history = runner.invoke(app, ["history", "--json", "--db", str(db)])
    assert history.exit_code == 0, history.output
    return db, json.loads(history.stdout)


def test_history_spans_two_years_of_daily_simulated_readings(
    demo: tuple[Path, list[dict[str, Any]]],
) -> None:
    _, rows = demo
    assert len(rows) >= 500
    first, last = (datetime.fromisoformat(rows[i]["as_of"]) for i in (0, -1))
    assert (last - first).days >= 730
    assert last.date() == DEMO_NOW.date()
    assert all(row["simulated"] is True for row in rows)
    days = [datetime.fromisoformat(r["as_of"]).date() for r in rows]
    assert len(set(days)) == len(days)  # one a day
    fitted = [r for r in rows if r["probability"] is not None]
    assert len(fitted) >= 500  # a year of prices gives the probability its run-up


def test_a_history_reading_equals_the_live_reading_of_its_day(
    demo: tuple[Path, list[dict[str, Any]]],
) -> None:
    from monitor.stages.index import compute_reading

    db, rows = demo
    stored = rows[-2]
    day = datetime.fromisoformat(stored["as_of"])
    with Store(db) as store:
        live = compute_reading(store, demo_config(load_config()), now=day)
    assert live.probability == pytest.approx(stored["probability"], abs=1e-9)
    assert (live.froth, live.stress) == pytest.approx((stored["froth"], stored["stress"]))
    assert live.regime == stored["regime"]
    for seg, old in zip(live.segments, stored["segments"], strict=True):
        assert seg.probability == pytest.approx(old["probability"], abs=1e-9), seg.name
        # Built by the live reading's own function, in its final shape: what it says is
        # missing too (the history's copy into SegmentReading used to drop it).
        assert list(seg.stale) == old["stale"] and seg.regime == old["regime"], seg.name


def test_the_regime_never_contradicts_the_probability_anywhere(
    demo: tuple[Path, list[dict[str, Any]]],
) -> None:
    """Every reading of the demo's history, in the terminal, Slack and the page."""
    db, _ = demo
    with Store(db) as store:
        readings = readings_between(store)
    payloads = {r.as_of: r for r in readings}
    assert len(payloads) >= 500
    fitted = 0
    for reading in readings:
        units = [(reading.regime, reading.probability, reading.base_rate)]
        units += [(s.regime, s.probability, s.base_rate) for s in reading.segments]
        for regime, probability, base in units:
            assert not contradicts(regime, probability, base), (reading.as_of, regime)
            if probability is not None and base is not None:
                # No guard moves the word: it is the band of p against b itself.
                assert regime == _band(regime, probability, base), (reading.as_of, regime)
                fitted += 1
        said = voice(reading.regime, reading.probability, reading.base_rate, reading.target)
        slack = json.dumps(reading_blocks(reading, title="digest"))
        assert all(line in slack for line in said), reading.as_of
        doc = {
            "as_of": reading.as_of.isoformat(),
            "index": reading.index,
            "regime": reading.regime,
            "probability": reading.probability,
            "base_rate": reading.base_rate,
            "target": reading.target,
        }
        assert payload_voice(doc) == said
        lines = compact_lines(doc, Beside(), width=200, demo=True)
        assert all(line in lines for line in said), reading.as_of
    assert fitted >= 4 * 500  # the basket and three segments on (almost) every day


def _band(regime: str, p: float, b: float) -> str:
    """regime_v3's band of p against b (the alarms share the top band)."""
    if p < b:
        return "calm"
    if p < 1.5 * b:
        return "warming"
    return regime if regime in ("frothy", "bubble", "bursting") else "frothy or above"


def test_the_contradiction_rule() -> None:
    assert contradicts("warming", 0.77, 0.48) and contradicts("calm", 0.72, 0.48)
    assert not contradicts("warming", 0.71, 0.48)
    assert contradicts("bursting", 0.40, 0.48) and contradicts("bubble", 0.40, 0.48)
    assert not contradicts("frothy", 0.10, 0.48) and not contradicts("calm", None, None)


def test_the_v3_regime_never_contradicts_its_probability() -> None:
    """Why no guard is needed: over a grid of probabilities, base rates, the GSY flag and
    drawdowns (NaN ones too), regime_v3's word never contradicts p against b."""
    import itertools
    import math

    from signals.crash.regimes import regime_v3

    steps = [i / 200 for i in range(201)]
    rates = [0.001, 0.01, 0.05, 0.1, 0.17, 0.3, 0.48, 0.66, 0.9, 1.0, math.nan]
    drawdowns = [None, 0.0, 0.05, 0.1, 0.5, math.nan]
    for p, b, flag, dd in itertools.product([*steps, math.nan], rates, (False, True), drawdowns):
        word = regime_v3(p, b, flag=flag, drawdown=dd)
        assert not contradicts(word, p, b), (p, b, flag, dd, word)


def test_the_regime_sentence_glosses_only_what_the_probability_does_not_say() -> None:
    from signals.wording import regime_sentence

    # v3 (a probability): calm, warming and frothy are the multiple of the base rate itself;
    # "calm" never claims "no sign of a bubble" (a segment may carry the GSY flag).
    calm = regime_sentence("calm", 0.15, 0.17)
    assert calm == "Regime calm: the probability is below its base rate (0.9x)"
    assert (
        regime_sentence("frothy", 0.40, 0.20)
        == "Regime frothy: the probability is 2.0x its base rate"
    )
    assert "run-up of 100% raw and net" in regime_sentence("bubble", 0.40, 0.20)
    assert "10% or more off the 1-year high" in regime_sentence("bursting", 0.40, 0.20)
    # v1 (no probability): the word is glossed from froth and stress.
    assert regime_sentence("calm", None, None) == "Regime calm (no sign of a bubble)"

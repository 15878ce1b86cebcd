"""What a frozen check on units the model never saw says about the level of its readings.

`evaluate-index --model FILE --record-check NAME` stores the frozen evaluation's summary in
the model JSON (`frozen_checks`): the units and dates, mean probability against the realised
rate, calibration slope, Brier skill, within-date AUC and the realised rate by decile of the
probability. A check is `calibrated` by the pre-registered tolerances (docs/preregistration.md):
every unit's mean within max(3 points, 30%), slope within 0.7-1.3, Brier skill above 0.

A reading from a model with an uncalibrated check says what that check saw at its own level:
how often readings like it were followed by the target on those units. That is what history
supports about the number; the hold-out alone (`validated`) does not speak for these units.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

#: Pre-registered calibration tolerances (docs/preregistration.md).
SLOPE_RANGE: Final[tuple[float, float]] = (0.7, 1.3)


def check_record(name: str, prices: str, doc: Mapping[str, Any]) -> dict[str, Any]:
    """The stored summary of one frozen `evaluate-index` document."""
    model = doc["models"]["model"]
    units = doc.get("by_unit") or {}
    within = sum(1 for u in units.values() if u.get("mean_within_tolerance"))
    slope, skill = model.get("calibration_slope"), model.get("brier_skill")
    calibrated = (
        bool(units)
        and within == len(units)
        and slope is not None
        and SLOPE_RANGE[0] <= slope <= SLOPE_RANGE[1]
        and skill is not None
        and skill > 0
    )
    return {
        "name": name,
        "prices": prices,
        "units": sorted(units),
        "start": doc["first_prediction"],
        "end": doc["last_prediction"],
        "n_predictions": doc["n_predictions"],
        "n_events": doc["n_events"],
        "mean_probability": model["mean_probability"],
        "realized_rate": model["realized_rate"],
        "calibration_slope": slope,
        "brier_skill": skill,
        "within_date_auc": model.get("within_date_auc"),
        "units_within_tolerance": [within, len(units)],
        "calibrated": calibrated,
        "deciles": [
            [row["mean_probability"], row["observed_rate"], row["n"]] for row in doc["calibration"]
        ],
    }


def with_check(
    checks: Sequence[Mapping[str, Any]], record: Mapping[str, Any]
) -> tuple[dict[str, Any], ...]:
    """`checks` with `record` in place of the check of the same name (appended if new)."""
    kept = [dict(c) for c in checks if c.get("name") != record["name"]]
    return (*kept, dict(record))


def check_caution(
    checks: Sequence[Mapping[str, Any]], probability: float | None, target: str
) -> str | None:
    """What the first uncalibrated check saw at this probability; None if all passed."""
    failed = next((c for c in checks if not c.get("calibrated")), None)
    if failed is None:
        return None
    where = f"on {failed['name']} {failed['start'][:4]}-{failed['end'][:4]}, never fitted,"
    deciles = failed.get("deciles") or []
    if probability is None or not deciles:
        slope = failed.get("calibration_slope")
        return (
            f"{where} probabilities averaged {failed['mean_probability']:.0%} against "
            f"{failed['realized_rate']:.0%} realised"
            + ("" if slope is None else f" (calibration slope {slope:.2f}, 1 is calibrated)")
        )
    # The decile of the check nearest this probability: what readings like it were worth
    # there (its count and the check's scores are in the record, kept out of the line).
    mean, observed, _ = min(deciles, key=lambda d: abs(d[0] - probability))
    return (
        f"{where} readings near {mean:.0%} were followed by a {target} {observed:.0%} of the time"
    )

"""The table output of `evaluate-index`: the scores, deciles, regimes, episodes and units
of one evaluation document, readable in an 80-column terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from monitor.cli.common import console, new_table

if TYPE_CHECKING:
    from rich.table import Table


def render(doc: dict[str, Any]) -> None:
    console.print(
        f"mode: {doc.get('mode', 'walk_forward')}"
        + (f"; {doc['market']}" if doc.get("market") else "")
    )
    console.print(
        f"horizon {doc['horizon']}, drawdown {doc['drawdown']:.0%}: {doc['n_predictions']} "
        f"predictions ({doc['first_prediction']} .. {doc['last_prediction']}), "
        f"{doc['n_events']} crashes, {doc['n_dropped_unknown_outcome']} dropped (outcome past "
        f"the data end), {doc['refits']} refits"
    )
    console.print(
        _table(
            "Out of sample",
            ["model", *SCORE_COLUMNS],
            [[name, *(m.get(c) for c in SCORE_COLUMNS)] for name, m in doc["models"].items()],
        )
    )
    console.print(
        _table(
            "Calibration by decile",
            ["decile", "n", "mean_probability", "observed_rate"],
            [list(row.values()) for row in doc["calibration"]],
        )
    )
    console.print(
        _table(
            "Crash rate by regime",
            ["regime", "n", "crash_rate"],
            [list(row.values()) for row in doc["regimes"]],
        )
    )
    console.print(
        _table(
            "Run-up episodes (GSY rule)",
            ["series", "start", "runup_2y", "peak_runup_2y", "crashed", "probability"],
            [list(row.values()) for row in doc["episodes"]],
        )
    )
    _render_tail(doc)


def _render_tail(doc: dict[str, Any]) -> None:
    """The parts only one mode has: units (frozen), GSY replication (walk-forward)."""
    if doc.get("by_unit"):
        columns = ["n", "events", "mean_probability", "realized_rate", "mean_within_tolerance"]
        columns.append("auc")
        rows = [[name, *(u.get(c) for c in columns)] for name, u in doc["by_unit"].items()]
        console.print(_table("By unit", ["unit", *columns], rows))
    g = doc.get("gsy_replication")
    if g is not None:
        console.print(
            f"GSY replication: {g['episodes']} episodes, {g['crashed']} crashed "
            "(published 40 and 21)"
        )
    recorded = doc.get("recorded")
    if recorded is not None:
        state = "calibrated" if recorded["calibrated"] else "not calibrated"
        console.print(f"recorded check {recorded['name']!r} ({state}) in {recorded['model']}")


SCORE_COLUMNS = (
    "auc",
    "within_date_auc",
    "brier",
    "brier_skill",
    "mean_probability",
    "realized_rate",
    "calibration_slope",
)


#: Table headers a reader can take in at 80 columns (a JSON key such as `brier_skill` is
#: one word, which rich cut to `brier_…`); the JSON keeps the keys.
HEADERS = {
    "auc": "AUC",
    "within_date_auc": "AUC within dates",
    "brier": "Brier",
    "brier_skill": "Brier skill",
    "mean_probability": "mean p",
    "realized_rate": "crash rate",
    "observed_rate": "crash rate",
    "crash_rate": "crash rate",
    "calibration_slope": "slope",
    "mean_within_tolerance": "within tolerance",
    "runup_2y": "2-year run-up",
    "peak_runup_2y": "peak run-up",
}
#: Decimals shown per column (Brier scores of close models differ in the fourth).
DECIMALS = {"brier": 4}


def _table(title: str, columns: list[str], rows: list[list[Any]]) -> Table:
    table = new_table(title=title)
    for index, column in enumerate(columns):
        # The first column names the row (a model, a unit): never cut it.
        table.add_column(HEADERS.get(column, column), no_wrap=index == 0)
    for row in rows:
        table.add_row(*(_cell(v, DECIMALS.get(c, 3)) for c, v in zip(columns, row, strict=False)))
    return table


def _cell(value: Any, decimals: int) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.{decimals}f}"
    return str(value)

"""Where the shipped crash models live, loading them (JSON, never pickle), and which one
the live reading uses.

`index.model` in feeds.yaml names a shipped model (`6m`, `24m`) or `auto`, which applies
the rule of docs/index-v2.md ("Which model the live reading uses") to the hold-out figures
stored in each shipped JSON by `fit-index --holdout-start`. A reading from a model that did
not pass its hold-out carries a caution saying so (signals.basket.caution).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Final

from monitor.errors import ModelError
from signals.crash.holdout import choose_live
from signals.crash.model import CrashModel

MODEL_DIR = Path(__file__).resolve().parents[2] / "signals" / "crash"
#: The shipped models by their `index.model` name.
SHIPPED: Final[dict[str, int]] = {"6m": 6, "24m": 24}
AUTO: Final = "auto"


def model_path(horizon_months: int, directory: Path = MODEL_DIR) -> Path:
    return directory / f"model_{horizon_months}m.json"


def read_model_file(path: Path) -> CrashModel:
    """The crash model in a JSON file (OSError, or ValueError naming the file)."""
    return CrashModel.from_json(path.read_text(encoding="utf-8"), str(path))


def load_model(horizon_months: int = 24, path: Path | None = None) -> CrashModel:
    target = path or model_path(horizon_months)
    try:
        return read_model_file(target)
    except (OSError, ValueError, TypeError, KeyError) as e:
        raise ModelError(f"{target}: cannot load the crash model: {e}") from e


def live_model_name(choice: str = AUTO, directory: Path = MODEL_DIR) -> str:
    """The shipped model's name (`6m`, `24m`) that `index.model: choice` selects; `auto`
    reads the hold-outs stored in the JSONs of `directory`."""
    if choice != AUTO:
        return choice
    return choose_live({name: shipped(name, directory).holdout for name in SHIPPED})


def live_model(choice: str = AUTO, directory: Path = MODEL_DIR) -> CrashModel:
    """The model every live reading path uses for `index.model: choice`."""
    return shipped(live_model_name(choice, directory), directory)


@lru_cache(maxsize=16)
def shipped(name: str, directory: Path = MODEL_DIR) -> CrashModel:
    """A shipped model by name, read once per process (they change only with a release)."""
    if name not in SHIPPED:
        raise ModelError(f"index.model {name!r}: use one of {', '.join([AUTO, *SHIPPED])}")
    return load_model(path=model_path(SHIPPED[name], directory))


def model_label(model: CrashModel) -> str:
    """E.g. "model_6m.json, data sha256:d13c989ad05a8649, hold-out passed"."""
    state = (
        "no hold-out"
        if model.holdout is None
        else ("hold-out passed" if model.holdout.passed else "hold-out failed")
    )
    return f"{model_path(model.horizon_months).name}, data {model.data_hash or 'unhashed'}, {state}"

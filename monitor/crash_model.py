"""Where the shipped crash models live, and loading them (JSON, never pickle)."""

from __future__ import annotations

from pathlib import Path

from monitor.errors import ModelError
from signals.crash.model import CrashModel

MODEL_DIR = Path(__file__).resolve().parents[1] / "signals" / "crash"


def model_path(horizon_months: int) -> Path:
    return MODEL_DIR / f"model_{horizon_months}m.json"


def load_model(horizon_months: int = 24, path: Path | None = None) -> CrashModel:
    target = path or model_path(horizon_months)
    try:
        return CrashModel.load(target)
    except (OSError, ValueError, TypeError, KeyError) as e:
        raise ModelError(f"{target}: cannot load the crash model: {e}") from e

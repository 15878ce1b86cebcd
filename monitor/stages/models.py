"""The models stage: last whole week's new Hugging Face Hub models, by kind (context)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from monitor.sources.hub.collect import ModelsResult, collect_models

if TYPE_CHECKING:
    from monitor.app import App


@dataclass(frozen=True, slots=True)
class ModelsStageResult:
    collected: ModelsResult

    def summary(self) -> dict[str, Any]:
        c = self.collected
        return {"weeks": len(c.weeks), "scanned": c.scanned, "incomplete": bool(c.error)}


def run_models(app: App, weeks: int = 1) -> ModelsStageResult:
    result = collect_models(
        app.store, app.config.model_mix, app.hub(), now=app.clock(), weeks=weeks
    )
    return ModelsStageResult(result)

"""The models stage: last whole week's new Hugging Face Hub models, by kind (context)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitor.sources.hub.collect import ModelsResult, collect_models

if TYPE_CHECKING:
    from monitor.app import App


def run_models(app: App, weeks: int = 1) -> ModelsResult:
    return collect_models(app.store, app.config.model_mix, app.hub(), now=app.clock(), weeks=weeks)

"""Headline hooks: the one place where newly stored headlines are handed on.

A hook is any callable taking a batch of `StoredHeadline`s that were just stored (their
transaction is committed): for example a deal extractor that reads circular deals out of
titles "as headlines are stored". Hooks are registered once, in the composition root
(`monitor.app.build(..., headline_hooks=[...])`, kept on `App.headline_hooks`), and the
stages that store headlines call `hand_on`:

- import-headlines (monitor.stages.import_headlines) after each committed batch, with
  the batch's new rows scored (`score` set) and grouped (`story_id` set);
- collect news (monitor.stages.news.run_news) once per run, with every new row of all
  feeds, oldest first; these are NOT scored yet (`score` is None: the index stage scores
  them later), so a hook that needs labels classifies the titles itself or waits.

A hook sees each headline once, when it is first stored (a re-import stores nothing, so it
hands on nothing). One failing hook never stops the others nor the stage: its error is
returned as a line for the stage's summary, and the headlines stay stored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from signals.models import StoredHeadline

HeadlineHook = Callable[[Sequence[StoredHeadline]], None]


def hand_on(hooks: Sequence[HeadlineHook], batch: Sequence[StoredHeadline]) -> list[str]:
    """Call every hook with the batch; return one line per hook that raised."""
    if not batch:
        return []
    errors: list[str] = []
    for hook in hooks:
        try:
            hook(batch)
        except Exception as e:  # a hook's failure is its own; the rows are committed
            name = getattr(hook, "__qualname__", None) or type(hook).__name__
            errors.append(f"headline hook {name} failed on {len(batch)} headlines: {e}")
    return errors

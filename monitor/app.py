"""The composition root: `build(config, env)` wires the real parts together once.

Everything a stage needs lives on `App`: the store, the notifiers (built once from the
environment, not on every alert run), the clock, Yahoo (one adapter,
`sources.yahoo.client.Yahoo`: its `download` for prices, its `info` for short interest),
the HTTP client seam, the EDGAR and Hugging Face Hub clients, and the classifier with its
one store-backed embedding cache (loaded on first use: it imports torch). Every outside
client is built here; a stage never reads the environment. The CLI and the service build
an App and call the stages with it; tests pass fakes through `build`'s keyword arguments
instead of patching import paths.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from monitor.config import paths
from monitor.config.feeds_yaml import Config
from monitor.config.secrets import slack_settings
from monitor.notify import NotifierManager, build_notifier
from monitor.store import Store

if TYPE_CHECKING:
    import httpx

    from monitor.reading.embedding_cache import CachedEmbedder
    from monitor.sources.edgar.client import EdgarClient
    from monitor.sources.yahoo.download import Downloader
    from monitor.sources.yahoo.info import InfoFetcher
    from monitor.stages.headline_hooks import HeadlineHook
    from signals.classifier import HeadlineClassifier

Clock = Callable[[], datetime]
#: Texts per model call when the cache misses: bounds the memory of one call (the model
#: itself runs 64 at a time) and holds a whole import batch, so that one call orders all
#: of its texts by length (monitor.reading.minilm.encode_by_length).
EMBED_BATCH = 1024


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class App:
    """The wired application; see the module docstring. Closing it closes the store."""

    config: Config
    store: Store
    #: Daily closes and short interest: the Yahoo adapter's `download` and `info`, or a
    #: test's stand-ins given to `build`.
    downloader: Downloader
    info_fetcher: InfoFetcher
    env: Mapping[str, str] = field(default_factory=dict, repr=False)
    clock: Clock = utc_now
    http_client: httpx.Client | None = None
    classifier_factory: Callable[[], HeadlineClassifier] | None = None
    #: Called with each batch of newly stored headlines (monitor.stages.headline_hooks).
    headline_hooks: tuple[HeadlineHook, ...] = ()
    _classifier: HeadlineClassifier | None = field(default=None, repr=False)
    _embedder: CachedEmbedder | None = field(default=None, repr=False)
    _notifier: NotifierManager | None = field(default=None, repr=False)
    _edgar: EdgarClient | None = field(default=None, repr=False)
    _hub: Any = field(default=None, repr=False)

    @property
    def notifier(self) -> NotifierManager:
        """The alert channels, built from the Slack variables on first use and kept: a
        command that sends nothing never fails on a malformed Slack variable."""
        if self._notifier is None:
            self._notifier = build_notifier(slack_settings(self.env))
        return self._notifier

    def edgar(self) -> EdgarClient:
        """The SEC EDGAR client, built on first use from the environment's User-Agent
        (ConfigError naming the variable without one) and feeds.yaml's pacing; kept, so
        its request pacing holds across runs."""
        if self._edgar is None:
            from monitor.sources.edgar.client import EdgarClient, sec_settings

            sm = self.config.smart_money
            self._edgar = EdgarClient(
                sec_settings(self.env),
                client=self.http_client,
                requests_per_second=sm.sec_requests_per_second,
                max_retries=sm.sec_max_retries,
                timeout=sm.sec_timeout_seconds,
            )
        return self._edgar

    def hub(self) -> Any:
        """The Hugging Face Hub client (HfApi), at HF_ENDPOINT of the environment if set."""
        if self._hub is None:
            from monitor.sources.hub.collect import ENDPOINT_ENV, hub_api

            self._hub = hub_api(self.env.get(ENDPOINT_ENV) or None)
        return self._hub

    def classifier(self) -> HeadlineClassifier:
        """The headline classifier, loaded once on first use."""
        if self._classifier is None:
            if self.classifier_factory is not None:
                self._classifier = self.classifier_factory()
            else:
                from monitor.reading.classifier_files import load_classifier

                self._classifier = load_classifier(self.config.news.classifier_head)
        return self._classifier

    def embedder(self) -> CachedEmbedder:
        """The one embedding cache: story grouping and scoring share its vectors."""
        if self._embedder is None:
            from monitor.reading.embedding_cache import CachedEmbedder

            classifier = self.classifier()
            self._embedder = CachedEmbedder(
                classifier.embedder,
                self.store,
                normalise_text=classifier.head.params.normalise_text,
                batch_size=EMBED_BATCH,
            )
        return self._embedder

    def close(self) -> None:
        if self._edgar is not None and self.http_client is None:  # an injected one is the caller's
            self._edgar.close()
        self.store.close()

    def __enter__(self) -> App:
        return self

    def __exit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def build(
    config: Config,
    env: Mapping[str, str] | None = None,
    *,
    db: Path | str | None = None,
    store: Store | None = None,
    notifier: NotifierManager | None = None,
    clock: Clock | None = None,
    downloader: Downloader | None = None,
    http_client: httpx.Client | None = None,
    info_fetcher: InfoFetcher | None = None,
    classifier_factory: Callable[[], HeadlineClassifier] | None = None,
    headline_hooks: Sequence[HeadlineHook] = (),
) -> App:
    """The App for `config` and the environment `env` (os.environ when None).

    The store opens `db` (a file, or a postgresql:// URL), else BUBBLE_MONITOR_DB, else the
    data directory's file. The notifiers come from the Slack variables of `env` (console
    when none is set), built once when first needed; the service asks for them at
    start-up, so there a malformed variable stops it with a ConfigError naming it.
    `headline_hooks` receive each batch of newly stored headlines (a deal extractor, say).
    Yahoo is the one adapter (`Yahoo`), unless `downloader` / `info_fetcher` stand in.
    """
    from monitor.sources.yahoo.client import Yahoo

    env = dict(os.environ if env is None else env)
    yahoo = Yahoo()
    return App(
        config=config,
        store=store if store is not None else Store(paths.db_path(db, env)),
        env=env,
        _notifier=notifier,
        clock=clock or utc_now,
        downloader=downloader if downloader is not None else yahoo.download,
        http_client=http_client,
        info_fetcher=info_fetcher if info_fetcher is not None else yahoo.info,
        classifier_factory=classifier_factory,
        headline_hooks=tuple(headline_hooks),
    )

"""The composition root: config + database + triage + ingest, built once per process.

CLI commands, the HTTP server and the tests all build a :class:`Runtime` instead of wiring
the parts by hand, so they run the same code paths.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Config, load_config
from bot.directory import sync_directory
from bot.feeds.mention import Mention
from bot.ingest import IngestOutcome, IngestService
from bot.settings import Settings
from bot.triage.pipeline import TriagePipeline
from bot.triage.select import build_classifier
from storage.db import database_url, make_engine, make_session_factory, redacted, upgrade_engine

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    config: Config
    engine: Engine
    sessions: sessionmaker[Session]
    pipeline: TriagePipeline
    ingest: IngestService
    settings: Settings = field(default_factory=Settings)
    classifier_note: str = ""  # which classifier triage uses, and why (shown by the CLI)

    @classmethod
    def build(cls, config: Config | None = None, *, config_path: str | None = None, database: str | None = None,
              settings: Settings | None = None, migrate: bool = True,
              clock: Callable[[], datetime] | None = None) -> Runtime:
        settings = settings or Settings()
        if config is None:
            config = load_config(config_path or settings.config_path)
        url = database_url(database or settings.database_url)
        engine = make_engine(url)
        if migrate:
            upgrade_engine(engine)
        sessions = make_session_factory(engine)
        with sessions() as session, session.begin():
            sync_directory(session, config)
        classifier, classifier_note = build_classifier(config, settings)
        pipeline = TriagePipeline(config, classifier)
        log.info("database %s; classifier %s", redacted(url), pipeline.classifier.name)
        return cls(config, engine, sessions, pipeline, IngestService(pipeline, clock), settings, classifier_note)

    def ingest_batch(self, mentions: Sequence[Mention], now: datetime | None = None) -> list[IngestOutcome]:
        """Store and triage ``mentions`` in one transaction: all of them or none."""
        with self.sessions() as session, session.begin():
            return self.ingest.ingest_many(session, mentions, now=now)

    def close(self) -> None:
        self.engine.dispose()

"""The composition root: config + database + triage + ingest, built once per process.

CLI commands, the HTTP server and the tests all build a :class:`Runtime` instead of wiring
the parts by hand, so they run the same code paths.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

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
    # Called after each committed ingest batch with the ids of the cases it opened (team-platform
    # adapters post their cards from here). A failing listener is logged, never fails the ingest.
    case_listeners: list[Callable[[list[int]], None]] = field(default_factory=list)
    # Called after each committed case action (claim, reply, resolve, ...) with its ActionResult;
    # adapters pass this list to their CaseDesk.
    action_listeners: list[Callable[[Any], object]] = field(default_factory=list)
    escalation_timers: Any = None
    crm_lookup: Any = None  # bot.crm.lookup.CrmLookup when crm.lookup_url is configured
    spike_watch: Any = None  # bot.spikes.SpikeWatch when routing.crisis is configured
    presence: Any = None  # bot.routing.presence.PresenceBoard when routing.use_presence is on

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
            if config.customers:
                from bot.crm.known import apply_known_customers

                apply_known_customers(session, config.customers)
        classifier, classifier_note = build_classifier(config, settings)
        pipeline = TriagePipeline(config, classifier)
        log.info("database %s; classifier %s", redacted(url), pipeline.classifier.name)
        ingest = IngestService(pipeline, clock)
        # Openers run in this order in the ingest transaction: CRM data first (routing sends VIPs
        # to seniors), then routing; the escalation snapshot (added later) sees the routed team.
        crm_lookup = None
        if config.crm.lookup_url:
            from bot.crm.lookup import CrmEnricher, CrmLookup

            token = settings.crm_token.get_secret_value() if settings.crm_token else None
            crm_lookup = CrmLookup(config.crm, token=token)
            ingest.case_openers.append(CrmEnricher(crm_lookup, config.priority).case_opened)
        if config.routing is not None:
            from bot.routing.service import Router

            if config.routing.grouping.enabled:
                from bot.grouping import IncidentGrouper

                ingest.case_openers.append(IncidentGrouper(config.routing.grouping).case_opened)
            router = Router(config)
            ingest.case_openers.append(router.route_case)
        runtime = cls(config, engine, sessions, pipeline, ingest, settings, classifier_note)
        runtime.crm_lookup = crm_lookup
        runtime.presence = router.presence if config.routing is not None else None
        if config.routing is not None and config.routing.grouping.enabled:
            from bot.grouping import IncidentFanOut

            runtime.action_listeners.append(IncidentFanOut(sessions))  # a reply to an incident reaches every child
        if config.routing is not None and config.routing.crisis is not None and config.routing.crisis.spikes.enabled:
            from bot.spikes import SpikeWatch

            # Checked after each ingest batch; adapters add listeners that alert PR.
            runtime.spike_watch = SpikeWatch(sessions, config.routing.crisis.spikes, clock=ingest.clock)
            runtime.case_listeners.append(runtime.spike_watch)
        return runtime

    def ingest_batch(self, mentions: Sequence[Mention], now: datetime | None = None) -> list[IngestOutcome]:
        """Store and triage ``mentions`` in one transaction: all of them or none."""
        with self.sessions() as session, session.begin():
            outcomes = self.ingest.ingest_many(session, mentions, now=now)
        self._notify_new_cases(outcomes)
        return outcomes

    def _notify_new_cases(self, outcomes: Sequence[IngestOutcome]) -> None:
        new_cases = [o.case_id for o in outcomes if o.new_case and o.case_id is not None]
        if not new_cases:
            return
        for listener in self.case_listeners:
            try:
                listener(new_cases)
            except Exception:
                log.exception("case listener %r failed", listener)

    def enable_escalation(self, escalation_map: Any, *, notify: Callable[[list], None] | None = None,
                          start: bool = True) -> Any:
        """Snapshot each new case's escalation, run its timers and let case actions stop or move
        them. ``escalation_map`` is an EscalationMap or a callable returning the current one."""
        from escalation.engine import EscalationEngine
        from escalation.scheduler import EscalationTimers

        engine = EscalationEngine(self.sessions, escalation_map, clock=self.ingest.clock)
        timers = EscalationTimers(engine, self.engine, notify=notify)
        self.ingest.case_openers.append(engine.start_case)
        self.case_listeners.append(timers.cases_opened)
        self.action_listeners.append(lambda result: timers.case_changed(result.case_id))
        self.escalation_timers = timers
        if start:
            timers.start()
        return timers

    def close(self) -> None:
        if self.escalation_timers is not None:
            self.escalation_timers.shutdown()
        if self.crm_lookup is not None:
            self.crm_lookup.close()
        self.engine.dispose()

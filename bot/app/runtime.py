"""The composition root: config + database + triage + ingest, built once per process.

CLI commands, the HTTP server and the tests all build a :class:`Runtime` instead of wiring
the parts by hand, so they run the same code paths.
"""

from __future__ import annotations

import logging
import threading
import time
from contextlib import nullcontext
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.core.config import Config, load_config
from bot.desk.directory import sync_directory
from bot.core.mention import Mention
from bot.core.faults import fault_point
from bot.core.observability import DUPLICATES, MENTIONS_INGESTED, STAGE_SECONDS, stage
from bot.desk.ingest import IngestOutcome, IngestService
from bot.core.settings import Settings
from bot.triage.pipeline import TriagePipeline
from bot.triage.select import build_classifier
from storage.db import is_retryable
from storage.db import database_url, make_engine, make_session_factory, redacted, startup_lock, upgrade_engine

if TYPE_CHECKING:  # the services are imported where they are enabled: a desk without X never loads tweepy
    from bot.app.leader import Leadership
    from bot.crm.lookup import CrmLookup
    from bot.desk.actions import ActionResult
    from bot.feeds.bluesky import BlueskyListener
    from bot.feeds.mastodon import MastodonFeed
    from bot.feeds.x import XPoller
    from bot.relay.outbox import RelayWorker
    from bot.routing.presence import PresenceBoard
    from bot.routing.spikes import SpikeWatch
    from escalation.scheduler import EscalationTimers

log = logging.getLogger(__name__)

#: Events after which the outbox has something new to send.
WAKE_RELAY = frozenset({"reply_queued", "approved", "like_queued", "repost_queued"})


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
    action_listeners: list[Callable[[ActionResult], object]] = field(default_factory=list)
    # Called after each committed ingest batch with (case id, mention id) of the posts that joined
    # an open case (a follow-up in the same conversation); adapters post them in the case's thread.
    joined_listeners: list[Callable[[list[tuple[int, int]]], None]] = field(default_factory=list)
    escalation_timers: EscalationTimers | None = None
    # SQLite takes one writer at a time; ingest threads of this process (webhook requests) queue
    # here instead of in SQLite's busy handler, which sleeps in steps of up to 100 ms.
    _ingest_writer: Any = field(default=None, repr=False)
    x_poller: XPoller | None = None
    relay_worker: RelayWorker | None = None
    mastodon_feed: MastodonFeed | None = None  # when the Mastodon token is set
    mastodon_relay: RelayWorker | None = None  # its RelayWorker (the outbox entries of platform "mastodon")
    bluesky_listener: BlueskyListener | None = None  # when the Bluesky account is set
    bluesky_relay: RelayWorker | None = None  # its RelayWorker (replies, DMs, likes, reposts to Bluesky)
    leadership: Leadership | None = None  # set by the server: whether this replica runs the singletons
    crm_lookup: CrmLookup | None = None  # when crm.lookup_url is configured
    spike_watch: SpikeWatch | None = None  # when routing.crisis is configured
    presence: PresenceBoard | None = None  # when routing.use_presence is on

    @property
    def suggestion_ranker(self) -> Any:
        """Suggested answers ranked with the triage encoder when it is loaded (None: TF-IDF)."""
        from bot.desk.suggest import EncoderRanker

        encoder = getattr(self.pipeline.classifier, "encoder", None)
        return EncoderRanker(encoder) if encoder is not None else None

    @classmethod
    def build(cls, config: Config | None = None, *, config_path: str | None = None, database: str | None = None,
              settings: Settings | None = None, migrate: bool = True,
              clock: Callable[[], datetime] | None = None) -> Runtime:
        settings = settings or Settings()
        if config is None:
            config = load_config(config_path or settings.config_path)
        url = database_url(database or settings.database_url)
        engine = make_engine(url)
        sessions = make_session_factory(engine)
        with startup_lock(engine):  # replicas started together take turns (issue 17, item 6a)
            if migrate:
                upgrade_engine(engine)
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
                from bot.routing.grouping import IncidentGrouper

                ingest.case_openers.append(IncidentGrouper(config.routing.grouping).case_opened)
            router = Router(config)
            ingest.case_openers.append(router.route_case)
        runtime = cls(config, engine, sessions, pipeline, ingest, settings, classifier_note)
        runtime._ingest_writer = threading.Lock() if engine.dialect.name == "sqlite" else nullcontext()
        runtime.crm_lookup = crm_lookup
        runtime.presence = router.presence if config.routing is not None else None
        if config.routing is not None and config.routing.grouping.enabled:
            from bot.desk.reply_text import for_case
            from bot.routing.grouping import IncidentFanOut

            # A reply to an incident reaches every child, its template filled in for each customer.
            runtime.action_listeners.append(IncidentFanOut(sessions, render=for_case))
        if config.routing is not None and config.routing.crisis is not None and config.routing.crisis.spikes.enabled:
            from bot.routing.spikes import SpikeWatch

            # Checked after each ingest batch; adapters add listeners that alert PR.
            runtime.spike_watch = SpikeWatch(sessions, config.routing.crisis.spikes, clock=ingest.clock)
            runtime.case_listeners.append(runtime.spike_watch)
        return runtime

    def ingest_batch(self, mentions: Sequence[Mention], now: datetime | None = None, *,
                     looked_ahead: bool = False) -> list[IngestOutcome]:
        """Store and triage ``mentions`` in one transaction: all of them or none.

        The model's hints for the batch are computed first, outside the transaction and the
        SQLite writer lock (unless ``looked_ahead``: the caller's LookAhead did it): concurrent
        webhook requests then encode while another one stores, instead of queueing behind it.

        A deadlock or serialization failure against another replica rolls the whole batch back;
        it is then simply run again (a few times) instead of failing the webhook call."""
        if self._ingest_writer is None:
            self._ingest_writer = threading.Lock() if self.engine.dialect.name == "sqlite" else nullcontext()
        prefetch = getattr(self.pipeline.classifier, "prefetch", None)
        if prefetch is not None and not looked_ahead:
            with stage("triage"):
                prefetch(self.pipeline.likely_model_texts(mentions))
        for attempt in range(1, 4):
            try:
                with self._ingest_writer, self.sessions() as session:
                    with session.begin():
                        outcomes = self.ingest.ingest_many(session, mentions, now=now)
                        committing = time.perf_counter()
                    STAGE_SECONDS.labels("store").inc(time.perf_counter() - committing)  # the commit stores
                break
            except OperationalError as exc:
                if attempt == 3 or not is_retryable(exc):
                    raise
                log.warning("ingest batch hit %s; running it again (attempt %d)", type(exc.orig).__name__, attempt + 1)
                time.sleep(0.05 * attempt)
        fault_point("ingested")  # committed, cards not posted yet
        with stage("card"):
            self.notify_new_cases(outcomes)
        return outcomes

    def notify_new_cases(self, outcomes: Sequence[IngestOutcome]) -> None:
        """After a committed ingest: count it, then tell the adapters about new and joined cases."""
        for outcome in outcomes:
            if outcome.duplicate:
                DUPLICATES.inc()
            else:
                MENTIONS_INGESTED.inc()
        new_cases = [o.case_id for o in outcomes if o.new_case and o.case_id is not None]
        joined = [(o.case_id, o.mention_id) for o in outcomes
                  if not o.new_case and o.case_id is not None and o.mention_id is not None]
        for listeners, items in ((self.case_listeners, new_cases), (self.joined_listeners, joined)):
            if not items:
                continue
            for listener in listeners:
                try:
                    listener(items)
                except Exception:
                    log.exception("ingest listener %r failed", listener)

    def post_deleted(self, platform: str, external_id: str, *, source: str) -> bool:
        """A source heard that the author deleted a post: redact the stored copy (text and raw
        payload) and tell the adapters, which re-render its card. False when the post is unknown
        or already redacted."""
        from bot.desk.redaction import redact_post

        with self.sessions() as session, session.begin():
            result = redact_post(session, platform, external_id, source=source, now=self.ingest.clock())
        if result is None:
            return False
        for listener in self.action_listeners:
            try:
                listener(result)
            except Exception:
                log.exception("action listener %r failed", listener)
        return True
    def posts_redacted(self, case_ids: list[int]) -> None:
        """A feed redacted deleted posts of these cases (committed): the adapters re-render their cards."""
        from bot.desk.actions import ActionResult

        for case_id in case_ids:
            result = ActionResult("redact", case_id, True, "post_deleted", source="feed")
            for listener in self.action_listeners:
                try:
                    listener(result)
                except Exception:
                    log.exception("action listener %r failed after a redaction", listener)

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

    def enable_x(self, *, client: Any = None, sender_client: Any = None, start: bool = True) -> tuple[Any, Any]:
        """Poll X for mentions (X_BEARER_TOKEN) and relay replies to it (the brand's user tokens).

        Returns ``(poller, relay_worker)``; either is None when its credentials are missing."""
        from bot.feeds import xapi
        from bot.feeds.x import XPoller
        from bot.relay.outbox import OutboxRelay, RelayWorker
        from bot.relay.x import XSender

        settings = self.settings
        poller = worker = None
        if self.config.x.poll and (client is not None or settings.x_bearer_token is not None):
            poller = XPoller(self, client or xapi.make_client(settings))
        has_user_tokens = all((settings.x_consumer_key, settings.x_consumer_secret, settings.x_access_token,
                               settings.x_access_token_secret))
        if sender_client is not None or has_user_tokens:
            sender = XSender(sender_client or xapi.make_client(settings, user_auth=True))
            lease = {"sending_lease": timedelta(seconds=settings.lease_seconds)} if settings.lease_seconds else {}
            relay = OutboxRelay(self.sessions, {"x": sender}, max_attempts=self.config.x.relay_attempts,
                                listeners=self.action_listeners, **lease)
            worker = RelayWorker(relay, poll_every=min(5.0, (settings.lease_seconds or 10) / 2))
            # Wake the relay as soon as something is queued or approved, instead of on its next round.
            self.action_listeners.append(lambda result: worker.wake() if result.event in WAKE_RELAY else None)
        elif poller is not None:
            log.warning("X replies cannot be sent: X_CONSUMER_KEY, X_CONSUMER_SECRET, X_ACCESS_TOKEN and "
                        "X_ACCESS_TOKEN_SECRET are needed for the brand account")
        self.x_poller, self.relay_worker = poller, worker
        if start:
            if poller is not None:
                poller.start()
            if worker is not None:
                worker.start()
        return poller, worker

    def enable_mastodon(self, *, client: Any = None, start: bool = True) -> tuple[Any, Any]:
        """Stream Mastodon as the brand account and relay replies to it (one token does both).

        Returns ``(feed, relay_worker)``, both None unless MENTIONDESK_MASTODON_ACCESS_TOKEN is set
        (or a client is given). Its relay is a worker of its own: a Mastodon outage never holds up X."""
        from bot.feeds import mastodon_api
        from bot.feeds.mastodon import MastodonFeed
        from bot.relay.mastodon import MastodonSender
        from bot.relay.outbox import OutboxRelay, RelayWorker

        settings = self.settings
        if client is None:
            if settings.mastodon_access_token is None:
                return None, None
            client = mastodon_api.make_client(settings.mastodon_base_url or self.config.mastodon.base_url,
                                              settings.mastodon_access_token.get_secret_value())
        feed = MastodonFeed(self, client)
        lease = {"sending_lease": timedelta(seconds=settings.lease_seconds)} if settings.lease_seconds else {}
        relay = OutboxRelay(self.sessions, {"mastodon": MastodonSender(client)},
                            max_attempts=self.config.mastodon.relay_attempts, listeners=self.action_listeners, **lease)
        worker = RelayWorker(relay, poll_every=min(5.0, (settings.lease_seconds or 10) / 2))
        self.action_listeners.append(lambda result: worker.wake() if result.event in WAKE_RELAY else None)
        self.mastodon_feed, self.mastodon_relay = feed, worker
        if start:
            feed.start()
            worker.start()
        return feed, worker

    def enable_bluesky(self, *, account: Any = None, jetstream_url: str | None = None,
                       start: bool = True) -> tuple[Any, Any]:
        """Listen on Jetstream and relay replies to Bluesky as the brand account (its app password
        in MENTIONDESK_BLUESKY_APP_PASSWORD). Returns ``(listener, relay_worker)``, both None when
        the account is not configured. Its own relay worker: a slow or failing Bluesky never holds
        up the X relay, nor the other way round."""
        from bot.feeds import blueskyapi
        from bot.feeds.bluesky import BlueskyListener
        from bot.relay.bluesky import BlueskySender
        from bot.relay.outbox import OutboxRelay, RelayWorker

        source = self.config.bluesky
        if account is None:
            if not blueskyapi.configured(self.settings):
                return None, None
            account = blueskyapi.BrandAccount(self.settings, source)
        listener = BlueskyListener(self, account, jetstream_url=jetstream_url) if source.listen else None
        lease_seconds = self.settings.lease_seconds
        lease = {"sending_lease": timedelta(seconds=lease_seconds)} if lease_seconds else {}
        relay = OutboxRelay(self.sessions, {"bluesky": BlueskySender(account, direct_messages=source.direct_messages)},
                            max_attempts=source.relay_attempts, listeners=self.action_listeners, **lease)
        worker = RelayWorker(relay, poll_every=min(5.0, (lease_seconds or 10) / 2))
        self.action_listeners.append(lambda result: worker.wake() if result.event in WAKE_RELAY else None)
        self.bluesky_listener, self.bluesky_relay = listener, worker
        if start:
            if listener is not None:
                listener.start()
            worker.start()
        return listener, worker

    def close(self) -> None:
        if self.mastodon_feed is not None:
            self.mastodon_feed.stop()
        if self.mastodon_relay is not None:
            self.mastodon_relay.stop()
        if self.bluesky_listener is not None:
            self.bluesky_listener.stop()
        if self.bluesky_relay is not None:
            self.bluesky_relay.stop()
        if self.x_poller is not None:
            self.x_poller.stop()
        if self.relay_worker is not None:
            self.relay_worker.stop()
        if self.escalation_timers is not None:
            self.escalation_timers.shutdown()
        if self.crm_lookup is not None:
            self.crm_lookup.close()
        self.engine.dispose()

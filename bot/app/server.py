"""The ASGI application behind ``mentiondesk serve``: the webhook source and health checks.

Platform endpoints (``POST /slack/events``, the web console) are mounted here by their
adapters as they arrive, so one server and one port serve everything.
"""

from __future__ import annotations

import gc
import logging
import os
import socket

import contextlib
from typing import Any

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.middleware import Middleware
from starlette.routing import Mount, Route

from bot.desk.service import CaseDesk
from bot.core.adapter_start import AdapterStarter
from bot.feeds.webhook import make_ingest_endpoint
from bot.app.leader import Leadership
from bot.core import log_cap
from bot.app.body_limit import BodyLimit
from bot.app.nul_guard import RefuseNul
from bot.feeds.webhook import MAX_BODY_BYTES as INGEST_MAX_BODY_BYTES
from bot.reporting.prometheus import make_registry, metrics_text
from bot.app.runtime import Runtime

log = logging.getLogger(__name__)

def replica_name() -> str:
    """How this process shows up in logs and /readyz: host and pid, unless MENTIONDESK_REPLICA names it."""
    return os.environ.get("MENTIONDESK_REPLICA") or f"{socket.gethostname()}:{os.getpid()}"


def _survey_sender(runtime: Runtime, public_url: str, secret: str):
    """After a case is resolved, its satisfaction survey goes into the outbox (once)."""
    from bot.desk.survey import queue_survey
    from storage.db import transaction

    def send(result: Any) -> None:
        if result.event == "resolved":
            with transaction(runtime.sessions) as session:
                queue_survey(session, result.case_id, public_url, secret)
    return send


def _slack_mirror(slack: Any):
    """A reply drafted in the web console that needs approval is put before PR in the Slack thread
    (the card itself is refreshed by the Slack adapter's listener for presses made elsewhere)."""
    def mirror(result: Any) -> None:
        if result.event == "approval_requested" and result.outbox_id is not None:
            slack.jobs.submit(slack.poster.post_approval, result.case_id, result.outbox_id)
    return mirror


def _map_from(runtime: Runtime):
    """The escalation map the timers already run on (for the dashboard's SLA targets), if any."""
    engine = getattr(runtime.escalation_timers, "engine", None)
    return getattr(engine, "_map", None)


def create_app(runtime: Runtime, *, slack: Any | None = None, discord: Any | None = None,
               adapter_retry: tuple[float, float] = (1.0, 300.0)) -> Starlette:
    """The server; ``slack`` is a ``handlers.slack.app.SlackAdapter`` (built from the environment
    when ``SLACK_BOT_TOKEN`` and ``SLACK_SIGNING_SECRET`` or ``SLACK_APP_TOKEN`` are set);
    ``discord`` a ``handlers.discord.app.DiscordAdapter`` (built when ``DISCORD_BOT_TOKEN`` is set).
    ``adapter_retry``: first and longest wait between start-up attempts of Slack and Discord (seconds)."""
    log_cap.install()  # before any adapter logs: no untrusted payload reaches a log line unbounded
    settings = runtime.settings
    escalation_map = None
    if settings.escalation_path and runtime.escalation_timers is None:
        from escalation.live import MapFile

        escalation_map = MapFile(settings.escalation_path, runtime.config)
    survey_secret = settings.web_secret.get_secret_value() if settings.web_secret else None
    if settings.public_url and survey_secret:
        runtime.action_listeners.append(_survey_sender(runtime, settings.public_url, survey_secret))
    policy = None
    if escalation_map is not None:
        from escalation.live import LivePolicy

        policy = LivePolicy(escalation_map)
    if slack is None and settings.slack_bot_token and (settings.slack_signing_secret or settings.slack_app_token):
        # The composition root is the one place in bot/ that may reach out to an adapter.
        from handlers.slack.app import SlackAdapter

        slack = SlackAdapter(runtime, policy=policy)
    if discord is None and settings.discord_bot_token:
        from handlers.discord.app import DiscordAdapter

        discord = DiscordAdapter(runtime, policy=policy)
    if escalation_map is not None:
        notifiers = []
        if slack is not None:
            from handlers.slack.pings import SlackPings

            notifiers.append(SlackPings(slack.poster))
        if discord is not None:
            notifiers.append(discord.notify)
        runtime.enable_escalation(escalation_map, notify=_fan_out(notifiers) if notifiers else None, start=False)
    # X: the poller when X_BEARER_TOKEN is set, the reply relay when the brand's user tokens are.
    x_poller, relay_worker = runtime.enable_x(start=False) if runtime.x_poller is None else (None, None)
    # Mastodon: its streams run in the elected replica, its relay in every replica (token set).
    mastodon_feed = mastodon_relay = None
    if runtime.mastodon_feed is None:
        from bot.feeds.mastodon_api import MastodonConfigError

        try:
            mastodon_feed, mastodon_relay = runtime.enable_mastodon(start=False)
        except MastodonConfigError as exc:  # the other sources and the desk still start
            log.error("Mastodon not started: %s", exc)
    elected, demoted = [], []
    if mastodon_feed is not None:
        elected.append(mastodon_feed.start)
        demoted.append(mastodon_feed.stop)
    if escalation_map is not None:
        # Every replica schedules timers into the shared job store (opened in the lifespan);
        # only the leader runs them, catching up on what fell due meanwhile.
        elected.append(runtime.escalation_timers.lead)
        demoted.append(runtime.escalation_timers.follow)
    if x_poller is not None:
        elected.append(x_poller.start)
        demoted.append(x_poller.stop)
    if runtime.config.retention.days:
        from bot.privacy.retention import RetentionWorker

        retention = RetentionWorker(runtime.sessions, days=runtime.config.retention.days,
                                    every_seconds=runtime.config.retention.check_every_minutes * 60)
        elected.append(retention.start)  # erasure is a singleton: one replica at a time
        demoted.append(retention.stop)
    # Bluesky: the Jetstream listener is a singleton like X polling; every replica relays.
    bluesky_listener, bluesky_relay = (runtime.enable_bluesky(start=False) if runtime.bluesky_relay is None
                                       else (None, None))
    if bluesky_listener is not None:
        elected.append(bluesky_listener.start)
        demoted.append(bluesky_listener.stop)
    from bot.app.model_jobs import model_jobs

    # The triage model: every replica reloads newly installed heads; the leader runs the
    # scheduled desk retrain (triage.model.retrain) when it is enabled.
    jobs = model_jobs(runtime)
    elected.extend(jobs.elected)
    demoted.extend(jobs.demoted)
    leadership = Leadership(runtime.engine, on_elected=elected, on_demoted=demoted, name=replica_name())
    runtime.leadership = leadership
    # Slack and Discord start, and if they cannot (unreachable, token refused) retry in the background while
    # everything else serves; /readyz and `mentiondesk status` show how it stands.
    starters: dict[str, AdapterStarter] = {}
    if slack is not None:
        starters["slack"] = AdapterStarter("slack", slack.connect, replica=leadership.name, sessions=runtime.sessions,
                                           first_delay=adapter_retry[0], max_delay=adapter_retry[1])
    if discord is not None:
        starters["discord"] = AdapterStarter("discord", discord.start, replica=leadership.name,
                                             sessions=runtime.sessions, first_delay=adapter_retry[0],
                                             max_delay=adapter_retry[1])

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        def ping() -> None:
            with runtime.engine.connect() as conn:
                conn.execute(text("SELECT 1"))

        try:
            await run_in_threadpool(ping)
            sources = await run_in_threadpool(_sources, runtime)
        except Exception as exc:  # the database is down: not ready, say why (no secrets in it)
            return JSONResponse({"status": "unavailable", "reason": type(exc).__name__}, status_code=503)
        # Ready means "can take /ingest": a failing source or an adapter still retrying does not make
        # the replica unready (the rest keeps running); both are listed.
        return JSONResponse({"status": "ready", "replica": leadership.name, "leader": leadership.is_leader,
                             "sources": sources,
                             "adapters": {name: s.snapshot() for name, s in starters.items()}})

    registry = make_registry(runtime.sessions)

    async def metrics(request: Request) -> Response:
        return Response(await run_in_threadpool(metrics_text, registry), media_type=CONTENT_TYPE_LATEST)

    async def home(request: Request) -> RedirectResponse:
        return RedirectResponse("/console/", status_code=307)

    from handlers.web import create_console  # the web console adapter (always on: it needs no tokens)

    listeners = list(runtime.action_listeners)
    if slack is not None:
        listeners.append(_slack_mirror(slack))
    console = create_console(runtime, desk=CaseDesk(runtime.sessions, policy=policy, config=runtime.config, listeners=listeners,
                                                           ranker=runtime.suggestion_ranker),
                             escalation_map=escalation_map or _map_from(runtime),
                             secret=settings.web_secret.get_secret_value() if settings.web_secret else None,
                             secure_cookie=settings.web_secure_cookie, clock=runtime.ingest.clock)
    routes = [
        Route("/", home),
        Route("/ingest", make_ingest_endpoint(runtime), methods=["POST"]),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics),
        Mount("/console", app=console),
    ]
    if survey_secret:
        from handlers.web.survey import survey_routes

        routes.extend(survey_routes(runtime, survey_secret))
    if slack is not None and slack.verifies_requests:
        # Events, interactivity (buttons, dialogs) and the slash command all arrive here. Never
        # mounted without a signing secret: unsigned requests could then act as anyone.
        routes.append(Route("/slack/events", slack.endpoint, methods=["POST"]))

    digest = None
    if slack is not None and settings.digest_channel:
        from bot.reporting.metrics import sla_targets
        from handlers.slack.digest import Digest

        source = escalation_map or _map_from(runtime)
        digest = Digest(runtime.sessions, slack.client, settings.digest_channel, at=settings.digest_at,
                        targets=(lambda: sla_targets(source())) if source else dict)
        # A singleton like the timers: scheduled in the leader (and posted once in any case).
        elected.append(digest.start)
        demoted.append(digest.stop)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        # Everything built at start-up (config, ORM mappers, Bolt, pydantic models) lives for the
        # whole process. Frozen, the garbage collector stops re-scanning it: without this, the
        # first full collection after start-up paused every request in flight for ~50 ms, which
        # was the whole tail of a 50-press Claim burst on SQLite (bench/slack.py: p99 75 → 34 ms).
        gc.collect()
        gc.freeze()
        if slack is not None:
            # auth.test, then the card poster worker and Socket Mode (SLACK_APP_TOKEN); retried
            # with back-off in the background when Slack cannot be reached or refuses the token.
            await run_in_threadpool(starters["slack"].start)
        if discord is not None:
            # Log in, persistent views, then the gateway; retried like Slack when it fails.
            await run_in_threadpool(starters["discord"].start)
        if relay_worker is not None:
            relay_worker.start()  # every replica relays: reconciles sends a crash interrupted, then delivers
        if mastodon_relay is not None:
            mastodon_relay.start()
        if bluesky_relay is not None:
            bluesky_relay.start()
        timers = runtime.escalation_timers if escalation_map is not None else None
        if timers is not None:
            timers.open()  # schedules from this replica reach the shared job store, leader or not
        jobs.start()  # the heads watcher (every replica)
        leadership.start()  # the singletons (feed polling, timers) run in the elected replica only
        try:
            yield
        finally:
            leadership.stop()  # graceful shutdown: stop the singletons and hand the lock over
            jobs.stop()
            if timers is not None:
                timers.shutdown()
            if relay_worker is not None:
                relay_worker.stop()
            if mastodon_relay is not None:
                mastodon_relay.stop()
            if bluesky_relay is not None:
                bluesky_relay.stop()
            if slack is not None:
                starters["slack"].stop()
                slack.stop()
            if discord is not None:
                starters["discord"].stop()
                await run_in_threadpool(discord.stop)

    # Every endpoint's body is bounded before its handler runs (413): /ingest and Slack at their
    # own limits, the console forms, the survey and anything else at the default (64 KiB).
    body_limits = {"/ingest": INGEST_MAX_BODY_BYTES}
    if slack is not None:
        body_limits["/slack/events"] = getattr(slack, "max_body_bytes", INGEST_MAX_BODY_BYTES)
    # Then no NUL in what people type into the console or the survey (PostgreSQL cannot store it).
    app = Starlette(routes=routes, lifespan=lifespan, middleware=[Middleware(BodyLimit, limits=body_limits),
                                                                  Middleware(RefuseNul, prefixes=("/console", "/survey"))])
    app.state.runtime = runtime
    app.state.slack = slack
    app.state.discord = discord
    app.state.adapters = starters
    app.state.model_jobs = jobs
    return app


def _sources(runtime: Runtime) -> dict[str, dict[str, dict]]:
    """Each source's streams and queries: {source: {query: health}}, from the cursors every replica
    shares, joined with this replica's live stream state (connected, reconnects) where it has one."""
    from datetime import datetime, timezone

    from bot.feeds.health import source_health

    with runtime.sessions() as session:
        health = source_health(session, datetime.now(timezone.utc))
    sources: dict[str, dict[str, dict]] = {}
    for h in health:
        sources.setdefault(h.source, {})[h.query] = h.as_dict()
    if runtime.mastodon_feed is not None:
        for stream, live in runtime.mastodon_feed.sources_health().items():
            sources.setdefault("mastodon", {})[stream] = {**sources.get("mastodon", {}).get(stream, {}), **live}
    return sources


def _fan_out(notifiers: list) -> Any:
    """One escalation notify for several team platforms; one failing does not stop the others."""
    if len(notifiers) == 1:
        return notifiers[0]

    def notify(pings: list) -> None:
        for deliver in notifiers:
            try:
                deliver(pings)
            except Exception:
                log.exception("escalation pings via %r failed", deliver)

    return notify

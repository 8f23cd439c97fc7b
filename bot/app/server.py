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
from starlette.routing import Mount, Route

from bot.desk.service import CaseDesk
from bot.feeds.webhook import make_ingest_endpoint
from bot.app.leader import Leadership
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


def create_app(runtime: Runtime, *, slack: Any | None = None, discord: Any | None = None) -> Starlette:
    """The server; ``slack`` is a ``handlers.slack.app.SlackAdapter`` (built from the environment
    when ``SLACK_BOT_TOKEN`` and ``SLACK_SIGNING_SECRET`` or ``SLACK_APP_TOKEN`` are set);
    ``discord`` a ``handlers.discord.app.DiscordAdapter`` (built when ``DISCORD_BOT_TOKEN`` is set)."""
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
    elected, demoted = [], []
    if escalation_map is not None:
        elected.append(runtime.escalation_timers.start)  # catches up on what fell due meanwhile
        demoted.append(runtime.escalation_timers.shutdown)
    if x_poller is not None:
        elected.append(x_poller.start)
        demoted.append(x_poller.stop)
    if runtime.config.retention.days:
        from bot.privacy.retention import RetentionWorker

        retention = RetentionWorker(runtime.sessions, days=runtime.config.retention.days,
                                    every_seconds=runtime.config.retention.check_every_minutes * 60)
        elected.append(retention.start)  # erasure is a singleton: one replica at a time
        demoted.append(retention.stop)
    leadership = Leadership(runtime.engine, on_elected=elected, on_demoted=demoted, name=replica_name())
    runtime.leadership = leadership

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        def ping() -> None:
            with runtime.engine.connect() as conn:
                conn.execute(text("SELECT 1"))

        try:
            await run_in_threadpool(ping)
        except Exception as exc:  # the database is down: not ready, say why (no secrets in it)
            return JSONResponse({"status": "unavailable", "reason": type(exc).__name__}, status_code=503)
        return JSONResponse({"status": "ready", "replica": leadership.name, "leader": leadership.is_leader})

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
            slack.start()  # card poster worker, and Socket Mode when SLACK_APP_TOKEN is set
        if discord is not None:
            await run_in_threadpool(discord.start)  # log in, persistent views, then the gateway
        if relay_worker is not None:
            relay_worker.start()  # every replica relays: reconciles sends a crash interrupted, then delivers
        leadership.start()  # the singletons (feed polling, timers) run in the elected replica only
        try:
            yield
        finally:
            leadership.stop()  # graceful shutdown: stop the singletons and hand the lock over
            if relay_worker is not None:
                relay_worker.stop()
            if slack is not None:
                slack.stop()
            if discord is not None:
                await run_in_threadpool(discord.stop)

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.runtime = runtime
    app.state.slack = slack
    app.state.discord = discord
    return app


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

"""The ASGI application behind ``mentiondesk serve``: the webhook source and health checks.

Platform endpoints (``POST /slack/events``, the web console) are mounted here by their
adapters as they arrive, so one server and one port serve everything.
"""

from __future__ import annotations

import gc
import logging

import contextlib
from typing import Any

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.feeds.webhook import make_ingest_endpoint
from bot.runtime import Runtime

log = logging.getLogger(__name__)


def create_app(runtime: Runtime, *, slack: Any | None = None, discord: Any | None = None) -> Starlette:
    """The server; ``slack`` is a ``handlers.slack.app.SlackAdapter`` (built from the environment
    when ``SLACK_BOT_TOKEN`` and ``SLACK_SIGNING_SECRET`` or ``SLACK_APP_TOKEN`` are set);
    ``discord`` a ``handlers.discord.app.DiscordAdapter`` (built when ``DISCORD_BOT_TOKEN`` is set)."""
    settings = runtime.settings
    escalation_map = None
    if settings.escalation_path and runtime.escalation_timers is None:
        from escalation.live import MapFile

        escalation_map = MapFile(settings.escalation_path, runtime.config)
    if slack is None and settings.slack_bot_token and (settings.slack_signing_secret or settings.slack_app_token):
        # The composition root is the one place in bot/ that may reach out to an adapter.
        from handlers.slack.app import SlackAdapter

        policy = None
        if escalation_map is not None:
            from escalation.live import LivePolicy

            policy = LivePolicy(escalation_map)
        slack = SlackAdapter(runtime, policy=policy)
    if discord is None and settings.discord_bot_token:
        from handlers.discord.app import DiscordAdapter

        policy = None
        if escalation_map is not None:
            from escalation.live import LivePolicy

            policy = LivePolicy(escalation_map)
        discord = DiscordAdapter(runtime, policy=policy)
    if escalation_map is not None:
        notifiers = []
        if slack is not None:
            from handlers.slack.pings import SlackPings

            notifiers.append(SlackPings(slack.poster))
        if discord is not None:
            notifiers.append(discord.notify)
        runtime.enable_escalation(escalation_map, notify=_fan_out(notifiers) if notifiers else None, start=False)

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
        return JSONResponse({"status": "ready"})

    routes = [
        Route("/ingest", make_ingest_endpoint(runtime), methods=["POST"]),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
    ]
    if slack is not None and slack.verifies_requests:
        # Events, interactivity (buttons, dialogs) and the slash command all arrive here. Never
        # mounted without a signing secret: unsigned requests could then act as anyone.
        routes.append(Route("/slack/events", slack.endpoint, methods=["POST"]))

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
        if escalation_map is not None:
            runtime.escalation_timers.start()  # timers of this process; catches up what fell due
        try:
            yield
        finally:
            if escalation_map is not None:
                runtime.escalation_timers.shutdown()
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

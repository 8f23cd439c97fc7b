"""The ASGI application behind ``mentiondesk serve``: the webhook source and health checks.

Platform endpoints (``POST /slack/events``, the web console) are mounted here by their
adapters as they arrive, so one server and one port serve everything.
"""

from __future__ import annotations

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.feeds.webhook import make_ingest_endpoint
from bot.runtime import Runtime


def create_app(runtime: Runtime) -> Starlette:
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
    app = Starlette(routes=routes)
    app.state.runtime = runtime
    return app

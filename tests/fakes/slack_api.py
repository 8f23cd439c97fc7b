"""A local fake of the Slack Web API, served on 127.0.0.1 by uvicorn (see ``tests.conftest.ServerThread``).

It keeps channels and messages with real-looking ``ts`` values, answers the methods mentiondesk
uses with Slack-shaped JSON, checks the bot token, and can be told to fail the next calls of a
method with ``ratelimited`` (HTTP 429 + Retry-After) or HTTP 500. ``response_url`` posts (slash
command answers) are accepted under ``/response/<id>``.

    fake = FakeSlack()
    with ServerThread(fake.app) as server:
        client = WebClient(token=fake.token, base_url=server.url + "/api/")
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

BOT_USER_ID = "U0BOT00001"
BOT_ID = "B0BOT00001"
TEAM_ID = "T0FAKE0001"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float  # time.perf_counter() when the fake received it
    status: int = 200  # 429 when the channel rate limit refused it


def _metadata(value: Any) -> dict | None:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, dict) else None


@dataclass
class FakeSlack:
    token: str = "xoxb-fake-token"
    # Socket Mode: the app-level token and the websocket URL apps.connections.open hands out.
    app_token: str = "xapp-fake-token"
    socket_url: str | None = None
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    # users.getPresence answers: user id -> "active" / "away" (unknown users are "active").
    presence: dict[str, str] = field(default_factory=dict)
    # Seconds the fake waits before answering (simulates network latency).
    latency: float = 0.0
    # Slack's "about one message per second per channel": when set, chat.postMessage answers 429
    # (Retry-After: 1) once a channel has had more than ``channel_burst`` messages in a row faster
    # than ``channel_rate`` a second (a token bucket per channel). Top-level messages only unless
    # ``rate_threads``: thread replies count too.
    channel_rate: float | None = None
    channel_burst: int = 3
    rate_threads: bool = False

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: dict[str, list[dict[str, Any]]] = {}  # channel -> messages, oldest first
        self.ephemerals: list[dict[str, Any]] = []
        self.views: list[dict[str, Any]] = []
        self.responses: list[dict[str, Any]] = []  # bodies posted to response_url
        self.calls: list[Call] = []
        self._failures: dict[str, list[tuple[str, int]]] = {}
        self._seq = itertools.count(1)
        self._buckets: dict[str, tuple[float, float]] = {}  # channel -> (tokens, monotonic time)
        self.rate_limited: list[Call] = []  # chat.postMessage calls refused by the channel rate limit
        self.app = Starlette(routes=[
            Route("/api/{method}", self._handle, methods=["GET", "POST"]),
            Route("/response/{rid}", self._response_url, methods=["POST"]),
            # For a driver in another process (bench/slack.py): the calls received since index N.
            Route("/_fake/calls", self._dump_calls, methods=["GET"]),
        ])

    # --- test controls ---------------------------------------------------------------------------

    def fail(self, method: str, kind: str = "ratelimited", times: int = 1, retry_after: int = 0) -> None:
        """Make the next ``times`` calls of ``method`` fail: ``ratelimited`` (429), ``500``, or a
        Slack error answered as Slack does (HTTP 200, ``ok: false``), e.g. ``invalid_auth``."""
        with self.lock:
            self._failures.setdefault(method, []).extend([(kind, retry_after)] * times)

    def calls_of(self, method: str) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.method == method]

    def channel(self, channel: str) -> list[dict[str, Any]]:
        with self.lock:
            return [dict(m) for m in self.messages.get(channel, [])]

    def cards(self, channel: str) -> list[dict[str, Any]]:
        """Top-level messages of a channel (not thread replies)."""
        return [m for m in self.channel(channel) if "thread_ts" not in m or m["thread_ts"] == m["ts"]]

    def thread(self, channel: str, ts: str) -> list[dict[str, Any]]:
        return [m for m in self.channel(channel) if m.get("thread_ts") == ts and m["ts"] != ts]

    # --- HTTP ------------------------------------------------------------------------------------

    def _ts(self) -> str:
        return f"{int(time.time())}.{next(self._seq):06d}"

    async def _params(self, request: Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query_params)
        ctype = request.headers.get("content-type", "")
        if "application/json" in ctype:
            body = await request.body()
            if body:
                params.update(json.loads(body))
        elif "form" in ctype:
            # Parsed by hand: starlette's request.form() needs python-multipart, which we do not ship.
            body = (await request.body()).decode()
            params.update({k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()})
        for key in ("blocks", "view", "attachments"):
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        return params

    async def _handle(self, request: Request) -> Response:
        method = request.path_params["method"]
        params = await self._params(request)
        with self.lock:
            call = Call(method, params, time.perf_counter())
            self.calls.append(call)
            failures = self._failures.get(method)
            failure = failures.pop(0) if failures else None
        if self.latency:
            import asyncio

            await asyncio.sleep(self.latency)
        if failure is None and method == "chat.postMessage" and self._over_channel_rate(params):
            with self.lock:
                call.status = 429
                self.rate_limited.append(call)
            return JSONResponse({"ok": False, "error": "ratelimited"}, status_code=429, headers={"Retry-After": "1"})
        if failure is not None:
            kind, retry_after = failure
            if kind == "ratelimited":
                return JSONResponse({"ok": False, "error": "ratelimited"}, status_code=429,
                                    headers={"Retry-After": str(retry_after)})
            if kind == "500":
                return PlainTextResponse("Internal Server Error", status_code=500)
            return JSONResponse({"ok": False, "error": kind})
        auth = request.headers.get("authorization", "")
        if method == "apps.connections.open":  # the one method called with the app-level token
            if auth != f"Bearer {self.app_token}" or not self.socket_url:
                return JSONResponse({"ok": False, "error": "invalid_auth"})
            return JSONResponse({"ok": True, "url": self.socket_url})
        if auth != f"Bearer {self.token}":
            return JSONResponse({"ok": False, "error": "not_authed" if not auth else "invalid_auth"})
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            return JSONResponse({"ok": False, "error": "unknown_method"})
        return JSONResponse(handler(params))

    def _over_channel_rate(self, params: dict) -> bool:
        if self.channel_rate is None or (params.get("thread_ts") and not self.rate_threads):
            return False
        channel, now = str(params.get("channel")), time.monotonic()
        with self.lock:
            tokens, then = self._buckets.get(channel, (float(self.channel_burst), now))
            tokens = min(float(self.channel_burst), tokens + (now - then) * self.channel_rate)
            if tokens < 1:
                self._buckets[channel] = (tokens, now)
                return True
            self._buckets[channel] = (tokens - 1, now)
            return False

    async def _dump_calls(self, request: Request) -> Response:
        since = int(request.query_params.get("since", "0"))
        with self.lock:
            calls = self.calls[since:]
        return JSONResponse([{"method": c.method, "at": c.at, "text": c.params.get("text", ""),
                              "thread_ts": c.params.get("thread_ts"), "channel": c.params.get("channel"),
                              "metadata": _metadata(c.params.get("metadata")), "status": c.status}
                             for c in calls])

    async def _response_url(self, request: Request) -> Response:
        body = json.loads(await request.body())  # never await while holding the (thread) lock
        with self.lock:
            self.responses.append(body)
        return PlainTextResponse("ok")

    # --- methods ---------------------------------------------------------------------------------

    def _auth_test(self, p: dict) -> dict:
        return {"ok": True, "url": "https://fake-workspace.slack.com/", "team": "Fake", "user": "mentiondesk",
                "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID, "is_enterprise_install": False}

    @staticmethod
    def _invalid_blocks(blocks: list | None) -> str | None:
        """Slack's limits that a card could break: 50 blocks, 3000 characters of section text."""
        if not blocks:
            return None
        if len(blocks) > 50:
            return "invalid_blocks"
        for block in blocks:
            if len((block.get("text") or {}).get("text", "")) > 3000:
                return "invalid_blocks"
            for element in block.get("elements", []):
                if isinstance(element.get("text"), str) and len(element["text"]) > 3000:
                    return "invalid_blocks"
        return None

    def _chat_postMessage(self, p: dict) -> dict:
        channel = p.get("channel")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if not (p.get("text") or p.get("blocks")):
            return {"ok": False, "error": "no_text"}
        if error := self._invalid_blocks(p.get("blocks")):
            return {"ok": False, "error": error}
        message = {"type": "message", "ts": self._ts(), "user": BOT_USER_ID, "bot_id": BOT_ID,
                   "text": p.get("text", ""), "blocks": p.get("blocks") or []}
        metadata = p.get("metadata")
        if metadata:
            message["metadata"] = json.loads(metadata) if isinstance(metadata, str) else metadata
        if p.get("thread_ts"):
            message["thread_ts"] = p["thread_ts"]
        with self.lock:
            self.messages.setdefault(channel, []).append(message)
        return {"ok": True, "channel": channel, "ts": message["ts"], "message": message}

    def _chat_update(self, p: dict) -> dict:
        if error := self._invalid_blocks(p.get("blocks")):
            return {"ok": False, "error": error}
        with self.lock:
            for message in self.messages.get(p.get("channel"), []):
                if message["ts"] == p.get("ts"):
                    message["text"] = p.get("text", message["text"])
                    if "blocks" in p:
                        message["blocks"] = p["blocks"]
                    if p.get("metadata"):
                        message["metadata"] = _metadata(p["metadata"])
                    message["edited"] = {"user": BOT_USER_ID, "ts": self._ts()}
                    return {"ok": True, "channel": p["channel"], "ts": p["ts"], "text": message["text"],
                            "message": dict(message)}
        return {"ok": False, "error": "message_not_found"}

    def _chat_postEphemeral(self, p: dict) -> dict:
        if not p.get("user"):
            return {"ok": False, "error": "user_not_in_channel"}
        entry = {"channel": p.get("channel"), "user": p["user"], "text": p.get("text", ""),
                 "blocks": p.get("blocks") or [], "message_ts": self._ts()}
        with self.lock:
            self.ephemerals.append(entry)
        return {"ok": True, "message_ts": entry["message_ts"]}

    def _views_open(self, p: dict) -> dict:
        if not p.get("trigger_id"):
            return {"ok": False, "error": "invalid_trigger_id"}
        view = dict(p.get("view") or {})
        view.update({"id": f"V{next(self._seq):08d}", "team_id": TEAM_ID, "state": {"values": {}},
                     "hash": f"{time.time():.6f}"})
        with self.lock:
            self.views.append(view)
        return {"ok": True, "view": view}

    def _conversations_history(self, p: dict) -> dict:
        """Top-level messages, newest first; message metadata only with include_all_metadata."""
        oldest = float(p.get("oldest") or 0)
        limit = int(p.get("limit") or 100)
        with_metadata = str(p.get("include_all_metadata", "")).lower() in ("1", "true")
        with self.lock:
            channel = self.messages.get(p.get("channel"))
            if channel is None:
                return {"ok": False, "error": "channel_not_found"}
            top = [dict(m) for m in channel if ("thread_ts" not in m or m["thread_ts"] == m["ts"])
                   and float(m["ts"]) > oldest]
        top.reverse()
        start = int(p.get("cursor") or 0)
        page = top[start:start + limit]
        if not with_metadata:
            for m in page:
                m.pop("metadata", None)
        more = start + limit < len(top)
        return {"ok": True, "messages": page, "has_more": more,
                "response_metadata": {"next_cursor": str(start + limit) if more else ""}}

    def _conversations_replies(self, p: dict) -> dict:
        channel, ts = p.get("channel"), p.get("ts")
        with self.lock:
            thread = [dict(m) for m in self.messages.get(channel, []) if m["ts"] == ts or m.get("thread_ts") == ts]
        if not thread:
            return {"ok": False, "error": "thread_not_found"}
        return {"ok": True, "messages": thread, "has_more": False}

    def _users_getPresence(self, p: dict) -> dict:
        if not p.get("user"):
            return {"ok": False, "error": "user_not_found"}
        presence = self.presence.get(p["user"], "active")
        return {"ok": True, "presence": presence, "online": presence == "active", "auto_away": False,
                "manual_away": presence == "away", "connection_count": 1 if presence == "active" else 0}

    def _users_info(self, p: dict) -> dict:
        user = self.users.get(p.get("user", ""))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": {"id": p["user"], "team_id": TEAM_ID, "deleted": False, "is_bot": False,
                                     "tz": "Europe/Madrid", **user}}

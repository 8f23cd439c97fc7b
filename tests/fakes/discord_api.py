"""A local fake of Discord's REST API (v10), served on 127.0.0.1 by uvicorn (``tests.conftest.ServerThread``).

It answers what discord.py calls for mentiondesk, in Discord's JSON shapes: the bot's login
(``/users/@me``, ``/oauth2/applications/@me``), channel messages (create, edit), threads started
from a message (the thread's id is the message's id, as on Discord), interaction callbacks
(``/interactions/{id}/{token}/callback?with_response=1``) and follow-ups (``/webhooks/{app}/{token}``).
Every request is recorded with its JSON body, so tests can check what was sent, including
``allowed_mentions``. Bot routes check ``Authorization: Bot <token>``; ``fail()`` makes the next
calls of a route answer 429 with ``retry_after`` (Discord's rate-limit reply) or 500.

    fake = FakeDiscord()
    with ServerThread(fake.app) as server:
        discord.http.Route.BASE = server.url + "/api/v10"
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

APP_ID = "900000000000000001"
BOT_USER_ID = "900000000000000002"
GUILD_ID = "800000000000000001"
# Where follow-ups and interaction responses are said to live (real Discord: the interaction's channel).
RESPONSE_CHANNEL_ID = "100000000000000900"
EPOCH_MS = 1420070400000


def snowflake(seq: int) -> str:
    # Real-looking snowflakes: milliseconds since Discord's epoch in the high bits.
    return str(((int(time.time() * 1000) - EPOCH_MS) << 22) + seq)


def user(user_id: str, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {"id": user_id, "username": name.lower().replace(" ", "_"), "global_name": name, "discriminator": "0",
            "avatar": None, "bot": bot, "public_flags": 0}


@dataclass
class Call:
    method: str
    path: str
    kind: str  # message, edit, thread, callback, followup, login, ...
    body: dict[str, Any]
    at: float


@dataclass
class FakeDiscord:
    token: str = "fake-discord-bot-token"

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.calls: list[Call] = []
        self.messages: dict[str, dict[str, Any]] = {}  # message id -> current message
        self.threads: dict[str, dict[str, Any]] = {}  # thread id -> channel object
        self.responses: dict[str, dict[str, Any]] = {}  # interaction token -> its response message
        self._failures: dict[str, list[tuple[int, float]]] = {}
        self._seq = itertools.count(1)
        api = "/api/v10"
        self.app = Starlette(routes=[
            Route(api + "/users/@me", self._me, methods=["GET"]),
            Route(api + "/oauth2/applications/@me", self._application, methods=["GET"]),
            Route(api + "/gateway/bot", self._gateway, methods=["GET"]),
            Route(api + "/channels/{channel_id}/messages", self._create_message, methods=["POST"]),
            Route(api + "/channels/{channel_id}/messages/{message_id}", self._edit_message, methods=["PATCH"]),
            Route(api + "/channels/{channel_id}/messages/{message_id}/threads", self._start_thread, methods=["POST"]),
            Route(api + "/interactions/{interaction_id}/{token}/callback", self._callback, methods=["POST"]),
            Route(api + "/webhooks/{app_id}/{token}", self._followup, methods=["POST"]),
            Route(api + "/webhooks/{app_id}/{token}/messages/{message_id}", self._edit_followup,
                  methods=["PATCH"]),
        ])

    # --- test controls ---------------------------------------------------------------------------

    def fail(self, kind: str, status: int = 429, times: int = 1, retry_after: float = 0.05) -> None:
        """The next ``times`` requests of ``kind`` (message, edit, thread, callback, followup) fail."""
        with self.lock:
            self._failures.setdefault(kind, []).extend([(status, retry_after)] * times)

    def calls_of(self, kind: str) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.kind == kind]

    def channel(self, channel_id: str) -> list[dict[str, Any]]:
        """Messages currently in a channel or thread, oldest first (edits applied)."""
        with self.lock:
            return [json.loads(json.dumps(m)) for m in self.messages.values() if m["channel_id"] == channel_id]

    def message(self, message_id: str | int) -> dict[str, Any] | None:
        with self.lock:
            found = self.messages.get(str(message_id))
            return json.loads(json.dumps(found)) if found else None

    # --- plumbing --------------------------------------------------------------------------------

    async def _record(self, request: Request, kind: str, *, auth: bool = True) -> tuple[dict, Response | None]:
        raw = await request.body()
        body = json.loads(raw) if raw else {}
        with self.lock:
            self.calls.append(Call(request.method, request.url.path, kind, body, time.perf_counter()))
            failures = self._failures.get(kind)
            failure = failures.pop(0) if failures else None
        if auth and request.headers.get("authorization") != f"Bot {self.token}":
            return body, JSONResponse({"message": "401: Unauthorized", "code": 0}, status_code=401)
        if failure is not None:
            status, retry_after = failure
            if status == 429:
                return body, JSONResponse(
                    {"message": "You are being rate limited.", "retry_after": retry_after, "global": False},
                    status_code=429, headers={"Retry-After": str(retry_after), "X-RateLimit-Limit": "5",
                                              "X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": str(retry_after),
                                              "X-RateLimit-Bucket": f"fake-{kind}", "X-RateLimit-Scope": "user",
                                              # discord.py treats a 429 without it as a Cloudflare ban
                                              "Via": "1.1 google"})
            message = {403: "Missing Access", 500: "500: Internal Server Error"}.get(status, "error")
            return body, JSONResponse({"message": message, "code": 50001 if status == 403 else 0}, status_code=status)
        return body, None

    def _message(self, channel_id: str, body: dict[str, Any], *, author: dict | None = None,
                 flags: int = 0, webhook_id: str | None = None) -> dict[str, Any]:
        now = datetime.now(timezone.utc).isoformat()
        message = {
            "id": snowflake(next(self._seq)), "channel_id": channel_id, "type": 0,
            "author": author or user(BOT_USER_ID, "mentiondesk", bot=True),
            "content": body.get("content") or "", "embeds": body.get("embeds") or [],
            "components": body.get("components") or [], "attachments": [], "mentions": [], "mention_roles": [],
            "mention_everyone": False, "pinned": False, "tts": False, "timestamp": now, "edited_timestamp": None,
            "flags": flags | (body.get("flags") or 0), "allowed_mentions": body.get("allowed_mentions"),
        }
        if webhook_id:
            message["webhook_id"] = webhook_id
        return message

    # --- routes ----------------------------------------------------------------------------------

    async def _me(self, request: Request) -> Response:
        _, error = await self._record(request, "login")
        return error or JSONResponse({**user(BOT_USER_ID, "mentiondesk", bot=True), "verified": True, "mfa_enabled": False,
                                      "flags": 0, "locale": "en-US"})

    async def _application(self, request: Request) -> Response:
        _, error = await self._record(request, "application")
        return error or JSONResponse({
            "id": APP_ID, "name": "mentiondesk", "description": "", "icon": None, "bot_public": False,
            "bot_require_code_grant": False, "owner": user("700000000000000001", "Owner"), "verify_key": "0" * 64,
            "flags": 0, "team": None, "summary": "", "rpc_origins": [],
        })

    async def _gateway(self, request: Request) -> Response:
        # No gateway here (tests feed INTERACTION_CREATE themselves): a websocket URL nobody answers.
        _, error = await self._record(request, "gateway")
        return error or JSONResponse({"url": "ws://127.0.0.1:9", "shards": 1, "session_start_limit": {
            "total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}})

    async def _create_message(self, request: Request) -> Response:
        body, error = await self._record(request, "message")
        if error:
            return error
        message = self._message(request.path_params["channel_id"], body)
        with self.lock:
            self.messages[message["id"]] = message
        return JSONResponse(message)

    async def _edit_message(self, request: Request) -> Response:
        body, error = await self._record(request, "edit")
        if error:
            return error
        with self.lock:
            message = self.messages.get(request.path_params["message_id"])
            if message is None or message["channel_id"] != request.path_params["channel_id"]:
                return JSONResponse({"message": "Unknown Message", "code": 10008}, status_code=404)
            for key in ("content", "embeds", "components", "allowed_mentions"):
                if key in body:
                    message[key] = body[key] if body[key] is not None else ([] if key != "content" else "")
            message["edited_timestamp"] = datetime.now(timezone.utc).isoformat()
            return JSONResponse(json.loads(json.dumps(message)))

    async def _start_thread(self, request: Request) -> Response:
        body, error = await self._record(request, "thread")
        if error:
            return error
        channel_id, message_id = request.path_params["channel_id"], request.path_params["message_id"]
        with self.lock:
            if message_id not in self.messages:
                return JSONResponse({"message": "Unknown Message", "code": 10008}, status_code=404)
            if message_id in self.threads:
                return JSONResponse({"message": "A thread has already been created for this message",
                                     "code": 160004}, status_code=400)
            thread = {"id": message_id, "type": 11, "guild_id": GUILD_ID, "parent_id": channel_id,
                      "name": body.get("name", ""), "owner_id": BOT_USER_ID, "message_count": 0, "member_count": 1,
                      "rate_limit_per_user": 0, "flags": 0,
                      "thread_metadata": {"archived": False, "auto_archive_duration": body.get("auto_archive_duration", 1440),
                                          "archive_timestamp": datetime.now(timezone.utc).isoformat(), "locked": False}}
            self.threads[message_id] = thread
        return JSONResponse(thread, status_code=201)

    async def _callback(self, request: Request) -> Response:
        body, error = await self._record(request, "callback", auth=False)
        if error:
            return error
        interaction_id = request.path_params["interaction_id"]
        kind = body.get("type")
        payload: dict[str, Any] = {"interaction": {"id": interaction_id, "type": 3,
                                                   "response_message_loading": kind == 5,
                                                   "response_message_ephemeral": bool((body.get("data") or {}).get("flags", 0) & 64)},
                                   "resource": {"type": kind}}
        if kind == 4:  # a message: it exists now (ephemeral ones only for the presser)
            message = self._message(RESPONSE_CHANNEL_ID, body.get("data") or {}, webhook_id=APP_ID)
            payload["interaction"]["response_message_id"] = message["id"]
            payload["resource"]["message"] = message
            with self.lock:
                self.responses[request.path_params["token"]] = message
        return JSONResponse(payload)

    async def _followup(self, request: Request) -> Response:
        body, error = await self._record(request, "followup", auth=False)
        if error:
            return error
        return JSONResponse(self._message(RESPONSE_CHANNEL_ID, body, webhook_id=APP_ID))

    async def _edit_followup(self, request: Request) -> Response:
        body, error = await self._record(request, "edit_followup", auth=False)
        if error:
            return error
        with self.lock:
            message = self.responses.get(request.path_params["token"])
            if message is None or request.path_params["message_id"] != "@original":
                return JSONResponse(self._message(RESPONSE_CHANNEL_ID, body, webhook_id=APP_ID))
            for key in ("content", "embeds", "components"):
                if key in body:
                    message[key] = body[key] if body[key] is not None else ([] if key != "content" else "")
            return JSONResponse(json.loads(json.dumps(message)))

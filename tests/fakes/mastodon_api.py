"""A local fake Mastodon instance on 127.0.0.1: REST and the streaming API, in Mastodon's wire formats.

It keeps accounts, statuses and notifications in memory and answers what mentiondesk (through the
real Mastodon.py client) asks of a Mastodon server, shaped as Mastodon 4.3 shapes them:

* ``GET /api/v1/instance``, ``GET /api/v2/instance`` (``configuration.statuses.max_characters``,
  ``characters_reserved_per_url``, ``urls.streaming``)
* ``GET /api/v1/accounts/verify_credentials``, ``GET /api/v1/accounts/{id}``,
  ``GET /api/v1/accounts/{id}/statuses``
* ``GET /api/v1/notifications`` (``types[]``, ``since_id``, ``min_id``, ``max_id``, ``limit``),
  ``GET /api/v1/timelines/tag/{tag}``, ``GET /api/v2/search`` (``type=statuses``): newest first,
  ids exclusive, with ``Link: <…>; rel="next", <…>; rel="prev"`` pagination
* ``GET /api/v1/statuses/{id}``, ``GET /api/v1/statuses/{id}/context``
* ``POST /api/v1/statuses/{id}/favourite`` and ``/reblog`` (doing it twice changes nothing)
* ``POST /api/v1/statuses`` (form or JSON). As Mastodon does, an ``Idempotency-Key`` seen again
  (per account, for an hour) answers the status the first request made instead of posting
  another; text longer than ``max_characters`` (links counting 23) is refused with 422.
* ``GET /api/v1/streaming/user`` and ``/api/v1/streaming/hashtag?tag=…``: server-sent events
  (``event: update|notification|delete`` + ``data: <JSON or id>``, ``:thump`` heartbeats). As on
  Mastodon, nothing is replayed: an event published while no client listens is gone.

Every response carries ``X-RateLimit-Limit``, ``X-RateLimit-Remaining`` and ``X-RateLimit-Reset``
(ISO 8601, as Mastodon sends it); ``rate_limit(remaining, reset_in)`` runs the window down, and
once it is used up REST requests answer 429 until the reset (streaming is not rate limited). ``fail(prefix, status, times)`` injects
errors; ``drop_streams()`` cuts every open stream; ``send_raw(stream, text)`` sends a malformed
frame. Every request is recorded in ``calls``.
"""

from __future__ import annotations

import asyncio
import html
import json
import random
import re
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

BRAND_ID = "109000000000000001"
TOKEN = "fake-mastodon-access-token"
DOMAIN = "social.example"
IDEMPOTENCY_TTL = 3600  # Mastodon keeps an Idempotency-Key (per account) for an hour


@dataclass
class Call:
    method: str
    path: str
    params: dict[str, Any]
    headers: dict[str, str]
    body: Any
    status: int


class FakeMastodon:
    def __init__(self, *, max_characters: int = 500, heartbeat_seconds: float = 0.5, rate_limit_total: int = 300):
        self.lock = threading.Lock()
        self.max_characters = max_characters
        self.heartbeat_seconds = heartbeat_seconds
        self.accounts: dict[str, dict] = {}
        self.statuses: dict[str, dict] = {}
        self.deleted: set[str] = set()
        self.notifications: list[dict] = []
        self.calls: list[Call] = []
        self.failures: list[dict] = []
        self.idempotency: dict[tuple[str, str], tuple[float, str]] = {}  # (account, key) -> (when, status id)
        self.favourites: set[str] = set()  # status ids the brand favourited (twice is once, as on Mastodon)
        self.reblogs: set[str] = set()
        self.rate_limit_total = rate_limit_total
        self.rate_remaining = rate_limit_total
        self.fail_rate: dict[str, float] = {}  # path prefix -> share of requests answered 503
        self._random = random.Random(7)
        self.rate_reset_at = time.time() + 300
        self.rate_limited: list[str] = []  # paths answered 429
        self._id_lock = threading.Lock()
        self._last_id = 0
        self._streams: list[tuple[str, asyncio.Queue, asyncio.AbstractEventLoop]] = []  # (stream key, queue, loop)
        self.url = ""
        self.brand = self.add_account(BRAND_ID, "SkylarkHelp", "Skylark Airways Help", followers=25_000, local=True)
        self.app = Starlette(routes=[
            Route("/api/v1/instance", self._instance_v1),
            Route("/api/v1/instance/", self._instance_v1),
            Route("/api/v2/instance", self._instance_v2),
            Route("/api/v2/instance/", self._instance_v2),
            Route("/api/v1/accounts/verify_credentials", self._verify_credentials),
            Route("/api/v1/accounts/{id}/statuses", self._account_statuses),
            Route("/api/v1/accounts/{id}", self._account),
            Route("/api/v1/notifications", self._notifications),
            Route("/api/v1/timelines/tag/{tag}", self._tag_timeline),
            Route("/api/v2/search", self._search),
            Route("/api/v1/statuses", self._post_status, methods=["POST"]),
            Route("/api/v1/statuses/{id}/context", self._context),
            Route("/api/v1/statuses/{id}/favourite", self._favourite, methods=["POST"]),
            Route("/api/v1/statuses/{id}/reblog", self._reblog, methods=["POST"]),
            Route("/api/v1/statuses/{id}", self._status),
            Route("/api/v1/streaming/user", self._stream_user),
            Route("/api/v1/streaming/hashtag", self._stream_hashtag),
            Route("/api/v1/streaming/health", self._stream_health),
            # Control endpoints for a fake running in another process (bench/relay.py); not Mastodon's API.
            Route("/_fake/accounts", self._ctl_accounts, methods=["POST"]),
            Route("/_fake/statuses", self._ctl_statuses, methods=["POST"]),
            Route("/_fake/fail", self._ctl_fail, methods=["POST"]),
            Route("/_fake/replies", self._ctl_replies),
        ])

    # --- building the world ----------------------------------------------------------------------

    def add_account(self, id: str, username: str, display_name: str | None = None, *, followers: int = 100,
                    local: bool = False) -> dict:
        acct = username if local else f"{username}@{DOMAIN.replace('social', 'mastodon')}"
        account = {"id": id, "username": username, "acct": acct, "display_name": display_name or username,
                   "locked": False, "bot": False, "discoverable": True, "group": False,
                   "created_at": "2022-11-01T00:00:00.000Z", "note": "", "url": f"https://{DOMAIN}/@{username}",
                   "uri": f"https://{DOMAIN}/users/{username}", "avatar": "", "avatar_static": "", "header": "",
                   "header_static": "", "followers_count": followers, "following_count": 10, "statuses_count": 5,
                   "last_status_at": None, "emojis": [], "fields": []}
        self.accounts[id] = account
        return account

    def next_id(self) -> str:
        """A Mastodon snowflake: milliseconds since the epoch in the top bits, a sequence below."""
        with self._id_lock:
            self._last_id = max(self._last_id + 1, int(time.time() * 1000) << 16)
            return str(self._last_id)

    def post(self, account_id: str, text: str, *, in_reply_to: str | None = None, visibility: str = "public",
             tags: list[str] | None = None, publish: bool = True, language: str = "en") -> dict:
        """A status appearing on the instance (a customer's, or the brand's reply). A status that
        names the brand's @handle is also a mention notification; ``publish`` streams both."""
        account = self.accounts[account_id]
        with self.lock:
            status_id = self.next_id()
            mentions = [{"id": a["id"], "username": a["username"], "acct": a["acct"], "url": a["url"]}
                        for a in self.accounts.values() if a["id"] != account_id and
                        re.search(rf"@{re.escape(a['username'])}\b", text, re.IGNORECASE)]
            tags = sorted({t.lower() for t in (tags if tags is not None else re.findall(r"#(\w+)", text))})
            parent = self.statuses.get(in_reply_to) if in_reply_to else None
            status = {"id": status_id, "created_at": _iso(datetime.now(timezone.utc)), "in_reply_to_id": in_reply_to,
                      "in_reply_to_account_id": parent["account"]["id"] if parent else None,
                      "sensitive": False, "spoiler_text": "", "visibility": visibility, "language": language,
                      "uri": f"https://{DOMAIN}/users/{account['username']}/statuses/{status_id}",
                      "url": f"https://{DOMAIN}/@{account['username']}/{status_id}",
                      "replies_count": 0, "reblogs_count": 0, "favourites_count": 0, "edited_at": None,
                      "content": _html(text), "reblog": None, "application": None, "account": account,
                      "media_attachments": [], "mentions": mentions,
                      "tags": [{"name": t, "url": f"https://{DOMAIN}/tags/{t}"} for t in tags],
                      "emojis": [], "card": None, "poll": None}
            self.statuses[status_id] = status
            notification = None
            if any(m["id"] == BRAND_ID for m in mentions) and account_id != BRAND_ID:
                notification = {"id": self.next_id(), "type": "mention", "created_at": status["created_at"],
                                "account": account, "status": status}
                self.notifications.append(notification)
        if publish:
            if notification is not None:
                self.publish("user", "notification", notification)
            if visibility == "public":
                for tag in tags:
                    self.publish(f"hashtag:{tag}", "update", status)
        return status

    def delete(self, status_id: str) -> None:
        """The author deletes a status: gone from the API, a ``delete`` event on the streams that had it."""
        with self.lock:
            status = self.statuses.pop(status_id)
            self.deleted.add(status_id)
            self.notifications = [n for n in self.notifications if (n.get("status") or {}).get("id") != status_id]
        if any(m["id"] == BRAND_ID for m in status["mentions"]):
            self.publish("user", "delete", status_id)
        for tag in status["tags"]:
            self.publish(f"hashtag:{tag['name']}", "delete", status_id)

    def fail(self, path_prefix: str, status: int, *, times: int = 1) -> None:
        with self.lock:
            self.failures.append({"prefix": path_prefix, "status": status, "times": times})

    def rate_limit(self, *, remaining: int, reset_in: float) -> None:
        """Run the window down to ``remaining`` requests, reopening ``reset_in`` seconds from now."""
        with self.lock:
            self.rate_remaining = remaining
            self.rate_reset_at = time.time() + reset_in

    def expire_idempotency_keys(self) -> None:
        """As if the hour Mastodon keeps Idempotency-Keys for had passed."""
        with self.lock:
            self.idempotency.clear()

    def replies_to(self, status_id: str) -> list[dict]:
        return [s for s in self.statuses.values() if s["in_reply_to_id"] == status_id and s["account"]["id"] == BRAND_ID]

    def requests_to(self, path_prefix: str, method: str | None = None) -> list[Call]:
        return [c for c in self.calls if c.path.startswith(path_prefix) and (method is None or c.method == method)]

    # --- streaming -------------------------------------------------------------------------------

    def publish(self, stream: str, event: str, payload: Any) -> None:
        data = payload if isinstance(payload, str) else _json(payload)
        self.send_raw(stream, f"event: {event}\ndata: {data}\n\n")

    def send_raw(self, stream: str, frame: str) -> None:
        """Write ``frame`` as it is to every client of ``stream`` listening now (none: it is lost)."""
        with self.lock:
            targets = [(q, loop) for key, q, loop in self._streams if key == stream]
        for queue, loop in targets:
            loop.call_soon_threadsafe(queue.put_nowait, frame)

    def drop_streams(self) -> None:
        with self.lock:
            targets = [(q, loop) for _, q, loop in self._streams]
        for queue, loop in targets:
            loop.call_soon_threadsafe(queue.put_nowait, None)

    def listening(self, stream: str) -> int:
        with self.lock:
            return sum(1 for key, _, _ in self._streams if key == stream)

    async def _sse(self, request: Request, stream: str) -> Response:
        failed = self._begin(request, None)
        if failed is not None:
            return failed
        queue: asyncio.Queue = asyncio.Queue()
        entry = (stream, queue, asyncio.get_running_loop())
        with self.lock:
            self._streams.append(entry)

        async def frames():
            try:
                yield ":)\n"
                while True:
                    try:
                        frame = await asyncio.wait_for(queue.get(), self.heartbeat_seconds)
                    except asyncio.TimeoutError:
                        yield ":thump\n"
                        continue
                    if frame is None:
                        return
                    yield frame
            finally:
                with self.lock:
                    if entry in self._streams:
                        self._streams.remove(entry)

        return StreamingResponse(frames(), media_type="text/event-stream", headers=self._rate_headers())

    async def _stream_user(self, request: Request) -> Response:
        return await self._sse(request, "user")

    async def _stream_hashtag(self, request: Request) -> Response:
        tag = request.query_params.get("tag", "").lower()
        return await self._sse(request, f"hashtag:{tag}")

    async def _stream_health(self, request: Request) -> Response:
        return PlainTextResponse("OK")

    # --- plumbing --------------------------------------------------------------------------------

    def _rate_headers(self) -> dict[str, str]:
        return {"X-RateLimit-Limit": str(self.rate_limit_total), "X-RateLimit-Remaining": str(max(self.rate_remaining, 0)),
                "X-RateLimit-Reset": datetime.fromtimestamp(self.rate_reset_at, timezone.utc)
                .strftime("%Y-%m-%dT%H:%M:%S.%fZ")}

    def _begin(self, request: Request, body: Any) -> Response | None:
        """Authenticate, count against the rate limit, inject failures; record the call."""
        path = request.url.path
        response: Response | None = None
        if request.headers.get("authorization") != f"Bearer {TOKEN}" and not path.startswith("/api/v1/instance") \
                and not path.startswith("/api/v2/instance"):
            response = _error(401, "The access token is invalid")
        with self.lock:
            now = time.time()
            if now >= self.rate_reset_at:  # a new window
                self.rate_remaining, self.rate_reset_at = self.rate_limit_total, now + 300
            # The streaming server is a process of its own on Mastodon, without the REST rate limit.
            if response is None and not path.startswith("/api/v1/streaming"):
                if self.rate_remaining <= 0:
                    self.rate_limited.append(path)
                    response = _error(429, "Too many requests")
                else:
                    self.rate_remaining -= 1
            if response is None:
                for prefix, rate in self.fail_rate.items():
                    if path.startswith(prefix) and self._random.random() < rate:
                        response = _error(503, "injected random failure")
                        break
            if response is None:
                for failure in self.failures:
                    if path.startswith(failure["prefix"]) and failure["times"] > 0:
                        failure["times"] -= 1
                        response = _error(failure["status"], "injected failure")
                        break
            headers = self._rate_headers()
        if response is not None:
            response.headers.update(headers)
        self.calls.append(Call(request.method, path, _multi(request), dict(request.headers), body,
                               response.status_code if response is not None else 200))
        return response

    def _json(self, request: Request, data: Any, *, status: int = 200, link: str | None = None) -> JSONResponse:
        headers = self._rate_headers()
        if link:
            headers["Link"] = link
        return JSONResponse(data, status_code=status, headers=headers)

    def _page(self, request: Request, items: list[dict]) -> JSONResponse:
        """Mastodon's id pagination: newest first; ``since_id``/``min_id``/``max_id`` exclusive;
        ``min_id`` returns the items right after it (oldest end), ``since_id`` the newest."""
        params = request.query_params
        items = sorted(items, key=lambda i: int(i["id"]), reverse=True)
        if params.get("max_id"):
            items = [i for i in items if int(i["id"]) < int(params["max_id"])]
        if params.get("since_id"):
            items = [i for i in items if int(i["id"]) > int(params["since_id"])]
        limit = max(1, min(int(params.get("limit", 20)), 40))
        if params.get("min_id"):
            items = [i for i in items if int(i["id"]) > int(params["min_id"])][-limit:]
        page = items[:limit]
        link = None
        if page:
            base = f"{self.url}{request.url.path}"
            keep = {k: v for k, v in _multi(request).items() if k not in ("max_id", "min_id", "since_id")}
            nxt = urlencode({**keep, "max_id": page[-1]["id"]}, doseq=True)
            prev = urlencode({**keep, "min_id": page[0]["id"]}, doseq=True)
            link = f'<{base}?{nxt}>; rel="next", <{base}?{prev}>; rel="prev"'
        return self._json(request, page, link=link)

    # --- endpoints -------------------------------------------------------------------------------

    def _instance_doc(self) -> dict:
        ws = self.url.replace("http://", "ws://")
        return {"domain": DOMAIN, "title": "Example Social", "version": "4.3.2", "source_url": "",
                "description": "", "usage": {"users": {"active_month": 1}}, "thumbnail": {"url": ""},
                "languages": ["en"], "api_versions": {"mastodon": 2},
                "configuration": {"urls": {"streaming": ws},
                                  "accounts": {"max_featured_tags": 10},
                                  "statuses": {"max_characters": self.max_characters, "max_media_attachments": 4,
                                               "characters_reserved_per_url": 23},
                                  "media_attachments": {}, "polls": {}, "translation": {"enabled": False}},
                "registrations": {"enabled": False, "approval_required": False, "message": None},
                "contact": {"email": "", "account": None}, "rules": []}

    async def _instance_v2(self, request: Request) -> Response:
        return self._begin(request, None) or self._json(request, self._instance_doc())

    async def _instance_v1(self, request: Request) -> Response:
        doc = self._instance_doc()
        v1 = {"uri": DOMAIN, "title": doc["title"], "version": doc["version"], "description": "",
              "urls": {"streaming_api": doc["configuration"]["urls"]["streaming"]},
              "configuration": {"statuses": doc["configuration"]["statuses"]}, "languages": ["en"]}
        return self._begin(request, None) or self._json(request, v1)

    async def _verify_credentials(self, request: Request) -> Response:
        return self._begin(request, None) or self._json(request, {**self.brand, "source": {"privacy": "public"}})

    async def _account(self, request: Request) -> Response:
        failed = self._begin(request, None)
        if failed:
            return failed
        account = self.accounts.get(request.path_params["id"])
        return self._json(request, account) if account else self._json(request, {"error": "Record not found"}, status=404)

    async def _account_statuses(self, request: Request) -> Response:
        failed = self._begin(request, None)
        if failed:
            return failed
        with self.lock:  # as on Mastodon, direct statuses are not listed on a profile
            found = [s for s in self.statuses.values() if s["account"]["id"] == request.path_params["id"]
                     and s["visibility"] != "direct"]
        return self._page(request, found)

    async def _notifications(self, request: Request) -> Response:
        failed = self._begin(request, None)
        if failed:
            return failed
        types = request.query_params.getlist("types[]")
        with self.lock:
            found = [n for n in self.notifications if not types or n["type"] in types]
        return self._page(request, found)

    async def _tag_timeline(self, request: Request) -> Response:
        failed = self._begin(request, None)
        if failed:
            return failed
        tag = request.path_params["tag"].lower()
        with self.lock:
            found = [s for s in self.statuses.values() if s["visibility"] == "public"
                     and any(t["name"] == tag for t in s["tags"])]
        return self._page(request, found)

    async def _search(self, request: Request) -> Response:
        failed = self._begin(request, None)
        if failed:
            return failed
        q = request.query_params.get("q", "").lower()
        with self.lock:
            found = [s for s in self.statuses.values() if s["visibility"] == "public"
                     and q in _text(s["content"]).lower() and s["account"]["id"] != BRAND_ID]
        if request.query_params.get("type") not in (None, "statuses"):
            found = []
        page = self._page(request, found)
        return self._json(request, {"accounts": [], "statuses": json.loads(page.body), "hashtags": []},
                          link=page.headers.get("link"))

    async def _status(self, request: Request) -> Response:
        failed = self._begin(request, None)
        if failed:
            return failed
        status = self.statuses.get(request.path_params["id"])
        return self._json(request, status) if status else self._json(request, {"error": "Record not found"}, status=404)

    async def _context(self, request: Request) -> Response:
        failed = self._begin(request, None)
        if failed:
            return failed
        root = request.path_params["id"]
        if root not in self.statuses:
            return self._json(request, {"error": "Record not found"}, status=404)
        with self.lock:
            descendants, frontier = [], {root}
            for status in sorted(self.statuses.values(), key=lambda s: int(s["id"])):
                if status["in_reply_to_id"] in frontier:
                    descendants.append(status)
                    frontier.add(status["id"])
        return self._json(request, {"ancestors": [], "descendants": descendants})

    async def _favourite(self, request: Request) -> Response:
        return await self._engage(request, self.favourites, "favourited")

    async def _reblog(self, request: Request) -> Response:
        return await self._engage(request, self.reblogs, "reblogged")

    async def _engage(self, request: Request, done: set[str], flag: str) -> Response:
        failed = self._begin(request, None)
        if failed:
            return failed
        status = self.statuses.get(request.path_params["id"])
        if status is None:
            return self._json(request, {"error": "Record not found"}, status=404)
        with self.lock:
            done.add(status["id"])
        return self._json(request, {**status, flag: True})

    async def _post_status(self, request: Request) -> Response:
        if request.headers.get("content-type", "").startswith("application/json"):
            body = await request.json()
        else:
            body = dict(await request.form())
        failed = self._begin(request, body)
        if failed:
            return failed
        key = request.headers.get("idempotency-key")
        now = time.time()
        with self.lock:
            known = self.idempotency.get((BRAND_ID, key)) if key else None
        if known and now - known[0] < IDEMPOTENCY_TTL and known[1] in self.statuses:
            return self._json(request, self.statuses[known[1]])  # the first request's status, not a new one
        text = str(body.get("status", ""))
        if not text.strip():
            return self._json(request, {"error": "Validation failed: Text can't be blank"}, status=422)
        if mastodon_length(text) > self.max_characters:
            return self._json(request, {"error": f"Validation failed: Text character limit of "
                                                 f"{self.max_characters} exceeded"}, status=422)
        reply_to = body.get("in_reply_to_id")
        if reply_to and reply_to not in self.statuses:
            return self._json(request, {"error": "Record not found"}, status=404)
        visibility = body.get("visibility") or "public"
        if visibility not in ("public", "unlisted", "private", "direct"):
            return self._json(request, {"error": "Validation failed: Visibility is not included in the list"},
                              status=422)
        status = self.post(BRAND_ID, text, in_reply_to=reply_to, visibility=visibility, publish=False)
        if key:
            with self.lock:
                self.idempotency[(BRAND_ID, key)] = (now, status["id"])
        return self._json(request, status)


    # --- control (bench) -------------------------------------------------------------------------

    async def _ctl_accounts(self, request: Request) -> Response:
        for account in await request.json():
            self.add_account(account["id"], account["username"], followers=account.get("followers", 100))
        return JSONResponse({"ok": True})

    async def _ctl_statuses(self, request: Request) -> Response:
        made = [self.post(s["account_id"], s["text"], publish=False) for s in await request.json()]
        return JSONResponse({"ids": [s["id"] for s in made]})

    async def _ctl_fail(self, request: Request) -> Response:
        body = await request.json()
        self.fail_rate[body["prefix"]] = float(body["rate"])
        return JSONResponse({"ok": True})

    async def _ctl_replies(self, request: Request) -> Response:
        """For each status the brand replied to: how many replies it got (exactly-once check)."""
        counts: dict[str, int] = {}
        with self.lock:
            for status in self.statuses.values():
                if status["account"]["id"] == BRAND_ID and status["in_reply_to_id"]:
                    counts[status["in_reply_to_id"]] = counts.get(status["in_reply_to_id"], 0) + 1
        posts = sum(1 for c in self.calls if c.method == "POST" and c.path == "/api/v1/statuses")
        return JSONResponse({"replies": counts, "posts": posts})


def mastodon_length(text: str) -> int:
    """How Mastodon counts a status: every link as 23 characters, ``@user@domain`` as ``@user``."""
    text = re.sub(r"https?://\S+", "x" * 23, text)
    return len(re.sub(r"(@\w+)@[\w.-]+\w", r"\1", text))


def _multi(request: Request) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in request.query_params.multi_items():
        out.setdefault(key, []).append(value)
    return {k: v if len(v) > 1 or k.endswith("[]") else v[0] for k, v in out.items()}


def _html(text: str) -> str:
    """Plain text as Mastodon renders it: paragraphs, <br>, links and mentions as anchors."""
    def inline(line: str) -> str:
        escaped = html.escape(line, quote=False)
        escaped = re.sub(r"(https?://[^\s<]+)", lambda m: f'<a href="{m.group(1)}" rel="nofollow noopener" '
                         f'target="_blank"><span class="invisible">{m.group(1).split("://")[0]}://</span>'
                         f'<span class="">{m.group(1).split("://", 1)[1]}</span></a>', escaped)
        escaped = re.sub(r"(?<![\w/])@(\w+)", r'<span class="h-card"><a href="https://social.example/@\1" '
                         r'class="u-url mention">@<span>\1</span></a></span>', escaped)
        return re.sub(r"(?<![\w&])#(\w+)", r'<a href="https://social.example/tags/\1" class="mention hashtag" '
                      r'rel="tag">#<span>\1</span></a>', escaped)

    paragraphs = [p for p in text.split("\n\n")]
    return "".join(f"<p>{'<br />'.join(inline(line) for line in p.split(chr(10)))}</p>" for p in paragraphs)


def _text(content: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", content))


def _json(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"))


def _iso(at: datetime) -> str:
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def at(minutes_ago: float) -> datetime:
    return datetime.now(timezone.utc) - timedelta(minutes=minutes_ago)

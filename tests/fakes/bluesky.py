"""A local fake of Bluesky, served on 127.0.0.1: a Jetstream websocket and the XRPC endpoints
mentiondesk uses, with the real wire formats (so the real ``atproto`` client and ``websockets``
talk to it unchanged).

**Jetstream** (``ws://…/subscribe?wantedCollections=app.bsky.feed.post&cursor=<time_us>``): JSON
text frames ``{"did", "time_us", "kind": "commit", "commit": {"rev", "operation", "collection",
"rkey", "record", "cid"}}``, replayed from ``cursor`` (inclusive, as Jetstream does) and then live.
``drop()`` closes every open stream (a network cut); ``raw_frame()`` queues a frame that is not
valid JSON. Each connection's cursor is kept in ``connects``.

**XRPC** (``http://…/xrpc/<nsid>``): ``com.atproto.server.createSession`` / ``refreshSession``,
``com.atproto.identity.resolveHandle``, ``com.atproto.repo.createRecord`` (refuses an existing
record key as the PDS does) / ``getRecord`` / ``deleteRecord``, ``app.bsky.notification.
listNotifications``, ``app.bsky.feed.searchPosts``, ``app.bsky.actor.getProfiles``, and the chat
service's ``chat.bsky.convo.getConvoForMembers`` / ``sendMessage`` / ``getMessages``, which answer
only when proxied (``atproto-proxy: did:web:api.bsky.chat#bsky_chat``) and only for an app password
with DM access. ``fail(nsid, status, times, reset=…)`` makes the next calls fail (429 with
``ratelimit-*`` headers, 5xx, …). Every XRPC request is recorded in ``calls``.

**Control** (``/_fake/…``, for a fake in another process: ``serve_in_process``): bulk profiles
and posts, a random 503 rate per method, replies per parent, and a *firehose* that emits posts at
a steady rate (a share of them for the brand) for the stream benchmark.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import itertools
import json
import random
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import regex
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

BRAND_DID = "did:plc:skylarkbrand0000000000000"
BRAND_HANDLE = "skylark.bsky.social"
APP_PASSWORD = "abcd-efgh-ijkl-mnop"
CHAT_PROXY = "did:web:api.bsky.chat#bsky_chat"


@dataclass
class Call:
    method: str
    nsid: str
    params: dict[str, Any]
    body: Any
    status: int
    headers: dict[str, str]


def _jwt(did: str, scope: str) -> str:
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{part({'alg': 'HS256', 'typ': 'at+jwt'})}.{part({'sub': did, 'scope': scope, 'exp': int(time.time()) + 7200, 'iat': int(time.time())})}.c2ln"


def _iso(at: datetime) -> str:
    return at.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _error(status: int, error: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": error, "message": message}, status_code=status, headers=headers)


class FakeBluesky:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.profiles: dict[str, dict] = {}
        self.records: dict[str, dict] = {}  # uri -> {"uri", "cid", "value", "indexedAt"}
        self.frames: list[tuple[int, str]] = []  # (time_us, frame text), in order
        self.calls: list[Call] = []
        self.failures: list[dict] = []
        self.connects: list[str | None] = []  # cursor each Jetstream connection asked for
        self.convos: dict[str, dict] = {}
        self.messages: dict[str, list[dict]] = {}
        self.dm_allowed = True  # the app password may use chat
        self.refuses_dms: set[str] = set()  # dids whose chat settings refuse the brand
        self._clock = itertools.count(int(time.time() * 1_000_000))
        self._rkeys = itertools.count(1)
        self._sockets: set[Any] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._new_frame: asyncio.Event | None = None
        self.add_profile(BRAND_DID, BRAND_HANDLE, "Skylark Airways", followers=120_000)
        routes = [Route(f"/xrpc/{nsid}", self._recorded(handler), methods=["GET", "POST"]) for nsid, handler in {
            "com.atproto.server.createSession": self._create_session,
            "com.atproto.server.refreshSession": self._refresh_session,
            "com.atproto.identity.resolveHandle": self._resolve_handle,
            "com.atproto.repo.createRecord": self._create_record,
            "com.atproto.repo.getRecord": self._get_record,
            "com.atproto.repo.deleteRecord": self._delete_record,
            "app.bsky.notification.listNotifications": self._list_notifications,
            "app.bsky.feed.searchPosts": self._search_posts,
            "app.bsky.actor.getProfiles": self._get_profiles,
            "chat.bsky.convo.getConvoForMembers": self._get_convo,
            "chat.bsky.convo.sendMessage": self._send_message,
            "chat.bsky.convo.getMessages": self._get_messages,
        }.items()]
        # Control endpoints for a fake running in another process (bench/relay.py); not Bluesky's API.
        routes += [Route("/_fake/profiles", self._ctl_profiles, methods=["POST"]),
                   Route("/_fake/posts", self._ctl_posts, methods=["POST"]),
                   Route("/_fake/fail", self._ctl_fail, methods=["POST"]),
                   Route("/_fake/replies", self._ctl_replies),
                   Route("/_fake/firehose", self._ctl_firehose, methods=["GET", "POST"])]
        self.firehose_matching: list[str] = []  # uris of firehose posts that mention the brand
        self.firehose_emitted = 0
        self.firehose_done = threading.Event()
        self.fail_rate: dict[str, float] = {}  # nsid -> share of requests answered 503
        self._random = random.Random(7)
        self.app = Starlette(routes=routes)

    # --- building the world ----------------------------------------------------------------------

    def add_profile(self, did: str, handle: str, name: str | None = None, *, followers: int = 100) -> dict:
        profile = {"did": did, "handle": handle, "displayName": name or handle, "followersCount": followers,
                   "followsCount": 10, "postsCount": 50}
        self.profiles[did] = profile
        return profile

    def now_us(self) -> int:
        return max(next(self._clock), int(time.time() * 1_000_000))

    def post(self, did: str, text: str, *, reply_to: str | None = None, mention: str | None = None,
             tags: list[str] | None = None, link: tuple[str, str] | None = None, rkey: str | None = None,
             created_at: datetime | None = None, emit: bool = True) -> dict:
        """A post appearing on the network (and, with ``emit``, on the Jetstream).

        ``mention`` is a DID the text's ``@handle`` points at (a mention facet); ``link`` is
        (label in the text, full address) for a link facet; ``reply_to`` an AT-URI."""
        facets = []
        if mention is not None:
            handle = self.profiles[mention]["handle"]
            facets.append(self._facet(text, "@" + handle, {"$type": "app.bsky.richtext.facet#mention", "did": mention}))
        for tag in tags or []:
            facets.append(self._facet(text, "#" + tag, {"$type": "app.bsky.richtext.facet#tag", "tag": tag}))
        if link is not None:
            facets.append(self._facet(text, link[0], {"$type": "app.bsky.richtext.facet#link", "uri": link[1]}))
        record: dict[str, Any] = {"$type": "app.bsky.feed.post", "text": text, "langs": ["en"],
                                  "createdAt": _iso(created_at or datetime.now(timezone.utc))}
        if facets:
            record["facets"] = facets
        if reply_to is not None:
            parent = self.records[reply_to]
            root = parent["value"].get("reply", {}).get("root") or {"uri": parent["uri"], "cid": parent["cid"]}
            record["reply"] = {"root": root, "parent": {"uri": parent["uri"], "cid": parent["cid"]}}
        return self._store(did, "app.bsky.feed.post", rkey or self._next_rkey(), record, emit=emit)

    def delete(self, uri: str) -> None:
        did, collection, rkey = uri[len("at://"):].split("/")
        with self.lock:
            self.records.pop(uri, None)
        self._emit({"did": did, "kind": "commit",
                    "commit": {"rev": self._next_rkey(), "operation": "delete", "collection": collection,
                               "rkey": rkey}})

    def raw_frame(self, text: str) -> None:
        """A frame as broken as the network may deliver (not JSON, or not a Jetstream event)."""
        self._push(self.now_us(), text)

    def fail(self, nsid: str, status: int, *, times: int = 1, reset: int | None = None,
             error: str = "InternalServerError", message: str = "injected failure") -> None:
        with self.lock:
            self.failures.append({"nsid": nsid, "status": status, "times": times, "reset": reset,
                                  "error": error, "message": message})

    def drop(self) -> None:
        """Cut every open Jetstream connection (as a network outage would)."""
        loop = self._loop
        if loop is None:
            return
        for socket in list(self._sockets):
            asyncio.run_coroutine_threadsafe(socket.close(code=1011, reason="dropped"), loop)

    def replies_to(self, uri: str, author: str = BRAND_DID) -> list[dict]:
        return [r for r in self.records.values()
                if r["uri"].startswith(f"at://{author}/app.bsky.feed.post/")
                and r["value"].get("reply", {}).get("parent", {}).get("uri") == uri]

    def requests_to(self, nsid: str) -> list[Call]:
        return [c for c in self.calls if c.nsid == nsid]

    # --- internals -------------------------------------------------------------------------------

    @staticmethod
    def _facet(text: str, needle: str, feature: dict) -> dict:
        start = text.encode().index(needle.encode())
        return {"index": {"byteStart": start, "byteEnd": start + len(needle.encode())}, "features": [feature]}

    def _next_rkey(self) -> str:
        from bot.feeds.blueskyapi import tid

        return tid(int(time.time() * 1_000_000) + next(self._rkeys), 7)

    def _store(self, did: str, collection: str, rkey: str, record: dict, *, emit: bool) -> dict:
        uri = f"at://{did}/{collection}/{rkey}"
        cid = "bafyrei" + hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()[:52]
        entry = {"uri": uri, "cid": cid, "value": record, "indexedAt": _iso(datetime.now(timezone.utc))}
        with self.lock:
            self.records[uri] = entry
        if emit:
            self._emit({"did": did, "kind": "commit",
                        "commit": {"rev": self._next_rkey(), "operation": "create", "collection": collection,
                                   "rkey": rkey, "record": record, "cid": cid}})
        return entry

    def _emit(self, event: dict) -> None:
        time_us = self.now_us()
        self._push(time_us, json.dumps({**event, "time_us": time_us}))

    def _push(self, time_us: int, text: str) -> None:
        with self.lock:
            self.frames.append((time_us, text))
        if self._loop is not None and self._new_frame is not None:
            self._loop.call_soon_threadsafe(self._new_frame.set)

    def _begin(self, request: Request, nsid: str, body: Any, *, auth: bool = True) -> JSONResponse | None:
        headers = {k.lower(): v for k, v in request.headers.items()}
        response = None
        if auth and not headers.get("authorization", "").startswith("Bearer "):
            response = _error(401, "AuthenticationRequired", "Authentication Required")
        if response is None:
            response = self._injected(nsid)
        call = Call(request.method, nsid, dict(request.query_params.multi_items()), body,
                    response.status_code if response is not None else 200, headers)
        self.calls.append(call)
        request.state.call = call
        return response

    @staticmethod
    def _recorded(handler: Any) -> Any:
        async def endpoint(request: Request) -> JSONResponse:
            response = await handler(request)
            call = getattr(request.state, "call", None)
            if call is not None:
                call.status = response.status_code  # what the endpoint answered in the end
            return response
        return endpoint

    def _injected(self, nsid: str) -> JSONResponse | None:
        if nsid in self.fail_rate and self._random.random() < self.fail_rate[nsid]:
            return _error(503, "InternalServerError", "injected random failure")
        with self.lock:
            for failure in self.failures:
                if failure["nsid"] == nsid and failure["times"] > 0:
                    failure["times"] -= 1
                    break
            else:
                return None
        headers = {}
        if failure["reset"] is not None:
            headers = {"ratelimit-limit": "3000", "ratelimit-remaining": "0", "ratelimit-reset": str(failure["reset"]),
                       "ratelimit-policy": "3000;w=300"}
        return _error(failure["status"], failure["error"], failure["message"], headers)

    @staticmethod
    async def _body(request: Request) -> Any:
        raw = await request.body()
        return json.loads(raw) if raw else None

    def _view(self, entry: dict) -> dict:
        did = entry["uri"][len("at://"):].split("/")[0]
        profile = self.profiles.get(did, {"did": did, "handle": "handle.invalid"})
        return {"uri": entry["uri"], "cid": entry["cid"], "record": entry["value"], "indexedAt": entry["indexedAt"],
                "author": {k: profile[k] for k in ("did", "handle", "displayName") if k in profile},
                "replyCount": 0, "repostCount": 0, "likeCount": 0, "labels": []}

    # --- XRPC ------------------------------------------------------------------------------------

    async def _create_session(self, request: Request) -> JSONResponse:
        body = await self._body(request)
        if failed := self._begin(request, "com.atproto.server.createSession", {"identifier": (body or {}).get("identifier")},
                                 auth=False):
            return failed
        if (body or {}).get("identifier") not in (BRAND_HANDLE, BRAND_DID) or body.get("password") != APP_PASSWORD:
            return _error(401, "AuthenticationRequired", "Invalid identifier or password")
        scope = "com.atproto.appPassPrivileged" if self.dm_allowed else "com.atproto.appPass"
        return JSONResponse({"accessJwt": _jwt(BRAND_DID, scope), "refreshJwt": _jwt(BRAND_DID, "com.atproto.refresh"),
                             "handle": BRAND_HANDLE, "did": BRAND_DID, "active": True})

    async def _refresh_session(self, request: Request) -> JSONResponse:
        if failed := self._begin(request, "com.atproto.server.refreshSession", None):
            return failed
        return JSONResponse({"accessJwt": _jwt(BRAND_DID, "com.atproto.appPass"),
                             "refreshJwt": _jwt(BRAND_DID, "com.atproto.refresh"), "handle": BRAND_HANDLE,
                             "did": BRAND_DID, "active": True})

    async def _resolve_handle(self, request: Request) -> JSONResponse:
        if failed := self._begin(request, "com.atproto.identity.resolveHandle", None, auth=False):
            return failed
        handle = request.query_params.get("handle", "").lower()
        did = next((d for d, p in self.profiles.items() if p["handle"] == handle), None)
        return JSONResponse({"did": did}) if did else _error(400, "InvalidRequest", "Unable to resolve handle")

    async def _create_record(self, request: Request) -> JSONResponse:
        body = await self._body(request)
        if failed := self._begin(request, "com.atproto.repo.createRecord", body):
            return failed
        if body.get("repo") not in (BRAND_DID, BRAND_HANDLE):
            return _error(401, "InvalidToken", "repo does not match the authenticated account")
        rkey = body.get("rkey") or self._next_rkey()
        uri = f"at://{BRAND_DID}/{body['collection']}/{rkey}"
        if uri in self.records:
            return _error(400, "InvalidRequest", f"Record already exists: {uri}")
        record = body["record"]
        text = record.get("text")
        if body["collection"] == "app.bsky.feed.post" and text is not None and len(regex.findall(r"\X", text)) > 300:
            return _error(400, "InvalidRequest", "Invalid app.bsky.feed.post record: Record/text must not be longer "
                                                 "than 300 graphemes")
        entry = self._store(BRAND_DID, body["collection"], rkey, record, emit=True)
        return JSONResponse({"uri": entry["uri"], "cid": entry["cid"],
                             "commit": {"cid": entry["cid"], "rev": self._next_rkey()}, "validationStatus": "valid"})

    async def _get_record(self, request: Request) -> JSONResponse:
        if failed := self._begin(request, "com.atproto.repo.getRecord", None, auth=False):
            return failed
        q = request.query_params
        did = q["repo"] if q["repo"].startswith("did:") else next(
            (d for d, p in self.profiles.items() if p["handle"] == q["repo"]), q["repo"])
        entry = self.records.get(f"at://{did}/{q['collection']}/{q['rkey']}")
        if entry is None:
            return _error(400, "RecordNotFound", f"Could not locate record: at://{did}/{q['collection']}/{q['rkey']}")
        return JSONResponse({"uri": entry["uri"], "cid": entry["cid"], "value": entry["value"]})

    async def _delete_record(self, request: Request) -> JSONResponse:
        body = await self._body(request)
        if failed := self._begin(request, "com.atproto.repo.deleteRecord", body):
            return failed
        self.delete(f"at://{BRAND_DID}/{body['collection']}/{body['rkey']}")
        return JSONResponse({})

    async def _list_notifications(self, request: Request) -> JSONResponse:
        if failed := self._begin(request, "app.bsky.notification.listNotifications", None):
            return failed
        out = []
        for entry in sorted(self.records.values(), key=lambda e: e["indexedAt"], reverse=True):
            value = entry["value"]
            if entry["uri"].startswith(f"at://{BRAND_DID}/") or value.get("$type") != "app.bsky.feed.post":
                continue
            parent = value.get("reply", {}).get("parent", {}).get("uri", "")
            mentions = any(f.get("did") == BRAND_DID for facet in value.get("facets", []) for f in facet["features"])
            reason = "reply" if parent.startswith(f"at://{BRAND_DID}/") else "mention" if mentions else None
            if reason:
                view = self._view(entry)
                out.append({"uri": entry["uri"], "cid": entry["cid"], "author": view["author"], "reason": reason,
                            "record": value, "isRead": False, "indexedAt": entry["indexedAt"], "labels": []})
        return self._paged(request, out, "notifications")

    async def _search_posts(self, request: Request) -> JSONResponse:
        if failed := self._begin(request, "app.bsky.feed.searchPosts", None):
            return failed
        q = request.query_params.get("q", "").lower().strip()
        since = request.query_params.get("since")
        terms = q.strip('"')
        posts = [self._view(e) for e in sorted(self.records.values(), key=lambda e: e["indexedAt"], reverse=True)
                 if e["value"].get("$type") == "app.bsky.feed.post" and terms in e["value"].get("text", "").lower()
                 and (since is None or e["value"].get("createdAt", "") >= since)]
        return self._paged(request, posts, "posts")

    def _paged(self, request: Request, items: list[dict], key: str) -> JSONResponse:
        start = int(request.query_params.get("cursor") or 0)
        limit = int(request.query_params.get("limit") or 50)
        page = items[start:start + limit]
        body: dict[str, Any] = {key: page}
        if start + limit < len(items):
            body["cursor"] = str(start + limit)
        return JSONResponse(body)

    async def _get_profiles(self, request: Request) -> JSONResponse:
        if failed := self._begin(request, "app.bsky.actor.getProfiles", None):
            return failed
        actors = request.query_params.getlist("actors")
        if len(actors) > 25:
            return _error(400, "InvalidRequest", "actors must not have more than 25 elements")
        return JSONResponse({"profiles": [self.profiles[a] for a in actors if a in self.profiles]})

    def _chat_refusal(self, request: Request) -> JSONResponse | None:
        if request.headers.get("atproto-proxy") != CHAT_PROXY:
            return _error(501, "MethodNotImplemented", "Method Not Implemented (chat must be proxied)")
        if not self.dm_allowed:
            return _error(400, "InvalidToken", "Bad token scope")
        return None

    async def _get_convo(self, request: Request) -> JSONResponse:
        if failed := self._begin(request, "chat.bsky.convo.getConvoForMembers", None):
            return failed
        if refused := self._chat_refusal(request):
            return refused
        members = sorted(set(request.query_params.getlist("members")) | {BRAND_DID})
        if any(m in self.refuses_dms for m in members):
            return _error(400, "InvalidRequest", "recipient has disabled incoming messages")
        convo_id = "convo-" + hashlib.sha1("|".join(members).encode()).hexdigest()[:12]
        convo = self.convos.setdefault(convo_id, {
            "id": convo_id, "rev": "1", "muted": False, "unreadCount": 0,
            "members": [{"did": m, "handle": self.profiles.get(m, {}).get("handle", "handle.invalid")} for m in members]})
        return JSONResponse({"convo": convo})

    async def _send_message(self, request: Request) -> JSONResponse:
        body = await self._body(request)
        if failed := self._begin(request, "chat.bsky.convo.sendMessage", body):
            return failed
        if refused := self._chat_refusal(request):
            return refused
        if body["convoId"] not in self.convos:
            return _error(400, "InvalidRequest", "Convo not found")
        message = {"id": f"msg-{next(self._rkeys)}", "rev": self._next_rkey(), "text": body["message"]["text"],
                   "sender": {"did": BRAND_DID}, "sentAt": _iso(datetime.now(timezone.utc))}
        self.messages.setdefault(body["convoId"], []).append(message)
        return JSONResponse(message)

    async def _get_messages(self, request: Request) -> JSONResponse:
        if failed := self._begin(request, "chat.bsky.convo.getMessages", None):
            return failed
        if refused := self._chat_refusal(request):
            return refused
        messages = list(reversed(self.messages.get(request.query_params["convoId"], [])))  # newest first
        return JSONResponse({"messages": messages})

    # --- control (bench) -------------------------------------------------------------------------

    async def _ctl_profiles(self, request: Request) -> JSONResponse:
        for p in await request.json():
            self.add_profile(p["did"], p["handle"], p.get("name"), followers=p.get("followers", 100))
        return JSONResponse({"profiles": len(self.profiles)})

    async def _ctl_posts(self, request: Request) -> JSONResponse:
        made = [self.post(p["did"], p["text"], mention=BRAND_DID if p.get("mention") else None)["uri"]
                for p in await request.json()]
        return JSONResponse({"uris": made})

    async def _ctl_fail(self, request: Request) -> JSONResponse:
        body = await request.json()
        self.fail_rate[body["nsid"]] = float(body["rate"])
        return JSONResponse({"ok": True})

    async def _ctl_replies(self, request: Request) -> JSONResponse:
        per_parent: dict[str, int] = {}
        for r in list(self.records.values()):
            parent = r["value"].get("reply", {}).get("parent", {}).get("uri")
            if parent and r["uri"].startswith(f"at://{BRAND_DID}/"):
                per_parent[parent] = per_parent.get(parent, 0) + 1
        created = sum(1 for c in self.calls if c.nsid == "com.atproto.repo.createRecord" and c.status == 200)
        return JSONResponse({"replies": per_parent, "posts": created})

    async def _ctl_firehose(self, request: Request) -> JSONResponse:
        """POST {rate, seconds, matching_share}: emit posts at ``rate`` a second in the background
        (a share of them mentioning the brand); GET: progress and the uris that should become cases."""
        if request.method == "POST":
            body = await request.json()
            self.firehose_done.clear()
            threading.Thread(target=self._firehose, args=(float(body["rate"]), float(body["seconds"]),
                                                          float(body.get("matching_share", 0.1))), daemon=True).start()
            return JSONResponse({"started": True})
        return JSONResponse({"emitted": self.firehose_emitted, "done": self.firehose_done.is_set(),
                             "matching": self.firehose_matching if self.firehose_done.is_set() else [],
                             "last_time_us": self.frames[-1][0] if self.frames else None})

    def _firehose(self, rate: float, seconds: float, share: float) -> None:
        started = time.monotonic()
        total = int(rate * seconds)
        every = max(1, round(1 / share)) if share > 0 else 0
        for i in range(total):
            due = started + i / rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            did = f"did:plc:firehose{i % 5000:012d}"
            if did not in self.profiles:
                self.add_profile(did, f"poster{i % 5000}.bsky.social", followers=50 + i % 900)
            if every and i % every == 0:
                uri = self.post(did, f"@{BRAND_HANDLE} my bag never arrived after flight SK{100 + i % 800}, "
                                     f"please help (ref {i})", mention=BRAND_DID)["uri"]
                self.firehose_matching.append(uri)
            else:
                self.post(did, f"Post number {i}: lunch, cats, and the weather today")
            self.firehose_emitted = i + 1
        self.firehose_done.set()

    # --- Jetstream -------------------------------------------------------------------------------

    async def _jetstream(self, socket: Any) -> None:
        from urllib.parse import parse_qs, urlsplit

        query = parse_qs(urlsplit(socket.request.path).query)
        cursor = query.get("cursor", [None])[0]
        wanted = set(query.get("wantedCollections", []))
        position = 0
        with self.lock:
            if cursor is not None:
                position = next((i for i, (t, _) in enumerate(self.frames) if t >= int(cursor)), len(self.frames))
            else:
                position = len(self.frames)  # no cursor: live from now, as Jetstream does
            # Recorded once the stream's start is fixed: a test that waits for the connection
            # then posts knows the post is on this stream.
            self.connects.append(cursor)
        from websockets.protocol import State

        self._sockets.add(socket)
        try:
            while socket.state is State.OPEN:
                with self.lock:
                    pending = self.frames[position:]
                for _, text in pending:
                    position += 1
                    if wanted and _collection(text) not in (None, *wanted):
                        continue
                    await socket.send(text)
                assert self._new_frame is not None
                self._new_frame.clear()
                with self.lock:
                    more = len(self.frames) > position
                if not more:
                    try:
                        await asyncio.wait_for(self._new_frame.wait(), 0.2)
                    except TimeoutError:
                        pass
        except Exception:  # the connection closed (dropped or the client left)
            pass
        finally:
            self._sockets.discard(socket)


def _collection(text: str) -> str | None:
    try:
        return json.loads(text).get("commit", {}).get("collection")
    except (ValueError, AttributeError):
        return None  # a broken frame goes out as it is


class JetstreamServer:
    """The fake's Jetstream on its own loop and thread: ``with JetstreamServer(fake) as js: js.url``."""

    def __init__(self, fake: FakeBluesky):
        self.fake = fake
        self.port: int | None = None
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, daemon=True, name="fake-jetstream")

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/subscribe"

    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        from websockets.asyncio.server import serve

        self.fake._loop = asyncio.get_running_loop()
        self.fake._new_frame = asyncio.Event()
        self._stop = asyncio.Event()
        async with serve(self.fake._jetstream, "127.0.0.1", 0) as server:
            self.port = server.sockets[0].getsockname()[1]
            self._ready.set()
            await self._stop.wait()

    def __enter__(self) -> JetstreamServer:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("fake Jetstream did not start")
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.fake._loop is not None and self._stop is not None:
            self.fake._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=10)
        self.fake._loop = None


def serve_in_process(port_queue: Any) -> None:
    """Run the fake (XRPC on one port, Jetstream on another) as a process of its own (benchmarks)."""
    import uvicorn

    from tests.conftest import free_port

    fake = FakeBluesky()
    jetstream = JetstreamServer(fake).__enter__()
    port = free_port()
    port_queue.put((port, jetstream.port))
    uvicorn.run(fake.app, host="127.0.0.1", port=port, log_level="error", access_log=False)

"""A local fake of the X API v2, served on 127.0.0.1 (see ``tests.conftest.ServerThread``).

It keeps users, tweets and direct messages in memory and answers the endpoints mentiondesk uses
with X-shaped JSON (``data`` / ``includes`` / ``meta``, snowflake-like string ids, newest first,
``since_id`` exclusive, ``max_results`` and pagination tokens):

* ``GET /2/users/by/username/{u}``, ``GET /2/users/me``
* ``GET /2/users/{id}/mentions``, ``GET /2/tweets/search/recent`` (terms, ``OR``, ``-from:``,
  ``-is:retweet``, ``conversation_id:``), ``GET /2/users/{id}/tweets``
* ``POST /2/tweets`` (with ``reply.in_reply_to_tweet_id``; refuses a duplicate text with 403 as X does)
* ``POST /2/dm_conversations/with/{id}/messages``, ``GET /2/dm_conversations/with/{id}/dm_events``
  (``max_results``, ``pagination_token``)
* ``POST /2/users/{id}/likes``, ``POST /2/users/{id}/retweets``

Reads need ``Authorization: Bearer <token>``; writes need an OAuth 1.0a header (the signature
is not checked). ``fail(path_prefix, status, times, reset=…)`` makes the next calls answer 429
(with ``x-rate-limit-reset``), 5xx or any error. Every request is recorded in ``calls``.
"""

from __future__ import annotations

import itertools
import random
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

BRAND_ID = "1000"


@dataclass
class Call:
    method: str
    path: str
    params: dict[str, str]
    body: Any
    status: int


@dataclass
class FakeX:
    bearer: str = "fake-bearer-token"
    me: str = BRAND_ID  # the account the user tokens act as

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.users: dict[str, dict] = {}
        self.tweets: dict[str, dict] = {}
        self.dms: list[dict] = []
        self.likes: list[tuple[str, str]] = []
        self.reposts: list[tuple[str, str]] = []
        self.calls: list[Call] = []
        self.failures: list[dict] = []
        self._ids = itertools.count(1_790_000_000_000_000_000)
        self.add_user(BRAND_ID, "SkylarkHelp", "Skylark Airways Help", followers=250_000, verified=True)
        self.app = Starlette(routes=[
            Route("/2/users/by/username/{username}", self._user_by_name),
            Route("/2/users/me", self._me),
            Route("/2/users/{id}/mentions", self._mentions),
            Route("/2/users/{id}/tweets", self._user_tweets),
            Route("/2/tweets/search/recent", self._search),
            Route("/2/tweets", self._create_tweet, methods=["POST"]),
            Route("/2/dm_conversations/with/{id}/messages", self._send_dm, methods=["POST"]),
            Route("/2/dm_conversations/with/{id}/dm_events", self._dm_events),
            Route("/2/users/{id}/likes", self._like, methods=["POST"]),
            Route("/2/users/{id}/retweets", self._repost, methods=["POST"]),
            # Control endpoints for a fake running in another process (bench/relay.py); not X's API.
            Route("/_fake/users", self._ctl_users, methods=["POST"]),
            Route("/_fake/tweets", self._ctl_tweets, methods=["POST"]),
            Route("/_fake/fail", self._ctl_fail, methods=["POST"]),
            Route("/_fake/replies", self._ctl_replies),
        ])
        self.fail_rate: dict[str, float] = {}  # path prefix -> share of requests answered 503
        self._random = random.Random(7)

    # --- building the world ----------------------------------------------------------------------

    def add_user(self, id: str, username: str, name: str | None = None, *, followers: int = 100,
                 verified: bool = False) -> dict:
        user = {"id": id, "username": username, "name": name or username, "verified": verified,
                "public_metrics": {"followers_count": followers, "following_count": 10, "tweet_count": 50}}
        self.users[id] = user
        return user

    def next_id(self) -> str:
        return str(next(self._ids))

    def post(self, author_id: str, text: str, *, in_reply_to: str | None = None, created_at: datetime | None = None,
             lang: str = "en", id: str | None = None, links: dict[str, str] | None = None) -> dict:
        """A post appearing on X (a customer's mention, or the brand's reply).

        ``links`` maps an address in ``text`` to the t.co link X shows in its place; as on X,
        the text holds the t.co link and ``entities.urls`` the real address."""
        entities = []
        for expanded, short in (links or {}).items():
            text = text.replace(expanded, short)
            start = text.find(short)
            entities.append({"start": start, "end": start + len(short), "url": short, "expanded_url": expanded,
                             "display_url": expanded.split("://", 1)[-1][:25]})
        with self.lock:
            tweet_id = id or self.next_id()
            conversation = self.tweets[in_reply_to]["conversation_id"] if in_reply_to in self.tweets else tweet_id
            tweet = {"id": tweet_id, "text": text, "author_id": author_id, "conversation_id": conversation,
                     "lang": lang, "created_at": _iso(created_at or datetime.now(timezone.utc)),
                     "edit_history_tweet_ids": [tweet_id]}
            if entities:
                tweet["entities"] = {"urls": entities}
            if in_reply_to:
                tweet["referenced_tweets"] = [{"type": "replied_to", "id": in_reply_to}]
                tweet["in_reply_to_user_id"] = self.tweets[in_reply_to]["author_id"] if in_reply_to in self.tweets else None
            self.tweets[tweet_id] = tweet
            return tweet

    def direct_message(self, participant: str, text: str, *, sender: str | None = None) -> dict:
        """A direct message in the brand's conversation with ``participant`` (sent by the brand
        unless ``sender`` says otherwise), as if sent through the API or X's own app."""
        with self.lock:
            event = {"id": self.next_id(), "event_type": "MessageCreate", "text": text, "sender_id": sender or self.me,
                     "participant_id": participant, "dm_conversation_id": f"{self.me}-{participant}",
                     "created_at": _iso(datetime.now(timezone.utc))}
            self.dms.append(event)
        return event

    def fail(self, path_prefix: str, status: int, *, times: int = 1, reset: int | None = None,
             detail: str = "injected failure", hang: float = 0.0) -> None:
        """The next ``times`` requests whose path starts with ``path_prefix`` answer ``status``."""
        with self.lock:
            self.failures.append({"prefix": path_prefix, "status": status, "times": times, "reset": reset,
                                  "detail": detail, "hang": hang})

    def replies_to(self, tweet_id: str) -> list[dict]:
        return [t for t in self.tweets.values()
                if any(r["id"] == tweet_id and r["type"] == "replied_to" for r in t.get("referenced_tweets", []))]

    def requests_to(self, path_prefix: str, method: str | None = None) -> list[Call]:
        return [c for c in self.calls if c.path.startswith(path_prefix) and (method is None or c.method == method)]

    # --- plumbing --------------------------------------------------------------------------------

    async def _begin(self, request: Request, *, write: bool = False) -> tuple[Any, JSONResponse | None]:
        body = None
        if request.method == "POST":
            raw = await request.body()
            body = (await request.json()) if raw else None
        path = request.url.path
        auth = request.headers.get("authorization", "")
        response = None
        if write and not auth.startswith("OAuth "):
            response = _error(403, "Unsupported Authentication",
                              "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.")
        elif not write and auth != f"Bearer {self.bearer}" and not auth.startswith("OAuth "):
            response = _error(401, "Unauthorized", "Unauthorized")
        injected = self._injected(path)
        if response is None and injected is not None:
            response = injected
        self.calls.append(Call(request.method, path, dict(request.query_params), body,
                               response.status_code if response is not None else 200))
        return body, response

    def _injected(self, path: str) -> JSONResponse | None:
        for prefix, rate in self.fail_rate.items():
            if path.startswith(prefix) and self._random.random() < rate:
                return _error(503, "Service Unavailable", "injected random failure")
        with self.lock:
            for failure in self.failures:
                if path.startswith(failure["prefix"]) and failure["times"] > 0:
                    failure["times"] -= 1
                    break
            else:
                return None
        if failure["hang"]:
            time.sleep(failure["hang"])
        headers = {}
        if failure["reset"] is not None:
            headers = {"x-rate-limit-limit": "450", "x-rate-limit-remaining": "0",
                       "x-rate-limit-reset": str(failure["reset"])}
        title = {429: "Too Many Requests", 403: "Forbidden"}.get(failure["status"], "Service Unavailable")
        return _error(failure["status"], title, failure["detail"], headers=headers)

    def _page(self, tweets: list[dict], params: dict[str, str], token_param: str) -> JSONResponse:
        tweets = sorted(tweets, key=lambda t: int(t["id"]), reverse=True)
        if "since_id" in params:
            tweets = [t for t in tweets if int(t["id"]) > int(params["since_id"])]
        if "start_time" in params:
            start = datetime.fromisoformat(params["start_time"].replace("Z", "+00:00"))
            tweets = [t for t in tweets if datetime.fromisoformat(t["created_at"].replace("Z", "+00:00")) >= start]
        newest_id = tweets[0]["id"] if tweets else None
        token = params.get(token_param)
        if token:
            tweets = [t for t in tweets if int(t["id"]) < int(token)]
        size = int(params.get("max_results", 10))
        if not 5 <= size <= 100:
            return _error(400, "Invalid Request", f"max_results: {size} is not between 5 and 100")
        page, rest = tweets[:size], tweets[size:]
        meta: dict[str, Any] = {"result_count": len(page)}
        if page:
            # As X does, every page reports the newest id of the whole result set.
            meta.update(newest_id=newest_id, oldest_id=page[-1]["id"])
        if rest:
            meta["next_token"] = page[-1]["id"]
        body: dict[str, Any] = {"meta": meta}
        if page:
            # Like X, optional fields (here: entities) only when tweet.fields asks for them.
            wanted = set(params.get("tweet.fields", "").split(","))
            body["data"] = [t if "entities" in wanted else {k: v for k, v in t.items() if k != "entities"}
                            for t in page]
            authors = {t["author_id"] for t in page if "author_id" in params.get("expansions", "")}
            if authors:
                body["includes"] = {"users": [self.users[a] for a in authors if a in self.users]}
        return JSONResponse(body)

    # --- endpoints -------------------------------------------------------------------------------

    async def _user_by_name(self, request: Request) -> JSONResponse:
        _, failed = await self._begin(request)
        if failed:
            return failed
        name = request.path_params["username"].lower()
        for user in self.users.values():
            if user["username"].lower() == name:
                return JSONResponse({"data": user})
        return JSONResponse({"errors": [{"title": "Not Found Error", "detail": f"Could not find user {name}"}]})

    async def _me(self, request: Request) -> JSONResponse:
        _, failed = await self._begin(request, write=True)
        return failed or JSONResponse({"data": self.users[self.me]})

    async def _mentions(self, request: Request) -> JSONResponse:
        _, failed = await self._begin(request)
        if failed:
            return failed
        user_id = request.path_params["id"]
        username = self.users[user_id]["username"].lower()
        # As on X, a reply to the user's post mentions them even when the text does not name them.
        with self.lock:
            found = [t for t in self.tweets.values() if t["author_id"] != user_id and (
                f"@{username}" in t["text"].lower() or t.get("in_reply_to_user_id") == user_id)]
        return self._page(found, dict(request.query_params), "pagination_token")

    async def _user_tweets(self, request: Request) -> JSONResponse:
        _, failed = await self._begin(request)
        if failed:
            return failed
        with self.lock:
            found = [t for t in self.tweets.values() if t["author_id"] == request.path_params["id"]]
        return self._page(found, dict(request.query_params), "pagination_token")

    async def _search(self, request: Request) -> JSONResponse:
        _, failed = await self._begin(request)
        if failed:
            return failed
        query = request.query_params.get("query", "")
        with self.lock:
            found = [t for t in self.tweets.values() if _matches(query, t, self.users)]
        return self._page(found, dict(request.query_params), "next_token")

    async def _create_tweet(self, request: Request) -> JSONResponse:
        body, failed = await self._begin(request, write=True)
        if failed:
            return failed
        text = body.get("text", "")
        reply_to = (body.get("reply") or {}).get("in_reply_to_tweet_id")
        if reply_to is not None and reply_to not in self.tweets:
            return _error(400, "Invalid Request",
                          "Your Tweet could not be sent: the Tweet you are replying to has been deleted or is not visible.")
        with self.lock:
            duplicate = any(t["author_id"] == self.me and t["text"] == text for t in self.tweets.values())
        if duplicate:
            return _error(403, "Forbidden", "You are not allowed to create a Tweet with duplicate content.")
        tweet = self.post(self.me, text, in_reply_to=reply_to)
        return JSONResponse({"data": {"id": tweet["id"], "text": text, "edit_history_tweet_ids": [tweet["id"]]}},
                            status_code=201)

    async def _send_dm(self, request: Request) -> JSONResponse:
        body, failed = await self._begin(request, write=True)
        if failed:
            return failed
        participant = request.path_params["id"]
        if participant not in self.users:
            return _error(403, "Forbidden", "You cannot send messages to this user.")
        with self.lock:
            event = {"id": self.next_id(), "event_type": "MessageCreate", "text": body["text"], "sender_id": self.me,
                     "participant_id": participant, "dm_conversation_id": f"{self.me}-{participant}",
                     "created_at": _iso(datetime.now(timezone.utc))}
            self.dms.append(event)
        return JSONResponse({"data": {"dm_conversation_id": event["dm_conversation_id"], "dm_event_id": event["id"]}},
                            status_code=201)

    async def _dm_events(self, request: Request) -> JSONResponse:
        _, failed = await self._begin(request, write=True)
        if failed:
            return failed
        participant = request.path_params["id"]
        params = dict(request.query_params)
        with self.lock:
            events = [e for e in reversed(self.dms) if e["participant_id"] == participant]
        # As on X: newest first, max_results 1-100 (default 100), pages chained by next_token.
        size = int(params.get("max_results", 100))
        if not 1 <= size <= 100:
            return _error(400, "Invalid Request", f"max_results: {size} is not between 1 and 100")
        if params.get("pagination_token"):
            events = [e for e in events if int(e["id"]) < int(params["pagination_token"])]
        page, rest = events[:size], events[size:]
        data = [{k: e[k] for k in ("id", "event_type", "text", "sender_id", "dm_conversation_id", "created_at")}
                for e in page]
        meta: dict[str, Any] = {"result_count": len(data)}
        if rest:
            meta["next_token"] = page[-1]["id"]
        return JSONResponse({"data": data, "meta": meta} if data else {"meta": meta})

    async def _like(self, request: Request) -> JSONResponse:
        body, failed = await self._begin(request, write=True)
        if failed:
            return failed
        with self.lock:
            pair = (request.path_params["id"], body["tweet_id"])
            if pair not in self.likes:  # liking twice is a no-op on X
                self.likes.append(pair)
        return JSONResponse({"data": {"liked": True}})

    async def _repost(self, request: Request) -> JSONResponse:
        body, failed = await self._begin(request, write=True)
        if failed:
            return failed
        with self.lock:
            pair = (request.path_params["id"], body["tweet_id"])
            if pair not in self.reposts:
                self.reposts.append(pair)
        return JSONResponse({"data": {"retweeted": True}})


    # --- control (bench) -------------------------------------------------------------------------

    async def _ctl_users(self, request: Request) -> JSONResponse:
        for user in await request.json():
            self.add_user(user["id"], user["username"], followers=user.get("followers", 100))
        return JSONResponse({"ok": True})

    async def _ctl_tweets(self, request: Request) -> JSONResponse:
        made = [self.post(t["author_id"], t["text"], in_reply_to=t.get("in_reply_to"), id=t.get("id"))
                for t in await request.json()]
        return JSONResponse({"ids": [t["id"] for t in made]})

    async def _ctl_fail(self, request: Request) -> JSONResponse:
        body = await request.json()
        self.fail_rate[body["prefix"]] = float(body["rate"])
        return JSONResponse({"ok": True})

    async def _ctl_replies(self, request: Request) -> JSONResponse:
        """For each post the brand replied to: how many replies it got (exactly-once check)."""
        counts: dict[str, int] = {}
        with self.lock:
            for tweet in self.tweets.values():
                if tweet["author_id"] != self.me:
                    continue
                for ref in tweet.get("referenced_tweets", []):
                    if ref["type"] == "replied_to":
                        counts[ref["id"]] = counts.get(ref["id"], 0) + 1
        return JSONResponse({"replies": counts, "posts": sum(1 for c in self.calls if c.method == "POST"
                                                               and c.path == "/2/tweets")})


def _iso(at: datetime) -> str:
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _error(status: int, title: str, detail: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"title": title, "detail": detail, "type": "about:blank", "status": status},
                        status_code=status, headers=headers)


def _matches(query: str, tweet: dict, users: dict[str, dict]) -> bool:
    """Enough of X's search syntax for the queries mentiondesk builds."""
    author = users.get(tweet["author_id"], {}).get("username", "").lower()
    text = tweet["text"].lower()
    group = re.search(r"\((.*)\)", query)
    rest = query.replace(group.group(0), "") if group else query
    for token in rest.split():
        if token == "-is:retweet" and text.startswith("rt @"):
            return False
        if token.startswith("-from:") and author == token[6:].lower():
            return False
        if token.startswith("from:") and author != token[5:].lower():
            return False
        if token.startswith("conversation_id:") and tweet["conversation_id"] != token[16:]:
            return False
    if group:
        terms = [t.strip().strip('"').lower() for t in group.group(1).split(" OR ")]
        return any(term in text for term in terms)
    return True


def at(minutes_ago: float) -> datetime:
    return datetime.now(timezone.utc) - timedelta(minutes=minutes_ago)

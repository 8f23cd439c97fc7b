"""X (API v2) through tweepy: the client both the feed and the relay use, and tweet → Mention.

Two things tweepy does not do for us:

* **A configurable host.** tweepy builds every URL on ``https://api.twitter.com``. A requests
  transport adapter mounted on that prefix sends the same request to ``X_API_URL`` instead, so
  tests and the demo point the real tweepy code at a local fake X API.
* **Quiet logs.** At DEBUG level tweepy logs request headers, bearer token included. Its logger
  is held at INFO so no log level of ours can print a secret.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

import requests
import tweepy
from requests.adapters import HTTPAdapter

from bot.core.mention import Mention
from bot.core.settings import Settings

TWEEPY_HOST = "https://api.twitter.com"
DEFAULT_X_API_URL = "https://api.x.com"

# What triage needs of each post and its author (one request, no follow-up lookups).
TWEET_FIELDS = ["created_at", "conversation_id", "in_reply_to_user_id", "lang", "referenced_tweets", "author_id",
                "entities"]
USER_FIELDS = ["username", "name", "public_metrics", "verified", "verified_type"]
EXPANSIONS = ["author_id", "referenced_tweets.id", "in_reply_to_user_id"]

# Held at INFO whatever the root level: at DEBUG, tweepy logs the Authorization header and the
# OAuth libraries log tokens and signatures.
for _name in ("tweepy", "oauthlib", "requests_oauthlib"):
    logging.getLogger(_name).setLevel(logging.INFO)


class XConfigError(ValueError):
    """X is not configured well enough for what was asked (names the missing setting)."""


class _RehostAdapter(HTTPAdapter):
    """Sends requests tweepy addressed to api.twitter.com to another base URL."""

    def __init__(self, base_url: str, **kwargs: Any):
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        if request.url and request.url.startswith(TWEEPY_HOST):
            request.url = self.base_url + request.url[len(TWEEPY_HOST):]
        return super().send(request, **kwargs)


def make_client(settings: Settings, *, user_auth: bool = False, timeout: float = 15.0) -> tweepy.Client:
    """A tweepy Client on ``settings.x_api_url``.

    Reading (mentions, search) needs the app's bearer token; writing (replies, DMs, likes,
    reposts) acts as the brand's account and needs its OAuth 1.0a user tokens.
    """
    bearer = settings.x_bearer_token.get_secret_value() if settings.x_bearer_token else None
    user_tokens = [settings.x_consumer_key, settings.x_consumer_secret, settings.x_access_token,
                   settings.x_access_token_secret]
    if user_auth and not all(user_tokens):
        missing = [name for name, value in zip(("X_CONSUMER_KEY", "X_CONSUMER_SECRET", "X_ACCESS_TOKEN",
                                                 "X_ACCESS_TOKEN_SECRET"), user_tokens) if not value]
        raise XConfigError(f"sending to X acts as the brand's account and needs {', '.join(missing)}")
    if not user_auth and bearer is None:
        raise XConfigError("reading from X needs X_BEARER_TOKEN")
    secrets = [t.get_secret_value() if t else None for t in user_tokens]
    client = tweepy.Client(bearer_token=bearer, consumer_key=secrets[0], consumer_secret=secrets[1],
                           access_token=secrets[2], access_token_secret=secrets[3], wait_on_rate_limit=False)
    base = settings.x_api_url.rstrip("/")
    if base != TWEEPY_HOST:
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise XConfigError(f"X_API_URL {settings.x_api_url!r} is not an http(s) URL")
        client.session.mount(TWEEPY_HOST, _RehostAdapter(base))
    # requests has no default timeout: a hanging X must not hang a poll or a send forever.
    original = client.session.request

    def request_with_timeout(method: str, url: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", timeout)
        return original(method, url, **kwargs)

    client.session.request = request_with_timeout  # type: ignore[method-assign]
    return client


def reset_time(exc: tweepy.TooManyRequests) -> datetime | None:
    """When X says the rate-limit window reopens (``x-rate-limit-reset``, epoch seconds)."""
    value = getattr(exc, "reset_time", None)
    if value is None and exc.response is not None:
        value = exc.response.headers.get("x-rate-limit-reset")
    try:
        return datetime.fromtimestamp(int(value), tz=timezone.utc) if value is not None else None
    except (TypeError, ValueError, OverflowError):
        return None


def error_text(exc: Exception) -> str:
    """A short, secret-free description of an X error for the agent and the status table."""
    if isinstance(exc, tweepy.HTTPException):
        details = "; ".join(str(m) for m in (exc.api_messages or [])) or (exc.response.reason if exc.response else "")
        return f"X answered {exc.response.status_code if exc.response is not None else '?'}: {details}"[:300]
    return f"{type(exc).__name__}: {exc}"[:300]


def users_by_id(response: tweepy.Response) -> dict[str, dict]:
    users = (response.includes or {}).get("users", []) if response is not None else []
    return {str(u["id"]): dict(u.data) for u in users}


def tweet_to_mention(tweet: dict, users: dict[str, dict], *, direct: bool = False) -> Mention:
    """One API v2 tweet object (with its expanded author) as a Mention."""
    author = users.get(str(tweet.get("author_id")), {})
    handle = author.get("username") or str(tweet.get("author_id") or "unknown")
    replied_to = next((str(r["id"]) for r in tweet.get("referenced_tweets") or [] if r.get("type") == "replied_to"),
                      None)
    created = tweet.get("created_at")
    created_at = parse_time(created) if isinstance(created, str) \
        else created or datetime.now(timezone.utc)
    metrics = author.get("public_metrics") or {}
    verified = bool(author.get("verified")) or author.get("verified_type") in ("blue", "business", "government")
    raw = {"platform": "x", "tweet": tweet, "author": author}
    return Mention(
        platform="x", external_id=str(tweet["id"]), text=expand_links(tweet), created_at=created_at,
        author_handle=handle, author_id=str(tweet["author_id"]) if tweet.get("author_id") else None,
        author_name=author.get("name"), author_followers=int(metrics.get("followers_count", 0) or 0),
        author_verified=verified, url=f"https://x.com/{handle}/status/{tweet['id']}",
        conversation_id=str(tweet.get("conversation_id") or tweet["id"]),
        in_reply_to_id=replied_to, lang=tweet.get("lang"), direct=direct, raw=raw,
    )


def expand_links(tweet: dict) -> str:
    """The tweet's text with its t.co links replaced by the addresses they stand for.

    X wraps every link in t.co; the real address (in ``entities.urls``) is what an agent needs
    to judge a post and what the spam filter learns from (link shorteners, known spam domains).
    """
    text = tweet.get("text", "") or ""
    for link in (tweet.get("entities") or {}).get("urls") or []:
        short, expanded = link.get("url"), link.get("expanded_url")
        if short and expanded and isinstance(expanded, str) and expanded.startswith(("http://", "https://")):
            text = text.replace(short, expanded)
    return text


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def tweet_url(username: str | None, tweet_id: str) -> str:
    return f"https://x.com/{username or 'i/web'}/status/{tweet_id}"

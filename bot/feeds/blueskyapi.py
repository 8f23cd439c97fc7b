"""Bluesky (AT Protocol) through the ``atproto`` SDK: the client both the feed and the relay use,
post records → Mention, AT-URIs and deterministic record keys.

* **One account.** The brand account logs in with an *app password* from the environment
  (``MENTIONDESK_BLUESKY_HANDLE`` / ``MENTIONDESK_BLUESKY_APP_PASSWORD``); the SDK refreshes the
  session itself. ``bluesky.service_url`` points it at the PDS (tests: a local fake).
* **Deterministic record keys.** :func:`tid_for` turns an outbox entry into a TID (the record key
  type ``app.bsky.feed.post`` uses): the same entry always gets the same key, so a resend after a
  crash is refused by the PDS instead of posting twice, and ``getRecord`` finds what was sent.
* **Quiet logs.** httpx logs URLs only (tokens travel in headers); the SDK never logs passwords.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from atproto import Client
from atproto_client.request import Request

from bot.core.config import BlueskySource
from bot.core.mention import Mention
from bot.core.settings import Settings

log = logging.getLogger(__name__)

PLATFORM = "bluesky"
POST = "app.bsky.feed.post"
LIKE = "app.bsky.feed.like"
REPOST = "app.bsky.feed.repost"
MAX_GRAPHEMES = 300  # app.bsky.feed.post#text maxGraphemes
# Held at WARNING: at INFO httpx logs every request line (no secrets, but one line per call).
logging.getLogger("httpx").setLevel(logging.WARNING)

_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"  # base32-sortable, as the TID spec defines it


class BlueskyConfigError(ValueError):
    """Bluesky is not configured well enough for what was asked (names the missing setting)."""


def configured(settings: Settings) -> bool:
    return bool(settings.bluesky_handle and settings.bluesky_app_password is not None)


class BrandAccount:
    """The brand account's ``atproto`` Client on ``bluesky.service_url``, logged in on first use.

    Lazily, so that a PDS that is down at start-up does not stop the process: the listener and
    the relay each retry with their own back-off, and every other source keeps running."""

    def __init__(self, settings: Settings, source: BlueskySource, *, timeout: float = 15.0):
        if not configured(settings):
            missing = [n for n, v in (("MENTIONDESK_BLUESKY_HANDLE", settings.bluesky_handle),
                                      ("MENTIONDESK_BLUESKY_APP_PASSWORD", settings.bluesky_app_password)) if not v]
            raise BlueskyConfigError(f"Bluesky needs the brand account: set {', '.join(missing)}")
        self.handle = settings.bluesky_handle.lstrip("@")  # type: ignore[union-attr]
        self._password = settings.bluesky_app_password
        # A hanging PDS must not hang a send or a backfill forever.
        self._client = Client(base_url=source.service_url, request=Request(timeout=timeout))
        self._lock = threading.Lock()
        self._logged_in = False

    def client(self) -> Client:
        with self._lock:
            if not self._logged_in:
                self._client.login(self.handle, self._password.get_secret_value(), fetch_bsky_profile=False)
                self._logged_in = True
        return self._client

    @property
    def did(self) -> str:
        return self.client()._session.did  # type: ignore[union-attr]


# --- identifiers ---------------------------------------------------------------------------------

def post_uri(did: str, rkey: str, collection: str = POST) -> str:
    return f"at://{did}/{collection}/{rkey}"


def split_uri(uri: str) -> tuple[str, str, str]:
    """``at://did/collection/rkey`` → (did, collection, rkey); ValueError for anything else."""
    if not uri.startswith("at://"):
        raise ValueError(f"not an AT-URI: {uri!r}")
    parts = uri[len("at://"):].split("/")
    if len(parts) != 3 or not all(parts):
        raise ValueError(f"not an AT-URI of a record: {uri!r}")
    return parts[0], parts[1], parts[2]


def post_url(uri: str, handle: str | None = None) -> str:
    did, _, rkey = split_uri(uri)
    return f"https://bsky.app/profile/{handle or did}/post/{rkey}"


def tid(micros: int, clock_id: int) -> str:
    """A TID: 53 bits of microseconds since the epoch and 10 bits of clock id, base32-sortable."""
    value = ((micros & ((1 << 53) - 1)) << 10) | (clock_id & 0x3FF)
    return "".join(_TID_ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(13)))


def tid_for(outbox_id: int, created_at: datetime) -> str:
    """The record key of an outbox entry's post: from when the entry was made and its id, so it is
    the same on every attempt and on every replica, and sorts where the post belongs in time."""
    if created_at.tzinfo is None:  # SQLite hands back naive UTC
        created_at = created_at.replace(tzinfo=timezone.utc)
    micros = int(created_at.timestamp()) * 1_000_000 + created_at.microsecond
    return tid(micros, outbox_id % 1024)


# --- records → Mention ---------------------------------------------------------------------------

def parse_time(value: Any, default: datetime | None = None) -> datetime:
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
        except ValueError:
            pass
    return default or datetime.now(timezone.utc)


def expand_links(record: Mapping[str, Any]) -> str:
    """The post's text with each link facet's shortened label replaced by the full address.

    Bluesky shows long links shortened (``example.com/ab...``); the address is in the facet. Facet
    indices count UTF-8 bytes, so the replacement works on bytes, from the end backwards."""
    text = str(record.get("text") or "")
    data = text.encode("utf-8")
    links = []
    for facet in record.get("facets") or []:
        index = facet.get("index") or {}
        start, end = index.get("byteStart"), index.get("byteEnd")
        for feature in facet.get("features") or []:
            uri = feature.get("uri") if isinstance(feature, Mapping) else None
            if (feature.get("$type") == "app.bsky.richtext.facet#link" and isinstance(uri, str)
                    and uri.startswith(("http://", "https://")) and isinstance(start, int) and isinstance(end, int)
                    and 0 <= start < end <= len(data)):
                links.append((start, end, uri))
    for start, end, uri in sorted(links, reverse=True):
        data = data[:start] + uri.encode("utf-8") + data[end:]
    return data.decode("utf-8", errors="replace")


def mentioned_dids(record: Mapping[str, Any]) -> set[str]:
    return {f.get("did") for facet in record.get("facets") or [] for f in facet.get("features") or []
            if isinstance(f, Mapping) and f.get("$type") == "app.bsky.richtext.facet#mention" and f.get("did")}


def tags(record: Mapping[str, Any]) -> set[str]:
    """Hashtags of the post, lower case without ``#``: tag facets and the record's ``tags``."""
    found = {str(f.get("tag", "")).lower() for facet in record.get("facets") or []
             for f in facet.get("features") or []
             if isinstance(f, Mapping) and f.get("$type") == "app.bsky.richtext.facet#tag"}
    found |= {str(t).lower().lstrip("#") for t in record.get("tags") or []}
    # Not every client writes tag facets: a #word in the text counts too.
    found |= {t.lower() for t in re.findall(r"(?<![\w&])#(\w{1,64})", str(record.get("text") or ""))}
    return {t for t in found if t}


def quoted_uri(record: Mapping[str, Any]) -> str | None:
    """The post a quote post quotes (``app.bsky.embed.record``, or with media), if any."""
    embed = record.get("embed") or {}
    inner = embed.get("record") or {}
    if embed.get("$type") == "app.bsky.embed.recordWithMedia":
        inner = inner.get("record") or {}
    uri = inner.get("uri") if isinstance(inner, Mapping) else None
    return uri if isinstance(uri, str) else None


def reply_refs(record: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(root uri, parent uri) of a reply; (None, None) for a top-level post."""
    reply = record.get("reply") or {}
    root = (reply.get("root") or {}).get("uri")
    parent = (reply.get("parent") or {}).get("uri")
    return (root if isinstance(root, str) else None), (parent if isinstance(parent, str) else None)


def record_to_mention(did: str, rkey: str, cid: str | None, record: Mapping[str, Any],
                      profile: Mapping[str, Any] | None, *, direct: bool, seen_at: datetime | None = None) -> Mention:
    """One ``app.bsky.feed.post`` record (from Jetstream or a post view) as a Mention."""
    profile = profile or {}
    uri = post_uri(did, rkey)
    root, parent = reply_refs(record)
    handle = profile.get("handle") or did
    langs = record.get("langs") or []
    return Mention(
        platform=PLATFORM, external_id=uri, text=expand_links(record),
        created_at=parse_time(record.get("createdAt"), seen_at).astimezone(timezone.utc),
        author_handle=str(handle), author_id=did, author_name=profile.get("displayName") or None,
        author_followers=int(profile.get("followersCount") or 0), author_verified=bool(
            (profile.get("verification") or {}).get("verifiedStatus") == "valid"),
        url=post_url(uri, handle if handle != did else None), conversation_id=root or uri, in_reply_to_id=parent,
        lang=str(langs[0])[:16] if langs else None, direct=direct,
        raw={"platform": PLATFORM, "did": did, "rkey": rkey, "cid": cid, "record": dict(record)},
    )


def error_text(exc: Exception) -> str:
    """A short, secret-free description of an XRPC error for the agent and the status table."""
    response = getattr(exc, "response", None)
    if response is not None:
        content = response.content
        error = getattr(content, "error", None) or (content.get("error") if isinstance(content, dict) else None)
        message = getattr(content, "message", None) or (content.get("message") if isinstance(content, dict) else None)
        details = ": ".join(str(p) for p in (error, message) if p)
        return f"Bluesky answered {response.status_code}{' ' + details if details else ''}"[:300]
    return f"{type(exc).__name__}: {exc}"[:300]


def error_name(exc: Exception) -> str:
    """The XRPC error name (``RecordNotFound``, ``InvalidRequest`` …) or ''."""
    response = getattr(exc, "response", None)
    content = getattr(response, "content", None)
    return str(getattr(content, "error", None) or (content.get("error") if isinstance(content, dict) else "") or "")

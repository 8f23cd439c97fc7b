"""The Bluesky source: Jetstream for live posts, notifications and search to fill gaps.

**Stream.** One websocket to Jetstream (``/subscribe?wantedCollections=app.bsky.feed.post``).
Frames are taken in small batches; each batch is handled in **one transaction**: the posts the
brand cares about are ingested, deletes of stored posts redact them, unreadable frames are
quarantined, and the cursor (the last frame's ``time_us``) moves. A crash before the commit
replays the batch (dedupe by ``(platform, id)`` drops what was stored), a crash after it never
re-reads it. A reconnect resumes from the cursor minus ``resume_overlap_seconds``, so a frame in
flight when the connection broke is read again rather than lost.

**Which posts.** A post is kept when it mentions a brand account (a mention facet with its DID),
replies in a thread of a brand account or of a stored case, quotes a brand post, or carries one of the brand's
hashtags or keywords; the brand's own posts are not.

**Backfill.** On start-up and after an outage longer than a minute, the brand account's
notifications (mentions, replies, quotes) and a search for its hashtags and keywords are read
back to the cursor's time (first start: ``backfill_hours``); repeats are dropped by dedupe.

**Health.** The stream and the backfill each keep a :class:`~storage.models.FeedCursor` row
(status, error, failures). A broken stream reconnects with exponential back-off; a 429 parks the
backfill until ``ratelimit-reset``. Nothing here stops another source.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlencode

from atproto import Client
from atproto_client import exceptions as xrpc
from atproto_client.models.utils import get_model_as_dict
from sqlalchemy import select, update

from bot.core.config import Brand, Config
from bot.core.faults import fault_point
from bot.feeds import blueskyapi
from bot.feeds.blueskyapi import PLATFORM, POST, BrandAccount
from bot.core.mention import Mention
from bot.core.observability import PLATFORM_ERRORS
from storage import queries
from storage.models import FeedCursor, QuarantinedInput
from storage.models import Mention as MentionRow

log = logging.getLogger(__name__)

STREAM_KEY = "jetstream"
BACKFILL_KEY = "backfill"
REDACTED_TEXT = "[deleted by its author on Bluesky]"
GAP = timedelta(minutes=1)  # an outage longer than this is backfilled from notifications and search
MAX_BACKOFF = timedelta(minutes=5)
PROFILE_TTL = timedelta(hours=1)
MAX_QUARANTINED_PAYLOAD = 65_536
BACKFILL_PAGES = 5
BACKFILL_CHECK_SECONDS = 5.0  # how often the stream looks whether a failed backfill is due again


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def time_us_to_datetime(time_us: int) -> datetime:
    return datetime.fromtimestamp(time_us / 1_000_000, tz=timezone.utc)


# --- which posts ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Watch:
    """What the brands listen for on Bluesky: their accounts' DIDs, hashtags and keywords."""

    accounts: dict[str, Brand]  # did -> brand
    hashtags: frozenset[str]  # lower case, no '#'
    keywords: tuple[str, ...]  # lower case

    @classmethod
    def build(cls, config: Config, dids: Mapping[str, str]) -> Watch:
        """``dids`` maps each brand name to its account's DID (resolved at start-up)."""
        accounts = {dids[b.name]: b for b in config.brands if b.name in dids}
        tags = frozenset(t.lower().lstrip("#") for b in config.brands for t in b.hashtags)
        words = tuple(sorted({k.lower() for b in config.brands for k in b.keywords}))
        return cls(accounts, tags, words)

    def search_terms(self) -> list[str]:
        return [*(f"#{t}" for t in sorted(self.hashtags)), *self.keywords]

    def match(self, did: str, record: Mapping[str, Any], known_threads: set[str] = frozenset()) -> tuple[bool, bool]:
        """(keep it, addressed to the brand) for one post by ``did``."""
        if did in self.accounts:
            return False, False  # the brand's own post (a reply we sent)
        root, parent = blueskyapi.reply_refs(record)
        mentions = bool(blueskyapi.mentioned_dids(record) & self.accounts.keys())
        # A reply anywhere in a brand's thread, or a quote of a brand's post, is addressed to it.
        in_brand_thread = any(u and _did_of(u) in self.accounts for u in (root, parent, blueskyapi.quoted_uri(record)))
        direct = mentions or in_brand_thread
        if direct or (root and root in known_threads):
            return True, direct
        if self.hashtags & blueskyapi.tags(record):
            return True, False
        text = str(record.get("text") or "").lower()
        return any(k in text for k in self.keywords), False


def _did_of(uri: str) -> str | None:
    try:
        return blueskyapi.split_uri(uri)[0]
    except ValueError:
        return None


# --- frames --------------------------------------------------------------------------------------

class FrameError(ValueError):
    """A frame that is not a Jetstream event we can read (the reason names what is wrong)."""


@dataclass(frozen=True)
class Frame:
    time_us: int
    did: str
    operation: str  # create, update, delete
    collection: str
    rkey: str
    cid: str | None = None
    record: dict[str, Any] | None = None


def parse_frame(text: str | bytes) -> Frame:
    """One Jetstream frame. Events we do not need (identity, account, other collections) come back
    with operation ``skip``: they carry nothing to store, but their ``time_us`` moves the cursor."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise FrameError(f"not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise FrameError(f"a Jetstream event is a JSON object, got {type(data).__name__}")
    time_us = data.get("time_us")
    if not isinstance(time_us, int) or isinstance(time_us, bool) or time_us <= 0:
        raise FrameError("time_us is missing or not a positive integer")
    if data.get("kind") != "commit":
        return Frame(time_us, str(data.get("did") or ""), "skip", "", "")
    commit, did = data.get("commit"), data.get("did")
    if not isinstance(commit, dict) or not isinstance(did, str) or not did.startswith("did:"):
        raise FrameError("a commit event needs a did and a commit object")
    operation, collection, rkey = commit.get("operation"), commit.get("collection"), commit.get("rkey")
    if operation not in ("create", "update", "delete") or not isinstance(rkey, str) or not rkey:
        raise FrameError(f"commit.operation {operation!r} / commit.rkey {rkey!r} is not a record change")
    if collection != POST:
        return Frame(time_us, did, "skip", str(collection or ""), rkey)
    record = commit.get("record")
    if operation != "delete" and (not isinstance(record, dict) or not isinstance(record.get("text", ""), str)):
        raise FrameError("a post create/update needs commit.record with a text")
    return Frame(time_us, did, operation, collection, rkey, commit.get("cid"), record)


@dataclass
class BatchResult:
    frames: int = 0
    new_cases: int = 0
    duplicates: int = 0
    ingested: int = 0
    redacted: int = 0
    quarantined: int = 0
    cursor: int | None = None
    redacted_cases: list[int] = field(default_factory=list)


class _ProfileCache:
    """Authors by DID from ``app.bsky.actor.getProfiles`` (25 a call), kept for an hour."""

    def __init__(self, account: BrandAccount, clock: Callable[[], datetime], max_entries: int = 50_000):
        self.account = account
        self.clock = clock
        self.max_entries = max_entries
        self._entries: dict[str, tuple[datetime, dict]] = {}
        self.paused_until: datetime | None = None  # a 429's ratelimit-reset: no lookups before it

    def get_many(self, dids: Iterable[str]) -> dict[str, dict]:
        now = self.clock()
        wanted = list(dict.fromkeys(dids))
        missing = [d for d in wanted if d not in self._entries or self._entries[d][0] < now]
        if self.paused_until is not None and now < self.paused_until:
            missing = []  # rate limited: what is cached, the rest by DID until the window reopens
        for start in range(0, len(missing), 25):
            chunk = missing[start:start + 25]
            try:
                response = self.account.client().app.bsky.actor.get_profiles(params={"actors": chunk})
            except xrpc.RateLimitExceededError as exc:
                self.paused_until = exc.reset_at or now + timedelta(minutes=1)
                log.warning("Bluesky getProfiles rate limited until %s; authors shown by DID meanwhile",
                            self.paused_until.isoformat(timespec="seconds"))
                PLATFORM_ERRORS.labels(PLATFORM, "rate_limited").inc()
                break
            except xrpc.AtProtocolError as exc:
                # Triage still works with the DID as the handle; the next post of the author retries.
                log.warning("Bluesky getProfiles failed (%s); %d authors shown by DID", blueskyapi.error_text(exc),
                            len(chunk))
                PLATFORM_ERRORS.labels(PLATFORM, "profiles").inc()
                continue
            for profile in response.profiles:
                self._entries[profile.did] = (now + PROFILE_TTL, get_model_as_dict(profile))
        if len(self._entries) > self.max_entries:
            for did in list(self._entries)[: len(self._entries) - self.max_entries]:
                del self._entries[did]
        return {d: self._entries[d][1] for d in wanted if d in self._entries}


class BlueskyListener:
    """Listens on Jetstream in a background thread; ``handle_frames`` and ``backfill`` are the
    synchronous steps (the tests and the bench drive them directly too)."""

    def __init__(self, runtime: Any, account: BrandAccount, *, jetstream_url: str | None = None,
                 clock: Callable[[], datetime] = utcnow, batch_size: int = 200, batch_seconds: float = 0.2,
                 on_redacted: Callable[[list[int]], object] | None = None):
        self.runtime = runtime
        self.account = account
        self.settings = runtime.config.bluesky
        self.jetstream_url = jetstream_url or self.settings.jetstream_url
        self.clock = clock
        self.batch_size = batch_size
        self.batch_seconds = batch_seconds
        self.profiles = _ProfileCache(account, clock)
        # Told the cases whose post was redacted (committed), so the cards re-render without it.
        self.on_redacted = on_redacted if on_redacted is not None else getattr(runtime, "posts_redacted", None)
        self._watch: Watch | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._socket: Any = None
        self.connected = threading.Event()

    @property
    def client(self) -> Client:
        return self.account.client()

    @property
    def watch(self) -> Watch:
        """What to keep, built on first use (it logs in and resolves the brands' handles)."""
        if self._watch is None:
            self._watch = Watch.build(self.runtime.config, self._brand_dids())
        return self._watch

    def _brand_dids(self) -> dict[str, str]:
        """Each brand's Bluesky account as a DID; the logged-in account stands for a brand without one."""
        out: dict[str, str] = {}
        me = self.account.did
        for brand in self.runtime.config.brands:
            account = brand.bluesky_account
            if account is None:
                continue
            if account.startswith("did:"):
                out[brand.name] = account
                continue
            try:
                out[brand.name] = self.client.resolve_handle(account.lstrip("@")).did
            except xrpc.AtProtocolError as exc:
                log.error("Bluesky handle %s of brand %r does not resolve (%s); its mentions are only found by "
                          "keywords", account, brand.name, blueskyapi.error_text(exc))
        if not out and me and self.runtime.config.brands:
            out[self.runtime.config.brands[0].name] = me
        return out

    # --- one batch of frames ---------------------------------------------------------------------

    def handle_frames(self, frames: list[str | bytes]) -> BatchResult:
        result = BatchResult(frames=len(frames))
        parsed: list[Frame] = []
        bad: list[tuple[str, str]] = []
        for text in frames:
            try:
                frame = parse_frame(text)
            except FrameError as exc:
                bad.append((str(exc), text.decode("utf-8", "replace") if isinstance(text, bytes) else text))
                continue
            parsed.append(frame)
        # A bad frame has no trustworthy time_us: the cursor moves with the good ones around it.
        cursor = max((f.time_us for f in parsed), default=None)
        creates = [f for f in parsed if f.operation == "create" and f.record is not None]
        deletes = [f for f in parsed if f.operation == "delete"]
        with self.runtime.sessions() as session:
            known = _known_threads(session, creates)
        kept: list[tuple[Frame, bool]] = []
        for f in creates:  # in order: a follow-up may belong to a thread opened earlier in this batch
            keep, direct = self.watch.match(f.did, f.record, known)
            if keep:
                kept.append((f, direct))
                known.add(blueskyapi.reply_refs(f.record)[0] or blueskyapi.post_uri(f.did, f.rkey))
        profiles = self.profiles.get_many(f.did for f, _ in kept) if kept else {}
        mentions = [blueskyapi.record_to_mention(f.did, f.rkey, f.cid, f.record, profiles.get(f.did), direct=direct,
                                                 seen_at=time_us_to_datetime(f.time_us)) for f, direct in kept]
        now = self.clock()
        with self.runtime.sessions() as session, session.begin():
            outcomes = self.runtime.ingest.ingest_many(session, mentions) if mentions else []
            for reason, payload in bad:
                payload = payload[:MAX_QUARANTINED_PAYLOAD]
                # A resume re-reads the overlap: a frame already in quarantine is not kept twice.
                if session.scalar(select(QuarantinedInput.id).where(QuarantinedInput.source == PLATFORM,
                                                                    QuarantinedInput.payload == payload).limit(1)) is None:
                    session.add(QuarantinedInput(source=PLATFORM, reason=reason[:300], payload=payload, received_at=now))
            result.redacted_cases = redact_posts(session, [blueskyapi.post_uri(f.did, f.rkey) for f in deletes], now)
            row = queries.feed_cursor(session, PLATFORM, STREAM_KEY)
            if cursor is not None and (row.since_id is None or cursor > int(row.since_id)):
                row.since_id = str(cursor)
            row.status = "connected" if self.connected.is_set() else row.status if row.status != "new" else "ok"
            month = f"{now.year:04d}-{now.month:02d}"
            if row.month != month:
                row.month, row.reads_this_month = month, 0
            row.reads_this_month += len(frames)
            row.last_polled_at = row.last_success_at = now
            row.updated_at = now
        if mentions:
            fault_point("ingested")  # committed (cursor too), cards not posted yet
        for reason, _ in bad:
            log.warning("Bluesky frame quarantined: %s", reason)
        self.runtime.notify_new_cases(outcomes)
        self._announce_redactions(result.redacted_cases)
        result.cursor = cursor
        result.ingested = sum(1 for o in outcomes if not o.duplicate)
        result.duplicates = sum(1 for o in outcomes if o.duplicate)
        result.new_cases = sum(1 for o in outcomes if o.new_case)
        result.quarantined = len(bad)
        result.redacted = len(result.redacted_cases)
        return result

    def _announce_redactions(self, case_ids: list[int]) -> None:
        if case_ids and self.on_redacted is not None:
            try:
                self.on_redacted(list(dict.fromkeys(case_ids)))
            except Exception:  # the redaction is committed; a card that is not refreshed is logged
                log.exception("announcing redacted posts failed")

    # --- backfill ------------------------------------------------------------------------------

    def backfill(self, *, since: datetime | None = None, force: bool = False) -> str:
        """Read notifications and search back to ``since`` (default: the stream cursor's time minus
        the overlap, or ``backfill_hours`` on a first start). Returns the backfill's status."""
        now = self.clock()
        with self.runtime.sessions() as session, session.begin():
            row = queries.feed_cursor(session, PLATFORM, BACKFILL_KEY)
            if not force and row.next_poll_at is not None and row.next_poll_at > now:
                return "not_due"
            stream = queries.feed_cursor(session, PLATFORM, STREAM_KEY)
            if since is None:
                since = (time_us_to_datetime(int(stream.since_id)) - timedelta(seconds=self.settings.resume_overlap_seconds)
                         if stream.since_id else now - timedelta(hours=self.settings.backfill_hours))
        try:
            mentions = self._notifications(since) + self._search(since)
        except xrpc.RateLimitExceededError as exc:
            reopen = exc.reset_at or now + MAX_BACKOFF
            return self._backfill_failed(now, "rate_limited", f"rate limited until {reopen:%H:%M:%S} UTC", reopen)
        except xrpc.UnauthorizedError as exc:
            log.error("Bluesky refused the backfill: %s (check the app password)", blueskyapi.error_text(exc))
            return self._backfill_failed(now, "auth", blueskyapi.error_text(exc), None)
        except xrpc.AtProtocolError as exc:
            log.warning("Bluesky backfill failed: %s", blueskyapi.error_text(exc))
            return self._backfill_failed(now, "error", blueskyapi.error_text(exc), None)
        profiles = self.profiles.get_many(m.author_id for m in mentions if m.author_id)
        mentions = [_with_profile(m, profiles.get(m.author_id or "")) for m in mentions]
        with self.runtime.sessions() as session, session.begin():
            outcomes = self.runtime.ingest.ingest_many(session, mentions) if mentions else []
            row = queries.feed_cursor(session, PLATFORM, BACKFILL_KEY)
            row.status, row.last_error, row.failures = "ok", None, 0
            row.since_id = since.isoformat(timespec="seconds")
            row.reads_this_month += len(mentions)
            row.last_polled_at = row.last_success_at = row.updated_at = now
            row.next_poll_at = None
        self.runtime.notify_new_cases(outcomes)
        new = sum(1 for o in outcomes if o.new_case)
        log.info("Bluesky backfill since %s: %d posts, %d new cases", since.isoformat(timespec="seconds"),
                 len(mentions), new)
        return "ok"

    def _backfill_failed(self, now: datetime, status: str, error: str, until: datetime | None) -> str:
        PLATFORM_ERRORS.labels(PLATFORM, status).inc()
        with self.runtime.sessions() as session, session.begin():
            row = queries.feed_cursor(session, PLATFORM, BACKFILL_KEY)
            row.failures += 1
            row.status, row.last_error, row.last_polled_at, row.updated_at = status, error[:300], now, now
            row.next_poll_at = until or now + min(timedelta(seconds=5) * 2 ** min(row.failures, 10), MAX_BACKOFF)
        return status

    def _notifications(self, since: datetime) -> list[Mention]:
        out: list[Mention] = []
        cursor = None
        for _ in range(BACKFILL_PAGES):
            params: dict[str, Any] = {"limit": 50}
            if cursor:
                params["cursor"] = cursor
            response = self.client.app.bsky.notification.list_notifications(params=params)
            older = False
            for n in response.notifications:
                if blueskyapi.parse_time(n.indexed_at) < since:
                    older = True
                    continue
                if n.reason not in ("mention", "reply", "quote") or not n.uri.startswith("at://"):
                    continue
                did, collection, rkey = blueskyapi.split_uri(n.uri)
                if collection != POST or did in self.watch.accounts:
                    continue
                out.append(blueskyapi.record_to_mention(did, rkey, n.cid, get_model_as_dict(n.record),
                                                        get_model_as_dict(n.author), direct=True))
            cursor = response.cursor
            if older or not cursor:
                break
        return out

    def _search(self, since: datetime) -> list[Mention]:
        out: list[Mention] = []
        stamp = since.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        for term in self.watch.search_terms():
            cursor = None
            for _ in range(BACKFILL_PAGES):
                params: dict[str, Any] = {"q": term, "since": stamp, "limit": 100, "sort": "latest"}
                if cursor:
                    params["cursor"] = cursor
                response = self.client.app.bsky.feed.search_posts(params=params)
                for post in response.posts:
                    did, collection, rkey = blueskyapi.split_uri(post.uri)
                    record = get_model_as_dict(post.record)
                    keep, direct = self.watch.match(did, record)
                    if keep and collection == POST:
                        out.append(blueskyapi.record_to_mention(did, rkey, post.cid, record,
                                                                get_model_as_dict(post.author), direct=direct))
                cursor = response.cursor
                if not cursor:
                    break
        return out

    # --- the stream ------------------------------------------------------------------------------

    def stream_url(self) -> str:
        """The Jetstream URL to connect to: from the saved cursor minus the overlap, if any."""
        with self.runtime.sessions() as session, session.begin():
            since = queries.feed_cursor(session, PLATFORM, STREAM_KEY).since_id
        params: list[tuple[str, str]] = [("wantedCollections", POST)]
        if since:
            resume = int(since) - int(self.settings.resume_overlap_seconds * 1_000_000)
            params.append(("cursor", str(max(resume, 1))))
        return f"{self.jetstream_url}?{urlencode(params)}"

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="bluesky-jetstream", daemon=True)
        self._thread.start()
        log.info("Bluesky listener started (%d brand accounts, %d hashtags, %d keywords)", len(self.watch.accounts),
                 len(self.watch.hashtags), len(self.watch.keywords))

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        loop, socket = self._loop, self._socket
        if loop is not None and socket is not None:
            asyncio.run_coroutine_threadsafe(socket.close(), loop)
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        from websockets.asyncio.client import connect
        from websockets.exceptions import WebSocketException

        self._loop = asyncio.get_running_loop()
        failures = 0
        down_since: datetime | None = None
        first = True
        while not self._stop.is_set():
            if self.settings.backfill and (first or (down_since is not None and self.clock() - down_since > GAP)):
                await asyncio.to_thread(self._safe_backfill)
            first = False
            url = await asyncio.to_thread(self.stream_url)
            try:
                async with connect(url, open_timeout=10, ping_interval=20, max_size=2 ** 22) as socket:
                    self._socket = socket
                    self.connected.set()
                    failures, down_since = 0, None
                    await asyncio.to_thread(self._mark, "connected", None)
                    await self._consume(socket)
            except (OSError, WebSocketException, asyncio.TimeoutError) as exc:
                error = f"{type(exc).__name__}: {exc}"[:300]
            except Exception as exc:  # a bug or a database outage: logged, and the stream is tried again
                log.exception("Bluesky stream round failed")
                error = f"{type(exc).__name__}: {exc}"[:300]
            else:
                error = "the stream closed"
            finally:
                self._socket = None
                self.connected.clear()
            if self._stop.is_set():
                break
            failures += 1
            down_since = down_since or self.clock()
            delay = min(2 ** min(failures - 1, 8), MAX_BACKOFF.total_seconds())
            log.warning("Bluesky stream lost (%s); reconnecting in %.0f s", error, delay)
            PLATFORM_ERRORS.labels(PLATFORM, "stream").inc()
            await asyncio.to_thread(self._mark, "disconnected", error, failures)
            await self._sleep(delay)
        await asyncio.to_thread(self._mark, "stopped", None)

    async def _consume(self, socket: Any) -> None:
        batch: list[str | bytes] = []
        deadline = None
        next_check = time.monotonic() + BACKFILL_CHECK_SECONDS
        while not self._stop.is_set():
            timeout = None if not batch else max(deadline - time.monotonic(), 0)
            try:
                frame = await asyncio.wait_for(socket.recv(), timeout) if timeout is not None else await socket.recv()
                batch.append(frame)
                if deadline is None:
                    deadline = time.monotonic() + self.batch_seconds
            except asyncio.TimeoutError:
                pass
            except Exception:
                if batch:  # what arrived before the cut is stored before reconnecting
                    await asyncio.to_thread(self.handle_frames, batch)
                raise
            if batch and (len(batch) >= self.batch_size or time.monotonic() >= deadline):
                await asyncio.to_thread(self.handle_frames, batch)
                batch, deadline = [], None
            if self.settings.backfill and time.monotonic() >= next_check:
                next_check = time.monotonic() + BACKFILL_CHECK_SECONDS
                await asyncio.to_thread(self._retry_backfill_if_due)

    async def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while not self._stop.is_set() and time.monotonic() < end:
            await asyncio.sleep(min(0.1, end - time.monotonic()))

    def _safe_backfill(self) -> None:
        try:
            self.backfill()
        except Exception:
            log.exception("Bluesky backfill failed")

    def _retry_backfill_if_due(self) -> None:
        """A backfill that failed (429, 5xx) is tried again once its back-off has passed."""
        with self.runtime.sessions() as session:
            row = session.scalar(select(FeedCursor).where(FeedCursor.source == PLATFORM,
                                                          FeedCursor.query_key == BACKFILL_KEY))
        if row is not None and row.status not in ("ok", "new") and row.next_poll_at is not None \
                and row.next_poll_at <= self.clock():
            self._safe_backfill()

    def _mark(self, status: str, error: str | None, failures: int = 0) -> None:
        now = self.clock()
        with self.runtime.sessions() as session, session.begin():
            row = queries.feed_cursor(session, PLATFORM, STREAM_KEY)
            row.status, row.last_error, row.failures, row.updated_at = status, error, failures, now


def redact_posts(session: Any, uris: list[str], now: datetime) -> list[int]:
    """Replace the text of stored Bluesky posts their author deleted; returns the cases touched.

    The text and raw payload go (the card re-renders from the row); the author, times and triage
    stay, so the case still counts. One ``post_deleted`` event per case records it (no text)."""
    if not uris:
        return []
    rows = session.execute(select(MentionRow.id, MentionRow.case_id).where(
        MentionRow.platform == PLATFORM, MentionRow.external_id.in_(uris))).all()
    if not rows:
        return []
    session.execute(update(MentionRow).where(MentionRow.id.in_([r.id for r in rows]))
                    .values(text=REDACTED_TEXT, raw={"platform": PLATFORM, "redacted": True, "redacted_at": now.isoformat()})
                    .execution_options(synchronize_session=False))
    cases = []
    for row in rows:
        if row.case_id is not None:
            queries.add_event(session, row.case_id, "post_deleted", actor="feed", source=PLATFORM, at=now,
                              payload={"mention_id": row.id})
            cases.append(row.case_id)
    return cases


def _known_threads(session: Any, creates: list[Frame]) -> set[str]:
    """Roots of the batch's replies that are threads we already hold (a follow-up without a mention)."""
    roots = {r for f in creates for r in [blueskyapi.reply_refs(f.record or {})[0]] if r}
    if not roots:
        return set()
    return set(session.scalars(select(MentionRow.conversation_id).where(
        MentionRow.platform == PLATFORM, MentionRow.conversation_id.in_(list(roots)))))


def _with_profile(mention: Mention, profile: dict | None) -> Mention:
    """Followers come from getProfiles; notification and search views carry only the basic profile."""
    if not profile:
        return mention
    from dataclasses import replace

    return replace(mention, author_followers=int(profile.get("followersCount") or 0),
                   author_name=profile.get("displayName") or mention.author_name)

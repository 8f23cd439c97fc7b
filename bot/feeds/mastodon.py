"""The Mastodon source: the streaming API for what happens now, backfill for what streaming missed.

Streams (one thread each, one :class:`~storage.models.FeedCursor` row each):

* ``notifications:<brand>``: the brand account's user stream; its ``mention`` notifications are
  posts addressed to the brand (direct messages included);
* ``tag:<tag>``: one hashtag stream per brand hashtag (``mastodon.hashtags``).

**Nothing lost, nothing doubled.** Mastodon's streaming API has no catch-up: an event sent while
we are not connected is gone. So every connection is opened *first* and, before its first event
is read, the stream is backfilled from the REST API since the cursor's last seen id
(``notifications(types=["mention"], min_id=…)``, ``timelines/tag/…``): what happened while we
were away is read back, and what happens during the backfill waits in the open connection.
Posts are stored and the cursor moved in one transaction (as for X), and a post seen twice (by
backfill and stream, or by two streams) is dropped by ``(platform, id)``. Hashtag timelines are
read back a few minutes before the cursor, because a post federated late gets an id from its
creation time, older than posts already seen.

**Deletes** (the stream's ``delete`` event) redact the stored post and its card
(``runtime.post_deleted``, :mod:`bot.desk.redaction`). **A bad event** (malformed frame, a payload that is not a status) is
quarantined (``feed_quarantine``) and the stream goes on. **Failures** reconnect with
exponential back-off (capped), wait out a rate limit until the instance's reset, and never touch
the other streams or sources. Keyword search (``/api/v2/search``) runs on a timer where the
instance offers full-text search; where it refuses, the cursor says so and search stops.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import Any

import requests
from mastodon import Mastodon, StreamListener
from sqlalchemy import select
from mastodon.errors import MastodonError, MastodonMalformedEventError, MastodonRatelimitError, \
    MastodonUnauthorizedError

from bot.feeds import mastodon_api
from bot.core.config import Brand, MastodonSource
from bot.core.faults import fault_point
from bot.core.mention import Mention
from bot.core.observability import PLATFORM_ERRORS, SOURCE_CONNECTED, SOURCE_LAG
from storage import queries
from storage.models import Case, OutboxEntry, QuarantinedEvent
from storage.models import Mention as MentionRow

log = logging.getLogger(__name__)

SOURCE = "mastodon"
PAGE = 40  # Mastodon's largest page
FEDERATION_MARGIN = timedelta(minutes=5)  # how far before the cursor hashtag backfill reads again
AUTH_RETRY = timedelta(minutes=15)
STABLE_CONNECTION = timedelta(seconds=60)  # a connection that lasted this long resets the back-off
MAX_PAYLOAD = 100_000


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Stream:
    key: str  # the cursor's query key
    kind: str  # "user" or "hashtag"
    tag: str | None = None


@dataclass
class StreamHealth:
    """What this process knows of one stream right now (the cursor row has the durable part)."""

    connected: bool = False
    connects: int = 0
    errors: int = 0
    last_error: str | None = None
    last_event_at: datetime | None = None
    lag_seconds: float | None = None  # created → stored, of the last post stored
    quarantined: int = 0


def build_streams(brand: Brand, settings: MastodonSource) -> list[Stream]:
    streams = [Stream(f"notifications:{brand.name}"[:200], "user")]
    if settings.hashtags:
        streams += [Stream(f"tag:{t.lstrip('#').lower()}"[:200], "hashtag", t.lstrip("#").lower())
                    for t in brand.hashtags]
    return streams


def _newer(a: str | None, b: str | None) -> str | None:
    """The newer of two Mastodon ids (snowflakes as decimal strings)."""
    if a is None or not str(a).isdigit():
        return b
    if b is None or not str(b).isdigit():
        return a
    return a if int(a) >= int(b) else b


def rewind(status_id: str, by: timedelta) -> str:
    """A Mastodon id ``by`` earlier: its top bits are milliseconds since the epoch."""
    if not status_id.isdigit():
        return status_id
    return str(max((int(status_id) >> 16) - int(by.total_seconds() * 1000), 0) << 16)


class _Listener(StreamListener):
    """Mastodon.py calls ``handle_stream`` once per connection: backfill there, then read."""

    def __init__(self, feed: "MastodonFeed", stream: Stream):
        super().__init__()
        self.feed, self.stream = feed, stream
        self.response: Any = None

    def handle_stream(self, response: Any) -> None:
        self.response = response
        self.feed.backfill(self.stream)
        self.feed._connected(self.stream)  # connected and caught up
        super().handle_stream(response)

    def _dispatch(self, event: dict) -> None:
        # Mastodon.py drops the whole connection on one malformed frame (bad JSON, no event
        # name). Quarantine the frame and keep reading instead: reconnecting would not fix it.
        try:
            super()._dispatch(event)
        except MastodonMalformedEventError as exc:
            self.feed.quarantine(self.stream, event.get("event"), json.dumps(event), f"malformed event: {exc.args[0]}")

    def on_abort(self, err: Exception) -> None:
        log.debug("Mastodon stream %s: %s", self.stream.key, err)

    def on_notification(self, notification: Any) -> None:
        self.feed.on_notification(self.stream, notification)

    def on_update(self, status: Any) -> None:
        self.feed.on_update(self.stream, status)

    def on_delete(self, status_id: Any) -> None:
        self.feed.on_delete(self.stream, status_id)

    def on_unknown_event(self, name: str, unknown_event: Any = None) -> None:
        pass  # newer event kinds (announcements, …) are none of the desk's business

    def handle_heartbeat(self) -> None:
        self.feed.health[self.stream.key].last_event_at = self.feed.clock()


class MastodonFeed:
    """Streams one Mastodon account's mentions and hashtags into ingest; ``start()`` runs the threads."""

    def __init__(self, runtime: Any, client: Mastodon, *, brand: Brand | None = None,
                 settings: MastodonSource | None = None, clock: Callable[[], datetime] = utcnow,
                 base_backoff: float = 1.0):
        self.runtime = runtime
        self.client = client
        self.settings = settings or runtime.config.mastodon
        self.brand = brand or self._brand(runtime.config)
        self.clock = clock
        self.base_backoff = base_backoff
        self.streams = build_streams(self.brand, self.settings)
        self.health: dict[str, StreamHealth] = {s.key: StreamHealth() for s in self.streams}
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._listeners: dict[str, _Listener] = {}
        self._me: str | None = None  # the brand account's id (its own posts are not mentions)
        self._search_key = f"search:{self.brand.name}"[:200]
        if self.settings.search and self.brand.keywords:
            self.health[self._search_key] = StreamHealth()

    @staticmethod
    def _brand(config: Any) -> Brand:
        wanted = config.mastodon.brand
        return next((b for b in config.brands if b.name == wanted), config.brands[0]) if wanted else config.brands[0]

    # --- backfill --------------------------------------------------------------------------------

    def backfill(self, stream: Stream) -> int:
        """Read what the stream missed since its cursor (oldest page first); returns posts read."""
        with self.runtime.sessions() as session:
            since = queries.feed_cursor(session, SOURCE, stream.key, brand=self.brand.name).since_id
        read = 0
        # Hashtag timelines are read from a few minutes before the cursor (late federation), on
        # the first page only: later pages go on from the page before, or they would repeat it.
        start = rewind(since, FEDERATION_MARGIN) if since and stream.kind == "hashtag" else since
        for _ in range(self.settings.backfill_pages):
            self._respect_rate_limit()
            if stream.kind == "user":
                # min_id: the page right after the cursor (Mastodon answers it newest first).
                page = self.client.notifications(types=["mention"], min_id=start, limit=PAGE)
                mentions = [self._notification_mention(stream, n) for n in page]
            else:
                page = self.client.timeline_hashtag(stream.tag, min_id=start, limit=PAGE)
                mentions = [self._status_mention(stream, s, "update") for s in page]
            if not page:
                break
            newest = max((str(item["id"]) for item in page), key=int)
            self._store(stream, [m for m in mentions if m is not None], newest)
            read += len(page)
            if since is None or len(page) < PAGE or (start is not None and int(newest) <= int(start)):
                break  # first start: the newest page only; otherwise: caught up
            start = newest
        if read:
            log.info("Mastodon %s: backfilled %d posts", stream.key, read)
        return read

    def search_keywords(self) -> int:
        """One round of keyword search (statuses only) since the search cursor; returns posts read."""
        key = self._search_key
        with self.runtime.sessions() as session, session.begin():
            cursor = queries.feed_cursor(session, SOURCE, key, brand=self.brand.name)
            since, status = cursor.since_id, cursor.status
        if status == "unavailable":
            return 0
        read, newest, cap = 0, since, None
        try:
            for keyword in self.brand.keywords:
                self._respect_rate_limit()
                found = self.client.search_v2(keyword, resolve=False, result_type="statuses", min_id=since, limit=PAGE)
                page = list(mastodon_api.field_of(found, "statuses", []))
                statuses = [s for s in page if str(s["account"]["id"]) != self._own_id()]
                mentions = [self._status_mention(Stream(key, "search"), s, "search") for s in statuses]
                for status_ in page:
                    newest = _newer(newest, str(status_["id"]))
                if len(page) == PAGE:  # more wait for this keyword: the shared cursor must not pass them
                    page_newest = max((str(s["id"]) for s in page), key=int)
                    cap = page_newest if cap is None else min(cap, page_newest, key=int)
                self._store(Stream(key, "search"), [m for m in mentions if m is not None], None)
                read += len(statuses)
            if cap is not None and newest is not None and int(newest) > int(cap):
                newest = cap
        except MastodonError as exc:
            code = mastodon_api.status_code(exc)
            if code is not None and 400 <= code < 500 and code not in (401, 429):
                self._set_status(key, "unavailable", f"this instance does not offer keyword search "
                                                     f"({mastodon_api.error_text(exc)})")
                return read
            raise
        self._move_cursor(key, newest)
        return read

    def _own_id(self) -> str:
        if self._me is None:
            self._me = str(self.client.account_verify_credentials()["id"])
        return self._me

    # --- events ----------------------------------------------------------------------------------

    def on_notification(self, stream: Stream, notification: Any) -> None:
        if mastodon_api.field_of(notification, "type") != "mention":
            return  # favourites, boosts, follows: not for the desk
        mention = self._notification_mention(stream, notification)
        self._store(stream, [mention] if mention else [], str(notification["id"]) if mention else None)

    def on_update(self, stream: Stream, status: Any) -> None:
        if stream.kind != "hashtag":
            return  # the user stream's updates are the home timeline; mentions come as notifications
        mention = self._status_mention(stream, status, "update")
        if mention is not None:
            self._store(stream, [mention], mention.external_id)

    def on_delete(self, stream: Stream, status_id: Any) -> None:
        # Through the runtime: redaction is a desk rule (bot/desk/redaction.py), a source only reports it.
        if self.runtime.post_deleted(SOURCE, str(status_id), source=SOURCE):
            log.info("Mastodon: post %s was deleted by its author; redacted", status_id)

    def _notification_mention(self, stream: Stream, notification: Any) -> Mention | None:
        status = mastodon_api.field_of(notification, "status")
        if mastodon_api.field_of(notification, "type") != "mention":
            return None
        if status is None:
            self.quarantine(stream, "notification", notification, "a mention notification without a status")
            return None
        return self._status_mention(stream, status, "notification", direct=True)

    def _status_mention(self, stream: Stream, status: Any, event: str, *, direct: bool = False) -> Mention | None:
        try:
            return mastodon_api.status_to_mention(status, direct=direct)
        except (ValueError, TypeError, KeyError) as exc:
            self.quarantine(stream, event, status, str(exc))
            return None

    def quarantine(self, stream: Stream, event: str | None, payload: Any, reason: str) -> None:
        text = payload if isinstance(payload, str) else json.dumps(mastodon_api.plain(payload), default=str)
        with self.runtime.sessions() as session, session.begin():
            session.add(QuarantinedEvent(source=SOURCE, stream=stream.key, event=event, reason=reason[:300],
                                         payload=text[:MAX_PAYLOAD], received_at=self.clock()))
        if stream.key in self.health:
            self.health[stream.key].quarantined += 1
        log.warning("Mastodon %s: event quarantined (%s)", stream.key, reason[:200])

    # --- storing ---------------------------------------------------------------------------------

    def _store(self, stream: Stream, mentions: list[Mention], newest_id: str | None) -> None:
        """Ingest ``mentions`` (oldest first) and move the cursor to ``newest_id``, in one transaction."""
        mentions = sorted(mentions, key=lambda m: (m.created_at, int(m.external_id) if m.external_id.isdigit() else 0))
        now = self.clock()
        with self.runtime.sessions() as session, session.begin():
            mentions = [self._in_thread(session, m) for m in mentions]
            outcomes = self.runtime.ingest.ingest_many(session, mentions) if mentions else []
            cursor = queries.feed_cursor(session, SOURCE, stream.key, brand=self.brand.name)
            cursor.since_id = _newer(cursor.since_id, newest_id)
            cursor.reads_this_month += len(mentions)
            cursor.last_success_at = now
            cursor.updated_at = now
        if mentions:
            fault_point("ingested")  # committed (cursor too), cards not posted yet
            health = self.health.get(stream.key)
            if health is not None:
                health.last_event_at = now
                health.lag_seconds = max((now - mentions[-1].created_at).total_seconds(), 0.0)
                SOURCE_LAG.labels(SOURCE, stream.key).set(health.lag_seconds)
        self.runtime.notify_new_cases(outcomes)

    @staticmethod
    def _in_thread(session: Any, mention: Mention) -> Mention:
        """Mastodon statuses name only the post they answer, not their thread. A reply to a stored
        post, or to one of the brand's replies, joins that post's conversation (and so its case)."""
        if not mention.in_reply_to_id:
            return mention
        conversation = session.scalar(select(MentionRow.conversation_id).where(
            MentionRow.platform == SOURCE, MentionRow.external_id == mention.in_reply_to_id))
        if conversation is None:
            conversation = session.scalar(select(Case.conversation_id).join(OutboxEntry, OutboxEntry.case_id == Case.id)
                                          .where(OutboxEntry.platform == SOURCE,
                                                 OutboxEntry.external_id == mention.in_reply_to_id))
        return replace(mention, conversation_id=conversation) if conversation else mention

    def _move_cursor(self, key: str, newest_id: str | None) -> None:
        now = self.clock()
        with self.runtime.sessions() as session, session.begin():
            cursor = queries.feed_cursor(session, SOURCE, key, brand=self.brand.name)
            cursor.since_id = _newer(cursor.since_id, newest_id)
            cursor.status, cursor.last_error, cursor.failures = "ok", None, 0
            cursor.last_polled_at = cursor.last_success_at = cursor.updated_at = now

    def _set_status(self, key: str, status: str, error: str | None, *, failed: bool = False,
                    until: datetime | None = None) -> None:
        now = self.clock()
        with self.runtime.sessions() as session, session.begin():
            cursor = queries.feed_cursor(session, SOURCE, key, brand=self.brand.name)
            cursor.status = status
            cursor.last_error = error[:300] if error else None
            cursor.failures = cursor.failures + 1 if failed else 0
            cursor.last_polled_at = cursor.updated_at = now
            cursor.next_poll_at = until

    def _connected(self, stream: Stream) -> None:
        health = self.health[stream.key]
        health.connected, health.connects, health.last_event_at = True, health.connects + 1, self.clock()
        SOURCE_CONNECTED.labels(SOURCE, stream.key).set(1)
        self._set_status(stream.key, "ok", None)

    def _respect_rate_limit(self) -> None:
        """Honour X-RateLimit-Remaining/-Reset: a used-up window raises before any request, and the
        stream (or search) loop waits for the reset."""
        until = mastodon_api.rate_limited_until(self.client)
        if until is not None:
            raise MastodonRatelimitError(f"rate limit used up until {until:%H:%M:%S} UTC")

    # --- running ---------------------------------------------------------------------------------

    def run_stream(self, stream: Stream) -> None:
        """Connect, backfill, read; on any failure wait (back-off, rate-limit reset) and again."""
        failures = 0
        while not self._stop.is_set():
            listener = _Listener(self, stream)
            self._listeners[stream.key] = listener
            started = time.monotonic()
            status, error, until = "reconnecting", "the stream ended", None
            try:
                self._respect_rate_limit()
                if stream.kind == "user":
                    self.client.stream_user(listener, timeout=self.settings.stream_timeout_seconds)
                else:
                    self.client.stream_hashtag(stream.tag, listener, timeout=self.settings.stream_timeout_seconds)
            except MastodonRatelimitError:
                status = "rate_limited"
                until = mastodon_api.reset_after_429(self.client) or mastodon_api.rate_limited_until(self.client)
                error = f"rate limited until {until:%H:%M:%S} UTC" if until else "rate limited"
            except MastodonUnauthorizedError as exc:
                status, error, until = "auth", mastodon_api.error_text(exc), self.clock() + AUTH_RETRY
                log.error("Mastodon refused the access token on %s: %s (check MENTIONDESK_MASTODON_ACCESS_TOKEN "
                          "and its scopes)", stream.key, error)
            except (MastodonError, requests.RequestException, OSError) as exc:
                status, error = "error", mastodon_api.error_text(exc)
            except Exception as exc:  # a bug or a database outage: logged, and the stream comes back
                if self._stop.is_set():
                    break  # stop() closed the connection under the reading thread
                log.exception("Mastodon stream %s failed", stream.key)
                status, error = "error", f"{type(exc).__name__}: {exc}"[:300]
            if self._stop.is_set():
                break
            health = self.health[stream.key]
            health.connected = False
            SOURCE_CONNECTED.labels(SOURCE, stream.key).set(0)
            if status != "reconnecting":
                health.errors += 1
                health.last_error = error
                PLATFORM_ERRORS.labels(SOURCE, status).inc()
            if time.monotonic() - started >= STABLE_CONNECTION.total_seconds():
                failures = 0
            wait = min(self.base_backoff * 2 ** min(failures, 16), self.settings.max_backoff_seconds)
            wait *= random.uniform(0.8, 1.0)  # replicas and streams do not all come back in step
            if until is not None:
                wait = max(wait, (until - self.clock()).total_seconds())
            failures += 1
            try:
                self._set_status(stream.key, status, error, failed=status != "reconnecting",
                                 until=self.clock() + timedelta(seconds=wait))
            except Exception:
                log.exception("Mastodon stream %s: could not record its state", stream.key)
            log.info("Mastodon stream %s: %s; reconnecting in %.1f s", stream.key, error, wait)
            self._stop.wait(wait)

    def _search_loop(self) -> None:
        while not self._stop.is_set():
            wait = self.settings.search_interval_seconds
            try:
                self.search_keywords()
                self.health[self._search_key].connected = True
            except MastodonRatelimitError:
                until = mastodon_api.reset_after_429(self.client) or mastodon_api.rate_limited_until(self.client)
                if until is not None:
                    wait = max(wait, (until - self.clock()).total_seconds())
            except Exception as exc:
                health = self.health[self._search_key]
                health.errors, health.last_error, health.connected = health.errors + 1, str(exc)[:300], False
                log.warning("Mastodon keyword search failed: %s", mastodon_api.error_text(exc))
            self._stop.wait(wait)

    def start(self) -> None:
        self._stop.clear()
        self._threads = [threading.Thread(target=self.run_stream, args=(s,), name=f"mastodon-{s.key}", daemon=True)
                         for s in self.streams]
        if self._search_key in self.health:
            self._threads.append(threading.Thread(target=self._search_loop, name="mastodon-search", daemon=True))
        for thread in self._threads:
            thread.start()
        log.info("Mastodon streams started: %s", ", ".join(s.key for s in self.streams))

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        for listener in list(self._listeners.values()):
            if listener.response is not None:
                try:
                    listener.response.close()  # unblocks the thread reading it
                except Exception as exc:  # already closed by the other side: nothing to unblock
                    log.debug("Mastodon stream %s: close: %s", listener.stream.key, exc)
        for thread in self._threads:
            thread.join(timeout)
        self._threads = []
        for stream in self.streams:
            self.health[stream.key].connected = False
            SOURCE_CONNECTED.labels(SOURCE, stream.key).set(0)

    def wait_connected(self, timeout: float = 10) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(self.health[s.key].connected for s in self.streams):
                return True
            time.sleep(0.02)
        return False

    def sources_health(self) -> dict[str, dict[str, Any]]:
        """For /readyz and /metrics: each stream's connection, errors, lag and quarantined events."""
        return {key: {"connected": h.connected, "connects": h.connects, "errors": h.errors,
                      "last_error": h.last_error, "lag_seconds": h.lag_seconds, "quarantined": h.quarantined,
                      "last_event_at": h.last_event_at.isoformat() if h.last_event_at else None}
                for key, h in self.health.items()}

"""Slack as a card channel: post each new case to its team's Slack channel exactly once, keep the
card current, retry what failed.

The posting protocol itself (reserve, lease, post, record, give back, retry, post missing) lives
once for every team platform in :mod:`bot.desk.delivery`; this module implements its
:class:`~bot.desk.delivery.CardChannel` with the Slack Web API: ``chat.postMessage`` with message
metadata (so a card can be found again after a crash mid-post), ``chat.update``, threads.
Rate limits (429, honouring Retry-After) and 5xx are retried a few times with backoff by
:func:`call_with_retry`; what still fails is given back to the machine and retried later.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session, sessionmaker

from bot.core.observability import PLATFORM_ERRORS
from bot.desk.case_view import CardView
from bot.desk.card_pace import DIGEST, DigestView, Pace
from bot.desk.delivery import DeliveryFailed
from bot.desk.paced_delivery import PacedDelivery
from bot.desk.handoff import Handoff
from handlers.slack import backlog_card
from handlers.slack.approval import approval_blocks, approval_text, load_draft
from handlers.slack.cards import fallback_text, handoff_message, render_card, status_line
from handlers.slack.escape import link, mrkdwn, quote, truncate
from storage import queries
from storage.clock import utcnow
from storage.db import transaction
from storage.models import Mention, Team

log = logging.getLogger(__name__)

PLATFORM = "slack"
# Message metadata on every card, so a card can be found again after a crash mid-post.
CARD_EVENT = "mentiondesk_case"
RETRIABLE_ERRORS = {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}


class SlackCallFailed(Exception):
    """A Web API call failed for good (after retries); ``error`` is Slack's short error code."""

    def __init__(self, method: str, error: str):
        super().__init__(f"{method}: {error}")
        self.error = error
        PLATFORM_ERRORS.labels("slack", error[:40]).inc()


def call_with_retry(fn: Callable[..., Any], *, attempts: int = 3, backoff: float = 0.2, max_wait: float = 5.0,
                    sleep: Callable[[float], None] = time.sleep, **kwargs: Any) -> Any:
    """Call a WebClient method, retrying rate limits and server errors with backoff."""
    method = getattr(fn, "__name__", "call")
    for attempt in range(1, attempts + 1):
        try:
            return fn(**kwargs)
        except SlackApiError as exc:
            status = exc.response.status_code
            error = exc.response.get("error") if isinstance(exc.response.data, dict) else None
            retriable = status == 429 or status >= 500 or error in RETRIABLE_ERRORS
            error = error if status < 500 else f"http_{status}"
            if not retriable or attempt == attempts:
                raise SlackCallFailed(method, error or f"http_{status}") from None
            wait = backoff * 2 ** (attempt - 1)
            if status == 429:
                retry_after = exc.response.headers.get("Retry-After") or exc.response.headers.get("retry-after")
                if retry_after and str(retry_after).isdigit():
                    wait = float(retry_after)
            log.info("%s failed (%s), retry %d/%d in %.1fs", method, error, attempt, attempts - 1, wait)
            sleep(min(wait, max_wait))
        except OSError as exc:  # connection refused/reset, timeouts
            if attempt == attempts:
                raise SlackCallFailed(method, type(exc).__name__) from None
            sleep(min(backoff * 2 ** (attempt - 1), max_wait))
    raise AssertionError("unreachable")


class SlackCardChannel:
    """:class:`~bot.desk.delivery.CardChannel` on the Slack Web API."""

    platform = PLATFORM

    def __init__(self, call: Callable[..., Any], client: WebClient):
        self._call, self.client = call, client
        self.team_channel = Team.slack_channel  # an instance attribute: the column, not its value

    def post(self, channel: str, view: CardView) -> str:
        try:
            response = self._call(self.client.chat_postMessage, channel=channel, text=fallback_text(view),
                                  blocks=render_card(view), unfurl_links=False, unfurl_media=False,
                                  metadata={"event_type": CARD_EVENT, "event_payload": {"case_id": view.case_id}})
        except SlackCallFailed as exc:
            raise DeliveryFailed(exc.error) from None
        return response["ts"]

    def update(self, channel: str, message_id: str, view: CardView) -> None:
        try:
            self._call(self.client.chat_update, channel=channel, ts=message_id, text=fallback_text(view),
                       blocks=render_card(view))
        except SlackCallFailed as exc:
            # The next event re-renders the card anyway; the event log holds the truth meanwhile.
            log.warning("could not update card of case %d in %s: %s", view.case_id, channel, exc.error)

    def find(self, channel: str, case_id: int, since: datetime) -> str | None:
        """The ts of this case's card in ``channel`` (found by its message metadata), if it is there."""
        cursor = None
        try:
            for _ in range(20):
                page = self._call(self.client.conversations_history, channel=channel, include_all_metadata=True,
                                  oldest=f"{since.timestamp() - 60:.6f}", limit=200, cursor=cursor)
                for message in page.get("messages", []):
                    meta = message.get("metadata") or {}
                    payload = meta.get("event_payload") or {}
                    if meta.get("event_type") == CARD_EVENT and str(payload.get("case_id")) == str(case_id):
                        return message["ts"]
                    if meta.get("event_type") == backlog_card.DIGEST_EVENT and \
                            case_id in (payload.get("case_ids") or []):
                        return DIGEST + message["ts"]  # shown in a digest that went out before the crash
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not page.get("has_more") or not cursor:
                    return None
        except SlackCallFailed as exc:  # e.g. channels:history not granted: post (at least once) instead
            log.warning("cannot check %s for an earlier card of case %d (%s)", channel, case_id, exc.error)
        return None

    def post_digest(self, channel: str, digest: DigestView) -> str:
        try:
            response = self._call(self.client.chat_postMessage, channel=channel, text=backlog_card.fallback_text(digest),
                                  blocks=backlog_card.render_digest(digest), unfurl_links=False, unfurl_media=False,
                                  metadata=backlog_card.metadata(digest))
        except SlackCallFailed as exc:
            raise DeliveryFailed(exc.error) from None
        return response["ts"]

    def update_digest(self, channel: str, message_id: str, digest: DigestView) -> None:
        try:
            self._call(self.client.chat_update, channel=channel, ts=message_id, text=backlog_card.fallback_text(digest),
                       blocks=backlog_card.render_digest(digest), metadata=backlog_card.metadata(digest))
        except SlackCallFailed as exc:
            raise DeliveryFailed(exc.error) from None

    def post_in_thread(self, channel: str, thread: str, view: CardView) -> str:
        try:
            response = self._call(self.client.chat_postMessage, channel=channel, thread_ts=thread,
                                  text=fallback_text(view), blocks=render_card(view), unfurl_links=False,
                                  unfurl_media=False,
                                  metadata={"event_type": CARD_EVENT, "event_payload": {"case_id": view.case_id}})
        except SlackCallFailed as exc:
            raise DeliveryFailed(exc.error) from None
        return response["ts"]

    def say(self, channel: str, message_id: str, text: str) -> None:
        try:
            self._call(self.client.chat_postMessage, channel=channel, thread_ts=message_id, text=text)
        except SlackCallFailed as exc:
            log.warning("could not post in the thread %s/%s: %s", channel, message_id, exc.error)

    def rendered(self, view: CardView) -> Any:
        return render_card(view)

    def status_line(self, view: CardView) -> str:
        return status_line(view)

    def card_recorded(self, channel: str, message_id: str, view: CardView) -> None:
        """A Slack message is its own thread: nothing to start."""

    def hand_over(self, channel: str, message_id: str, handoff: Handoff) -> None:
        self.say(channel, message_id, handoff_message(handoff))


class CardPoster(PacedDelivery):
    """The card machine on Slack, plus what only Slack's cards do here: PR approval messages in the
    thread, follow-up posts quoted in the thread, pruning the remembered event deliveries."""

    def __init__(self, sessions: sessionmaker[Session], client: WebClient, *, attempts: int = 3,
                 backoff: float = 0.2, max_wait: float = 5.0, retry_delay: timedelta = timedelta(seconds=30),
                 lease: timedelta = timedelta(seconds=60), clock: Callable[[], datetime] = utcnow,
                 sleep: Callable[[float], None] = time.sleep, pace: Pace | None = None):
        self.client = client
        self.attempts, self.backoff, self.max_wait, self.sleep = attempts, backoff, max_wait, sleep
        # Through a lambda, so the retry settings (and a test's stand-in for _call) apply when called.
        super().__init__(sessions, SlackCardChannel(lambda fn, **kw: self._call(fn, **kw), client),
                         retry_delay=retry_delay, lease=lease,
                         clock=clock, pace=pace)

    def _call(self, fn: Callable[..., Any], **kwargs: Any) -> Any:
        return call_with_retry(fn, attempts=self.attempts, backoff=self.backoff, max_wait=self.max_wait,
                               sleep=self.sleep, **kwargs)

    def prune_deliveries(self, keep: timedelta = timedelta(days=3)) -> int:
        """Slack retries a delivery for about an hour; remembering them for days is plenty."""
        with transaction(self.sessions) as session:
            return queries.prune_deliveries(session, self.clock() - keep)

    def post_approval(self, case_id: int, outbox_id: int) -> int:
        """Post the approval request (draft + Approve/Edit/Reject, PR pinged) in the case's card threads."""
        with self.sessions() as session:
            draft = load_draft(session, case_id, outbox_id)
        if draft is None:
            return 0
        posted = 0
        for channel, ts in self.posted(case_id):
            try:
                self._call(self.client.chat_postMessage, channel=channel, thread_ts=ts, text=approval_text(draft),
                           blocks=approval_blocks(draft))
                posted += 1
            except SlackCallFailed as exc:
                log.warning("could not ask for approval of reply %d in %s: %s", outbox_id, channel, exc.error)
        return posted

    def close_approval(self, case_id: int, outbox_id: int, channel: str, ts: str, outcome: str) -> None:
        """Replace the approval message's buttons with who decided what."""
        with self.sessions() as session:
            draft = load_draft(session, case_id, outbox_id)
        if draft is None:
            return
        try:
            self._call(self.client.chat_update, channel=channel, ts=ts, text=approval_text(draft),
                       blocks=approval_blocks(draft, outcome=outcome))
        except SlackCallFailed as exc:
            log.warning("could not close the approval message of reply %d: %s", outbox_id, exc.error)

    def say_in_thread(self, channel: str, ts: str, text: str) -> None:
        self.channel.say(channel, ts, text)

    def post_follow_ups(self, joined: list[tuple[int, int]]) -> None:
        """New posts that joined an open case (same conversation): quoted in the case's thread, card refreshed."""
        for case_id, mention_id in joined:
            with self.sessions() as session:
                row = session.get(Mention, mention_id)
                if row is None:
                    continue
                text = (f"↩️ New post from @{mrkdwn(truncate(row.author_handle, 60))}"
                        f"{' · ' + link(row.url, 'open') if row.url else ''}\n{quote(row.text, 2500)}")
            self.say_in_threads(case_id, text)
            self.refresh(case_id, announce=False)


class PosterWorker:
    """A background thread that posts cards at each channel's pace.

    ``notify`` (after an ingest commit) hands it new cases: their rows are reserved in one
    transaction and their channels flushed at once. Every ``flush_every`` seconds it flushes the
    channels that still have due cards (held back by the pace, reserved by another replica, given
    back after a failure); every ``retry_every`` seconds it also takes over cards whose poster died
    mid-post, reserves cards that are missing and prunes old event deliveries."""

    def __init__(self, poster: CardPoster, *, retry_every: float = 10.0, flush_every: float = 0.25):
        self.poster = poster
        self.retry_every = retry_every
        self.flush_every = flush_every
        self._queue: queue.Queue[int | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._idle = threading.Event()
        self._idle.set()

    def notify(self, case_ids: Iterable[int]) -> None:
        for case_id in case_ids:
            self._idle.clear()
            self._queue.put(case_id)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="slack-poster", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout)
            self._thread = None

    def wait_idle(self, timeout: float = 10) -> bool:
        return self._idle.wait(timeout)

    def _take(self, timeout: float) -> tuple[list[int], bool]:
        """The case ids queued so far (waiting up to ``timeout`` for the first); True when stopping."""
        ids: list[int] = []
        try:
            item = self._queue.get(timeout=timeout)
            while True:
                if item is None:
                    return ids, True
                ids.append(item)
                item = self._queue.get_nowait()
        except queue.Empty:
            return ids, False

    def _run(self) -> None:
        last_retry = time.monotonic()  # the first sweep one period after start, as before
        last_flush = 0.0
        while True:
            case_ids, stopping = self._take(self.flush_every)
            try:
                channels = self.poster.reserve_many(case_ids) if case_ids else set()
                if time.monotonic() - last_flush >= self.flush_every:
                    last_flush = time.monotonic()
                    channels |= set(self.poster.channels_due())
                for channel in sorted(channels):
                    self.poster.flush_channel(channel)
                if time.monotonic() - last_retry >= self.retry_every:
                    last_retry = time.monotonic()
                    self.poster.recover_expired()
                    self.poster.reserve_missing()
                    self.poster.prune_deliveries()
            except Exception:  # keep the worker alive; the rows stay pending and are flushed again
                log.exception("posting cards failed (cases %s)", case_ids[:10])
            if stopping:
                return
            if self._queue.empty() and not self._idle.is_set() and not self._busy():
                self._idle.set()

    def _busy(self) -> bool:
        """Cards still due (held by the pace): not idle yet."""
        try:
            return bool(self.poster.channels_due())
        except Exception:
            return False

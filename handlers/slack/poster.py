"""Post each new case to its team's Slack channel exactly once, keep the card current, retry what failed.

Posting protocol (safe with several replicas and across restarts):

1. ``reserve``: insert the ``case_message`` row as *pending* (unique per case + channel, so a
   second poster — or a retried webhook — finds it already there and stops).
2. ``lease``: a conditional UPDATE moves it to *posting*; only one poster wins the row.
3. ``chat.postMessage``; rate limits (429, honouring Retry-After) and 5xx are retried a few
   times with backoff. Success stores the message ``ts`` (*posted*); persistent failure puts the
   row back to *pending* with a later ``next_attempt_at``, so :meth:`CardPoster.retry_pending`
   (run by :class:`PosterWorker`) posts it later: a card is delayed, never lost.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, timezone
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.desk.case_view import CardView, load_card
from bot.core.faults import fault_point
from bot.core.observability import PLATFORM_ERRORS
from escalation.handoff import latest_handoff
from handlers.slack.cards import fallback_text, handoff_message, render_card, status_line
from handlers.slack.escape import link, mrkdwn, quote, truncate
from storage import queries
from storage.db import transaction
from storage.models import OPEN_STATES, CardState, Case, CaseMessage, Mention, Team

log = logging.getLogger(__name__)

PLATFORM = "slack"
# Message metadata on every card, so a card can be found again after a crash mid-post.
CARD_EVENT = "mentiondesk_case"
RETRIABLE_ERRORS = {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


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


class CardPoster:
    def __init__(self, sessions: sessionmaker[Session], client: WebClient, *, attempts: int = 3,
                 backoff: float = 0.2, max_wait: float = 5.0, retry_delay: timedelta = timedelta(seconds=30),
                 lease: timedelta = timedelta(seconds=60), clock: Callable[[], datetime] = utcnow,
                 sleep: Callable[[float], None] = time.sleep):
        self.sessions = sessions
        self.client = client
        self.attempts, self.backoff, self.max_wait = attempts, backoff, max_wait
        self.retry_delay, self.lease, self.clock, self.sleep = retry_delay, lease, clock, sleep
        # Posting a card and refreshing it after a press take the case's lock (striped, so the
        # number of locks stays fixed). A press handled while its card is being posted then
        # refreshes after the card is recorded, and its thread line is never lost.
        self._case_locks = [threading.RLock() for _ in range(64)]

    def _lock(self, case_id: int) -> threading.RLock:
        return self._case_locks[case_id % len(self._case_locks)]

    def _call(self, fn: Callable[..., Any], **kwargs: Any) -> Any:
        return call_with_retry(fn, attempts=self.attempts, backoff=self.backoff, max_wait=self.max_wait,
                               sleep=self.sleep, **kwargs)

    # --- posting ---------------------------------------------------------------------------------

    def post_case(self, case_id: int) -> str | None:
        """Post the case's card to its team channel unless it is already there; returns the ts or None."""
        with transaction(self.sessions) as session:
            case = session.get(Case, case_id)
            channel = self._channel_for(session, case) if case else None
            if channel is None:
                return None
            queries.reserve_case_message(session, case_id, PLATFORM, channel)
        return self._post(case_id, channel)

    def retry_pending(self) -> int:
        """Post every card whose earlier attempt failed (or whose poster died); returns how many went out."""
        now = self.clock()
        with self.sessions() as session:
            due = session.execute(
                select(CaseMessage.case_id, CaseMessage.channel).where(
                    CaseMessage.platform == PLATFORM,
                    or_(
                        (CaseMessage.state == CardState.PENDING)
                        & (or_(CaseMessage.next_attempt_at.is_(None), CaseMessage.next_attempt_at <= now)),
                        (CaseMessage.state == CardState.POSTING) & (CaseMessage.lease_until < now),
                    ),
                ).order_by(CaseMessage.id)
            ).all()
        return sum(1 for case_id, channel in due if self._post(case_id, channel))

    def post_missing(self, *, within: timedelta = timedelta(hours=24), limit: int = 100) -> int:
        """Post cards for open cases that have none in their team's channel yet.

        Covers cases stored without a notification reaching us: ingested by the CLI or another
        replica, a crash between commit and post. Only recent cases, so pointing a fresh install
        at an old database does not flood the channels.
        """
        since = self.clock() - within
        has_card = select(CaseMessage.id).where(CaseMessage.case_id == Case.id, CaseMessage.platform == PLATFORM,
                                                CaseMessage.channel == Team.slack_channel).exists()
        with self.sessions() as session:
            case_ids = session.scalars(
                select(Case.id).join(Team, Team.name == Case.team)
                .where(Case.state.in_(OPEN_STATES), Case.opened_at >= since, Team.slack_channel.is_not(None), ~has_card)
                .order_by(Case.priority.desc()).limit(limit)
            ).all()
        return sum(1 for case_id in case_ids if self.post_case(case_id))

    def prune_deliveries(self, keep: timedelta = timedelta(days=3)) -> int:
        """Slack retries a delivery for about an hour; remembering them for days is plenty."""
        with transaction(self.sessions) as session:
            return queries.prune_deliveries(session, self.clock() - keep)

    def _channel_for(self, session: Session, case: Case) -> str | None:
        if not case.team:
            return None
        return session.scalars(select(Team.slack_channel).where(Team.name == case.team)).first()

    def _post(self, case_id: int, channel: str) -> str | None:
        with self._lock(case_id):
            return self._post_locked(case_id, channel)

    def _post_locked(self, case_id: int, channel: str) -> str | None:
        now = self.clock()
        with transaction(self.sessions) as session:
            prior = session.execute(select(CaseMessage.state, CaseMessage.created_at).where(
                CaseMessage.case_id == case_id, CaseMessage.platform == PLATFORM,
                CaseMessage.channel == channel)).first()
            row_is_ours = session.execute(
                update(CaseMessage)
                .where(CaseMessage.case_id == case_id, CaseMessage.platform == PLATFORM,
                       CaseMessage.channel == channel,
                       or_(CaseMessage.state == CardState.PENDING,
                           (CaseMessage.state == CardState.POSTING) & (CaseMessage.lease_until < now)))
                .values(state=CardState.POSTING, lease_until=now + self.lease, attempts=CaseMessage.attempts + 1)
                .execution_options(synchronize_session=False)
            ).rowcount == 1
            if not row_is_ours:
                return None  # posted already, or another poster is on it
            view = load_card(session, case_id)
        if prior is not None and prior.state == CardState.POSTING:
            # The poster before us died mid-post (its lease ran out): the card may be in Slack
            # already. Look for it before posting, so a channel never shows a case twice.
            found = self._find_posted(case_id, channel, prior.created_at)
            if found is not None:
                log.info("card of case %d was already in %s (ts %s): recorded, not posted again",
                         case_id, channel, found)
                return self._record_posted(case_id, channel, found, view)
        try:
            response = self._call(self.client.chat_postMessage, channel=channel, text=fallback_text(view),
                                  blocks=render_card(view), unfurl_links=False, unfurl_media=False,
                                  metadata={"event_type": CARD_EVENT, "event_payload": {"case_id": case_id}})
        except SlackCallFailed as exc:
            self._give_back(case_id, channel, exc.error)
            return None
        except Exception as exc:  # never leave a row stuck in "posting" because of a bug or odd reply
            self._give_back(case_id, channel, type(exc).__name__)
            raise
        fault_point("card_posted")  # fault-injection suite: die between Slack accepting and the record
        return self._record_posted(case_id, channel, response["ts"], view)

    def _find_posted(self, case_id: int, channel: str, since: datetime) -> str | None:
        """The ts of this case's card in ``channel`` (found by its message metadata), if it is there."""
        cursor = None
        try:
            for _ in range(20):
                page = self._call(self.client.conversations_history, channel=channel, include_all_metadata=True,
                                  oldest=f"{since.timestamp() - 60:.6f}", limit=200, cursor=cursor)
                for message in page.get("messages", []):
                    meta = message.get("metadata") or {}
                    if meta.get("event_type") == CARD_EVENT and \
                            str((meta.get("event_payload") or {}).get("case_id")) == str(case_id):
                        return message["ts"]
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not page.get("has_more") or not cursor:
                    return None
        except SlackCallFailed as exc:  # e.g. channels:history not granted: post (at least once) instead
            log.warning("cannot check %s for an earlier card of case %d (%s)", channel, case_id, exc.error)
        return None

    def _record_posted(self, case_id: int, channel: str, ts: str, view: CardView) -> str:
        with transaction(self.sessions) as session:
            session.execute(
                update(CaseMessage)
                .where(CaseMessage.case_id == case_id, CaseMessage.platform == PLATFORM, CaseMessage.channel == channel)
                .values(state=CardState.POSTED, message_id=ts, posted_at=self.clock(), lease_until=None,
                        last_error=None)
                .execution_options(synchronize_session=False)
            )
            queries.add_event(session, case_id, "posted", actor="slack", source=PLATFORM,
                              payload={"channel": channel, "ts": ts})
            # Someone may have acted on the case while we were posting: the card must show that.
            fresh = load_card(session, case_id)
            handoff = latest_handoff(session, case_id)
        if fresh is not None and render_card(fresh) != render_card(view):
            self._update(channel, ts, fresh)
        if handoff is not None and fresh is not None and fresh.team == handoff.to_team:
            # An escalated case arrives with its history and pings the people who now own it.
            self._thread(channel, ts, handoff_message(handoff))
        log.info("posted case %d to %s (ts %s)", case_id, channel, ts)
        return ts

    def _give_back(self, case_id: int, channel: str, error: str) -> None:
        with transaction(self.sessions) as session:
            row = session.scalars(select(CaseMessage).where(
                CaseMessage.case_id == case_id, CaseMessage.platform == PLATFORM, CaseMessage.channel == channel)).one()
            delay = self.retry_delay * (2 ** min(max(row.attempts - 1, 0), 6))
            row.state, row.lease_until, row.last_error = CardState.PENDING, None, error[:200]
            row.next_attempt_at = self.clock() + delay
        log.warning("could not post case %d to %s (%s); will retry in %s", case_id, channel, error, delay)

    # --- keeping cards current -------------------------------------------------------------------

    def refresh(self, case_id: int, *, announce: bool = True) -> None:
        """Re-render every posted card of the case (chat.update) and say what happened in its thread."""
        with self._lock(case_id):
            self._refresh_locked(case_id, announce)

    def _refresh_locked(self, case_id: int, announce: bool) -> None:
        with self.sessions() as session:
            view = load_card(session, case_id)
            targets = session.execute(select(CaseMessage.channel, CaseMessage.message_id).where(
                CaseMessage.case_id == case_id, CaseMessage.platform == PLATFORM,
                CaseMessage.state == CardState.POSTED)).all()
        if view is None:
            return
        line = status_line(view) if announce else None
        for channel, ts in targets:
            self._update(channel, ts, view)
            if line:
                self._thread(channel, ts, line)

    def post_approval(self, case_id: int, outbox_id: int) -> int:
        """Post the approval request (draft + Approve/Edit/Reject, PR pinged) in the case's card threads."""
        from handlers.slack.approval import approval_blocks, approval_text, load_draft

        with self.sessions() as session:
            draft = load_draft(session, case_id, outbox_id)
            targets = session.execute(select(CaseMessage.channel, CaseMessage.message_id).where(
                CaseMessage.case_id == case_id, CaseMessage.platform == PLATFORM,
                CaseMessage.state == CardState.POSTED)).all()
        if draft is None:
            return 0
        posted = 0
        for channel, ts in targets:
            try:
                self._call(self.client.chat_postMessage, channel=channel, thread_ts=ts, text=approval_text(draft),
                           blocks=approval_blocks(draft))
                posted += 1
            except SlackCallFailed as exc:
                log.warning("could not ask for approval of reply %d in %s: %s", outbox_id, channel, exc.error)
        return posted

    def close_approval(self, case_id: int, outbox_id: int, channel: str, ts: str, outcome: str) -> None:
        """Replace the approval message's buttons with who decided what."""
        from handlers.slack.approval import approval_blocks, approval_text, load_draft

        with self.sessions() as session:
            draft = load_draft(session, case_id, outbox_id)
        if draft is None:
            return
        try:
            self._call(self.client.chat_update, channel=channel, ts=ts, text=approval_text(draft),
                       blocks=approval_blocks(draft, outcome=outcome))
        except SlackCallFailed as exc:
            log.warning("could not close the approval message of reply %d: %s", outbox_id, exc.error)

    def _update(self, channel: str, ts: str, view: CardView) -> None:
        try:
            self._call(self.client.chat_update, channel=channel, ts=ts, text=fallback_text(view),
                       blocks=render_card(view))
        except SlackCallFailed as exc:
            # The next event re-renders the card anyway; the event log holds the truth meanwhile.
            log.warning("could not update card of case %d in %s: %s", view.case_id, channel, exc.error)

    def say_in_thread(self, channel: str, ts: str, text: str) -> None:
        self._thread(channel, ts, text)

    def _posted(self, case_id: int) -> list[tuple[str, str]]:
        with self.sessions() as session:
            return [tuple(row) for row in session.execute(select(CaseMessage.channel, CaseMessage.message_id).where(
                CaseMessage.case_id == case_id, CaseMessage.platform == PLATFORM,
                CaseMessage.state == CardState.POSTED)).all()]

    def say_in_threads(self, case_id: int, text: str) -> None:
        """Post ``text`` (already mrkdwn-safe) in the thread of every card of the case."""
        for channel, ts in self._posted(case_id):
            self._thread(channel, ts, text)

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

    def _thread(self, channel: str, ts: str, text: str) -> None:
        try:
            self._call(self.client.chat_postMessage, channel=channel, thread_ts=ts, text=text)
        except SlackCallFailed as exc:
            log.warning("could not post in the thread %s/%s: %s", channel, ts, exc.error)


class PosterWorker:
    """A background thread: posts new cases as soon as they are stored, and every ``retry_every``
    seconds retries pending cards and posts cards that are missing."""

    def __init__(self, poster: CardPoster, *, retry_every: float = 10.0):
        self.poster = poster
        self.retry_every = retry_every
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

    def _run(self) -> None:
        last_retry = 0.0
        while True:
            try:
                case_id = self._queue.get(timeout=self.retry_every)
            except queue.Empty:
                case_id = -1
            if case_id is None:
                return
            try:
                if case_id >= 0:
                    self.poster.post_case(case_id)
                if time.monotonic() - last_retry >= self.retry_every:
                    last_retry = time.monotonic()
                    self.poster.retry_pending()
                    self.poster.post_missing()
                    self.poster.prune_deliveries()
            except Exception:  # keep the worker alive; the row stays pending and is retried
                log.exception("posting case %s failed", case_id)
            if self._queue.empty():
                self._idle.set()

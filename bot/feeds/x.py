"""The X source: poll each brand's mentions and a recent search for its hashtags and keywords.

One *query* per brand and kind (``mentions:SkylarkHelp``, ``search:Skylark Airways``), each with
a :class:`~storage.models.FeedCursor` row. A poll reads the posts newer than the cursor's
``since_id`` (newest first, page by page), ingests them and moves ``since_id`` **in the same
transaction**: a crash before the commit re-reads the posts (dedupe drops them), a crash after
it never re-reads them, so a restart neither misses nor re-posts a mention.

Each query keeps its own health: a 429 parks only that query until ``x-rate-limit-reset``, a 5xx
or network error backs it off exponentially, and the other queries go on. With a monthly read
quota configured, :class:`ReadBudget` throttles polling when the traffic would use it up.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from typing import Any

import requests
import tweepy

from bot.feeds import xapi
from bot.core.durations import human_duration
from bot.core.config import Brand, Config, XSource
from bot.core.faults import fault_point
from bot.core.observability import PLATFORM_ERRORS
from bot.core.mention import Mention
from storage.clock import utcnow
from bot.feeds.quarantine import Poison, ingest_isolating_poison, quarantine, storable_problem
from storage import queries
from storage.models import FeedCursor

log = logging.getLogger(__name__)

SOURCE = "x"
MIN_RESULTS = 10  # X refuses max_results below 10 on search (5 on mentions)
MAX_QUERY_CHARS = 512  # recent search query length on X's self-serve plans
RECENT_SEARCH_WINDOW = timedelta(days=7) - timedelta(minutes=5)  # search/recent reaches 7 days back
MAX_BACKOFF = timedelta(minutes=15)
AUTH_RETRY = timedelta(minutes=15)




@dataclass(frozen=True)
class XQuery:
    key: str
    brand: Brand
    kind: str  # "mentions" or "search"
    search: str | None = None  # the recent-search query, for kind "search"


class XQueryError(ValueError):
    """A brand whose terms cannot be turned into an X search query (names the brand and why)."""


def search_query(brand: Brand) -> str | None:
    """``(#tag OR "key word" …) -is:retweet -from:account``: the brand's terms, no reposts, not ourselves."""
    terms = [*brand.hashtags, *(f'"{k}"' if " " in k else k for k in brand.keywords)]
    if not terms:
        return None
    exclusions = ["-is:retweet", *(f"-from:{h.lstrip('@')}" for h in brand.handles if "." not in h)]
    query = f"({' OR '.join(terms)}) {' '.join(exclusions)}"
    if len(query) > MAX_QUERY_CHARS:
        raise XQueryError(f"brand {brand.name!r}: the X search query for its hashtags and keywords is "
                          f"{len(query)} characters; X allows {MAX_QUERY_CHARS}. Use fewer or shorter terms.")
    return query


def build_queries(config: Config) -> list[XQuery]:
    out: list[XQuery] = []
    for brand in config.brands:
        username = brand.x_username()
        if username:
            out.append(XQuery(f"mentions:{username}", brand, "mentions"))
        if config.x.search:
            query = search_query(brand)
            if query:
                out.append(XQuery(f"search:{brand.name}"[:200], brand, "search", query))
    return out


# --- the read quota ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Plan:
    interval: timedelta  # until the query's next poll
    read_cap: int  # posts this poll may read
    note: str | None = None  # why polling is slowed, for the status table


def month_key(now: datetime) -> str:
    return f"{now.year:04d}-{now.month:02d}"


def next_month_start(now: datetime) -> datetime:
    year, month = (now.year + 1, 1) if now.month == 12 else (now.year, now.month + 1)
    return datetime(year, month, 1, tzinfo=timezone.utc)


class ReadBudget:
    """Spreads the monthly read quota over the rest of the month.

    X bills posts read, not requests, and ``since_id`` means each post is read once however often
    we poll; so the quota is only at risk when *traffic* outruns it. While the observed traffic
    of a query fits its share of what is left, it polls at the configured interval and reads
    everything. When it does not, each poll reads at most its share (newest posts first) and, if
    that share is below one page, the interval stretches instead. It never plans past the quota.
    """

    def __init__(self, settings: XSource):
        self.settings = settings

    def plan(self, *, now: datetime, used: int, queries: int, observed_per_hour: float) -> Plan:
        base = timedelta(seconds=self.settings.poll_interval_seconds)
        full = self.settings.page_size * self.settings.max_pages
        quota = self.settings.monthly_read_quota
        if quota is None:
            return Plan(base, full)
        remaining = quota - used
        reopen = next_month_start(now)
        if remaining <= 0:
            return Plan(reopen - now, 0, f"monthly read quota used up; polling resumes {reopen:%Y-%m-%d}")
        hours_left = max((reopen - now).total_seconds() / 3600, 1 / 60)
        allowed_per_hour = remaining / hours_left / max(queries, 1)
        if observed_per_hour <= allowed_per_hour:
            return Plan(base, min(full, remaining))
        cap = allowed_per_hour * base.total_seconds() / 3600
        if cap >= MIN_RESULTS:
            return Plan(base, min(int(cap), full, remaining),
                        f"throttled to {int(cap)} posts a poll to stay within the monthly quota")
        stretched = timedelta(hours=MIN_RESULTS / allowed_per_hour)
        return Plan(stretched, min(MIN_RESULTS, remaining),
                    f"polling every {human_duration(stretched)} to stay within the monthly quota")


# --- polling -------------------------------------------------------------------------------------

@dataclass
class PollResult:
    query: str
    status: str  # ok, rate_limited, error, auth, quota, not_due
    read: int = 0
    new_cases: int = 0
    duplicates: int = 0
    truncated: bool = False  # more posts were waiting than this poll could read
    error: str | None = None
    quarantined: int = 0  # posts set aside because they could not be stored (bot/feeds/quarantine.py)


class _Fetched:
    def __init__(self) -> None:
        self.tweets: list[dict] = []
        self.users: dict[str, dict] = {}
        self.newest_id: str | None = None
        self.truncated = False


class XPoller:
    """Polls every configured X query that is due; ``start()`` runs it on an APScheduler interval."""

    def __init__(self, runtime: Any, client: tweepy.Client, *, clock: Callable[[], datetime] = utcnow,
                 queries_: list[XQuery] | None = None):
        self.runtime = runtime
        self.client = client
        self.clock = clock
        self.settings: XSource = runtime.config.x
        self.queries = queries_ if queries_ is not None else build_queries(runtime.config)
        self.budget = ReadBudget(self.settings)
        self._user_ids: dict[str, str] = {}  # brand username -> X user id
        self._scheduler: Any = None
        self._lock = threading.Lock()  # one poll round at a time in this process

    # The scheduler calls this every few seconds; each query decides whether it is due.
    def poll_due(self) -> list[PollResult]:
        with self._lock:
            return [self.poll(q) for q in self.queries]

    def poll(self, query: XQuery, *, force: bool = False) -> PollResult:
        now = self.clock()
        with self.runtime.sessions() as session, session.begin():
            cursor = queries.feed_cursor(session, SOURCE, query.key, brand=query.brand.name)
            if not force and cursor.next_poll_at is not None and cursor.next_poll_at > now:
                return PollResult(query.key, "not_due")
            plan = self._plan(session, cursor, now)
            since_id = cursor.since_id
            if plan.read_cap <= 0:
                self._park(cursor, now, "quota", plan.note, now + plan.interval, failed=False)
                return PollResult(query.key, "quota", error=plan.note)
        try:
            fetched = self._fetch(query, since_id, plan.read_cap, now)
        except tweepy.TooManyRequests as exc:
            reopen = xapi.reset_time(exc) or now + MAX_BACKOFF
            return self._failed(query, now, "rate_limited", f"rate limited until {reopen:%H:%M:%S} UTC", reopen,
                                count_failure=False)
        except (tweepy.Unauthorized, tweepy.Forbidden) as exc:
            log.error("X refused %s: %s (check the X tokens and the app's access level)", query.key, xapi.error_text(exc))
            return self._failed(query, now, "auth", xapi.error_text(exc), now + AUTH_RETRY)
        except (tweepy.HTTPException, requests.RequestException, xapi.XConfigError) as exc:
            log.warning("X poll of %s failed: %s", query.key, xapi.error_text(exc))
            return self._failed(query, now, "error", xapi.error_text(exc), None)
        return self._store(query, fetched, plan, now)

    def _plan(self, session: Any, cursor: FeedCursor, now: datetime) -> Plan:
        month = month_key(now)
        if cursor.month != month:
            cursor.month, cursor.reads_this_month = month, 0
        used = sum(c.reads_this_month for c in queries.feed_cursors(session, SOURCE) if c.month == month
                   and c.id != cursor.id) + cursor.reads_this_month
        return self.budget.plan(now=now, used=used, queries=len(self.queries), observed_per_hour=cursor.reads_per_hour)

    def _fetch(self, query: XQuery, since_id: str | None, cap: int, now: datetime) -> _Fetched:
        out = _Fetched()
        params: dict[str, Any] = {"tweet_fields": xapi.TWEET_FIELDS, "user_fields": xapi.USER_FIELDS,
                                  "expansions": xapi.EXPANSIONS}
        if since_id:
            params["since_id"] = since_id
        else:
            start = self._start_time(query, now)
            if start is not None:
                params["start_time"] = start
        token: str | None = None
        for _ in range(self.settings.max_pages):
            page_size = max(MIN_RESULTS, min(self.settings.page_size, cap - len(out.tweets)))
            if token:
                params["pagination_token" if query.kind == "mentions" else "next_token"] = token
            response = self._request(query, max_results=page_size, **params)
            meta = response.meta or {}
            if out.newest_id is None and meta.get("newest_id"):
                out.newest_id = str(meta["newest_id"])
            out.users.update(xapi.users_by_id(response))
            out.tweets.extend(t.data for t in response.data or [])
            token = meta.get("next_token")
            if not token:
                break
            if len(out.tweets) >= cap:
                out.truncated = True
                break
        else:
            out.truncated = bool(token)
        if len(out.tweets) > cap:
            out.tweets = out.tweets[:cap]  # newest first: the oldest beyond the budget are skipped
            out.truncated = True
        return out

    def _request(self, query: XQuery, **params: Any) -> tweepy.Response:
        if query.kind == "mentions":
            return self.client.get_users_mentions(self._user_id(query.brand), **params)
        return self.client.search_recent_tweets(query.search, **params)

    def _user_id(self, brand: Brand) -> str:
        username = brand.x_username()
        assert username
        if username not in self._user_ids:
            response = self.client.get_user(username=username)
            if response.data is None:
                raise xapi.XConfigError(f"X has no account @{username} (brand {brand.name!r})")
            self._user_ids[username] = str(response.data.id)
        return self._user_ids[username]

    def _start_time(self, query: XQuery, now: datetime) -> datetime | None:
        """The first poll of a query reads back to the brand's start date (search: 7 days at most)."""
        start = datetime.combine(query.brand.start_date, time(), timezone.utc) if query.brand.start_date else None
        if query.kind == "search":
            floor = now - RECENT_SEARCH_WINDOW
            start = max(start, floor) if start else floor
        return start

    def _store(self, query: XQuery, fetched: _Fetched, plan: Plan, now: datetime) -> PollResult:
        start = self._start_time(query, now) if query.brand.start_date else None
        readable, poison = [], []
        for tweet in reversed(fetched.tweets):  # oldest first, as they happened
            try:
                mention = self._mention(tweet, fetched.users, query)
            except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
                poison.append(Poison(str(tweet.get("id", "")), f"cannot be read: {type(exc).__name__}: {exc}", tweet))
                continue
            problem = storable_problem(mention)
            if problem:
                poison.append(Poison(mention.external_id, problem, tweet))
            elif start is None or mention.created_at >= start:
                readable.append(mention)
        mentions = readable
        with self.runtime.sessions() as session, session.begin():
            # A post the database refuses is quarantined, not allowed to fail the page (and, with
            # since_id stuck before it, every later poll): see bot/feeds/quarantine.py.
            outcomes, refused = ingest_isolating_poison(self.runtime.ingest, session, mentions)
            quarantine(session, SOURCE, query.key, poison + refused)
            cursor = queries.feed_cursor(session, SOURCE, query.key, brand=query.brand.name)
            if fetched.newest_id and (cursor.since_id is None or int(fetched.newest_id) > int(cursor.since_id)):
                cursor.since_id = fetched.newest_id
            read = len(fetched.tweets)
            cursor.reads_this_month += read
            if cursor.last_success_at is not None:
                hours = max((now - cursor.last_success_at).total_seconds() / 3600, 1 / 3600)
                cursor.reads_per_hour = 0.7 * cursor.reads_per_hour + 0.3 * (read / hours)
            note = plan.note or ("more posts were waiting than one poll may read; the oldest were skipped"
                                 if fetched.truncated else None)
            cursor.last_success_at = now
            self._park(cursor, now, "ok", note, now + plan.interval, failed=False)
        if mentions:
            fault_point("ingested")  # committed (since_id too), cards not posted yet
        self.runtime.notify_new_cases(outcomes)
        new_cases = sum(1 for o in outcomes if o.new_case)
        duplicates = sum(1 for o in outcomes if o.duplicate)
        if read:
            log.info("X %s: %d posts read, %d new cases, %d duplicates, %d quarantined", query.key, read, new_cases,
                     duplicates, len(poison) + len(refused))
        return PollResult(query.key, "ok", read, new_cases, duplicates, fetched.truncated,
                          quarantined=len(poison) + len(refused))

    def _mention(self, tweet: dict, users: dict[str, dict], query: XQuery) -> Mention:
        # A post in the mentions timeline is addressed to the brand's account by definition.
        return xapi.tweet_to_mention(tweet, users, direct=query.kind == "mentions")

    def _failed(self, query: XQuery, now: datetime, status: str, error: str, until: datetime | None,
                *, count_failure: bool = True) -> PollResult:
        PLATFORM_ERRORS.labels("x", status).inc()
        with self.runtime.sessions() as session, session.begin():
            cursor = queries.feed_cursor(session, SOURCE, query.key, brand=query.brand.name)
            if until is None:  # exponential back-off from the poll interval, capped
                base = timedelta(seconds=self.settings.poll_interval_seconds)
                until = now + min(base * 2 ** min(cursor.failures, 10), MAX_BACKOFF)
            self._park(cursor, now, status, error, until, failed=count_failure)
        return PollResult(query.key, status, error=error)

    @staticmethod
    def _park(cursor: FeedCursor, now: datetime, status: str, note: str | None, until: datetime,
              *, failed: bool) -> None:
        cursor.status = status
        cursor.last_error = note[:300] if note else None
        cursor.last_polled_at = now
        cursor.next_poll_at = until
        cursor.failures = cursor.failures + 1 if failed else 0
        cursor.updated_at = now

    # --- running on a timer ----------------------------------------------------------------------

    def start(self, *, tick_seconds: float | None = None) -> None:
        """Poll on an APScheduler interval (its own in-memory scheduler: the cursors are the state)."""
        from apscheduler.schedulers.background import BackgroundScheduler

        tick = tick_seconds or min(5.0, self.settings.poll_interval_seconds)
        self._scheduler = BackgroundScheduler(timezone=timezone.utc)
        self._scheduler.add_job(self._tick, "interval", seconds=tick, id="x-poll", max_instances=1, coalesce=True,
                                next_run_time=datetime.now(timezone.utc))
        self._scheduler.start()
        log.info("X poller started: %d queries (%s)", len(self.queries), ", ".join(q.key for q in self.queries))

    def _tick(self) -> None:
        try:
            self.poll_due()
        except Exception:  # a bug must not stop the timer; it is logged and the next tick retries
            log.exception("X poll round failed")

    def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=True)
            self._scheduler = None


def next_poll_in(cursor: FeedCursor, now: datetime) -> str:
    if cursor.next_poll_at is None:
        return "now"
    seconds = (cursor.next_poll_at - now).total_seconds()
    return "now" if seconds <= 0 else human_duration(timedelta(seconds=math.ceil(seconds)))

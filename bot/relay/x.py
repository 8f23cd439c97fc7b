"""Sending to X: public replies in the customer's thread, direct messages, likes and reposts.

Every X error is sorted into *transient* (try again later: 429, 5xx, network) or *permanent*
(the post was deleted, X calls it duplicate content, replies are restricted, the user cannot be
messaged): the outbox retries the first and shows the second to the agent, in words.

After a crash mid-send, :meth:`XSender.find_sent` looks for the earlier send page by page, back
to the moment the attempt began (the entry's ``sending_since``, less a minute of clock skew):
however many posts or messages the brand sent since, the earlier send is found if it exists. If
X's history ends before that moment (its timelines reach 3,200 posts back) the relay is told it
cannot know yet (a transient error) rather than that nothing was sent: sending again might
post twice.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import requests
import tweepy

from bot.feeds import xapi
from bot.relay.outbox import Delivery, OutboxJob, SendError
from storage.models import OutboxKind, Visibility

log = logging.getLogger(__name__)

_URL = re.compile(r"https?://\S+")
# X serves at most 3,200 posts of a user's timeline: 32 pages of 100.
MAX_LOOKBACK_PAGES = 32
CLOCK_SKEW = timedelta(minutes=1)  # our clock vs X's created_at


def same_text(a: str, b: str) -> bool:
    """X rewrites links (t.co) and may trim whitespace: compare what is left."""
    norm = lambda s: " ".join(_URL.sub("<link>", s).split())  # noqa: E731
    return norm(a) == norm(b)


def classify(exc: Exception) -> SendError:
    text = xapi.error_text(exc)
    if isinstance(exc, tweepy.TooManyRequests):
        return SendError("X rate limit reached", permanent=False, retry_at=xapi.reset_time(exc))
    if isinstance(exc, tweepy.TwitterServerError) or isinstance(exc, requests.RequestException):
        return SendError(text, permanent=False)
    lowered = text.lower()
    if isinstance(exc, tweepy.Forbidden) and "duplicate" in lowered:
        return SendError("X refused it as duplicate content: the brand already posted this exact text; "
                         "reword the reply", permanent=True)
    if "deleted" in lowered or "not visible" in lowered or isinstance(exc, tweepy.NotFound):
        return SendError("the customer's post was deleted or is no longer visible", permanent=True)
    if isinstance(exc, tweepy.Forbidden) and ("reply" in lowered or "conversation" in lowered):
        return SendError(f"X does not allow a reply here (the author limited who can reply): {text}", permanent=True)
    if isinstance(exc, tweepy.Forbidden) and "message" in lowered:
        return SendError(f"the customer cannot be sent a direct message (they do not accept DMs from us): {text}",
                         permanent=True)
    if isinstance(exc, tweepy.Unauthorized):
        return SendError("X refused the brand account's tokens (check X_ACCESS_TOKEN and friends)", permanent=True)
    return SendError(text, permanent=True)


class XSender:
    platform = "x"

    def __init__(self, client: tweepy.Client):
        self.client = client
        self._me: tuple[str, str] | None = None  # (user id, username) of the brand account

    def me(self) -> tuple[str, str]:
        if self._me is None:
            data = self.client.get_me(user_auth=True).data
            self._me = (str(data.id), data.username)
        return self._me

    def send(self, job: OutboxJob) -> Delivery:
        try:
            return self._send(job)
        except (tweepy.TweepyException, requests.RequestException) as exc:
            raise classify(exc) from exc

    def _send(self, job: OutboxJob) -> Delivery:
        if job.kind in (OutboxKind.LIKE, OutboxKind.REPOST):
            if not job.in_reply_to:
                raise SendError("no post to like or repost", permanent=True)
            if job.kind == OutboxKind.LIKE:
                self.client.like(job.in_reply_to, user_auth=True)
            else:
                self.client.retweet(job.in_reply_to, user_auth=True)
            return Delivery(f"{job.kind.value}:{job.in_reply_to}", xapi.tweet_url(None, job.in_reply_to))
        if job.visibility == Visibility.PRIVATE:
            if not job.recipient_id:
                raise SendError("the customer's X user id is unknown, so no direct message can be sent", permanent=True)
            data = self.client.create_direct_message(participant_id=job.recipient_id, text=job.text,
                                                     user_auth=True).data
            return Delivery(str(data["dm_event_id"]), f"https://x.com/messages/{data['dm_conversation_id']}")
        if not job.in_reply_to:
            raise SendError("no post to reply to", permanent=True)
        data = self.client.create_tweet(text=job.text, in_reply_to_tweet_id=job.in_reply_to, user_auth=True).data
        return Delivery(str(data["id"]), xapi.tweet_url(self.me()[1], str(data["id"])))

    def find_sent(self, job: OutboxJob) -> Delivery | None:
        """After a crash mid-send: did the brand post this reply (or DM) already?"""
        try:
            if job.kind != OutboxKind.REPLY:
                return None  # likes and reposts are idempotent on X: sending again changes nothing
            me, username = self.me()
            if job.visibility == Visibility.PRIVATE:
                return self._find_dm(job, me)
            # The reply is newer than the attempt (start_time: the tighter bound, always known for an
            # entry left in sending), and in any case newer than the post it answers (since_id).
            # Only one of them, so the bound is exactly the one meant, whatever X does with both.
            if job.sending_since is not None:
                bounds: dict = {"start_time": job.sending_since - CLOCK_SKEW}
            else:
                bounds = {"since_id": job.in_reply_to} if job.in_reply_to else {}
            pages = tweepy.Paginator(self.client.get_users_tweets, me, max_results=100, user_auth=True,
                                     tweet_fields=["referenced_tweets", "created_at"], limit=MAX_LOOKBACK_PAGES,
                                     **bounds)
            complete = False
            for complete, response in _until_exhausted(pages):
                for tweet in response.data or []:
                    refs = tweet.data.get("referenced_tweets") or []
                    if any(r.get("type") == "replied_to" and str(r.get("id")) == job.in_reply_to for r in refs) \
                            and same_text(tweet.text, job.text):
                        return Delivery(str(tweet.id), xapi.tweet_url(username, str(tweet.id)))
            if not complete:
                raise SendError(f"the brand posted more than {MAX_LOOKBACK_PAGES * 100} times since this reply "
                                "was attempted: cannot tell whether it went out", permanent=False)
            return None
        except (tweepy.TweepyException, requests.RequestException) as exc:
            raise classify(exc) from exc

    def _find_dm(self, job: OutboxJob, me: str) -> Delivery | None:
        if not job.recipient_id:
            return None
        since = (job.sending_since - CLOCK_SKEW) if job.sending_since else None
        pages = tweepy.Paginator(self.client.get_direct_message_events, participant_id=job.recipient_id,
                                 max_results=100, user_auth=True, limit=MAX_LOOKBACK_PAGES,
                                 dm_event_fields=["sender_id", "text", "created_at", "dm_conversation_id"])
        complete = False
        for complete, response in _until_exhausted(pages):
            older_than_attempt = False
            for event in response.data or []:  # newest first
                data = event.data
                created = xapi.parse_time(data["created_at"]) if data.get("created_at") else None
                if since is not None and created is not None and created < since:
                    older_than_attempt = True  # everything from here on predates the attempt
                    break
                if str(data.get("sender_id")) == me and same_text(data.get("text", ""), job.text):
                    return Delivery(str(data["id"]), f"https://x.com/messages/{data.get('dm_conversation_id', '')}")
            if older_than_attempt:
                return None
        if not complete:
            raise SendError(f"more than {MAX_LOOKBACK_PAGES * 100} direct messages since this one was attempted: "
                            "cannot tell whether it went out", permanent=False)
        return None


def _until_exhausted(pages: tweepy.Paginator):
    """Each page, with whether X has no more after it: when the loop ends on a page that still
    has a next one, the page budget ran out before the history did."""
    for response in pages:
        yield not (response.meta or {}).get("next_token"), response

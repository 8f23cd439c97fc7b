"""Sending to Mastodon: replies in the customer's thread, direct replies, favourites and boosts.

**Exactly once.** Every status is posted with an ``Idempotency-Key`` derived from its outbox
entry (:func:`idempotency_key`): Mastodon answers a repeated key (for an hour, per account) with
the status the first request made. So a send retried after a timeout, or after a crash between
"sent" and "recorded", cannot post twice. Past that hour the relay's reconcile step
(:meth:`MastodonSender.find_sent`) looks in the customer's thread for the brand's reply before
the entry is queued again.

**Threads and visibility.** A reply is ``in_reply_to_id`` the customer's post and starts with
their ``@acct`` (Mastodon notifies, and delivers a direct status, only to accounts the text
mentions). A private reply is ``visibility="direct"``. A public one keeps the customer's
visibility (public, unlisted, followers-only), except that a post sent as ``direct`` is answered
``unlisted``: the agent chose a public answer, but it must not put a private conversation on
the public timelines.

**Limits.** The length limit is the instance's (``/api/v2/instance``: ``max_characters``, links
counting ``characters_reserved_per_url``), not a constant; a reply over it fails permanently
with both figures. ``X-RateLimit-Remaining``/``-Reset`` are honoured before each call: a used-up
window is a transient failure retried at the reset.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from typing import Any

import requests
from mastodon import Mastodon
from mastodon.errors import (MastodonAPIError, MastodonError, MastodonNetworkError, MastodonNotFoundError,
                             MastodonRatelimitError, MastodonServerError, MastodonUnauthorizedError)

from bot.feeds import mastodon_api
from bot.relay.outbox import Delivery, OutboxJob, SendError
from storage.models import OutboxKind, Visibility

log = logging.getLogger(__name__)

LIMITS_TTL = 3600.0  # the instance's limits are read again after an hour
_URL = re.compile(r"https?://\S+")


def idempotency_key(job: OutboxJob) -> str:
    """One key per outbox entry and text: a retry of the entry repeats it; an edited text does not."""
    digest = hashlib.sha256(job.text.encode("utf-8")).hexdigest()[:16]
    return f"mentiondesk-outbox-{job.id}-{job.case_id}-{digest}"


def same_text(a: str, b: str) -> bool:
    """Mastodon re-renders text as HTML (links, line breaks): compare what is left."""
    norm = lambda s: " ".join(_URL.sub("<link>", s).split()).lower()  # noqa: E731
    return norm(a) == norm(b)


def reply_visibility(job: OutboxJob, customer_visibility: str) -> str:
    if job.visibility == Visibility.PRIVATE:
        return "direct"
    return "unlisted" if customer_visibility == "direct" else customer_visibility or "public"


def addressed(text: str, acct: str) -> str:
    """``text`` starting with the customer's ``@acct`` unless it already mentions them."""
    if re.search(rf"(?<![\w@])@{re.escape(acct)}(?![\w@.])", text, re.IGNORECASE):
        return text
    return f"@{acct} {text}"


def classify(exc: Exception, client: Mastodon | None = None) -> SendError:
    text = mastodon_api.error_text(exc)
    if isinstance(exc, MastodonRatelimitError):
        return SendError("Mastodon rate limit reached", permanent=False,
                         retry_at=mastodon_api.reset_after_429(client) if client is not None else None)
    if isinstance(exc, (MastodonServerError, MastodonNetworkError, requests.RequestException)):
        return SendError(text, permanent=False)
    if isinstance(exc, MastodonNotFoundError):
        return SendError("the customer's post was deleted or is no longer visible", permanent=True)
    if isinstance(exc, MastodonUnauthorizedError):
        return SendError("Mastodon refused the brand account's token (check MENTIONDESK_MASTODON_ACCESS_TOKEN and "
                         "its write:statuses scope)", permanent=True)
    if isinstance(exc, MastodonAPIError) and mastodon_api.status_code(exc) == 403:
        return SendError(f"Mastodon does not allow this (the account may be blocked or suspended): {text}",
                         permanent=True)
    return SendError(text, permanent=True)


class MastodonSender:
    platform = "mastodon"

    def __init__(self, client: Mastodon):
        self.client = client
        self._me: str | None = None
        self._limits: tuple[float, int, int] | None = None  # (read at, max characters, characters per link)

    def me(self) -> str:
        if self._me is None:
            self._me = str(self.client.account_verify_credentials()["id"])
        return self._me

    def limits(self) -> tuple[int, int]:
        """``(max_characters, characters_reserved_per_url)`` of the instance, cached for an hour."""
        if self._limits is None or time.monotonic() - self._limits[0] > LIMITS_TTL:
            self._limits = (time.monotonic(), *mastodon_api.instance_limits(self.client))
        return self._limits[1], self._limits[2]

    def _call(self, method: Any, *args: Any, **kwargs: Any) -> Any:
        until = mastodon_api.rate_limited_until(self.client)
        if until is not None:
            raise SendError(f"Mastodon rate limit used up until {until:%H:%M:%S} UTC", permanent=False, retry_at=until)
        try:
            return method(*args, **kwargs)
        except (MastodonError, requests.RequestException) as exc:
            raise classify(exc, self.client) from exc

    def send(self, job: OutboxJob) -> Delivery:
        if not job.in_reply_to:
            raise SendError("no Mastodon post to answer", permanent=True)
        if job.kind == OutboxKind.LIKE:  # favouriting and boosting twice change nothing on Mastodon
            status = self._call(self.client.status_favourite, job.in_reply_to)
            return Delivery(f"like:{job.in_reply_to}", mastodon_api.field_of(status, "url"))
        if job.kind == OutboxKind.REPOST:
            status = self._call(self.client.status_reblog, job.in_reply_to)
            return Delivery(f"repost:{job.in_reply_to}", mastodon_api.field_of(status, "url"))
        customer = self._call(self.client.status, job.in_reply_to)
        text = addressed(job.text, str(customer["account"]["acct"]))
        max_characters, per_url = self._call(self.limits)
        length = mastodon_api.status_length(text, url_characters=per_url)
        if length > max_characters:
            raise SendError(f"too long for this Mastodon instance: {length} characters (with the customer's @handle), "
                            f"{max_characters} at most", permanent=True)
        status = self._call(self.client.status_post, text, in_reply_to_id=job.in_reply_to,
                            visibility=reply_visibility(job, str(mastodon_api.field_of(customer, "visibility", "public"))),
                            idempotency_key=idempotency_key(job))
        return Delivery(str(status["id"]), mastodon_api.field_of(status, "url") or mastodon_api.field_of(status, "uri"))

    def find_sent(self, job: OutboxJob) -> Delivery | None:
        """After a crash mid-send: is the brand's reply already in the customer's thread?"""
        if job.kind != OutboxKind.REPLY or not job.in_reply_to:
            return None  # favourites and boosts are idempotent: sending again changes nothing
        try:
            context = self._call(self.client.status_context, job.in_reply_to)
        except SendError as exc:
            if exc.permanent:
                return None  # the post is gone: sending again fails with the reason, posts nothing
            raise
        me = self._call(self.me)
        for status in mastodon_api.field_of(context, "descendants", []):
            if str(status["account"]["id"]) == me and str(mastodon_api.field_of(status, "in_reply_to_id")) == job.in_reply_to:
                posted = mastodon_api.html_to_text(str(mastodon_api.field_of(status, "content", "")))
                if same_text(_body(posted), _body(job.text)):
                    return Delivery(str(status["id"]), mastodon_api.field_of(status, "url"))
        return None


def _body(text: str) -> str:
    """The text without its leading @mentions (Mastodon renders ``@user@domain`` as ``@user``)."""
    return re.sub(r"^(\s*@[\w.@-]+)+\s*", "", text)

"""Sending to Bluesky as the brand account: replies in the customer's thread, chat messages,
likes and reposts — each exactly once.

**Replies, likes, reposts are records** in the brand's repository, created with
``com.atproto.repo.createRecord`` under a **deterministic record key** (:func:`bot.blueskyapi.tid_for`
of the outbox entry). The PDS refuses a second record under the same key, so a retry after a crash
cannot post twice, and ``find_sent`` (``getRecord`` under that key) tells the outbox whether the
crashed attempt went out. A reply carries ``reply.root`` and ``reply.parent`` (``uri`` + ``cid``,
read from the customer's post) and its links and @mentions as facets; it is at most 300 graphemes.

**Private replies are chat messages** (``chat.bsky.convo.getConvoForMembers`` + ``sendMessage``,
proxied to the chat service with the ``atproto-proxy`` header). They need an app password created
with DM access (``bluesky.direct_messages``) and a customer whose chat settings accept the brand;
when either is missing the entry fails with a reason the card shows. Chat has no idempotency
key: after a crash ``find_sent`` looks for the same text from the brand since the send started.

Errors are sorted as for X: 429 (until ``ratelimit-reset``), 5xx and network errors are
transient; a deleted post, a refused app password or refused DMs are permanent.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from typing import Any

import regex
from atproto import Client
from atproto_client import exceptions as xrpc
from atproto_client.models.utils import get_model_as_dict

from bot.feeds import blueskyapi
from bot.feeds.blueskyapi import LIKE, MAX_GRAPHEMES, POST, REPOST, BrandAccount
from bot.relay.outbox import Delivery, OutboxJob, SendError
from storage.models import OutboxKind, Visibility

log = logging.getLogger(__name__)

COLLECTIONS = {OutboxKind.REPLY: POST, OutboxKind.LIKE: LIKE, OutboxKind.REPOST: REPOST}
NO_DMS = ("private replies on Bluesky need an app password created with access to direct messages "
          "(set bluesky.direct_messages once it has); reply publicly instead")


def graphemes(text: str) -> int:
    """What Bluesky counts for its 300 limit: user-perceived characters (🧳, é, 👩‍✈️ are one each)."""
    return len(regex.findall(r"\X", text))


def classify(exc: Exception, *, what: str = "post") -> SendError:
    text = blueskyapi.error_text(exc)
    name = blueskyapi.error_name(exc)
    if isinstance(exc, xrpc.RateLimitExceededError):
        return SendError("Bluesky rate limit reached", permanent=False, retry_at=exc.reset_at)
    if isinstance(exc, xrpc.NetworkError) or (isinstance(exc, xrpc.RequestException) and (
            exc.response is None or exc.response.status_code >= 500)):
        return SendError(text, permanent=False)
    lowered = text.lower()
    if name == "RecordNotFound" or "could not locate record" in lowered:
        return SendError("the customer's post was deleted", permanent=True)
    if "bad token scope" in lowered or (what == "message" and name == "InvalidToken"):
        return SendError(NO_DMS, permanent=True)  # the app password was made without DM access
    if what == "message" and ("disabled incoming messages" in lowered or "blocked" in lowered
                              or "cannot message" in lowered or "not accepting" in lowered):
        return SendError(f"the customer does not accept direct messages from the brand ({text}); reply publicly",
                         permanent=True)
    if isinstance(exc, xrpc.UnauthorizedError):
        return SendError("Bluesky refused the brand account (check MENTIONDESK_BLUESKY_HANDLE and "
                         "MENTIONDESK_BLUESKY_APP_PASSWORD)", permanent=True)
    return SendError(text, permanent=True)


class BlueskySender:
    platform = blueskyapi.PLATFORM

    def __init__(self, account: BrandAccount, *, direct_messages: bool = False):
        self.account = account
        self.direct_messages = direct_messages
        self._chat: Client | None = None

    @property
    def client(self) -> Client:
        try:
            return self.account.client()
        except xrpc.AtProtocolError as exc:  # the login itself failed: refused password, PDS down, 429
            raise classify(exc) from exc

    def me(self) -> str:
        self.client  # noqa: B018  (logs in)
        return self.account.did

    def rkey(self, job: OutboxJob) -> str:
        return blueskyapi.tid_for(job.id, job.created_at or datetime(2026, 1, 1, tzinfo=timezone.utc))

    # --- send ------------------------------------------------------------------------------------

    def send(self, job: OutboxJob) -> Delivery:
        if job.kind == OutboxKind.REPLY and job.visibility == Visibility.PRIVATE:
            return self._send_message(job)
        if not job.in_reply_to:
            raise SendError("no post to reply to", permanent=True)
        collection = COLLECTIONS[job.kind]
        try:
            parent = self._record(job.in_reply_to)
            if job.kind == OutboxKind.REPLY:
                record = self._reply_record(job, parent)
            else:
                record = {"$type": collection, "subject": {"uri": parent["uri"], "cid": parent["cid"]},
                          "createdAt": _now_iso()}
        except xrpc.AtProtocolError as exc:
            raise classify(exc) from exc
        rkey = self.rkey(job)
        try:
            created = self.client.com.atproto.repo.create_record(
                data={"repo": self.me(), "collection": collection, "rkey": rkey, "record": record})
        except xrpc.AtProtocolError as exc:
            # Refused, timed out, or "already exists": if the record is there under our key, it was sent.
            found = self._own_record(collection, rkey, job)
            if found is not None:
                return found
            raise classify(exc) from exc
        return Delivery(created.uri, blueskyapi.post_url(created.uri) if collection == POST else None)

    def _record(self, uri: str) -> dict:
        did, collection, rkey = blueskyapi.split_uri(uri)
        response = self.client.com.atproto.repo.get_record(params={"repo": did, "collection": collection, "rkey": rkey})
        return {"uri": response.uri, "cid": response.cid, "value": get_model_as_dict(response.value)}

    def _reply_record(self, job: OutboxJob, parent: dict) -> dict:
        text = job.text.strip()
        if graphemes(text) > MAX_GRAPHEMES:
            raise SendError(f"too long for Bluesky: {graphemes(text)} characters, {MAX_GRAPHEMES} at most",
                            permanent=True)
        parent_ref = {"uri": parent["uri"], "cid": parent["cid"]}
        root = (parent["value"].get("reply") or {}).get("root") or parent_ref
        record: dict[str, Any] = {"$type": POST, "text": text, "createdAt": _now_iso(),
                                  "reply": {"root": {"uri": root["uri"], "cid": root["cid"]}, "parent": parent_ref}}
        facets = [get_model_as_dict(f) for f in self.client.detect_facets(text)]
        if facets:
            record["facets"] = facets
        return record

    def _send_message(self, job: OutboxJob) -> Delivery:
        if not self.direct_messages:
            raise SendError(NO_DMS, permanent=True)
        if not job.recipient_id or not job.recipient_id.startswith("did:"):
            raise SendError("no Bluesky account to message", permanent=True)
        if graphemes(job.text) > 1000:
            raise SendError(f"too long for a Bluesky message: {graphemes(job.text)} characters, 1000 at most",
                            permanent=True)
        try:
            convo = self._convo(job.recipient_id)
            message = self.chat().chat.bsky.convo.send_message(
                data={"convoId": convo, "message": {"text": job.text.strip()}})
        except xrpc.AtProtocolError as exc:
            raise classify(exc, what="message") from exc
        return Delivery(f"{convo}/{message.id}", None)

    def chat(self) -> Client:
        if self._chat is None:
            self._chat = self.client.with_bsky_chat_proxy()
        return self._chat

    def _convo(self, recipient: str) -> str:
        return self.chat().chat.bsky.convo.get_convo_for_members(params={"members": [recipient]}).convo.id

    # --- after a crash ---------------------------------------------------------------------------

    def find_sent(self, job: OutboxJob) -> Delivery | None:
        """Did a crashed attempt already post this entry? Records: look under its key. Chat: look
        for the same text from the brand since the attempt started."""
        try:
            if job.kind == OutboxKind.REPLY and job.visibility == Visibility.PRIVATE:
                return self._find_message(job)
            return self._own_record(COLLECTIONS[job.kind], self.rkey(job), job, raise_errors=True)
        except xrpc.AtProtocolError as exc:
            raise classify(exc) from exc

    def _own_record(self, collection: str, rkey: str, job: OutboxJob, *, raise_errors: bool = False) -> Delivery | None:
        try:
            response = self.client.com.atproto.repo.get_record(
                params={"repo": self.me(), "collection": collection, "rkey": rkey})
        except xrpc.BadRequestError as exc:
            if blueskyapi.error_name(exc) == "RecordNotFound":
                return None
            if raise_errors:
                raise
            return None
        except xrpc.AtProtocolError:
            if raise_errors:
                raise
            return None
        log.info("outbox %d: Bluesky already has its record %s", job.id, response.uri)
        return Delivery(response.uri, blueskyapi.post_url(response.uri) if collection == POST else None)

    def _find_message(self, job: OutboxJob) -> Delivery | None:
        if not self.direct_messages or not job.recipient_id:
            return None
        convo = self._convo(job.recipient_id)
        since = (job.sending_since - timedelta(minutes=1)) if job.sending_since else None
        me = self.me()
        messages = self.chat().chat.bsky.convo.get_messages(params={"convoId": convo, "limit": 50}).messages
        for message in messages:
            data = get_model_as_dict(message)
            if (data.get("sender") or {}).get("did") == me and " ".join(str(data.get("text", "")).split()) == \
                    " ".join(job.text.split()) and (since is None or blueskyapi.parse_time(data.get("sentAt")) >= since):
                return Delivery(f"{convo}/{data['id']}", None)
        return None


def _now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")

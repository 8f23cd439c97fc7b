"""What a request to ``POST /slack/events`` must pass before Bolt sees it, in this order.

1. **Size**: at most :data:`MAX_BODY_BYTES` (413), enforced while the body streams in by the
   server's body limit (``bot.app.body_limit``), so nothing larger is ever held in memory.
2. **Signature** (401): Slack's v0 HMAC over the exact bytes, checked with slack_sdk's
   ``SignatureVerifier`` before anything in the body is parsed. A body that is not UTF-8, or
   a timestamp that is not a number, cannot carry a valid signature: 401 as well.
3. **Parse** (400): a signed body that is neither JSON nor a form Bolt can read, whose
   ``payload`` is not a JSON object, or whose envelope is not shaped as Slack's always is
   (``team``, ``user``, ``channel``, ``view``, … objects; ``actions`` a list of objects; ids
   text), or that holds what no database stores (a NUL, an unpaired surrogate, NaN: the same
   rule as ``/ingest``, ``bot.core.storable``) names the problem. Bolt indexes into that envelope while building its request, before
   any middleware of ours could run, and a wrong shape there was a 500.

Refusals log one bounded line (size and reason, never the body): an unsigned request must
not be able to write what it likes into our logs.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt.request.internals import parse_body

from bot.core import storable
from slack_sdk.signature import SignatureVerifier

log = logging.getLogger(__name__)

#: Slack's largest payloads (a modal of 100 blocks, form-encoded) stay well below this.
MAX_BODY_BYTES = 1_000_000


@dataclass(frozen=True)
class Refusal:
    status: int
    error: str

    def body(self) -> bytes:
        return json.dumps({"error": self.error}).encode()


def check_signature(verifier: SignatureVerifier, body: bytes, headers: Any) -> Refusal | None:
    timestamp = headers.get("x-slack-request-timestamp")
    signature = headers.get("x-slack-signature")
    try:
        body.decode("utf-8")
        valid = timestamp is not None and timestamp.isdigit() and verifier.is_valid(body, timestamp, signature)
    except UnicodeDecodeError:
        valid = False
    if valid:
        return None
    log.info("refused a Slack request without a valid signature (%d bytes)", len(body))
    return Refusal(401, "invalid request: missing, stale or wrong Slack signature")


def parse(body: bytes, headers: Any) -> Refusal | None:
    """Read the signed body as Bolt will (its own ``parse_body``): refuse what it cannot read."""
    content_type = (headers.get("content-type") or "").split(";")[0] or None
    try:
        payload = parse_body(body.decode("utf-8"), content_type)
    except RecursionError:
        problem = "nested too deeply"
    except ValueError as exc:  # JSONDecodeError, and a UTF-8 error (signed, so not expected from Slack)
        problem = f"not JSON nor a form Slack sends ({type(exc).__name__}: {str(exc)[:120]})"
    else:
        if not isinstance(payload, dict):
            problem = f"not a JSON object (a payload of type {type(payload).__name__})"
        elif (why := envelope_problem(payload)) is not None:
            problem = f"not shaped as Slack sends it: {why}"
        elif unstorable := storable.problems(payload):  # e.g. a NUL in a reply: PostgreSQL cannot store it
            problem = f"not storable: {unstorable[0][:200]}"
        else:
            return None
    log.info("refused a signed Slack request whose body is %s", problem)
    return Refusal(400, f"body is {problem}")


def unreadable(exc: Exception) -> Refusal:
    """Bolt itself could not build its request from a signed payload: 400, one bounded line."""
    log.warning("refused a signed Slack payload Bolt cannot read (%s: %s)", type(exc).__name__, str(exc)[:120])
    return Refusal(400, f"body is not shaped as Slack sends it ({type(exc).__name__})")


# The envelope of every Slack payload (Events API, interactivity, slash commands) as Slack's
# documentation gives it; Bolt reads these while building its request and context.
_OBJECTS = ("team", "user", "channel", "enterprise", "view", "container", "message", "event", "organization",
            "authed_user", "state")
_LISTS_OF_OBJECTS = ("actions", "authorizations")
_TEXTS = ("type", "token", "api_app_id", "trigger_id", "team_id", "user_id", "channel_id", "enterprise_id",
          "callback_id", "command", "text", "response_url", "event_id", "challenge")
_INNER_TEXTS = {"team": ("id", "domain", "enterprise_id"), "user": ("id", "team_id"), "channel": ("id",),
                "enterprise": ("id",), "event": ("type", "user", "channel", "ts", "thread_ts", "subtype", "bot_id"),
                "view": ("id", "type", "callback_id", "private_metadata", "team_id", "bot_id"),
                "container": ("type", "message_ts", "channel_id")}


def envelope_problem(payload: dict) -> str | None:
    """Which part of the envelope has a shape Slack never sends (None: all as documented)."""
    for key in _OBJECTS:
        if payload.get(key) is not None and not isinstance(payload[key], dict):
            return f"{key} is not an object"
    for key in _LISTS_OF_OBJECTS:
        value = payload.get(key)
        if value is not None and not (isinstance(value, list) and all(isinstance(v, dict) for v in value)):
            return f"{key} is not a list of objects"
    for key in _TEXTS:
        if payload.get(key) is not None and not isinstance(payload[key], str):
            return f"{key} is not text"
    for key, inner in _INNER_TEXTS.items():
        value = payload.get(key) or {}
        for name in inner:
            if value.get(name) is not None and not isinstance(value[name], str):
                return f"{key}.{name} is not text"
    for action in payload.get("actions") or []:
        for name in ("action_id", "block_id", "action_ts", "type"):
            if action.get(name) is not None and not isinstance(action[name], str):
                return f"actions[].{name} is not text"
    return None

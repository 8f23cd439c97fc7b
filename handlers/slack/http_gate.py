"""What a request to ``POST /slack/events`` must pass before Bolt sees it, in this order.

1. **Size**: at most :data:`MAX_BODY_BYTES` (413), enforced while the body streams in by the
   server's body limit (``bot.body_limit``), so nothing larger is ever held in memory.
2. **Signature** (401): Slack's v0 HMAC over the exact bytes, checked with slack_sdk's
   ``SignatureVerifier`` before anything in the body is parsed. A body that is not UTF-8, or
   a timestamp that is not a number, cannot carry a valid signature: 401 as well.
3. **Parse** (400): a signed body that is neither JSON nor a form Bolt can read (or whose
   ``payload`` is not a JSON object) names the problem.

Refusals log one bounded line (size and reason, never the body): an unsigned request must
not be able to write what it likes into our logs.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt.request.internals import parse_body
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
        if isinstance(payload, dict):
            return None
        problem = f"not a JSON object (a payload of type {type(payload).__name__})"
    log.info("refused a signed Slack request whose body is %s", problem)
    return Refusal(400, f"body is {problem}")

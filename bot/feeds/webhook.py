"""HTTP webhook source: ``POST /ingest`` with one mention object or a JSON array of them.

Bad input gets a 4xx naming the problem and stores nothing: the body is size-checked while it
is read, every mention is validated before the first one is stored, and the batch is stored
in one transaction.

| status | when |
| --- | --- |
| 200 | stored (the body lists each mention's tier, case and whether it was a duplicate) |
| 400 | the body is not JSON, or not an object/array |
| 401 | ``MENTIONDESK_WEBHOOK_TOKEN`` is set and the bearer token is missing or wrong |
| 413 | the body is larger than the limit, or the array holds too many mentions |
| 415 | the Content-Type is not application/json |
| 422 | a mention fails validation (each problem is listed with its index and field) |
| 503 | the database cannot be reached (outage, restart, fail-over): nothing was stored; the
|     | ``Retry-After`` header says when to send the same batch again (dedupe makes a resend safe) |

A batch is all or nothing: when any item is refused, every problem of every item is listed
(``[3] author.followers: …``) and nothing of the batch is stored. Values a database would
refuse (NUL characters, unpaired surrogates, NaN, numbers of more than 64 digits, nesting
deeper than 32 levels, follower counts beyond 2,147,483,647, dates outside years 1-9999 in
UTC) are refused like any other invalid field (``bot.core.storable``), never repaired.
"""

from __future__ import annotations

import hmac
import json
import logging
import time
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from sqlalchemy.exc import InterfaceError, OperationalError

from bot.core.mention import Mention, MentionError, parse_mention
from bot.core import storable
from bot.core.observability import STAGE_SECONDS

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1_000_000
MAX_BATCH = 500
# Seconds a client should wait before resending a batch the database could not take. Long enough
# for a PostgreSQL restart or fail-over, short enough that a webhook sender's queue stays small.
RETRY_AFTER_SECONDS = 5


class BodyTooLarge(Exception):
    pass


async def read_limited(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _error(status: int, message: str, problems: list[str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"error": message}
    if problems:
        body["problems"] = problems
    return JSONResponse(body, status_code=status)


def _item_first(where: str, message: str) -> str:
    """``[3].extra[0]…: why`` as the other problems read: ``[3] extra[0]…: why``."""
    index, _, rest = where.partition("]")
    if where.startswith("[") and index[1:].isdigit():
        return f"{index}] {rest.lstrip('.')}{message[len(where):]}"
    return message


def make_ingest_endpoint(runtime: Any):
    """The ``POST /ingest`` handler, bound to a :class:`bot.app.runtime.Runtime`."""

    async def ingest(request: Request) -> JSONResponse:
        token = runtime.settings.webhook_token
        if token is not None:
            given = request.headers.get("authorization", "")
            expected = "Bearer " + token.get_secret_value()
            if not hmac.compare_digest(given.encode(), expected.encode()):
                return _error(401, "missing or wrong bearer token")
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "application/json":
            return _error(415, f"Content-Type must be application/json, got {content_type or 'none'!r}")
        try:
            body = await read_limited(request, MAX_BODY_BYTES)
        except BodyTooLarge:
            return _error(413, f"body too large: {MAX_BODY_BYTES} bytes at most")
        parse_started = time.perf_counter()
        try:
            data = storable.loads(body)
        except storable.TooDeep as exc:
            return _error(422, "invalid mention; nothing was stored", [_item_first(exc.where, str(exc))])
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            return _error(400, f"body is not valid JSON: {exc}")
        items = data if isinstance(data, list) else [data]
        if not isinstance(data, (list, dict)):
            return _error(400, "body must be a mention object or an array of mention objects")
        if not items:
            return _error(400, "empty array: nothing to ingest")
        if len(items) > MAX_BATCH:
            return _error(413, f"too many mentions in one request: {len(items)} (limit {MAX_BATCH})")

        limit = runtime.config.triage.max_text_chars
        mentions: list[Mention] = []
        problems: list[str] = []
        for index, item in enumerate(items):
            try:
                mentions.append(parse_mention(item, max_text_chars=limit))
            except MentionError as exc:
                prefix = f"[{index}] " if isinstance(data, list) else ""
                problems.extend(prefix + p for p in exc.problems)
        STAGE_SECONDS.labels("parse").inc(time.perf_counter() - parse_started)
        if problems:
            return _error(422, "invalid mention; nothing was stored", problems)

        try:
            outcomes = await run_in_threadpool(runtime.ingest_batch, mentions)
        except (OperationalError, InterfaceError) as exc:
            # The database is unreachable or went away mid-batch: the transaction was rolled back
            # whole, so the sender may (and should) resend the same batch later. Not a bug on our
            # side or theirs, hence 503 and not 500; the driver's message may hold a host name,
            # so only its type goes into the answer.
            log.warning("webhook batch refused, database unavailable: %s", type(exc.orig or exc).__name__)
            return JSONResponse({"error": "database unavailable; nothing was stored, retry later"},
                                status_code=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
        results = [
            {"id": m.external_id, "platform": m.platform, "duplicate": o.duplicate,
             "tier": o.result.tier if o.result else None, "case_id": o.case_id}
            for m, o in zip(mentions, outcomes)
        ]
        log.info("webhook stored %d mention(s), %d duplicate(s)", sum(not o.duplicate for o in outcomes),
                 sum(o.duplicate for o in outcomes))
        return JSONResponse({"accepted": len(results), "results": results})

    return ingest

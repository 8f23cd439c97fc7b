"""Poison posts: what a feed read but cannot store is set aside with its reason, and the feed goes on.

A polled page is stored in one transaction. Without this, one post PostgreSQL refuses (a NUL
character in a string, a follower count beyond the column, a date that overflows once converted
to UTC) fails the whole page, ``since_id`` never moves past it, and the feed re-reads and fails on
the same page forever: no mention reaches the desk again.

The protocol, inside the caller's transaction:

1. posts that cannot be turned into a mention, or that hold what no database column takes
   (:func:`storable_problem`, the same rule on SQLite and PostgreSQL), are quarantined at once;
2. the rest are ingested together in a savepoint; if the database refuses the batch for its
   *data* (not because it is unreachable: an outage fails the poll and it is retried whole),
   the savepoint is rolled back and each post is ingested in a savepoint of its own, so only the
   ones the database refuses are quarantined;
3. quarantined posts are rows of ``quarantined_post`` (reason and the raw post), in the same
   transaction that moves the feed's cursor past them: nothing is lost, nothing stops the feed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import InterfaceError, OperationalError, StatementError
from sqlalchemy.orm import Session

from bot.core.mention import Mention
from storage.models import QuarantinedPost

log = logging.getLogger(__name__)

MAX_COLUMN_INT = 2**31 - 1  # the Integer columns (followers) on PostgreSQL
MAX_PAYLOAD_CHARS = 20_000


@dataclass(frozen=True)
class Poison:
    external_id: str
    reason: str
    raw: Any  # the post as the platform sent it


def storable_problem(mention: Mention) -> str | None:
    """Why ``mention`` cannot be stored as it is, naming the field; None when it can."""
    for f in fields(mention):
        value = getattr(mention, f.name)
        if isinstance(value, str) and "\x00" in value:
            return f"{f.name} contains a NUL character"
        if isinstance(value, int) and not isinstance(value, bool) and not -MAX_COLUMN_INT <= value <= MAX_COLUMN_INT:
            shown = str(value) if len(str(value)) <= 30 else f"a {len(str(value))}-digit number"
            return f"{f.name} is out of range: {shown} (at most {MAX_COLUMN_INT})"
    return None


def _is_outage(exc: BaseException) -> bool:
    return isinstance(exc, (OperationalError, InterfaceError))


# What a refused *value* raises: SQLAlchemy's wrapped driver errors (DataError, IntegrityError),
# the sqlite3 driver's OverflowError, and conversions (ValueError) of our own column types.
DATA_ERRORS = (StatementError, ArithmeticError, ValueError)


def ingest_isolating_poison(ingest: Any, session: Session, mentions: Sequence[Mention]) -> tuple[list, list[Poison]]:
    """Ingest ``mentions`` (an :class:`bot.desk.ingest.IngestService`) in ``session``; returns the
    outcomes of the stored ones and the ones the database refused, with why."""
    if not mentions:
        return [], []
    try:
        with session.begin_nested():
            return ingest.ingest_many(session, mentions), []
    except DATA_ERRORS as exc:
        if _is_outage(exc):
            raise
        log.warning("a feed batch of %d was refused (%s); storing its posts one by one", len(mentions),
                    type(exc).__name__)
    outcomes, poisoned = [], []
    for mention in mentions:
        try:
            with session.begin_nested():
                outcomes.extend(ingest.ingest_many(session, [mention]))
        except DATA_ERRORS as exc:
            if _is_outage(exc):
                raise
            poisoned.append(Poison(mention.external_id, f"could not be stored: {_describe(exc)}",
                                   (mention.raw or {}).get("tweet", mention.raw)))
    return outcomes, poisoned


def _describe(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    first_line = str(orig).strip().splitlines()[0] if str(orig).strip() else ""
    return f"{type(orig).__name__}: {first_line}"


def quarantine(session: Session, source: str, query_key: str | None, poison: Sequence[Poison]) -> int:
    """Store the poison posts (once each: a post read again is not quarantined twice)."""
    if not poison:
        return 0
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stored = 0
    for p in poison:
        reason = p.reason.replace("\x00", "\\x00")[:500]
        payload = json.dumps(p.raw, ensure_ascii=True, default=str)[:MAX_PAYLOAD_CHARS]
        external_id = str(p.external_id).replace("\x00", "\\x00")[:100]
        result = session.execute(insert(QuarantinedPost).values(
            source=source, query_key=query_key, external_id=external_id, reason=reason, payload=payload)
            .on_conflict_do_nothing(index_elements=["source", "external_id"]))
        stored += result.rowcount or 0
        log.warning("%s post %s quarantined: %s", source, external_id, reason)
    return stored

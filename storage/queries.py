"""Queries shared by the application layers. Plain functions taking a session."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from collections.abc import Iterable, Sequence

from sqlalchemy import JSON, delete, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import (
    OPEN_STATES,
    CardState,
    Case,
    CaseMessage,
    Customer,
    CustomerHandle,
    Event,
    FeedCursor,
    InboundDelivery,
    Mention,
    RefusalTally,
    Tier,
)


def insert_mention_if_new(session: Session, values: dict[str, Any]) -> int | None:
    """Insert a mention unless (platform, external_id) is already stored.

    Returns the new row's id, or ``None`` for a duplicate. ``ON CONFLICT DO NOTHING`` makes
    this safe under concurrent ingest on PostgreSQL: exactly one inserter wins.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (
        insert(Mention)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["platform", "external_id"])
        .returning(Mention.id)
    )
    return session.execute(stmt).scalar_one_or_none()


#: Rows per multi-row statement: well under SQLite's 32,766 bound parameters and PostgreSQL's 65,535.
BULK_CHUNK = 500


def _chunks(items: Sequence, size: int = BULK_CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _per_platform(pairs: Iterable[tuple[str, Any]]) -> Iterable[tuple[str, Sequence]]:
    """(platform, chunk of values) for (platform, value) pairs, to be matched as ``platform = ?
    AND value IN (…)``: SQLite does not use a two-column index for a row-value IN such as
    ``(platform, handle) IN ((?, ?), …)`` and scanned the whole table instead, once per batch
    (at 100,000 stored posts that was most of ingest's time); per platform it searches the index."""
    grouped: dict[str, list] = {}
    for platform, value in pairs:
        grouped.setdefault(platform, []).append(value)
    for platform in sorted(grouped):
        for chunk in _chunks(sorted(set(grouped[platform]))):
            yield platform, list(chunk)


def insert_mentions_if_new(session: Session, rows: Sequence[dict[str, Any]]) -> dict[tuple[str, str], int]:
    """Insert many mentions at once, skipping those whose (platform, external_id) is stored.

    One multi-row ``INSERT … ON CONFLICT DO NOTHING RETURNING`` per chunk instead of one round
    trip per mention; returns {(platform, external_id): new id} for the rows this call inserted
    (exactly one concurrent inserter wins each key, as with :func:`insert_mention_if_new`). Rows
    are inserted in the order given; a key given twice is inserted once (its first row).
    """
    unique: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        unique.setdefault((row["platform"], row["external_id"]), row)
    insert = _insert_for(session)
    table = Mention.__table__
    inserted: dict[tuple[str, str], int] = {}
    if not unique:
        return inserted
    if session.get_bind().dialect.name == "postgresql":
        return _insert_mentions_unnest(session, list(unique.values()))
    # executemany: SQLAlchemy batches the rows into multi-row INSERTs ("insertmanyvalues") from
    # one cached compiled statement (a literal VALUES list would be compiled anew per batch).
    stmt = (insert(table).on_conflict_do_nothing(index_elements=["platform", "external_id"])
            .returning(table.c.id, table.c.platform, table.c.external_id))
    for id_, platform, external_id in session.execute(stmt, list(unique.values())):
        inserted[(platform, external_id)] = id_
    return inserted


def _insert_mentions_unnest(session: Session, rows: list[dict[str, Any]]) -> dict[tuple[str, str], int]:
    """PostgreSQL: the batch's mentions through :func:`_unnest_insert`. Every column
    ``_row_values`` leaves out is nullable or has a server default."""
    returned = _unnest_insert(session, Mention.__table__, rows, conflict=("platform", "external_id"),
                              returning=("id", "platform", "external_id"))
    return {(platform, external_id): id_ for id_, platform, external_id in returned}


def _unnest_insert(session: Session, table, rows: list[dict[str, Any]], *, conflict: tuple[str, ...] = (),
                   returning: tuple[str, ...] = ()) -> list[tuple]:
    """PostgreSQL: ``rows`` (all with the same keys) as one array per column, ``INSERT … SELECT
    … FROM unnest(…) ORDER BY`` their position (so a sequence numbers them in the order given),
    ``ON CONFLICT (conflict) DO NOTHING`` when given; the ``returning`` columns of the rows
    inserted.

    A multi-row VALUES list of 1,000 posts carries ~16,000 placeholders, and psycopg rewrites a
    query that large in Python on every execution (its query cache keeps small ones only): 0.25 s
    per 1,000 posts, most of ingest's dedupe stage on PostgreSQL. One array per column makes a
    small query it caches, and the arrays are adapted in C. Each value goes through its column
    type's own bind processing (JSON serialised, times normalised to UTC), as an INSERT would;
    columns not in ``rows`` get their server default, not a Python-side one."""
    dialect = session.get_bind().dialect
    names = list(rows[0])
    quote = dialect.identifier_preparer.quote
    params, casts = {}, []
    for position, name in enumerate(names):
        column = table.c[name]
        process = column.type.bind_processor(dialect)
        if isinstance(column.type, JSON):  # psycopg's dialect leaves JSON to the driver: as text here
            serialise = getattr(dialect, "_json_serializer", None) or json.dumps
            process = lambda value, serialise=serialise: None if value is None else serialise(value)  # noqa: E731
        values = [row[name] for row in rows]
        params[f"c{position}"] = [process(v) for v in values] if process else values
        casts.append(f"CAST(:c{position} AS {column.type.compile(dialect=dialect)}[])")
    columns = ", ".join(quote(n) for n in names)
    positions = ", ".join(f"c{position}" for position in range(len(names)))
    sql = (f"INSERT INTO {quote(table.name)} ({columns}) SELECT {positions} "
           f"FROM unnest({', '.join(casts)}) WITH ORDINALITY AS given({positions}, position) ORDER BY position")
    if conflict:
        sql += f" ON CONFLICT ({', '.join(quote(c) for c in conflict)}) DO NOTHING"
    if returning:
        sql += f" RETURNING {', '.join(quote(c) for c in returning)}"
    result = session.execute(text(sql), params)
    return [tuple(row) for row in result] if returning else []


def update_mention_results(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Write triage results to many stored mentions in one executemany UPDATE (``b_id``: the
    mention's id; the other keys: its columns, the same in every row)."""
    if not rows:
        return
    from sqlalchemy import bindparam

    table = Mention.__table__
    columns = [key for key in rows[0] if key != "b_id"]
    stmt = table.update().where(table.c.id == bindparam("b_id")).values({c: bindparam(c) for c in columns})
    session.execute(stmt, list(rows))


@dataclass
class CustomerFacts:
    """What ingest and routing read of a customer row, as plain values: loading ~600 Customer
    objects per batch into the ORM and flushing their profile changes cost a third of ingest's
    time on PostgreSQL. Changes are written back with :func:`update_customer_profiles`."""

    id: int
    display_name: str | None
    followers: int
    verified: bool
    crm_tier: str | None = None
    crm_value: float | None = None


def customers_for_handles(session: Session, platform_handles: Sequence[tuple[str, str]],
                          profiles: dict[tuple[str, str], dict[str, Any]]) -> dict[tuple[str, str], CustomerFacts]:
    """The customers behind many (platform, handle) pairs in a few statements; the missing ones
    are created (``profiles[key]``: display_name, followers, verified, platform_user_id of the
    first post seen). Handles are compared in lower case; keys are returned lower-cased.

    Same outcome as :func:`customer_for_handle` for each pair, concurrency included: a handle
    another ingest created meanwhile is not duplicated (``ON CONFLICT DO NOTHING`` on the
    handle, and the customer row made for it is removed again)."""
    keys = list(dict.fromkeys((platform, handle.lower()) for platform, handle in platform_handles))
    found = _customers_by_handle(session, keys)
    missing = [key for key in keys if key not in found]
    if missing:
        created = dict(zip(missing, _insert_customers(session, [profiles[key] for key in missing])))
        insert = _insert_for(session)
        table = CustomerHandle.__table__
        won: set[tuple[str, str]] = set()
        for chunk in _chunks(missing):
            rows = [{"customer_id": created[key].id, "platform": key[0], "handle": key[1],
                     "platform_user_id": profiles[key].get("platform_user_id")} for key in chunk]
            if session.get_bind().dialect.name == "postgresql":
                won.update(_unnest_insert(session, table, rows, conflict=("platform", "handle"),
                                          returning=("platform", "handle")))
                continue
            stmt = (insert(table).values(rows).on_conflict_do_nothing(index_elements=["platform", "handle"])
                    .returning(table.c.platform, table.c.handle))
            won.update((platform, handle) for platform, handle in session.execute(stmt))
        lost = [key for key in missing if key not in won]
        for key in missing:
            if key in won:
                found[key] = created[key]
        if lost:
            # Another ingest created these handles a moment ago: use theirs, drop ours.
            session.execute(delete(Customer).where(Customer.id.in_([created[key].id for key in lost])))
            found.update(_customers_by_handle(session, lost))
    return found


def customer_of(session: Session, customer_id: int | None) -> "CustomerFacts | Customer | None":
    """A case's customer for the case openers (routing, escalation): as the ingest batch in
    progress read it (no query per case), else the stored row."""
    if customer_id is None:
        return None
    batch = OpeningBatch.of(session)
    known = batch.customers.get(customer_id) if batch is not None else None
    return known or session.get(Customer, customer_id)


def update_customer_profiles(session: Session, customers: Iterable[CustomerFacts]) -> None:
    """Write the profile columns (display name, followers, verified) of ``customers`` in one
    executemany UPDATE."""
    rows = [{"b_id": c.id, "display_name": c.display_name, "followers": c.followers, "verified": c.verified}
            for c in customers]
    if not rows:
        return
    from sqlalchemy import bindparam

    table = Customer.__table__
    stmt = table.update().where(table.c.id == bindparam("b_id")).values(
        {name: bindparam(name) for name in ("display_name", "followers", "verified")})
    session.execute(stmt, rows)
    for row in rows:  # a Customer object this session already holds must not show the old profile
        held = session.identity_map.get(session.identity_key(Customer, row["b_id"]))
        if held is not None:
            session.expire(held)


def _insert_customers(session: Session, profiles: Sequence[dict[str, Any]]) -> list[CustomerFacts]:
    """New customer rows, one multi-row INSERT per chunk, in the order given.

    (The ORM would insert them one statement each on SQLite, to pair each RETURNING row with its
    object.) Ids come from the table's sequence, which numbers the rows of one INSERT in the
    order given, so the returned ids sorted pair up with the profiles as given."""
    from storage.clock import utcnow

    table = Customer.__table__
    out: list[CustomerFacts] = []
    for chunk in _chunks(list(profiles)):
        rows = [{"display_name": p.get("display_name"), "followers": p["followers"], "verified": p["verified"],
                 "first_seen_at": utcnow()} for p in chunk]
        if session.get_bind().dialect.name == "postgresql":
            ids = sorted(id_ for id_, in _unnest_insert(session, table, rows, returning=("id",)))
        else:
            ids = sorted(session.execute(table.insert().values(rows).returning(table.c.id)).scalars())
        out.extend(CustomerFacts(id_, row["display_name"], row["followers"], row["verified"])
                   for id_, row in zip(ids, rows))
    return out


def _customers_by_handle(session: Session, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], CustomerFacts]:
    """One CustomerFacts per customer, however many of its handles are asked for (a person on X
    and on Bluesky): ingest's profile edits then land on the one object, as the ORM's did."""
    found: dict[tuple[str, str], CustomerFacts] = {}
    by_id: dict[int, CustomerFacts] = {}
    for platform, handles in _per_platform(keys):
        rows = session.execute(
            select(CustomerHandle.platform, CustomerHandle.handle, Customer.id, Customer.display_name,
                   Customer.followers, Customer.verified, Customer.crm_tier, Customer.crm_value)
            .join(Customer, Customer.id == CustomerHandle.customer_id)
            .where(CustomerHandle.platform == platform, CustomerHandle.handle.in_(handles))
        )
        for platform, handle, *facts in rows:
            found[(platform, handle)] = by_id.get(facts[0]) or by_id.setdefault(facts[0], CustomerFacts(*facts))
    return found


def customer_histories(session: Session, customer_ids: Iterable[int]) -> dict[int, tuple[int, bool]]:
    """:func:`customer_history` for many customers in one query: {id: (cases, one still open)}."""
    ids = sorted(set(customer_ids))
    out = {customer_id: (0, False) for customer_id in ids}
    for chunk in _chunks(ids):
        for customer_id, state in session.execute(select(Case.customer_id, Case.state)
                                                  .where(Case.customer_id.in_(list(chunk)))):
            count, has_open = out[customer_id]
            out[customer_id] = (count + 1, has_open or state in OPEN_STATES)
    return out


def open_cases_for_conversations(session: Session, wanted: Sequence[tuple[str, str | None, str | None]]
                                 ) -> dict[tuple[str, str | None, str | None], Case]:
    """:func:`open_case_for_conversation` for many (platform, conversation_id, in_reply_to_id)
    at once, in two queries: {the triple: its open case} for those that have one."""
    by_conversation: dict[tuple[str, str], Case] = {}
    for platform, conversations in _per_platform((p, c) for p, c, _ in wanted if c):
        cases = session.scalars(select(Case).where(Case.platform == platform, Case.conversation_id.in_(conversations),
                                                   Case.state.in_(OPEN_STATES)).order_by(Case.id))
        for case in cases:
            by_conversation.setdefault((case.platform, case.conversation_id), case)  # the oldest open one
    out = {}
    replies = set()
    for key in wanted:
        platform, conversation, reply_to = key
        if conversation and (platform, conversation) in by_conversation:
            out[key] = by_conversation[(platform, conversation)]
        elif reply_to:
            replies.add((platform, reply_to))
    by_reply: dict[tuple[str, str], Case] = {}
    for platform, external_ids in _per_platform(replies):
        rows = session.execute(select(Mention.platform, Mention.external_id, Case)
                               .join(Case, Mention.case_id == Case.id)
                               .where(Mention.platform == platform, Mention.external_id.in_(external_ids),
                                      Case.state.in_(OPEN_STATES)))
        for platform, external_id, case in rows:
            by_reply.setdefault((platform, external_id), case)
    for key in wanted:
        if key not in out and key[2] and (key[0], key[2]) in by_reply:
            out[key] = by_reply[(key[0], key[2])]
    return out


def customer_for_handle(session: Session, platform: str, handle: str, *, platform_user_id: str | None,
                        display_name: str | None, followers: int, verified: bool) -> Customer:
    """The customer behind a platform handle, created on first sight; profile kept current."""
    handle = handle.lower()
    query = (
        select(Customer)
        .join(CustomerHandle)
        .where(CustomerHandle.platform == platform, CustomerHandle.handle == handle)
    )
    customer = session.scalars(query).first()
    if customer is None:
        try:
            with session.begin_nested():
                customer = Customer(display_name=display_name, followers=followers, verified=verified)
                customer.handles.append(
                    CustomerHandle(platform=platform, handle=handle, platform_user_id=platform_user_id)
                )
                session.add(customer)
        except IntegrityError:
            # Another ingest created the same handle a moment ago: use theirs.
            customer = session.scalars(query).one()
        return customer
    if display_name:
        customer.display_name = display_name
    customer.followers = followers
    customer.verified = verified or customer.verified
    return customer


def open_case_for_conversation(session: Session, platform: str, conversation_id: str | None,
                               in_reply_to_id: str | None) -> Case | None:
    """The open case this mention belongs to: same conversation, or a reply to one of its mentions."""
    if conversation_id:
        case = session.scalars(
            select(Case)
            .where(Case.platform == platform, Case.conversation_id == conversation_id, Case.state.in_(OPEN_STATES))
            .order_by(Case.id)
            .limit(1)
        ).first()
        if case is not None:
            return case
    if in_reply_to_id:
        return session.scalars(
            select(Case)
            .join(Mention, Mention.case_id == Case.id)
            .where(Mention.platform == platform, Mention.external_id == in_reply_to_id, Case.state.in_(OPEN_STATES))
            .limit(1)
        ).first()
    return None


def customer_history(session: Session, customer_id: int, *, exclude_case_id: int | None = None) -> tuple[int, bool]:
    """(number of earlier cases, whether one is still open) for a customer."""
    query = select(Case.state).where(Case.customer_id == customer_id)
    if exclude_case_id is not None:
        query = query.where(Case.id != exclude_case_id)
    states = session.scalars(query).all()
    return len(states), any(s in OPEN_STATES for s in states)


def add_event(session: Session, case_id: int, type: str, *, actor: str = "system", source: str = "system",
              actor_agent_id: int | None = None, payload: dict[str, Any] | None = None, at=None) -> Event:
    batch = OpeningBatch.of(session)
    if batch is not None:  # written with the batch's other events, in this order, at its end
        values = {"case_id": case_id, "type": type, "actor": actor, "source": source,
                  "actor_agent_id": actor_agent_id, "payload": payload or {}, "dedupe_key": None}
        if at is not None:
            values["created_at"] = at
        batch.events.append(values)
        return None  # type: ignore[return-value]
    event = Event(case_id=case_id, type=type, actor=actor, source=source, actor_agent_id=actor_agent_id,
                  payload=payload or {})
    if at is not None:
        event.created_at = at
    session.add(event)
    return event


def funnel_counts(session: Session) -> dict[str, int]:
    """Mentions stored per tier (for the demo's funnel and ``mentiondesk status``)."""
    rows = session.execute(select(Mention.tier, func.count()).group_by(Mention.tier)).all()
    counts = {t.value: 0 for t in Tier}
    for tier, n in rows:
        if tier is not None:
            counts[tier.value] += n
    return counts


def _insert_for(session: Session):
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def record_delivery(session: Session, platform: str, key: str) -> bool:
    """Remember a platform delivery (event id, button press); False when it was seen before.

    Done in the same transaction as the work it guards, so a retried delivery is processed at
    most once even when two replicas receive it at the same moment.
    """
    stmt = (
        _insert_for(session)(InboundDelivery)
        .values(platform=platform, delivery_key=key[:200])
        .on_conflict_do_nothing(index_elements=["platform", "delivery_key"])
        .returning(InboundDelivery.id)
    )
    return session.execute(stmt).scalar_one_or_none() is not None


def tally_refusal(session: Session, platform: str, user_id: str, window_start, *, case_id: int | None, action: str,
                  at) -> int:
    """Count one refusal of an unknown user in its window; returns the window's count so far.

    One atomic upsert (``ON CONFLICT DO UPDATE … count + 1``): of two concurrent first refusals
    exactly one sees 1, on SQLite and PostgreSQL alike.
    """
    insert = _insert_for(session)(RefusalTally).values(
        platform=platform, user_id=user_id[:200], window_start=window_start, count=1, first_case_id=case_id,
        last_case_id=case_id, last_action=action[:32], last_at=at)
    stmt = insert.on_conflict_do_update(
        index_elements=["platform", "user_id", "window_start"],
        set_={"count": RefusalTally.count + 1, "last_case_id": case_id, "last_action": action[:32], "last_at": at},
    ).returning(RefusalTally.count)
    return session.execute(stmt).scalar_one()


def prune_deliveries(session: Session, older_than) -> int:
    """Forget processed deliveries older than ``older_than`` (platforms stop retrying within hours)."""
    from sqlalchemy import delete

    result = session.execute(delete(InboundDelivery).where(InboundDelivery.received_at < older_than))
    return result.rowcount or 0


def reserve_case_message(session: Session, case_id: int, platform: str, channel: str) -> bool:
    """Create the pending card row for (case, platform, channel); False when it already exists."""
    stmt = (
        _insert_for(session)(CaseMessage)
        .values(case_id=case_id, platform=platform, channel=channel, state=CardState.PENDING, attempts=0)
        .on_conflict_do_nothing(index_elements=["case_id", "platform", "channel"])
        .returning(CaseMessage.id)
    )
    return session.execute(stmt).scalar_one_or_none() is not None


def case_message_by_message(session: Session, platform: str, channel: str, message_id: str) -> CaseMessage | None:
    return session.scalars(
        select(CaseMessage).where(CaseMessage.platform == platform, CaseMessage.channel == channel,
                                  CaseMessage.message_id == message_id)
    ).first()


def add_event_once(session: Session, case_id: int, type: str, dedupe_key: str, *, actor: str = "system",
                   source: str = "system", payload: dict[str, Any] | None = None, at=None) -> bool:
    """Append an event unless one with ``dedupe_key`` exists: True if this call wrote it.

    ``ON CONFLICT DO NOTHING`` on the unique key: of any number of concurrent writers (two
    replicas, a timer fired twice, a restart replaying a step) exactly one wins, on SQLite and
    PostgreSQL alike, without aborting the surrounding transaction.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    values = {"case_id": case_id, "type": type, "actor": actor, "source": source, "payload": payload or {},
              "dedupe_key": dedupe_key}
    if at is not None:
        values["created_at"] = at
    batch = OpeningBatch.of(session)
    if batch is not None and case_id in batch.by_id:
        values.setdefault("actor_agent_id", None)
        # A case this ingest batch opens (not stored yet): written with the batch's events, the
        # key still guarded by ON CONFLICT DO NOTHING. Its first event of the kind.
        batch.events.append(values)
        return True
    stmt = insert(Event).values(**values).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(Event.id)
    return session.execute(stmt).scalar_one_or_none() is not None


def feed_cursor(session: Session, source: str, query_key: str, *, brand: str | None = None) -> FeedCursor:
    """The cursor row of one polled query, created on first use (concurrent creators agree), locked
    for the caller's transaction on PostgreSQL so two pollers never advance it at once."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(FeedCursor).values(source=source, query_key=query_key, brand=brand, status="new",
                                              failures=0, reads_this_month=0, reads_per_hour=0.0)
                    .on_conflict_do_nothing(index_elements=["source", "query_key"]))
    query = select(FeedCursor).where(FeedCursor.source == source, FeedCursor.query_key == query_key)
    if dialect == "postgresql":
        query = query.with_for_update()
    return session.scalars(query.execution_options(populate_existing=True)).one()


def feed_cursors(session: Session, source: str | None = None) -> list[FeedCursor]:
    query = select(FeedCursor).order_by(FeedCursor.source, FeedCursor.query_key)
    if source is not None:
        query = query.where(FeedCursor.source == source)
    return list(session.scalars(query))


def allocate_case_ids(session: Session, count: int) -> list[int]:
    """``count`` new case ids, ascending, in one query: what inserting the cases one at a time
    would have numbered them (PostgreSQL: the id sequence, safe with other replicas; SQLite: past
    the highest id, safe because the ingest transaction already holds SQLite's one write lock)."""
    if count <= 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy import text

        rows = session.execute(text("SELECT nextval(pg_get_serial_sequence('\"case\"', 'id')) "
                                    "FROM generate_series(1, :n)"), {"n": count}).scalars().all()
        return sorted(rows)
    top = session.scalar(select(func.coalesce(func.max(Case.id), 0))) or 0
    return list(range(top + 1, top + 1 + count))


class OpeningBatch:
    """The cases one ingest batch opens, numbered up front and written at the end of the batch.

    While it is active (``OpeningBatch.of(session)``), the case openers that support it
    (routing, incident grouping) decide against what they read once per batch plus the cases
    listed here, instead of querying the database for every case; nothing is flushed until the
    batch ends (a case routed for auto-assignment still flushes, to lock and re-read)."""

    KEY = "ingest.opening_batch"

    def __init__(self, session: Session):
        self.transaction = session.get_transaction()
        self.opened: list[Case] = []  # in the order they were opened (ids ascending)
        self.by_id: dict[int, Case] = {}
        self.filed: dict[int, list[Mention]] = {}  # case id -> this batch's mention rows filed to it
        self.customer_ids: set[int] = set()
        self.customers: dict[int, CustomerFacts] = {}  # the batch's authors as ingest read them
        self.stored: dict[int, Any] = {}  # stored cases' columns read for this batch, by id
        self.keep: list[Any] = []  # objects held so the session's identity map keeps them
        self.info: dict[Any, Any] = {}  # per-opener state for this batch
        self.events: list[dict[str, Any]] = []  # add_event's rows, inserted by write_events

    def write_events(self, session: Session) -> None:
        """The batch's events in one multi-row INSERT (after its cases: they reference them)."""
        by_keys: list[dict[str, Any]] = []

        def write() -> None:  # add_event_once's keys stay guarded (a NULL key never conflicts)
            session.execute(_insert_for(session)(Event.__table__).on_conflict_do_nothing(index_elements=["dedupe_key"]),
                            by_keys)

        for values in self.events:  # one statement per run of rows with the same columns, in order
            if by_keys and by_keys[-1].keys() != values.keys():
                write()
                by_keys = []
            by_keys.append(values)
        if by_keys:
            write()
        self.events = []

    @classmethod
    def of(cls, session: Session) -> "OpeningBatch | None":
        batch = session.info.get(cls.KEY)
        if batch is None or batch.transaction is not session.get_transaction():
            return None
        return batch

    def opening(self, case: Case, row: Mention) -> None:
        self.opened.append(case)
        self.by_id[case.id] = case
        self.filed.setdefault(case.id, []).append(row)

    def joined(self, case: Case, row: Mention) -> None:
        self.filed.setdefault(case.id, []).append(row)

    def case(self, session: Session, case_id: int) -> Any:
        """A case this batch opened, else the columns grouping read of a stored one (id, team,
        routing: what a child's routing reads of its parent), else the stored row."""
        return self.by_id.get(case_id) or self.stored.get(case_id) or session.get(Case, case_id)

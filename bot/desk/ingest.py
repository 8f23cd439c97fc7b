"""Ingest: store a mention once, triage it, and open or join its case — in one transaction.

Every source (file replay, webhook, X poller) ends here, so dedupe, customer linking,
conversation joining and the event log behave the same whatever the mention came from.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.core.faults import fault_point
from bot.core.observability import STAGE_SECONDS, TRIAGE_SECONDS, stage
from bot.core.mention import Mention
from bot.triage.pipeline import TriagePipeline, TriageResult
from bot.triage.scoring import CustomerContext
from storage import queries
from storage.models import OPEN_STATES, Case, CaseState, Mention as MentionRow, Tier

TIER_RANK = {"tier1": 2, "tier2": 1, "noise": 0, "spam": 0}


@dataclass(frozen=True)
class IngestOutcome:
    mention_id: int | None  # None when the mention was a duplicate
    duplicate: bool
    result: TriageResult | None = None
    case_id: int | None = None
    new_case: bool = False


class IngestService:
    def __init__(self, pipeline: TriagePipeline, clock: Callable[[], datetime] | None = None):
        self.pipeline = pipeline
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.open_tiers = set(pipeline.config.triage.open_case_tiers)
        self.intent_values = pipeline.config.priority.intent_values
        # Called in the ingest transaction for each new case (the escalation engine snapshots
        # the case's chain here, so a case never exists without its escalation).
        self.case_openers: list[Callable[[Session, Case], object]] = []

    def ingest(self, session: Session, mention: Mention, *, now: datetime | None = None) -> IngestOutcome:
        return self.ingest_many(session, [mention], now=now)[0]

    def ingest_many(self, session: Session, mentions: Sequence[Mention],
                    *, now: datetime | Sequence[datetime] | None = None) -> list[IngestOutcome]:
        """Store, triage and file ``mentions`` in the caller's transaction.

        Three passes, so that triage sees the whole batch at once (the model cascade encodes
        all its posts in one forward pass): store and look up context, triage, then write
        results and open or join cases in arrival order. Each pass talks to the database in a
        few multi-row statements for the whole batch, not one round trip per mention.
        """
        if now is None or isinstance(now, datetime):
            nows = [now or self.clock()] * len(mentions)
        else:
            nows = list(now)
        outcomes: list[IngestOutcome | None] = [None] * len(mentions)
        # Authors in a fixed order (not arrival order): two replicas ingesting batches that share
        # authors then lock their customer rows in the same order and cannot deadlock.
        by_author = sorted(enumerate(zip(mentions, nows)), key=lambda item: (item[1][0].platform,
                                                                            item[1][0].author_handle.lower()))
        with stage("dedupe"):
            inserted = queries.insert_mentions_if_new(session, [_row_values(m, at) for _, (m, at) in by_author])
        with stage("context"):
            fresh: list[tuple[int, Mention, datetime, int]] = []
            for index, (mention, at) in by_author:
                mention_id = inserted.pop((mention.platform, mention.external_id), None)  # pop: a repeat is a duplicate
                if mention_id is None:
                    outcomes[index] = IngestOutcome(None, True)
                else:
                    fresh.append((index, mention, at, mention_id))
            pending, changed_profiles = self._context(session, fresh)
            batched = all(getattr(opener, "batched", False) for opener in self.case_openers)
            if not batched:  # an opener reading the Customer row (the CRM lookup) sees the new profile
                queries.update_customer_profiles(session, changed_profiles)
                changed_profiles = []
        pending.sort(key=lambda p: p.index)  # triage and file in arrival order (threads open, then join)
        started = time.perf_counter()
        with stage("triage"):
            results = self.pipeline.triage_many([(p.mention, p.context) for p in pending], [p.now for p in pending])
        if pending:
            TRIAGE_SECONDS.observe((time.perf_counter() - started) / len(pending))
        fault_point("triaged")  # stored and triaged, not committed
        with stage("store"):
            # Posts that may open or join a case are filed through the ORM (the case openers read
            # them back); the rows of the others (spam, and noise outside any thread) get their
            # triage results in one executemany UPDATE at the end of the batch.
            rows = _load_rows(session, [p.mention_id for p, r in zip(pending, results) if r.tier in self.open_tiers
                                        or (r.tier != "spam" and not _starts_conversation(p.mention))])
        filed = _BatchCases()
        self._spent = {"store": 0.0, "case": 0.0}
        plain: list[dict] = []
        if batched:
            self._file_batch(session, pending, results, filed, rows, plain, outcomes)
        else:  # an opener without batch support (the CRM lookup, the demo's): one case at a time
            for item, result in zip(pending, results):
                outcomes[item.index] = self._file(session, item, result, filed, rows.get(item.mention_id), plain)
        with stage("store"):
            queries.update_mention_results(session, plain)
            # Last, just before the commit: an UPDATE locks the author's row until the transaction
            # ends, and concurrent batches by the same authors (PostgreSQL, several webhook
            # requests or replicas) waited on each other for a whole batch when it came first.
            queries.update_customer_profiles(session, changed_profiles)
            session.flush()
        for name, seconds in self._spent.items():
            STAGE_SECONDS.labels(name).inc(seconds)
        return outcomes  # type: ignore[return-value]

    def _context(self, session: Session, fresh: list[tuple[int, Mention, datetime, int]]
                 ) -> tuple[list["_Pending"], list[queries.CustomerFacts]]:
        """Customers, their history and the open case of each reply's thread, for the whole batch;
        and the customers whose profile the batch changed, in id order (written at its end)."""
        profiles: dict[tuple[str, str], dict] = {}
        for _, mention, _, _ in fresh:
            profiles.setdefault((mention.platform, mention.author_handle.lower()), {
                "display_name": mention.author_name, "followers": mention.author_followers,
                "verified": mention.author_verified, "platform_user_id": mention.author_id})
        customers = queries.customers_for_handles(session, list(profiles), profiles)
        distinct = {c.id: c for c in customers.values()}  # one per person, whatever their handles
        before = {c.id: (c.display_name, c.followers, c.verified) for c in distinct.values()}
        for _, mention, _, _ in fresh:  # the profile is kept current, post by post as before
            customer = customers[(mention.platform, mention.author_handle.lower())]
            if mention.author_name:
                customer.display_name = mention.author_name
            customer.followers = mention.author_followers
            customer.verified = mention.author_verified or customer.verified
        changed = sorted((c for c in distinct.values() if before[c.id] != (c.display_name, c.followers, c.verified)),
                         key=lambda c: c.id)  # one lock order for every batch: no deadlock between them
        histories = queries.customer_histories(session, list(distinct))
        # Looked up before triage: a reply in a thread that already holds a case is addressed
        # to the brand even when it names nothing ("Update: still no bag").
        threads = queries.open_cases_for_conversations(session, [
            (m.platform, m.conversation_id, m.in_reply_to_id) for _, m, _, _ in fresh if not _starts_conversation(m)])
        pending = []
        for index, mention, at, mention_id in fresh:
            customer = customers[(mention.platform, mention.author_handle.lower())]
            earlier, has_open = histories[customer.id]
            conversation_case = None if _starts_conversation(mention) else threads.get(
                (mention.platform, mention.conversation_id, mention.in_reply_to_id))
            context = CustomerContext(earlier_contacts=earlier, has_open_case=has_open,
                                      crm_tier=customer.crm_tier, crm_value=customer.crm_value,
                                      in_brand_conversation=conversation_case is not None)
            pending.append(_Pending(index, mention, mention_id, customer.id, conversation_case, context, at, customer))
        return pending, changed

    def _file_batch(self, session: Session, pending: list["_Pending"], results: Sequence[TriageResult],
                    filed: "_BatchCases", rows: dict[int, MentionRow], plain: list[dict],
                    outcomes: list[IngestOutcome | None]) -> None:
        """File the batch's posts in arrival order as :meth:`_file` would, opening its cases with
        ids taken in one query and nothing flushed per case: the openers (routing, grouping)
        decide against the desk read once for the batch (:class:`queries.OpeningBatch`) and
        every row is written by one flush at the end of the batch."""
        t0 = time.perf_counter()
        plan: list[tuple[_Pending, TriageResult, Case | None, bool]] = []
        for item, result in zip(pending, results):  # which posts open a case, which join one
            case = self._target(item, result, filed)
            if case is None and (result.tier == "spam" or result.tier not in self.open_tiers):
                plan.append((item, result, None, False))
                continue
            new_case = case is None
            if new_case:
                case = self._new_case(item.mention, result, item.customer_id, item.now)
            filed.filed(item.mention, case, opened=new_case)
            plan.append((item, result, case, new_case))
        opening = [case for _, _, case, new_case in plan if new_case]
        for case, case_id in zip(opening, queries.allocate_case_ids(session, len(opening))):
            case.id = case_id
        batch = queries.OpeningBatch(session)
        batch.customer_ids = {case.customer_id for case in opening if case.customer_id is not None}
        batch.keep = list(rows.values())
        batch.customers = {p.customer.id: p.customer for p in pending}  # what routing reads of them
        session.info[queries.OpeningBatch.KEY] = batch
        self._spent["store"] += time.perf_counter() - t0
        try:
            with session.no_autoflush:
                for item, result, case, new_case in plan:
                    t0 = time.perf_counter()
                    row = rows.get(item.mention_id)
                    values = _result_values(item, result)
                    if case is None:
                        plain.append({"b_id": item.mention_id, **values})
                        if row is not None:
                            session.expire(row)
                        self._spent["store"] += time.perf_counter() - t0
                        outcomes[item.index] = IngestOutcome(item.mention_id, False, result, None, False)
                        continue
                    assert row is not None
                    for name, value in values.items():
                        setattr(row, name, value)
                    t1 = time.perf_counter()
                    self._spent["store"] += t1 - t0
                    if new_case:
                        session.add(case)
                        batch.opening(case, row)
                        self._opened(session, item.mention, row, result, case, item.now)
                    else:
                        batch.joined(case, row)
                        self._join(session, case, row, result, item.now)
                    row.case_id = case.id
                    self._spent["case"] += time.perf_counter() - t1
                    outcomes[item.index] = IngestOutcome(item.mention_id, False, result, case.id, new_case)
            t1 = time.perf_counter()
            session.flush()  # the batch's cases and filed posts, a few statements each
            batch.write_events(session)
            self._spent["case"] += time.perf_counter() - t1
        finally:
            session.info.pop(queries.OpeningBatch.KEY, None)

    def _target(self, item: "_Pending", result: TriageResult, filed: "_BatchCases") -> Case | None:
        """The open case ``item`` joins, if any (its thread's, maybe opened earlier in the batch)."""
        if result.tier == "spam":
            return None
        case = item.conversation_case
        if case is None and not _starts_conversation(item.mention):
            case = filed.open_case_for(item.mention)
        return case

    def _file(self, session: Session, item: "_Pending", result: TriageResult, filed: "_BatchCases",
              row: MentionRow | None, plain: list[dict]) -> IngestOutcome:
        mention, now = item.mention, item.now
        t0 = time.perf_counter()
        values = _result_values(item, result)
        case, new_case = None, False
        if result.tier != "spam":
            case = item.conversation_case
            if case is None and not _starts_conversation(mention):
                # The thread's case may have been opened earlier in this same batch (the thread
                # had none in the database when the batch began: _context looked).
                case = filed.open_case_for(mention)
        if case is None and (result.tier == "spam" or result.tier not in self.open_tiers):
            plain.append({"b_id": item.mention_id, **values})  # no case: written with the batch
            if row is not None:
                session.expire(row)  # loaded in case it joined a thread: reread if anyone asks
            self._spent["store"] += time.perf_counter() - t0
            return IngestOutcome(item.mention_id, False, result, None, False)
        assert row is not None
        for name, value in values.items():
            setattr(row, name, value)
        t1 = time.perf_counter()
        self._spent["store"] += t1 - t0
        if case is not None:
            self._join(session, case, row, result, now)
        else:
            case, new_case = self._open(session, mention, row, result, item.customer_id, now), True
        row.case_id = case.id
        filed.filed(mention, case, opened=new_case)
        self._spent["case"] += time.perf_counter() - t1
        return IngestOutcome(item.mention_id, False, result, case.id, new_case)

    def _open(self, session: Session, mention: Mention, row: MentionRow, result: TriageResult,
              customer_id: int, now: datetime) -> Case:
        case = self._new_case(mention, result, customer_id, now)
        session.add(case)
        session.flush()
        self._opened(session, mention, row, result, case, now)
        return case

    def _new_case(self, mention: Mention, result: TriageResult, customer_id: int, now: datetime) -> Case:
        return Case(
            brand=result.brand, platform=mention.platform, conversation_id=mention.conversation_id,
            customer_id=customer_id, state=CaseState.OPEN, tier=Tier(result.tier), intent=result.intent,
            abusive=result.abusive, abuse=result.abuse.label if result.abuse else None,
            sentiment=result.sentiment.label, sentiment_score=result.sentiment.score, priority=result.score,
            topic=result.topic, team=result.team, priority_reasons=[c.as_dict() for c in result.contributions],
            opened_at=now,
        )

    def _opened(self, session: Session, mention: Mention, row: MentionRow, result: TriageResult, case: Case,
                now: datetime) -> None:
        queries.add_event(session, case.id, "received", actor="feed", source=mention.platform, at=now,
                          payload={"mention_id": row.id, "external_id": mention.external_id})
        queries.add_event(session, case.id, "triaged", actor="triage", at=now, payload=_triage_payload(result))
        row.case_id = case.id  # before the openers, which read the case's mention
        for opener in self.case_openers:
            opener(session, case)

    def _join(self, session: Session, case: Case, row: MentionRow, result: TriageResult, now: datetime) -> None:
        queries.add_event(session, case.id, "received", actor="feed", source=row.platform, at=now,
                          payload={"mention_id": row.id, "external_id": row.external_id, "joined": True})
        queries.add_event(session, case.id, "triaged", actor="triage", at=now, payload=_triage_payload(result))
        # A follow-up can make a case more urgent ("still nothing?!"), never less.
        if TIER_RANK[result.tier] > TIER_RANK[case.tier.value] or (
            result.tier == case.tier.value and self.intent_values.get(result.intent, 0) > self.intent_values.get(case.intent, 0)
        ):
            case.tier, case.intent = Tier(result.tier), result.intent
        if result.abuse and not case.abusive:
            # An abusive follow-up flags the case; a polite one never clears the flag.
            case.abusive, case.abuse = True, result.abuse.label
        if result.score > case.priority:
            case.priority = result.score
            case.priority_reasons = [c.as_dict() for c in result.contributions]
        case.updated_at = now

    def ingest_all(self, factory: sessionmaker[Session], mentions: Iterable[Mention], *, batch_size: int = 200,
                   now: Callable[[Mention], datetime] | None = None) -> Iterator[IngestOutcome]:
        """Ingest many mentions, one transaction per batch (a failed batch stores nothing)."""
        batch: list[Mention] = []

        def flush() -> Iterator[IngestOutcome]:
            with factory() as session, session.begin():
                outcomes = self.ingest_many(session, batch, now=[now(m) for m in batch] if now else None)
            batch.clear()
            yield from outcomes

        for mention in mentions:
            batch.append(mention)
            if len(batch) >= batch_size:
                yield from flush()
        if batch:
            yield from flush()


class _BatchCases:
    """The cases this batch opened or joined, for :func:`queries.open_case_for_conversation`'s
    answer about them without a query: same conversation (the oldest open case), else the open
    case of the post replied to."""

    def __init__(self) -> None:
        self._by_conversation: dict[tuple[str, str], list[Case]] = {}
        self._by_post: dict[tuple[str, str], Case] = {}

    def filed(self, mention: Mention, case: Case, *, opened: bool) -> None:
        if opened and case.conversation_id:
            self._by_conversation.setdefault((case.platform, case.conversation_id), []).append(case)
        self._by_post[(mention.platform, mention.external_id)] = case

    def open_case_for(self, mention: Mention) -> Case | None:
        if mention.conversation_id:
            for case in self._by_conversation.get((mention.platform, mention.conversation_id), ()):
                if case.state in OPEN_STATES:
                    return case
        if mention.in_reply_to_id:
            case = self._by_post.get((mention.platform, mention.in_reply_to_id))
            if case is not None and case.state in OPEN_STATES:
                return case
        return None


@dataclass
class _Pending:
    """A stored mention waiting for its triage result within a batch."""

    index: int
    mention: Mention
    mention_id: int
    customer_id: int
    conversation_case: Case | None
    context: CustomerContext
    now: datetime
    customer: queries.CustomerFacts | None = None


def _load_rows(session: Session, ids: list[int]) -> dict[int, MentionRow]:
    """The rows in one query per chunk, held here (the identity map alone keeps them weakly)."""
    rows: dict[int, MentionRow] = {}
    for start in range(0, len(ids), queries.BULK_CHUNK):
        chunk = ids[start:start + queries.BULK_CHUNK]
        rows.update((row.id, row) for row in session.scalars(select(MentionRow).where(MentionRow.id.in_(chunk))))
    return rows


def _result_values(item: "_Pending", result: TriageResult) -> dict:
    return {"customer_id": item.customer_id, "brand": result.brand, "tier": Tier(result.tier),
            "intent": result.intent, "abusive": result.abusive, "sentiment": result.sentiment.label,
            "sentiment_score": result.sentiment.score, "topic": result.topic, "score": result.score,
            "reasons": result.reasons}


def _starts_conversation(mention: Mention) -> bool:
    """A post that starts its own conversation cannot belong to an existing case."""
    return mention.in_reply_to_id is None and mention.conversation_id in (None, mention.external_id)


def _triage_payload(result: TriageResult) -> dict:
    payload = {"tier": result.tier, "intent": result.intent, "score": result.score, "topic": result.topic,
               "team": result.team, "sentiment": result.sentiment.label, "reasons": result.reasons}
    if result.abuse:
        payload["abuse"] = result.abuse.as_dict()
    return payload


def _row_values(mention: Mention, now: datetime) -> dict:
    return {
        "platform": mention.platform, "external_id": mention.external_id, "author_handle": mention.author_handle,
        "author_id": mention.author_id, "author_name": mention.author_name,
        "author_followers": mention.author_followers, "author_verified": mention.author_verified,
        "text": mention.text, "url": mention.url, "lang": mention.lang, "created_at": mention.created_at,
        "received_at": now, "conversation_id": mention.conversation_id, "in_reply_to_id": mention.in_reply_to_id,
        "raw": mention.raw, "reasons": [],
    }

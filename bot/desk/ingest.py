"""Ingest: store a mention once, triage it, and open or join its case — in one transaction.

Every source (file replay, webhook, X poller) ends here, so dedupe, customer linking,
conversation joining and the event log behave the same whatever the mention came from.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy.orm import Session, sessionmaker

from bot.core.faults import fault_point
from bot.core.observability import TRIAGE_SECONDS
from bot.core.mention import Mention
from bot.triage.pipeline import TriagePipeline, TriageResult
from bot.triage.scoring import CustomerContext
from storage import queries
from storage.models import Case, CaseState, Mention as MentionRow, Tier

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
        results and open or join cases in arrival order.
        """
        if now is None or isinstance(now, datetime):
            nows = [now or self.clock()] * len(mentions)
        else:
            nows = list(now)
        outcomes: list[IngestOutcome | None] = [None] * len(mentions)
        pending: list[_Pending] = []
        # Authors in a fixed order (not arrival order): two replicas ingesting batches that share
        # authors then lock their customer rows in the same order and cannot deadlock.
        by_author = sorted(enumerate(zip(mentions, nows)), key=lambda item: (item[1][0].platform,
                                                                            item[1][0].author_handle.lower()))
        for index, (mention, at) in by_author:
            mention_id = queries.insert_mention_if_new(session, _row_values(mention, at))
            if mention_id is None:
                outcomes[index] = IngestOutcome(None, True)
                continue
            customer = queries.customer_for_handle(
                session, mention.platform, mention.author_handle, platform_user_id=mention.author_id,
                display_name=mention.author_name, followers=mention.author_followers,
                verified=mention.author_verified,
            )
            session.flush()
            earlier, has_open = queries.customer_history(session, customer.id)
            # Looked up before triage: a reply in a thread that already holds a case is addressed
            # to the brand even when it names nothing ("Update: still no bag").
            conversation_case = None if _starts_conversation(mention) else queries.open_case_for_conversation(
                session, mention.platform, mention.conversation_id, mention.in_reply_to_id)
            context = CustomerContext(earlier_contacts=earlier, has_open_case=has_open,
                                      crm_tier=customer.crm_tier, crm_value=customer.crm_value,
                                      in_brand_conversation=conversation_case is not None)
            pending.append(_Pending(index, mention, mention_id, customer.id, conversation_case, context, at))

        pending.sort(key=lambda p: p.index)  # triage and file in arrival order (threads open, then join)
        started = time.perf_counter()
        results = self.pipeline.triage_many([(p.mention, p.context) for p in pending], [p.now for p in pending])
        if pending:
            TRIAGE_SECONDS.observe((time.perf_counter() - started) / len(pending))
        fault_point("triaged")  # stored and triaged, not committed
        for item, result in zip(pending, results):
            outcomes[item.index] = self._file(session, item, result)
        return outcomes  # type: ignore[return-value]

    def _file(self, session: Session, item: "_Pending", result: TriageResult) -> IngestOutcome:
        mention, now = item.mention, item.now
        row = session.get(MentionRow, item.mention_id)
        assert row is not None
        row.customer_id = item.customer_id
        row.brand = result.brand
        row.tier = Tier(result.tier)
        row.intent = result.intent
        row.abusive = result.abusive
        row.sentiment = result.sentiment.label
        row.sentiment_score = result.sentiment.score
        row.topic = result.topic
        row.score = result.score
        row.reasons = result.reasons

        case, new_case = None, False
        if result.tier != "spam":
            case = item.conversation_case
            if case is None and not _starts_conversation(mention):
                # The thread's case may have been opened earlier in this same batch.
                case = queries.open_case_for_conversation(session, mention.platform, mention.conversation_id,
                                                          mention.in_reply_to_id)
            if case is not None:
                self._join(session, case, row, result, now)
            elif result.tier in self.open_tiers:
                case, new_case = self._open(session, mention, row, result, item.customer_id, now), True
        if case is not None:
            row.case_id = case.id
        return IngestOutcome(item.mention_id, False, result, case.id if case else None, new_case)

    def _open(self, session: Session, mention: Mention, row: MentionRow, result: TriageResult,
              customer_id: int, now: datetime) -> Case:
        case = Case(
            brand=result.brand, platform=mention.platform, conversation_id=mention.conversation_id,
            customer_id=customer_id, state=CaseState.OPEN, tier=Tier(result.tier), intent=result.intent,
            abusive=result.abusive, abuse=result.abuse.label if result.abuse else None,
            sentiment=result.sentiment.label, sentiment_score=result.sentiment.score, priority=result.score,
            topic=result.topic, team=result.team, priority_reasons=[c.as_dict() for c in result.contributions],
            opened_at=now,
        )
        session.add(case)
        session.flush()
        queries.add_event(session, case.id, "received", actor="feed", source=mention.platform, at=now,
                          payload={"mention_id": row.id, "external_id": mention.external_id})
        queries.add_event(session, case.id, "triaged", actor="triage", at=now, payload=_triage_payload(result))
        row.case_id = case.id  # before the openers, which read the case's mention
        for opener in self.case_openers:
            opener(session, case)
        return case

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

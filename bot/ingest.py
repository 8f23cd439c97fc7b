"""Ingest: store a mention once, triage it, and open or join its case — in one transaction.

Every source (file replay, webhook, X poller) ends here, so dedupe, customer linking,
conversation joining and the event log behave the same whatever the mention came from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy.orm import Session, sessionmaker

from bot.feeds.mention import Mention
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

    def ingest(self, session: Session, mention: Mention, *, now: datetime | None = None) -> IngestOutcome:
        now = now or self.clock()
        mention_id = queries.insert_mention_if_new(session, _row_values(mention, now))
        if mention_id is None:
            return IngestOutcome(None, True)

        customer = queries.customer_for_handle(
            session, mention.platform, mention.author_handle, platform_user_id=mention.author_id,
            display_name=mention.author_name, followers=mention.author_followers, verified=mention.author_verified,
        )
        session.flush()
        earlier, has_open = queries.customer_history(session, customer.id)
        # Looked up before triage: a reply in a thread that already holds a case is addressed
        # to the brand even when it names nothing ("Update: still no bag").
        # A post that starts its own conversation cannot belong to an existing case: skip the query.
        starts_conversation = mention.in_reply_to_id is None and mention.conversation_id in (None, mention.external_id)
        conversation_case = None if starts_conversation else queries.open_case_for_conversation(
            session, mention.platform, mention.conversation_id, mention.in_reply_to_id)
        context = CustomerContext(earlier_contacts=earlier, has_open_case=has_open,
                                  crm_tier=customer.crm_tier, crm_value=customer.crm_value,
                                  in_brand_conversation=conversation_case is not None)
        result = self.pipeline.triage(mention, context, now)

        row = session.get(MentionRow, mention_id)
        assert row is not None
        row.customer_id = customer.id
        row.brand = result.brand
        row.tier = Tier(result.tier)
        row.intent = result.intent
        row.sentiment = result.sentiment.label
        row.sentiment_score = result.sentiment.score
        row.topic = result.topic
        row.score = result.score
        row.reasons = result.reasons

        case, new_case = None, False
        if result.tier != "spam":
            case = conversation_case
            if case is not None:
                self._join(session, case, row, result, now)
            elif result.tier in self.open_tiers:
                case, new_case = self._open(session, mention, row, result, customer.id, now), True
        if case is not None:
            row.case_id = case.id
        return IngestOutcome(mention_id, False, result, case.id if case else None, new_case)

    def _open(self, session: Session, mention: Mention, row: MentionRow, result: TriageResult,
              customer_id: int, now: datetime) -> Case:
        case = Case(
            brand=result.brand, platform=mention.platform, conversation_id=mention.conversation_id,
            customer_id=customer_id, state=CaseState.OPEN, tier=Tier(result.tier), intent=result.intent,
            sentiment=result.sentiment.label, sentiment_score=result.sentiment.score, priority=result.score,
            topic=result.topic, team=result.team, priority_reasons=[c.as_dict() for c in result.contributions],
            opened_at=now,
        )
        session.add(case)
        session.flush()
        queries.add_event(session, case.id, "received", actor="feed", source=mention.platform, at=now,
                          payload={"mention_id": row.id, "external_id": mention.external_id})
        queries.add_event(session, case.id, "triaged", actor="triage", at=now, payload=_triage_payload(result))
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
                outcomes = [self.ingest(session, m, now=now(m) if now else None) for m in batch]
            batch.clear()
            yield from outcomes

        for mention in mentions:
            batch.append(mention)
            if len(batch) >= batch_size:
                yield from flush()
        if batch:
            yield from flush()


def _triage_payload(result: TriageResult) -> dict:
    return {"tier": result.tier, "intent": result.intent, "score": result.score, "topic": result.topic,
            "team": result.team, "sentiment": result.sentiment.label, "reasons": result.reasons}


def _row_values(mention: Mention, now: datetime) -> dict:
    return {
        "platform": mention.platform, "external_id": mention.external_id, "author_handle": mention.author_handle,
        "author_id": mention.author_id, "author_name": mention.author_name,
        "author_followers": mention.author_followers, "author_verified": mention.author_verified,
        "text": mention.text, "url": mention.url, "lang": mention.lang, "created_at": mention.created_at,
        "received_at": now, "conversation_id": mention.conversation_id, "in_reply_to_id": mention.in_reply_to_id,
        "raw": mention.raw, "reasons": [],
    }

"""Triage without a database: the decisions ``mentiondesk ingest`` would make, kept in memory.

``mentiondesk triage`` used to ingest every post into a throw-away SQLite database to get the
customer context right (an author's second complaint is scored as a repeat contact, a reply in
a thread that has a case is addressed to the brand, a redelivered post is a duplicate). That
cost a database round trip per post. :class:`DryRunIngest` keeps exactly the facts those
decisions read: the posts seen, each customer's cases, each thread's case. It follows
:class:`bot.desk.ingest.IngestService` step for step (dedupe in author order, context before
triage, cases opened and joined in arrival order, a thread's case opened earlier in the same
batch found for its replies), so its results are the same; nothing is written anywhere. Case
openers (CRM lookups, routing, escalation) do not run: none of them changes a triage result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Hashable

from bot.core.mention import Mention
from bot.desk.ingest import IngestOutcome
from bot.triage.pipeline import TriagePipeline, TriageResult
from bot.triage.scoring import CustomerContext


@dataclass
class _Known:
    key: Hashable
    tier: str | None
    value: float | None


class DryRunIngest:
    """``IngestService.ingest_many`` without a session: same outcomes, case ids counted from 1."""

    def __init__(self, pipeline: TriagePipeline, known_customers: Sequence = ()):
        self.pipeline = pipeline
        self.open_tiers = set(pipeline.config.triage.open_case_tiers)
        self._seen: set[tuple[str, str]] = set()
        self._cases_of: dict[Hashable, int] = {}  # customer -> cases opened (all still open: nobody works them)
        self._by_conversation: dict[tuple[str, str], int] = {}  # the thread's first case
        self._by_post: dict[tuple[str, str], int] = {}  # the case a stored post belongs to
        self._next_case = self._next_mention = 1
        # The config's known customers (``customers:``): one customer for all their handles,
        # with the CRM tier and value the database would hold for them.
        self._known: dict[tuple[str, str], _Known] = {}
        for i, entry in enumerate(known_customers):
            tier = entry.tier.strip().lower() if entry.tier and entry.tier.strip() else None
            for platform, handle in entry.handles.items():
                self._known.setdefault((platform, handle.lstrip("@").lower()), _Known(("known", i), tier, entry.value))

    def ingest_many(self, mentions: Sequence[Mention], *, now: datetime | None = None) -> list[IngestOutcome]:
        at = now or datetime.now(timezone.utc)
        outcomes: list[IngestOutcome | None] = [None] * len(mentions)
        fresh: list[int] = []
        by_author = sorted(range(len(mentions)), key=lambda i: (mentions[i].platform, mentions[i].author_handle.lower()))
        for index in by_author:  # the first in author order is stored, as in the database
            key = (mentions[index].platform, mentions[index].external_id)
            if key in self._seen:
                outcomes[index] = IngestOutcome(None, True)
            else:
                self._seen.add(key)
                fresh.append(index)
        fresh.sort()
        pending = []
        for index in fresh:
            mention = mentions[index]
            customer = self._customer(mention)
            earlier = self._cases_of.get(customer.key, 0)
            thread = None if _starts_conversation(mention) else self._thread_case(mention)
            context = CustomerContext(earlier_contacts=earlier, has_open_case=earlier > 0, crm_tier=customer.tier,
                                      crm_value=customer.value, in_brand_conversation=thread is not None)
            pending.append((index, mention, customer, thread, context))
        results = self.pipeline.triage_many([(m, c) for _, m, _, _, c in pending], at)
        for (index, mention, customer, thread, _), result in zip(pending, results):
            outcomes[index] = self._file(mention, customer, thread, result)
        return outcomes  # type: ignore[return-value]

    def _file(self, mention: Mention, customer: _Known, thread: int | None, result: TriageResult) -> IngestOutcome:
        mention_id, self._next_mention = self._next_mention, self._next_mention + 1
        case, new_case = None, False
        if result.tier != "spam":
            case = thread
            if case is None and not _starts_conversation(mention):
                case = self._thread_case(mention)  # opened earlier in this batch
            if case is None and result.tier in self.open_tiers:
                case, new_case = self._next_case, True
                self._next_case += 1
                self._cases_of[customer.key] = self._cases_of.get(customer.key, 0) + 1
                if mention.conversation_id:
                    self._by_conversation.setdefault((mention.platform, mention.conversation_id), case)
        if case is not None:
            self._by_post[(mention.platform, mention.external_id)] = case
        return IngestOutcome(mention_id, False, result, case, new_case)

    def _customer(self, mention: Mention) -> _Known:
        handle = (mention.platform, mention.author_handle.lower())
        return self._known.get(handle) or _Known(handle, None, None)

    def _thread_case(self, mention: Mention) -> int | None:
        if mention.conversation_id and (case := self._by_conversation.get((mention.platform, mention.conversation_id))):
            return case
        if mention.in_reply_to_id:
            return self._by_post.get((mention.platform, mention.in_reply_to_id))
        return None


def _starts_conversation(mention: Mention) -> bool:
    return mention.in_reply_to_id is None and mention.conversation_id in (None, mention.external_id)

"""The desk's own history as training labels (`mentiondesk train --from-desk`, `--with-feedback`).

What agents do on cards is recorded as events; some of it says what a post really was. Each
case gives at most one label per task, for the post that opened it (the one triage judged):

- **replied** (a reply was sent, which the desk allows only on a claimed case) on a case whose
  intent needs an answer (complaint, crisis, urgent) → ``complaint`` for the complaint head
  (its positive class is "actionable"), and ``quality`` for the spam head;
- **dismissed** ("Not actionable") → ``other``; dismissed with a reason that says spam →
  ``spam`` for the spam head too;
- **resolved by a team** → the topic of that team, when the team has exactly one topic or the
  case's topic is one of the team's (``triage.model.topic_map`` turns it back into the model's
  label);
- **Fix triage** (``triage_corrected``): the corrected intent says complaint or not (crisis
  and urgent count as complaints), spam or not; the corrected topic labels the topic head.
  A correction is the most explicit signal, so it wins over the others; of several, the last.

A case that was dismissed is never also used as a confirmation. Erased posts are never used.

Every example gets a stable split from a hash of its text (``desk_split``): a **held-back**
slice is never trained on (the quality gate scores old and new heads on it), the rest goes to
``tune`` (thresholds follow the desk's traffic too) and ``train``.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.triage.model.datasets import Example
from storage.models import Case, CaseState, Event, Mention

DISMISSED = "not_actionable"
ANSWERED = "reply_sent"
CORRECTED = "triage_corrected"
COMPLAINT_INTENTS = {"complaint", "crisis", "urgent"}
SOURCE = "desk"
DESK_TASKS = ("complaint", "topic", "spam")
# Percent of the desk's examples held back for the quality gate, and given to ``tune``.
HELD_BACK_SHARE, DESK_TUNE_SHARE = 20, 15
HELD_BACK = "held_back"
_SAYS_SPAM = re.compile(r"\bspam", re.IGNORECASE)


def desk_split(text: str) -> str:
    """``held_back``, ``tune`` or ``train``, from a hash of the text (links and handles aside):
    the same post always lands on the same side, whatever the run."""
    key = " ".join(re.sub(r"https?://\S+|@\w+", "", text.lower()).split())
    bucket = int.from_bytes(hashlib.blake2b(f"desk:{key}".encode(), digest_size=4).digest(), "big") % 100
    if bucket < HELD_BACK_SHARE:
        return HELD_BACK
    return "tune" if bucket < HELD_BACK_SHARE + DESK_TUNE_SHARE else "train"


@dataclass
class DeskLabels:
    """Per task, the desk's labeled examples (split set), and where the labels came from."""

    examples: dict[str, list[Example]] = field(default_factory=lambda: {t: [] for t in DESK_TASKS})
    labeled_cases: int = 0
    signals: Counter = field(default_factory=Counter)  # replied / dismissed / dismissed_as_spam / resolved_team / corrected

    def training(self) -> dict[str, list[Example]]:
        """What training may see: everything but the held-back slice."""
        return {task: [e for e in ex if e.split != HELD_BACK] for task, ex in self.examples.items()}

    def held_back(self) -> dict[str, list[Example]]:
        return {task: [e for e in ex if e.split == HELD_BACK] for task, ex in self.examples.items()}

    def counts(self) -> dict[str, dict[str, int]]:
        return {task: {s: sum(e.split == s for e in ex) for s in ("train", "tune", HELD_BACK)}
                for task, ex in self.examples.items()}


def team_topics(teams) -> dict[str, list[str]]:
    """Team name -> the topics routed to it (from ``config.teams``)."""
    return {team.name: list(team.topics) for team in teams}


def resolved_topic(team: str | None, case_topic: str | None, topics_of_team: dict[str, list[str]]) -> str | None:
    """The topic a case's resolving team vouches for: its only topic, or the case's topic when
    the team handles it; None when the team says nothing certain (several topics, none the case's)."""
    topics = topics_of_team.get(team or "")
    if not topics:
        return None
    if case_topic in topics:
        return case_topic
    return topics[0] if len(topics) == 1 else None


def desk_labels(session: Session, topic_map: dict[str, str] | None = None,
                topics_of_team: dict[str, list[str]] | None = None,
                head_labels: set[str] | None = None) -> DeskLabels:
    """The labels the desk's history gives (see the module docstring). ``head_labels``: the
    topic head's classes in the heads in use; a topic that is one of them stays as it is (heads
    trained on the project corpus use the configured names), others go through ``topic_map``."""
    label_of_topic: dict[str, str] = {}
    for label, topic in (topic_map or {}).items():
        label_of_topic.setdefault(topic, label)
    for topic in head_labels or ():
        label_of_topic[topic] = topic
    complaint: dict[int, str] = {}
    spam: dict[int, str] = {}
    topic: dict[int, str] = {}
    labels = DeskLabels()

    dismissals = session.execute(select(Event.case_id, Event.payload).where(Event.type == DISMISSED)
                                 .order_by(Event.id)).all()
    dismissed = set()
    for case_id, payload in dismissals:
        dismissed.add(case_id)
        complaint[case_id] = "other"
        labels.signals["dismissed"] += 1
        if _SAYS_SPAM.search(str((payload or {}).get("reason") or "")):
            spam[case_id] = "spam"
            labels.signals["dismissed_as_spam"] += 1
    answered = set(session.scalars(
        select(Event.case_id).join(Case, Case.id == Event.case_id)
        .where(Event.type == ANSWERED, Case.intent.in_(COMPLAINT_INTENTS)).distinct()))
    for case_id in answered - dismissed:
        complaint[case_id] = "complaint"
        spam.setdefault(case_id, "quality")
        labels.signals["replied"] += 1
    if topics_of_team:
        resolved = session.execute(select(Case.id, Case.team, Case.topic)
                                   .where(Case.state == CaseState.RESOLVED)).all()
        for case_id, team, case_topic in resolved:
            found = resolved_topic(team, case_topic, topics_of_team)
            if found:
                topic[case_id] = label_of_topic.get(found, found)
                labels.signals["resolved_team"] += 1
    corrections = session.execute(select(Event.case_id, Event.payload).where(Event.type == CORRECTED)
                                  .order_by(Event.id)).all()
    for case_id, payload in corrections:  # in order: the last correction of a case counts
        after, before = (payload or {}).get("to") or {}, (payload or {}).get("from") or {}
        labels.signals["corrected"] += 1
        new_intent = after.get("intent")
        if new_intent and new_intent != before.get("intent"):
            complaint[case_id] = "complaint" if new_intent in COMPLAINT_INTENTS else "other"
            if new_intent == "spam":
                spam[case_id] = "spam"
            elif before.get("intent") == "spam" or spam.get(case_id) == "spam":
                spam[case_id] = "quality"
        if after.get("topic") and after.get("topic") != before.get("topic"):
            topic[case_id] = label_of_topic.get(after["topic"], after["topic"])

    wanted = set(complaint) | set(spam) | set(topic)
    if not wanted:
        return labels
    texts = _opening_posts(session, wanted)
    per_task = {"complaint": complaint, "spam": spam, "topic": topic}
    cases_with_text = set()
    for task, by_case in per_task.items():
        for case_id in sorted(by_case):
            text = texts.get(case_id)
            if not text:
                continue
            cases_with_text.add(case_id)
            labels.examples[task].append(Example(text, by_case[case_id], desk_split(text), SOURCE,
                                                 {"case_id": case_id}))
    labels.labeled_cases = len(cases_with_text)
    return labels


def _opening_posts(session: Session, case_ids: set[int]) -> dict[int, str]:
    """Case id -> the text of the post that opened it (not erased)."""
    out: dict[int, str] = {}
    ids = sorted(case_ids)
    for start in range(0, len(ids), 500):  # bounded IN lists
        rows = session.execute(select(Mention.case_id, Mention.text)
                               .where(Mention.case_id.in_(ids[start:start + 500]), Mention.erased_at.is_(None))
                               .order_by(Mention.created_at, Mention.id)).all()
        for case_id, text in rows:
            out.setdefault(case_id, text)
    return out


def feedback_examples(session: Session, topic_map: dict[str, str] | None = None,
                      topics_of_team: dict[str, list[str]] | None = None,
                      head_labels: set[str] | None = None) -> dict[str, list[Example]]:
    """`--with-feedback`: every desk label, all in the training split and without the gate
    (the labels of ``desk_labels``; the corpus's own splits stay as they are)."""
    labels = desk_labels(session, topic_map, topics_of_team, head_labels)
    return {task: [Example(e.text, e.label, "train", e.source, e.extra) for e in ex]
            for task, ex in labels.examples.items()}

"""Agents' corrections as training data (`mentiondesk train --with-feedback`).

What agents do on cards is recorded as events; some of it says what a post really was:

- "Not actionable" on a case: its posts needed no answer → ``other`` for the complaint head;
- a reply sent on a case triaged as a complaint: the agent confirmed it → ``complaint``;
- "Fix triage" (``triage_corrected``): the corrected intent says complaint or not (crisis and
  urgent count as complaints: all need an answer), the corrected topic labels the topic head.
  A correction is the most explicit of the three, so it wins over the other two.

A case that was dismissed is never also used as a confirmation. Every example goes to the
training split: the held-out evaluation split stays the public data's own.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.triage.model.datasets import Example
from storage.models import Case, Event, Mention

DISMISSED = "not_actionable"
ANSWERED = "reply_sent"
CORRECTED = "triage_corrected"
COMPLAINT_INTENTS = {"complaint", "crisis", "urgent"}


def feedback_examples(session: Session, topic_map: dict[str, str] | None = None) -> dict[str, list[Example]]:
    """Labeled examples per task. ``topic_map`` (model label -> configured topic) turns a
    corrected topic back into the model's label where one maps to it; other topics become new
    labels of the topic head."""
    dismissed = set(session.scalars(select(Event.case_id).where(Event.type == DISMISSED)))
    answered = set(session.scalars(
        select(Event.case_id).join(Case, Case.id == Event.case_id)
        .where(Event.type == ANSWERED, Case.intent == "complaint")))
    complaint_labels = {case_id: "other" for case_id in dismissed}
    complaint_labels.update({case_id: "complaint" for case_id in answered - dismissed})
    topic_labels: dict[int, str] = {}
    label_of_topic: dict[str, str] = {}
    for label, topic in (topic_map or {}).items():
        label_of_topic.setdefault(topic, label)
    corrections = session.execute(select(Event.case_id, Event.payload).where(Event.type == CORRECTED)
                                  .order_by(Event.id)).all()
    for case_id, payload in corrections:  # in order: the last correction of a case counts
        after, before = (payload or {}).get("to") or {}, (payload or {}).get("from") or {}
        if after.get("intent") and after.get("intent") != before.get("intent"):
            complaint_labels[case_id] = "complaint" if after["intent"] in COMPLAINT_INTENTS else "other"
        if after.get("topic") and after.get("topic") != before.get("topic"):
            topic_labels[case_id] = label_of_topic.get(after["topic"], after["topic"])
    out: dict[str, list[Example]] = {"complaint": [], "topic": []}
    wanted = set(complaint_labels) | set(topic_labels)
    if not wanted:
        return out
    rows = session.execute(select(Mention.case_id, Mention.text).where(Mention.case_id.in_(wanted))
                           .order_by(Mention.id)).all()
    for case_id, text in rows:
        if case_id in complaint_labels:
            out["complaint"].append(Example(text, complaint_labels[case_id], "train", "feedback"))
        if case_id in topic_labels:
            out["topic"].append(Example(text, topic_labels[case_id], "train", "feedback"))
    return out

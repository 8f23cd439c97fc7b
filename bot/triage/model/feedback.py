"""Agents' corrections as training data (`mentiondesk train --with-feedback`).

What agents do on cards is recorded as events; some of it says what a post really was:

- "Not actionable" on a case: its posts needed no answer → ``other`` for the complaint head;
- a reply sent on a case triaged as a complaint: the agent confirmed it → ``complaint``.

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


def feedback_examples(session: Session) -> dict[str, list[Example]]:
    dismissed = set(session.scalars(select(Event.case_id).where(Event.type == DISMISSED)))
    answered = set(session.scalars(
        select(Event.case_id).join(Case, Case.id == Event.case_id)
        .where(Event.type == ANSWERED, Case.intent == "complaint")))
    labels = {case_id: "other" for case_id in dismissed}
    labels.update({case_id: "complaint" for case_id in answered - dismissed})
    if not labels:
        return {"complaint": []}
    rows = session.execute(select(Mention.case_id, Mention.text).where(Mention.case_id.in_(labels))
                           .order_by(Mention.id)).all()
    return {"complaint": [Example(text, labels[case_id], "train", "feedback") for case_id, text in rows]}

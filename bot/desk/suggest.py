"""Suggested answers for the Reply dialog: the three best starting points for a case.

Candidates are the canned responses (those whose ``topics`` / ``language`` fit the case, or
that name none) and the team's own replies to other cases on the same topic and language.
They are ranked by how close the case's post is to each candidate's text (a canned response:
its title and text; a past reply: the post it answered):

* with the triage encoder when it is loaded (all-MiniLM-L6-v2 embeddings, cosine similarity);
* otherwise TF-IDF over words and word pairs (scikit-learn), so a desk without the model extra
  still gets suggestions; each :class:`Suggestions` says which ranking was used.

Each suggestion says why it is offered. Nothing is ever sent from here: the agent picks one as a
starting point in the dialog, edits it and sends it like any reply.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Case, Mention, OutboxEntry, OutboxKind, OutboxState

TOP = 3
PAST_REPLIES = 200  # the newest replies of the team looked at
SHOWN_STATES = (OutboxState.PENDING, OutboxState.SENDING, OutboxState.SENT)


class Ranker(Protocol):
    name: str

    def similarities(self, query: str, texts: Sequence[str]) -> np.ndarray: ...


class TfidfRanker:
    """Word and word-pair TF-IDF, cosine similarity (no model needed)."""

    name = "tf-idf"

    def similarities(self, query: str, texts: Sequence[str]) -> np.ndarray:
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode")
        matrix = vectorizer.fit_transform([query, *texts])
        return (matrix[1:] @ matrix[0].T).toarray().ravel()


class EncoderRanker:
    """Cosine similarity of the triage encoder's (L2-normalised) embeddings."""

    name = "encoder"

    def __init__(self, encoder: Any):
        self.encoder = encoder

    def similarities(self, query: str, texts: Sequence[str]) -> np.ndarray:
        vectors = self.encoder.encode([query, *texts])
        return vectors[1:] @ vectors[0]


@dataclass(frozen=True)
class Suggestion:
    kind: str  # canned | past_reply
    text: str
    title: str
    why: str
    score: float
    canned_id: str | None = None
    case_id: int | None = None  # the past case it answered


@dataclass(frozen=True)
class Suggestions:
    items: list[Suggestion]
    ranking: str  # encoder | tf-idf | none


def _fits(values: Sequence[str] | None, value: str | None) -> bool:
    return not values or (value is not None and value in values)


def suggest(session: Session, case_id: int, canned: Sequence[Any], ranker: Ranker, *, top: int = TOP) -> Suggestions:
    case = session.get(Case, case_id)
    if case is None:
        return Suggestions([], "none")
    first = session.scalars(select(Mention).where(Mention.case_id == case_id)
                            .order_by(Mention.created_at, Mention.id).limit(1)).first()
    query = first.text if first else ""
    lang = first.lang if first else None
    candidates: list[tuple[Suggestion, str]] = []
    for c in canned:
        if not (_fits(getattr(c, "topics", None), case.topic) and _fits(
                [c.language] if getattr(c, "language", None) else None, lang)):
            continue
        topic = f" for {case.topic}" if getattr(c, "topics", None) else ""
        candidates.append((Suggestion("canned", c.text, c.title, f"canned response{topic}", 0.0, canned_id=c.id),
                           f"{c.title}. {c.text}"))
    # The team's own replies to other posts on the same topic (and language, when known).
    past = session.execute(
        select(OutboxEntry.text, Case.id, Mention.text)
        .join(Case, Case.id == OutboxEntry.case_id).join(Mention, Mention.case_id == Case.id)
        .where(OutboxEntry.kind == OutboxKind.REPLY, OutboxEntry.author_agent_id.is_not(None),
               OutboxEntry.state.in_(SHOWN_STATES), Case.id != case_id, Case.team == case.team,
               Case.topic == case.topic if case.topic else Case.topic.is_(None),
               *([Mention.lang == lang] if lang else []), Case.erased_at.is_(None))
        .order_by(OutboxEntry.id.desc()).limit(PAST_REPLIES)).all()
    seen: set[str] = set()
    for reply, past_id, post in past:
        if reply in seen:
            continue
        seen.add(reply)
        candidates.append((Suggestion("past_reply", reply, f"reply on case #{past_id}",
                                      f"the team's reply to a similar post on case #{past_id}", 0.0,
                                      case_id=past_id), post))
    return rank(query, candidates, ranker, top=top)


def canned_candidates(canned: Sequence[Any]) -> list[tuple[Suggestion, str]]:
    """Every canned response as a candidate (the bench ranks these alone)."""
    return [(Suggestion("canned", c.text, c.title, "canned response", 0.0, canned_id=c.id), f"{c.title}. {c.text}")
            for c in canned]


def rank(query: str, candidates: list[tuple[Suggestion, str]], ranker: Ranker, *, top: int = TOP) -> Suggestions:
    """The ``top`` candidates closest to ``query``, each with its similarity in its why."""
    if not candidates or not query.strip():
        return Suggestions([], ranker.name if candidates else "none")
    scores = ranker.similarities(query, [text for _, text in candidates])
    order = sorted(range(len(candidates)), key=lambda i: -float(scores[i]))[:top]
    items = []
    for i in order:
        s = candidates[i][0]
        items.append(Suggestion(s.kind, s.text, s.title, f"{s.why}; similarity {float(scores[i]):.2f} ({ranker.name})",
                                float(scores[i]), s.canned_id, s.case_id))
    return Suggestions(items, ranker.name)

"""The one-question satisfaction survey sent after a case is resolved.

When a case is resolved, a short message with a personal link goes to the customer through the
outbox (the relay sends it like any reply, once: its idempotency key is the case). The link
carries the case id signed with ``MENTIONDESK_WEB_SECRET`` (itsdangerous), so nobody can answer
for another case, and the answer is one event per case (``satisfaction``, unique ``dedupe_key``):
the first answer counts, a second is ignored.

No survey goes to a case triage flagged abusive (insults, harassment or threats at the brand or
its staff): nothing is sent to such a customer without an agent choosing to (an agent may still
reply by hand).
"""

from __future__ import annotations

from datetime import datetime, timezone

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage import queries
from storage.models import Case, CaseState, Mention, OutboxEntry, OutboxState, Visibility

SCORES = (1, 2, 3, 4, 5)
QUESTION = "How happy are you with how we handled this? Tell us in one click:"


def _signer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt="mentiondesk-survey")


def make_token(secret: str, case_id: int) -> str:
    return _signer(secret).dumps(case_id)


def read_token(secret: str, token: str) -> int | None:
    try:
        value = _signer(secret).loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


def queue_survey(session: Session, case_id: int, public_url: str, secret: str,
                 now: datetime | None = None) -> int | None:
    """Put the survey message for a resolved case in the outbox (once): its outbox id, or None
    (also for an abusive case: see the module docstring)."""
    now = now or datetime.now(timezone.utc)
    case = session.get(Case, case_id)
    if case is None or case.state != CaseState.RESOLVED or case.abusive:
        return None
    latest = session.scalars(select(Mention.external_id).where(Mention.case_id == case_id)
                             .order_by(Mention.created_at.desc(), Mention.id.desc()).limit(1)).first()
    link = f"{public_url.rstrip('/')}/survey/{make_token(secret, case_id)}"
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    outbox_id = session.execute(insert(OutboxEntry).values(
        case_id=case_id, platform=case.platform, text=f"{QUESTION} {link}", visibility=Visibility.PRIVATE,
        state=OutboxState.PENDING, idempotency_key=f"survey:{case_id}", in_reply_to=latest, attempts=0,
        created_at=now, updated_at=now,
    ).on_conflict_do_nothing(index_elements=["idempotency_key"]).returning(OutboxEntry.id)).scalar_one_or_none()
    if outbox_id is not None:
        queries.add_event(session, case_id, "survey_sent", payload={"outbox_id": outbox_id}, at=now)
    return outbox_id


def record_answer(session: Session, case_id: int, score: int, now: datetime | None = None) -> bool:
    """Store the customer's answer; False when the case already has one (or the score is not 1–5)."""
    if score not in SCORES or session.get(Case, case_id) is None:
        return False
    return queries.add_event_once(session, case_id, "satisfaction", f"satisfaction:{case_id}", actor="customer",
                                  source="survey", payload={"score": score}, at=now or datetime.now(timezone.utc))

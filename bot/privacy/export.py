"""Everything mentiondesk holds about one customer, as one JSON document (a subject access request).

The document has: ``customers`` (each with its platform ``handles``), every ``mention`` they wrote
(matched by customer and by author handle, so posts stored without a customer are in too), the
``cases`` they opened or wrote in, those cases' ``events`` and ``outbox`` replies. Column names
are the database's; times are ISO 8601 UTC.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import inspect, or_, select
from sqlalchemy.orm import Session

from bot.privacy.erase import customers_by_handle, mentions_by_author
from storage.models import Case, CustomerHandle, Event, Mention, OutboxEntry

FORMAT = "mentiondesk.customer-export/1"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def as_dict(row: Any) -> dict[str, Any]:
    """One ORM row as a JSON-ready dict of its columns."""
    return {attr.key: _plain(getattr(row, attr.key)) for attr in inspect(row).mapper.column_attrs}


def export_customer(session: Session, handle: str, *, platform: str | None = None,
                    now: datetime) -> dict[str, Any]:
    customers = customers_by_handle(session, handle, platform)
    ids = [c.id for c in customers]
    by_them = mentions_by_author(handle, platform)
    if ids:
        by_them = or_(Mention.customer_id.in_(ids), by_them)
    mentions = list(session.scalars(select(Mention).where(by_them).order_by(Mention.created_at, Mention.id)))
    case_ids = {m.case_id for m in mentions if m.case_id is not None}
    if ids:
        case_ids |= set(session.scalars(select(Case.id).where(Case.customer_id.in_(ids))))
    cases = list(session.scalars(select(Case).where(Case.id.in_(case_ids)).order_by(Case.id))) if case_ids else []
    events = list(session.scalars(select(Event).where(Event.case_id.in_(case_ids))
                                  .order_by(Event.case_id, Event.id))) if case_ids else []
    outbox = list(session.scalars(select(OutboxEntry).where(OutboxEntry.case_id.in_(case_ids))
                                  .order_by(OutboxEntry.id))) if case_ids else []
    handles = list(session.scalars(select(CustomerHandle).where(CustomerHandle.customer_id.in_(ids))
                                   .order_by(CustomerHandle.id))) if ids else []
    return {
        "format": FORMAT,
        "exported_at": now.isoformat(),
        "query": {"handle": handle, "platform": platform},
        "customers": [{**as_dict(c), "handles": [as_dict(h) for h in handles if h.customer_id == c.id]}
                      for c in customers],
        "mentions": [as_dict(m) for m in mentions],
        "cases": [as_dict(c) for c in cases],
        "events": [as_dict(e) for e in events],
        "outbox": [as_dict(o) for o in outbox],
    }

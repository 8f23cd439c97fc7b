"""Customers the config names (``customers:``): one person's identities joined at start-up.

For people the team already knows across platforms (a regular on X who also writes on
Discord), without a CRM. Applied on every start; idempotent; an entry that would join two
different CRM records is logged and skipped, never half-applied.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from bot.core.config_crm import KnownCustomer
from bot.crm.merge import EMAIL, MergeConflict, unify

log = logging.getLogger(__name__)


def apply_known_customers(session: Session, entries: list[KnownCustomer]) -> list[str]:
    problems = []
    for i, entry in enumerate(entries):
        identities = list(entry.handles.items()) + ([(EMAIL, entry.email)] if entry.email else [])
        try:
            with session.begin_nested():
                unify(session, crm_id=entry.crm_id, identities=identities, tier=entry.tier, value=entry.value,
                      name=entry.name)
        except MergeConflict as exc:
            problems.append(f"customers[{i}]: {exc}")
            log.warning("config customers[%d] not applied: %s", i, exc)
    return problems

"""A case's CRM factor again, when CRM data reaches its customer after triage.

Triage scored the case with what it knew then. When a CRM lookup answers or a CSV import
attaches a record, the ``crm_value`` contribution is recomputed with the same weights
(``priority.crm_value_full``, ``crm_tier_values``), the priority is changed by the difference
only (every other factor keeps what triage said), and the reasons are re-sorted.
"""

from __future__ import annotations

from bot.core.config import Priority
from bot.triage.scoring import crm_factor
from storage.models import Case, Customer


def rescore_crm_factor(case: Case, customer: Customer, priority: Priority) -> tuple[float, float]:
    """Update ``case`` in place from ``customer``'s CRM data; returns (priority before, after)."""
    before = case.priority
    value, detail = crm_factor(priority, customer.crm_value, customer.crm_tier)
    reasons = [dict(r) for r in case.priority_reasons or []]
    for reason in reasons:
        if reason.get("factor") == "crm_value":
            old = float(reason.get("points", 0))
            points = round(float(reason.get("weight", priority.weights.crm_value)) * value, 1)
            reason.update(value=round(value, 4), points=points, detail=detail)
            case.priority = round(case.priority - old + points, 1)
    case.priority_reasons = sorted(reasons, key=lambda r: -float(r.get("points", 0)))
    return before, case.priority

"""The text a reply leaves with: its template variables filled from the case (bot/core/templates.py).

Called by the reply actions before the reply policy checks the text, so the length limit of the
case's platform applies to the rendered reply, the one the customer reads. A reply that still has
a ``{{fill-in prompt}}`` or an unknown ``{variable}`` is refused with what to fix; a variable with
no value (the customer's name after an erasure) is refused rather than sent half-empty.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.templates import render, send_problems, variables
from storage.models import Agent, Case, Customer, Mention


def _handle(handle: str | None) -> str:
    return "" if not handle else handle if handle.startswith("@") else f"@{handle}"


def template_values(session: Session, case: Case, agent_name: str | None) -> dict[str, str]:
    """The value of every template variable for ``case`` answered by ``agent_name`` ('' when unknown)."""
    latest = session.execute(select(Mention.author_name, Mention.author_handle).where(Mention.case_id == case.id)
                             .order_by(Mention.created_at.desc(), Mention.id.desc()).limit(1)).first()
    customer = session.get(Customer, case.customer_id) if case.customer_id else None
    handle = _handle(latest[1]) if latest else ""
    name = (customer.display_name if customer and customer.display_name else None) or (latest[0] if latest else None)
    return {
        "customer.name": (name or handle or "").strip(),
        "customer.handle": handle,
        "case.id": str(case.id),
        "agent.first_name": (agent_name or "").split(" ")[0],
        "brand.name": case.brand or "",
    }


def for_case(session: Session, case_id: int, template: str, agent_id: int | None) -> str | None:
    """``template`` filled in for another case (an incident's child), or None when it cannot be."""
    case = session.get(Case, case_id)
    agent = session.get(Agent, agent_id) if agent_id else None
    if case is None:
        return None
    text, problems = filled(session, case, agent.name if agent else None, template)
    return None if problems else text


def filled(session: Session, case: Case, agent_name: str | None, text: str) -> tuple[str, list[str]]:
    """``text`` with its variables filled in, and the problems that keep it from being sent."""
    if problems := send_problems(text):
        return text, problems
    used = variables(text)
    if not used:
        return text, []
    values = template_values(session, case, agent_name)
    missing = sorted(name for name in used if not values[name])
    if missing:
        return text, [f"{{{name}}} has no value for case {case.id}; write it out instead" for name in missing]
    return render(text, values), []

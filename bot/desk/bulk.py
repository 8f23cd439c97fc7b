"""Bulk actions for a lead in a spike: many cases (or a grouped incident) at once, each case
through the same typed commands as one press would, so each is authorised, checked and
recorded on its own (one case refused never stops the others, and nothing is half-done per case).

* ``resolve``: answer each case with one reply template (its variables filled per case:
  bot/desk/reply_text.py) and resolve it. A case someone else owns is taken over first, an
  unclaimed one claimed; a reply that must wait for PR approval leaves its case open.
* ``reassign``: give each case to one agent.
* ``not_actionable``: close each with one reason.

An incident's parent brings its open children along; children go first, so the parent's reply
is not fanned out to customers who got their own (bot/routing/grouping.py skips closed children).
The batch key makes each case's reply idempotent: a resubmitted bulk form queues nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select

from bot.desk import commands as cmd
from bot.desk.actions import LEAD_ROLES, ActionResult, resolve_actor
from storage.models import OPEN_STATES, Case

MAX_CASES = 200
BulkKind = Literal["resolve", "reassign", "not_actionable"]


@dataclass(frozen=True)
class BulkOutcome:
    case_id: int
    ok: bool
    words: str  # what happened to the case, or why not


def _with_children(desk, case_ids: list[int]) -> list[int]:
    with desk.sessions() as session:
        children = session.scalars(select(Case.id).where(Case.parent_id.in_(case_ids), Case.state.in_(OPEN_STATES))
                                   .order_by(Case.id)).all()
    wanted = list(dict.fromkeys([*children, *case_ids]))  # children first
    return wanted


def run_bulk(desk, kind: BulkKind, case_ids: list[int], platform: str, user_id: str, *, batch_key: str,
             canned_id: str | None = None, text: str = "", to_agent_id: int | None = None,
             reason: str = "") -> list[BulkOutcome]:
    """Run ``kind`` on every case; one outcome per case, in the order they were done."""
    with desk.sessions() as session:
        actor = resolve_actor(session, platform, user_id)
    if actor.agent_id is None or actor.role not in LEAD_ROLES:
        return [BulkOutcome(case_id, False, "only leads run bulk actions") for case_id in case_ids]
    if not case_ids:
        return []
    if len(case_ids) > MAX_CASES:
        return [BulkOutcome(case_ids[0], False, f"at most {MAX_CASES} cases at once ({len(case_ids)} chosen)")]
    outcomes = []
    for case_id in _with_children(desk, case_ids):
        if kind == "reassign":
            result = desk.run(cmd.Reassign(to_agent_id=to_agent_id or 0), case_id, platform, user_id)
            outcomes.append(_outcome(result, "reassigned"))
        elif kind == "not_actionable":
            result = desk.run(cmd.NotActionable(reason=reason), case_id, platform, user_id)
            outcomes.append(_outcome(result, "closed as not actionable"))
        else:
            outcomes.append(_answer_and_resolve(desk, case_id, platform, user_id, actor.agent_id, batch_key,
                                                canned_id, text))
    return outcomes


def _outcome(result: ActionResult, done: str) -> BulkOutcome:
    return BulkOutcome(result.case_id, result.ok, done if result.ok else result.reason or "not possible")


def _answer_and_resolve(desk, case_id, platform, user_id, agent_id, batch_key, canned_id, text) -> BulkOutcome:
    with desk.sessions() as session:
        case = session.get(Case, case_id)
        owner = case.assignee_id if case else None
    if case is not None and owner is None:
        claim = desk.run(cmd.Claim(), case_id, platform, user_id)
        if not claim.ok:
            return _outcome(claim, "")
    elif case is not None and owner != agent_id:
        taken = desk.run(cmd.TakeOver(), case_id, platform, user_id)
        if not taken.ok:
            return _outcome(taken, "")
    reply = desk.run(cmd.Reply(text=text, canned_id=canned_id, idempotency_key=f"bulk:{batch_key}:{case_id}"),
                     case_id, platform, user_id)
    if not reply.ok:
        return _outcome(reply, "")
    if reply.event == "approval_requested":
        return BulkOutcome(case_id, True, "reply waits for PR approval; the case stays open")
    resolved = desk.run(cmd.Resolve(note=f"bulk {batch_key}"), case_id, platform, user_id)
    return _outcome(resolved, "answered and resolved")

"""Platform-neutral case actions: claim, release, reassign, reply, escalate, not actionable, resolve, note.

Slack, Discord and the web console all end here. Every action

* takes a session, a case id and an :class:`Actor` (the platform user resolved to an agent),
* checks the actor's role AND the case's state,
* changes the case with a *conditional* UPDATE (``... WHERE state IN (...)``), so two people
  pressing at the same moment cannot both win, on SQLite and PostgreSQL alike,
* writes exactly one append-only event — also when it refuses (type ``refused``), so the log
  shows who tried what; refusals of people mentiondesk does not know (anyone in the workspace)
  are collapsed: the first per person in each :data:`UNKNOWN_REFUSAL_WINDOW` is an event, the
  rest are counted in ``refusal_tally``, so pressing buttons cannot grow the event log at will,
* returns an :class:`ActionResult` saying what changed or why not.

Actions never commit: the caller owns the transaction (see :class:`CaseDesk`, which adapters use).
Nothing here knows about Slack or any other platform's views.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.desk import drafts, reply_text
from bot.desk.reply_policy import ReplyPolicy
from storage.clock import utcnow
from storage import queries
from storage.modes import crisis_topics
from storage.models import (
    OPEN_STATES,
    Agent,
    Case,
    CaseState,
    Customer,
    Mention,
    OutboxEntry,
    OutboxKind,
    OutboxState,
    Role,
    Team,
    Tier,
    Visibility,
)

log = logging.getLogger(__name__)

# Who may do what. Supervisors read reports; they do not work cases.
WORK_ROLES = frozenset({Role.AGENT, Role.LEAD, Role.PR})
LEAD_ROLES = frozenset({Role.LEAD})
NOTE_ROLES = frozenset(Role)

CLAIMABLE = (CaseState.OPEN, CaseState.ESCALATED)
RELEASABLE = (CaseState.CLAIMED, CaseState.REPLIED)
REPLYABLE = (CaseState.CLAIMED, CaseState.ESCALATED, CaseState.REPLIED)
DISMISSABLE = (CaseState.OPEN, CaseState.CLAIMED, CaseState.ESCALATED)
RESOLVABLE = (CaseState.CLAIMED, CaseState.ESCALATED, CaseState.REPLIED, CaseState.AWAITING_APPROVAL)
ESCALATION_LEVELS = ("team", "lead", "pr")

ROLE_WORDS = {"claim": "claim cases", "release": "release cases", "reassign": "reassign cases",
              "reply": "reply to customers", "escalate": "escalate cases",
              "not_actionable": "dismiss cases", "resolve": "resolve cases", "note": "add notes",
              "approve": "approve replies", "edit": "edit replies awaiting approval",
              "reject": "reject replies", "may_approve": "approve replies", "like": "like posts",
              "repost": "repost posts", "engage": "like or repost posts", "thank_publicly": "reply to customers",
              "same_person": "merge customers", "correct_triage": "correct triage",
              "save_draft": "save drafts", "take_over": "take cases over"}
# Refusals of someone who is not an agent: one event per person per window, the rest counted.
UNKNOWN_REFUSAL_WINDOW = timedelta(minutes=10)
# Only PR approves, edits or rejects a reply that waits for approval (issue: "PR approval in the thread").
APPROVE_ROLES = frozenset({Role.PR})


def may_decide_approvals(role: Role | None) -> bool:
    """Whether someone with ``role`` may approve, edit or reject drafts (adapters hide the buttons
    from the others; the actions refuse them anyway)."""
    return role in APPROVE_ROLES


@dataclass(frozen=True)
class Actor:
    """The person behind a button press: a platform user, and the agent row when we know them."""

    platform: str  # where the press came from: slack, discord, web, cli
    user_id: str  # the platform's user id
    agent_id: int | None = None
    name: str | None = None
    role: Role | None = None

    @property
    def label(self) -> str:
        return self.name or f"{self.platform}:{self.user_id}"


_USER_COLUMNS = {"slack": Agent.slack_user_id, "discord": Agent.discord_user_id}


def resolve_actor(session: Session, platform: str, user_id: str) -> Actor:
    """Map a platform user id to its active agent; unknown people get an Actor without agent."""
    column = _USER_COLUMNS.get(platform)
    agent = None
    if column is not None:
        agent = session.scalars(select(Agent).where(column == user_id, Agent.active.is_(True))).first()
    elif platform in ("cli", "web"):
        agent = session.scalars(select(Agent).where(Agent.name == user_id, Agent.active.is_(True))).first()
    if agent is None:
        return Actor(platform, user_id)
    return Actor(platform, user_id, agent.id, agent.name, agent.role)


@dataclass(frozen=True)
class ActionResult:
    action: str
    case_id: int
    ok: bool
    event: str | None  # type of the event written; None when nothing was written (unknown case, duplicate)
    code: str | None = None  # refusal: unknown_case, unknown_user, forbidden, already_claimed, wrong_state, invalid, duplicate
    reason: str | None = None  # refusal in words, for the person who pressed
    changes: dict[str, Any] = field(default_factory=dict)
    # The agent who owns the case when a claim lost, so adapters can name them (“already claimed by @x”).
    owner_agent_id: int | None = None
    outbox_id: int | None = None
    # The platform the press came from (set by CaseDesk), so an adapter refreshes its own cards
    # for presses made elsewhere (a claim in Discord updates the Slack card and vice versa).
    source: str | None = None


# --- helpers -------------------------------------------------------------------------------------


def _event(session: Session, case_id: int, type: str, actor: Actor, now: datetime, payload: dict) -> None:
    queries.add_event(session, case_id, type, actor=actor.label, source=actor.platform,
                      actor_agent_id=actor.agent_id, payload=payload, at=now)


def refusal_window(now: datetime) -> datetime:
    """Start of the :data:`UNKNOWN_REFUSAL_WINDOW` that ``now`` falls in."""
    seconds = int(UNKNOWN_REFUSAL_WINDOW.total_seconds())
    return datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, timezone.utc)


def first_unknown_refusal(session: Session, actor: Actor, action: str, now: datetime,
                          case_id: int | None = None) -> bool:
    """Count a refusal of someone who is not an agent; True if it is their first in this window
    (write it to the log), False if it was only counted (``refusal_tally``)."""
    return queries.tally_refusal(session, actor.platform, actor.user_id, refusal_window(now), case_id=case_id,
                                 action=action, at=now) == 1


def refuse(session: Session, action: str, case_id: int, actor: Actor, now: datetime, code: str, reason: str,
            **extra: Any) -> ActionResult:
    if session.get(Case, case_id) is None:
        return ActionResult(action, case_id, False, None, "unknown_case", f"there is no case {case_id}")
    payload = {"action": action, "code": code, "reason": reason}
    if actor.agent_id is None:
        payload["user_id"] = actor.user_id
        if not first_unknown_refusal(session, actor, action, now, case_id):
            return ActionResult(action, case_id, False, None, code, reason)  # counted, not written again
        payload["collapsed_until"] = (refusal_window(now) + UNKNOWN_REFUSAL_WINDOW).isoformat()
    _event(session, case_id, "refused", actor, now, payload)
    return ActionResult(action, case_id, False, "refused", code, reason, owner_agent_id=extra.get("owner_agent_id"))


def _role_refusal(session, action, case_id, actor, now, roles) -> ActionResult | None:
    if actor.agent_id is None:
        return refuse(session, action, case_id, actor, now, "unknown_user",
                       "you are not registered as an agent in mentiondesk (ask a lead to add your user id)")
    if actor.role not in roles:
        allowed = ", ".join(sorted(r.value for r in roles))
        who = "only leads" if roles == LEAD_ROLES else f"only {allowed}"
        return refuse(session, action, case_id, actor, now, "forbidden",
                       f"{who} can {ROLE_WORDS[action]} (you are {actor.role.value})")
    return None


def _transition(session: Session, case_id: int, states, values: dict, now: datetime, *where) -> bool:
    """UPDATE the case only if it is still in one of ``states`` (and ``where`` holds): True if it was."""
    stmt = (
        update(Case)
        .where(Case.id == case_id, Case.state.in_(states), *where)
        .values(**values, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    # synchronize_session=False: an ORM copy loaded earlier is stale now; read it again with _load().
    return session.execute(stmt).rowcount == 1


def _load(session: Session, case_id: int) -> Case | None:
    return session.get(Case, case_id, populate_existing=True)


def _wrong_state(session, action, case, actor, now, verb) -> ActionResult:
    return refuse(session, action, case.id, actor, now, "wrong_state",
                   f"case {case.id} is {case.state.value.replace('_', ' ')} and cannot be {verb}")


def _owner_name(session: Session, agent_id: int | None) -> str:
    agent = session.get(Agent, agent_id) if agent_id else None
    return agent.name if agent else "someone"


def _is_owner_or_lead(case: Case, actor: Actor) -> bool:
    return case.assignee_id == actor.agent_id or actor.role in LEAD_ROLES


# --- actions -------------------------------------------------------------------------------------


def claim(session: Session, case_id: int, actor: Actor, *, now: datetime | None = None) -> ActionResult:
    """Take ownership. Exactly one of any number of concurrent claimers wins."""
    now = now or utcnow()
    if refusal := _role_refusal(session, "claim", case_id, actor, now, WORK_ROLES):
        return refusal
    # The UPDATE is the first write of the transaction and carries the whole rule in its WHERE:
    # the database decides who wins, not a read-then-write in Python.
    if _transition(session, case_id, CLAIMABLE,
                   {"assignee_id": actor.agent_id, "state": CaseState.CLAIMED, "claimed_at": now}, now,
                   Case.assignee_id.is_(None)):
        case = _load(session, case_id)
        after = max(0, int((now - case.opened_at).total_seconds()))
        _event(session, case_id, "claimed", actor, now, {"assignee": actor.label, "seconds_after_arrival": after})
        return ActionResult("claim", case_id, True, "claimed", changes={"state": "claimed", "assignee": actor.label})
    case = _load(session, case_id)
    if case is None:
        return ActionResult("claim", case_id, False, None, "unknown_case", f"there is no case {case_id}")
    if case.assignee_id == actor.agent_id:
        return refuse(session, "claim", case_id, actor, now, "already_claimed", "you already own this case",
                       owner_agent_id=case.assignee_id)
    if case.assignee_id is not None:
        return refuse(session, "claim", case_id, actor, now, "already_claimed",
                       f"already claimed by {_owner_name(session, case.assignee_id)}", owner_agent_id=case.assignee_id)
    return _wrong_state(session, "claim", case, actor, now, "claimed")


def release(session: Session, case_id: int, actor: Actor, *, now: datetime | None = None) -> ActionResult:
    """Give a claimed case back to the queue (its owner, or a lead)."""
    now = now or utcnow()
    if refusal := _role_refusal(session, "release", case_id, actor, now, WORK_ROLES):
        return refusal
    case = _load(session, case_id)
    if case is None:
        return ActionResult("release", case_id, False, None, "unknown_case", f"there is no case {case_id}")
    if case.state not in RELEASABLE:
        return _wrong_state(session, "release", case, actor, now, "released")
    if not _is_owner_or_lead(case, actor):
        return refuse(session, "release", case_id, actor, now, "forbidden",
                       f"only the owner ({_owner_name(session, case.assignee_id)}) or a lead can release it")
    previous = case.assignee_id
    if not _transition(session, case_id, (case.state,), {"assignee_id": None, "state": CaseState.OPEN}, now,
                       Case.assignee_id == previous):
        return refuse(session, "release", case_id, actor, now, "conflict", "the case changed meanwhile; try again")
    _event(session, case_id, "released", actor, now, {"previous_assignee": _owner_name(session, previous)})
    return ActionResult("release", case_id, True, "released", changes={"state": "open", "assignee": None})


def reassign(session: Session, case_id: int, actor: Actor, *, to_agent_id: int,
             now: datetime | None = None) -> ActionResult:
    """Give the case to another agent (leads only)."""
    now = now or utcnow()
    if refusal := _role_refusal(session, "reassign", case_id, actor, now, LEAD_ROLES):
        return refusal
    case = _load(session, case_id)
    if case is None:
        return ActionResult("reassign", case_id, False, None, "unknown_case", f"there is no case {case_id}")
    target = session.get(Agent, to_agent_id)
    if target is None or not target.active or target.role not in WORK_ROLES:
        return refuse(session, "reassign", case_id, actor, now, "invalid",
                       "the new owner must be an active agent, lead or PR person")
    if case.state not in OPEN_STATES:
        return _wrong_state(session, "reassign", case, actor, now, "reassigned")
    new_state = CaseState.CLAIMED if case.state in CLAIMABLE else case.state
    values = {"assignee_id": target.id, "state": new_state, "claimed_at": case.claimed_at or now}
    if not _transition(session, case_id, (case.state,), values, now):
        return refuse(session, "reassign", case_id, actor, now, "conflict", "the case changed meanwhile; try again")
    _event(session, case_id, "reassigned", actor, now,
           {"from": _owner_name(session, case.assignee_id) if case.assignee_id else None, "to": target.name})
    return ActionResult("reassign", case_id, True, "reassigned", changes={"assignee": target.name,
                                                                         "state": new_state.value})


def reply(session: Session, case_id: int, actor: Actor, *, text: str, visibility: str = "public",
          idempotency_key: str, policy: ReplyPolicy | None = None, now: datetime | None = None) -> ActionResult:
    """Queue a reply to the customer in the outbox (the relay sends it); sensitive ones wait for approval."""
    now = now or utcnow()
    policy = policy or ReplyPolicy()
    if refusal := _reply_refusal(session, case_id, actor, now):
        return refusal
    case = _load(session, case_id)
    try:
        vis = Visibility(visibility)
    except ValueError:
        return refuse(session, "reply", case_id, actor, now, "invalid", f"unknown visibility {visibility!r}")
    written = text.strip()
    text, problems = reply_text.filled(session, case, actor.name, text)
    if problems := problems or policy.problems(text, case.platform):
        return refuse(session, "reply", case_id, actor, now, "invalid", "; ".join(problems))

    approval = policy.approval_reason(case.topic, text, case.escalation, crisis_topics=crisis_topics(session))
    # Answer the newest post of the conversation (the relay replies in that thread), or DM its author.
    latest = session.execute(select(Mention.external_id, Mention.author_id).where(Mention.case_id == case_id)
                             .order_by(Mention.created_at.desc(), Mention.id.desc()).limit(1)).first()
    outbox_id = _insert_outbox_if_new(session, {
        "case_id": case_id, "platform": case.platform, "text": text.strip(), "visibility": vis,
        "template": written if written != text.strip() else None,
        "state": OutboxState.AWAITING_APPROVAL if approval else OutboxState.PENDING,
        "idempotency_key": idempotency_key, "in_reply_to": latest[0] if latest else None,
        "recipient_id": latest[1] if latest else None, "author_agent_id": actor.agent_id,
        "attempts": 0, "created_at": now, "updated_at": now,
    })
    if outbox_id is None:  # the same dialog submitted twice: already queued, nothing more to record
        return ActionResult("reply", case_id, True, None, "duplicate", "this reply is already queued")
    drafts.done(session, case_id, actor.agent_id)  # sent: the draft and the drafting lease go
    payload = {"outbox_id": outbox_id, "visibility": vis.value, "text": text.strip()}
    if approval:
        _transition(session, case_id, REPLYABLE, {"state": CaseState.AWAITING_APPROVAL}, now)
        _event(session, case_id, "approval_requested", actor, now, {**payload, "why": approval})
        return ActionResult("reply", case_id, True, "approval_requested", outbox_id=outbox_id,
                            changes={"state": "awaiting_approval"})
    _event(session, case_id, "reply_queued", actor, now, payload)
    return ActionResult("reply", case_id, True, "reply_queued", outbox_id=outbox_id, changes={"outbox": "pending"})


def _reply_refusal(session: Session, case_id: int, actor: Actor, now: datetime) -> ActionResult | None:
    """Why ``actor`` may not reply to the case now (a recorded refusal), or None."""
    if refusal := _role_refusal(session, "reply", case_id, actor, now, WORK_ROLES):
        return refusal
    case = _load(session, case_id)
    if case is None:
        return ActionResult("reply", case_id, False, None, "unknown_case", f"there is no case {case_id}")
    if case.assignee_id is None and case.state in CLAIMABLE:
        return refuse(session, "reply", case_id, actor, now, "wrong_state", "claim the case before replying")
    if case.state not in REPLYABLE:
        return _wrong_state(session, "reply", case, actor, now, "replied to")
    # No collisions: only the owner answers; a lead who must step in takes the case over first
    # (take_over), so the owner sees it left them instead of finding two replies.
    if case.assignee_id != actor.agent_id:
        hint = "take it over first" if actor.role in LEAD_ROLES else "a lead can take it over"
        return refuse(session, "reply", case_id, actor, now, "forbidden",
                       f"the case belongs to {_owner_name(session, case.assignee_id)} ({hint})")
    return None


def may_reply(session: Session, case_id: int, actor: Actor, *, now: datetime | None = None) -> ActionResult:
    """Opening the reply dialog: the same checks as :func:`reply`, then the actor's drafting lease
    (bot/desk/drafts.py). ``changes`` carries who else is drafting (and ``warning`` in words) and
    the actor's saved draft, for the dialog to show."""
    now = now or utcnow()
    if refusal := _reply_refusal(session, case_id, actor, now):
        return refusal
    others, saved = drafts.open_dialog(session, case_id, actor.agent_id, now)
    warning = drafts.drafting_words(others)
    _event(session, case_id, "reply_opened", actor, now, {"others_drafting": others})
    return ActionResult("may_reply", case_id, True, "reply_opened",
                        changes={"drafting": others, "warning": warning, "draft": saved})


def save_draft(session: Session, case_id: int, actor: Actor, *, text: str,
               now: datetime | None = None) -> ActionResult:
    """Keep what the actor typed in a closed Reply dialog; reopening it offers the text again."""
    now = now or utcnow()
    if refusal := _role_refusal(session, "save_draft", case_id, actor, now, WORK_ROLES):
        return refusal
    if _load(session, case_id) is None:
        return ActionResult("save_draft", case_id, False, None, "unknown_case", f"there is no case {case_id}")
    drafts.save(session, case_id, actor.agent_id, text, now)
    # The length only: a draft may hold what the customer must not see in a log yet.
    _event(session, case_id, "draft_saved", actor, now, {"characters": len(text)})
    return ActionResult("save_draft", case_id, True, "draft_saved")


def take_over(session: Session, case_id: int, actor: Actor, *, now: datetime | None = None) -> ActionResult:
    """A lead makes someone else's open case their own, so they may answer it (leads only)."""
    now = now or utcnow()
    if refusal := _role_refusal(session, "take_over", case_id, actor, now, LEAD_ROLES):
        return refusal
    case = _load(session, case_id)
    if case is None:
        return ActionResult("take_over", case_id, False, None, "unknown_case", f"there is no case {case_id}")
    if case.state not in OPEN_STATES:
        return _wrong_state(session, "take_over", case, actor, now, "taken over")
    if case.assignee_id is None or case.assignee_id == actor.agent_id:
        why = "you already own this case" if case.assignee_id else "nobody owns this case: claim it instead"
        return refuse(session, "take_over", case_id, actor, now, "invalid", why)
    previous = case.assignee_id
    # The owner in the WHERE: a case released or reassigned meanwhile is not taken from someone else.
    if not _transition(session, case_id, (case.state,), {"assignee_id": actor.agent_id}, now,
                       Case.assignee_id == previous):
        return refuse(session, "take_over", case_id, actor, now, "conflict", "the case changed meanwhile; try again")
    _event(session, case_id, "taken_over", actor, now, {"from": _owner_name(session, previous), "to": actor.label})
    return ActionResult("take_over", case_id, True, "taken_over", changes={"assignee": actor.label})


def _insert_outbox_if_new(session: Session, values: dict) -> int | None:
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = (insert(OutboxEntry).values(**values)
            .on_conflict_do_nothing(index_elements=["idempotency_key"]).returning(OutboxEntry.id))
    return session.execute(stmt).scalar_one_or_none()


RELAY = Actor("system", "relay", name="relay")
#: What the event log says when the relay delivered an outbox entry of each kind.
SENT_EVENTS = {OutboxKind.REPLY: "reply_sent", OutboxKind.LIKE: "liked", OutboxKind.REPOST: "reposted"}


def mark_reply_sent(session: Session, outbox_id: int, *, external_id: str, url: str | None = None,
                    actor: Actor | None = None, now: datetime | None = None) -> ActionResult:
    """The relay delivered an outbox entry: record it once; a reply moves the case to ``replied``."""
    now = now or utcnow()
    actor = actor or RELAY
    entry = session.get(OutboxEntry, outbox_id)
    if entry is None:
        raise LookupError(f"no outbox entry {outbox_id}")
    stmt = (update(OutboxEntry)
            .where(OutboxEntry.id == outbox_id, OutboxEntry.state.in_((OutboxState.PENDING, OutboxState.SENDING)))
            .values(state=OutboxState.SENT, external_id=external_id, external_url=url, sent_at=now, updated_at=now,
                    sending_since=None, last_error=None)
            .execution_options(synchronize_session=False))
    event = SENT_EVENTS[entry.kind]
    if session.execute(stmt).rowcount != 1:
        return ActionResult(event, entry.case_id, False, None, "wrong_state", "not a reply waiting to be sent")
    case = _load(session, entry.case_id)
    if entry.kind == OutboxKind.REPLY:
        _transition(session, case.id, (CaseState.CLAIMED, CaseState.ESCALATED, CaseState.AWAITING_APPROVAL,
                                       CaseState.REPLIED),
                    {"state": CaseState.REPLIED, "first_reply_at": case.first_reply_at or now}, now)
        if case.first_reply_at is None:  # a thank-you on a resolved case still counts as answered
            _transition(session, case.id, tuple(CaseState), {"first_reply_at": now}, now, Case.first_reply_at.is_(None))
    _event(session, case.id, event, actor, now, {"outbox_id": outbox_id, "external_id": external_id, "url": url,
                                                 "visibility": entry.visibility.value, "kind": entry.kind.value})
    return ActionResult(event, case.id, True, event, outbox_id=outbox_id)


def mark_reply_failed(session: Session, outbox_id: int, *, reason: str, actor: Actor | None = None,
                      now: datetime | None = None) -> ActionResult:
    """The relay gave up on an outbox entry (a permanent error, or retries used up): the agent is told why."""
    now = now or utcnow()
    entry = session.get(OutboxEntry, outbox_id)
    if entry is None:
        raise LookupError(f"no outbox entry {outbox_id}")
    stmt = (update(OutboxEntry)
            .where(OutboxEntry.id == outbox_id, OutboxEntry.state.in_((OutboxState.PENDING, OutboxState.SENDING)))
            .values(state=OutboxState.FAILED, last_error=reason[:200], updated_at=now, sending_since=None)
            .execution_options(synchronize_session=False))
    if session.execute(stmt).rowcount != 1:
        return ActionResult("reply_failed", entry.case_id, False, None, "wrong_state", "not a reply waiting to be sent")
    _event(session, entry.case_id, "reply_failed", actor or RELAY, now,
           {"outbox_id": outbox_id, "reason": reason[:1000], "kind": entry.kind.value, "text": entry.text,
            "author_agent_id": entry.author_agent_id})
    return ActionResult("reply_failed", entry.case_id, True, "reply_failed", reason=reason, outbox_id=outbox_id,
                        owner_agent_id=entry.author_agent_id, changes={"outbox": "failed"})


# --- praise and public resolution (seed practices) ------------------------------------------------

ENGAGE_STATES = (CaseState.OPEN, CaseState.CLAIMED, CaseState.ESCALATED, CaseState.REPLIED, CaseState.RESOLVED)


def _first_post(session: Session, case_id: int) -> tuple[str, str | None] | None:
    """The post that opened the case (the public one a like, repost or public thank-you refers to)."""
    return session.execute(select(Mention.external_id, Mention.author_id).where(Mention.case_id == case_id)
                           .order_by(Mention.created_at, Mention.id).limit(1)).first()


def engage(session: Session, case_id: int, actor: Actor, *, kind: str, idempotency_key: str,
           now: datetime | None = None) -> ActionResult:
    """Like or repost the customer's post (praise): queued in the outbox like a reply, sent once."""
    now = now or utcnow()
    action = kind if kind in ("like", "repost") else "engage"
    if refusal := _role_refusal(session, action, case_id, actor, now, WORK_ROLES):
        return refusal
    case = _load(session, case_id)
    if case is None:
        return ActionResult(action, case_id, False, None, "unknown_case", f"there is no case {case_id}")
    if action == "engage":
        return refuse(session, action, case_id, actor, now, "invalid", f"unknown engagement {kind!r}")
    if case.state not in ENGAGE_STATES:
        return _wrong_state(session, action, case, actor, now, "liked or reposted")
    post = _first_post(session, case_id)
    if post is None:
        return refuse(session, action, case_id, actor, now, "invalid", "the case has no post to engage with")
    outbox_id = _insert_outbox_if_new(session, {
        "case_id": case_id, "platform": case.platform, "kind": OutboxKind(kind), "text": "",
        "visibility": Visibility.PUBLIC, "state": OutboxState.PENDING, "idempotency_key": idempotency_key,
        "in_reply_to": post[0], "recipient_id": post[1], "author_agent_id": actor.agent_id, "attempts": 0,
        "created_at": now, "updated_at": now,
    })
    if outbox_id is None:
        return ActionResult(action, case_id, True, None, "duplicate", "already queued")
    _event(session, case_id, f"{kind}_queued", actor, now, {"outbox_id": outbox_id, "external_id": post[0]})
    return ActionResult(action, case_id, True, f"{kind}_queued", outbox_id=outbox_id, changes={"outbox": "pending"})


def thank_publicly(session: Session, case_id: int, actor: Actor, *, text: str, idempotency_key: str,
                   policy: ReplyPolicy | None = None, now: datetime | None = None) -> ActionResult:
    """After a private resolution, a short public thank-you under the customer's original post, so
    everyone who saw the complaint also sees it was handled."""
    now = now or utcnow()
    if refusal := _role_refusal(session, "thank_publicly", case_id, actor, now, WORK_ROLES):
        return refusal
    case = _load(session, case_id)
    if case is None:
        return ActionResult("thank_publicly", case_id, False, None, "unknown_case", f"there is no case {case_id}")
    if case.state not in (CaseState.REPLIED, CaseState.RESOLVED):
        return _wrong_state(session, "thank_publicly", case, actor, now, "thanked publicly")
    private_sent = session.scalar(select(OutboxEntry.id).where(
        OutboxEntry.case_id == case_id, OutboxEntry.state == OutboxState.SENT,
        OutboxEntry.visibility == Visibility.PRIVATE, OutboxEntry.kind == OutboxKind.REPLY,
        OutboxEntry.author_agent_id.is_not(None)).limit(1))
    if private_sent is None:
        return refuse(session, "thank_publicly", case_id, actor, now, "invalid",
                       "a public thank-you follows a private resolution; this case had no private reply")
    text, problems = reply_text.filled(session, case, actor.name, text)
    if problems := problems or (policy or ReplyPolicy()).problems(text, case.platform):
        return refuse(session, "thank_publicly", case_id, actor, now, "invalid", "; ".join(problems))
    post = _first_post(session, case_id)
    outbox_id = _insert_outbox_if_new(session, {
        "case_id": case_id, "platform": case.platform, "kind": OutboxKind.REPLY, "text": text.strip(),
        "visibility": Visibility.PUBLIC, "state": OutboxState.PENDING, "idempotency_key": idempotency_key,
        "in_reply_to": post[0] if post else None, "recipient_id": post[1] if post else None,
        "author_agent_id": actor.agent_id, "attempts": 0, "created_at": now, "updated_at": now,
    })
    if outbox_id is None:
        return ActionResult("thank_publicly", case_id, True, None, "duplicate", "the thank-you is already queued")
    _event(session, case_id, "reply_queued", actor, now,
           {"outbox_id": outbox_id, "visibility": "public", "text": text.strip(), "thank_you": True})
    return ActionResult("thank_publicly", case_id, True, "reply_queued", outbox_id=outbox_id,
                        changes={"outbox": "pending"})


def escalate(session: Session, case_id: int, actor: Actor, *, to_team: str, reason: str, level: str = "team",
             now: datetime | None = None) -> ActionResult:
    """Hand the case to another team (or its lead / PR) with a reason; it goes back to that team's queue."""
    now = now or utcnow()
    if refusal := _role_refusal(session, "escalate", case_id, actor, now, WORK_ROLES):
        return refusal
    case = _load(session, case_id)
    if case is None:
        return ActionResult("escalate", case_id, False, None, "unknown_case", f"there is no case {case_id}")
    if case.state not in OPEN_STATES:
        return _wrong_state(session, "escalate", case, actor, now, "escalated")
    # Escalating clears the owner, so letting anyone escalate a claimed case would let anyone take
    # it (escalate, then claim): only its owner, a lead or PR may hand it on.
    if case.assignee_id is not None and not (_is_owner_or_lead(case, actor) or actor.role == Role.PR):
        return refuse(session, "escalate", case_id, actor, now, "forbidden",
                       f"the case belongs to {_owner_name(session, case.assignee_id)}: only they, a lead "
                       "or PR can escalate it")
    reason = (reason or "").strip()
    if not reason:
        return refuse(session, "escalate", case_id, actor, now, "invalid", "say why you escalate")
    if level not in ESCALATION_LEVELS:
        return refuse(session, "escalate", case_id, actor, now, "invalid", f"unknown level {level!r}")
    if session.scalars(select(Team.id).where(Team.name == to_team)).first() is None:
        return refuse(session, "escalate", case_id, actor, now, "invalid", f"unknown team {to_team!r}")
    from_team = case.team
    # The owner checked above must still be the owner: a claim landing meanwhile wins.
    same_owner = Case.assignee_id.is_(None) if case.assignee_id is None else Case.assignee_id == case.assignee_id
    if not _transition(session, case_id, (case.state,),
                       {"state": CaseState.ESCALATED, "team": to_team, "assignee_id": None}, now, same_owner):
        return refuse(session, "escalate", case_id, actor, now, "conflict", "the case changed meanwhile; try again")
    _event(session, case_id, "escalated", actor, now,
           {"from_team": from_team, "to_team": to_team, "level": level, "reason": reason[:1000]})
    return ActionResult("escalate", case_id, True, "escalated",
                        changes={"state": "escalated", "team": to_team, "level": level})


def not_actionable(session: Session, case_id: int, actor: Actor, *, reason: str = "",
                   now: datetime | None = None) -> ActionResult:
    """Close a case that needs no answer (sarcasm, off-topic, already solved elsewhere)."""
    now = now or utcnow()
    if refusal := _role_refusal(session, "not_actionable", case_id, actor, now, WORK_ROLES):
        return refusal
    case = _load(session, case_id)
    if case is None:
        return ActionResult("not_actionable", case_id, False, None, "unknown_case", f"there is no case {case_id}")
    if case.state not in DISMISSABLE:
        return _wrong_state(session, "not_actionable", case, actor, now, "dismissed")
    if case.assignee_id is not None and not _is_owner_or_lead(case, actor):
        return refuse(session, "not_actionable", case_id, actor, now, "forbidden",
                       f"the case belongs to {_owner_name(session, case.assignee_id)}")
    if not _transition(session, case_id, (case.state,), {"state": CaseState.NOT_ACTIONABLE, "resolved_at": now}, now):
        return refuse(session, "not_actionable", case_id, actor, now, "conflict", "the case changed meanwhile; try again")
    _event(session, case_id, "not_actionable", actor, now, {"reason": reason.strip()[:1000]})
    return ActionResult("not_actionable", case_id, True, "not_actionable", changes={"state": "not_actionable"})


def resolve(session: Session, case_id: int, actor: Actor, *, note: str = "",
            now: datetime | None = None) -> ActionResult:
    """Close a worked case (its owner, or a lead)."""
    now = now or utcnow()
    if refusal := _role_refusal(session, "resolve", case_id, actor, now, WORK_ROLES):
        return refusal
    case = _load(session, case_id)
    if case is None:
        return ActionResult("resolve", case_id, False, None, "unknown_case", f"there is no case {case_id}")
    if case.state not in RESOLVABLE:
        return _wrong_state(session, "resolve", case, actor, now, "resolved")
    if not _is_owner_or_lead(case, actor):
        return refuse(session, "resolve", case_id, actor, now, "forbidden",
                       f"only the owner ({_owner_name(session, case.assignee_id)}) or a lead can resolve it")
    if not _transition(session, case_id, (case.state,), {"state": CaseState.RESOLVED, "resolved_at": now}, now):
        return refuse(session, "resolve", case_id, actor, now, "conflict", "the case changed meanwhile; try again")
    _event(session, case_id, "resolved", actor, now, {"note": note.strip()[:1000]})
    return ActionResult("resolve", case_id, True, "resolved", changes={"state": "resolved"})


def note(session: Session, case_id: int, actor: Actor, *, text: str, now: datetime | None = None) -> ActionResult:
    """An internal note (e.g. typed in the card's thread). Never sent to the customer."""
    now = now or utcnow()
    if refusal := _role_refusal(session, "note", case_id, actor, now, NOTE_ROLES):
        return refusal
    if session.get(Case, case_id) is None:
        return ActionResult("note", case_id, False, None, "unknown_case", f"there is no case {case_id}")
    text = text.strip()
    if not text:
        return ActionResult("note", case_id, False, None, "invalid", "empty note")
    _event(session, case_id, "note", actor, now, {"text": text[:4000]})
    return ActionResult("note", case_id, True, "note")


# Intents an agent can correct a case to, with the tier each implies (as triage would set it).
CORRECTABLE_INTENTS = {"crisis": Tier.TIER1, "urgent": Tier.TIER1, "complaint": Tier.TIER1, "question": Tier.TIER1,
                       "praise": Tier.TIER2, "general": Tier.TIER2, "industry": Tier.TIER2, "noise": Tier.NOISE,
                       "spam": Tier.SPAM}
# What every adapter offers in its "Fix triage" dialog, in this order.
INTENT_CHOICES = {"crisis": "Possible crisis", "urgent": "Urgent need", "complaint": "Complaint",
                  "question": "Question", "praise": "Praise", "general": "General mention",
                  "industry": "Industry reference", "noise": "Noise (no case needed)", "spam": "Spam"}
TOPIC_NAME = re.compile(r"[\w][\w .&/-]{0,63}")


def correct_triage(session: Session, case_id: int, actor: Actor, *, intent: str | None = None,
                   topic: str | None = None, note: str = "", now: datetime | None = None) -> ActionResult:
    """Say what triage got wrong ("Wrong priority" is a wrong intent; a wrong topic): the case
    takes the corrected intent, tier and topic, and the event is a labeled example for
    `mentiondesk train --with-feedback`. Allowed in any state: a closed case can still teach.
    The SLA deadlines already set are kept (a correction never lets a case escape its timer)."""
    now = now or utcnow()
    if refusal := _role_refusal(session, "correct_triage", case_id, actor, now, WORK_ROLES):
        return refusal
    case = _load(session, case_id)
    if case is None:
        return ActionResult("correct_triage", case_id, False, None, "unknown_case", f"there is no case {case_id}")
    intent = (intent or "").strip().lower() or None
    topic = " ".join((topic or "").split()) or None
    if intent is not None and intent not in CORRECTABLE_INTENTS:
        return refuse(session, "correct_triage", case_id, actor, now, "invalid",
                       f"unknown intent {intent!r}; one of {', '.join(CORRECTABLE_INTENTS)}")
    if topic is not None and not TOPIC_NAME.fullmatch(topic):
        return refuse(session, "correct_triage", case_id, actor, now, "invalid",
                       "a topic is a name of at most 64 letters, digits, spaces or . & / -")
    before = {"intent": case.intent, "tier": case.tier.value, "topic": case.topic}
    values: dict[str, Any] = {}
    if intent is not None and intent != case.intent:
        values.update(intent=intent, tier=CORRECTABLE_INTENTS[intent])
    if topic is not None and topic != case.topic:
        values["topic"] = topic
    if not values:
        return refuse(session, "correct_triage", case_id, actor, now, "invalid",
                       "nothing to correct: that is what triage said")
    if not _transition(session, case_id, (case.state,), values, now):
        return refuse(session, "correct_triage", case_id, actor, now, "conflict",
                       "the case changed meanwhile; try again")
    after = {**before, **{k: (v.value if isinstance(v, Tier) else v) for k, v in values.items()}}
    _event(session, case_id, "triage_corrected", actor, now,
           {"from": before, "to": after, "note": note.strip()[:1000]})
    return ActionResult("correct_triage", case_id, True, "triage_corrected",
                        changes={k: after[k] for k in values})


# --- PR approval of sensitive replies ---------------------------------------------------------------


def _pending_approval(session: Session, action: str, case_id: int, actor: Actor, now: datetime,
                      outbox_id: int) -> tuple[OutboxEntry | None, ActionResult | None]:
    """The reply draft ``outbox_id`` of the case if PR may act on it now, else a recorded refusal."""
    if refusal := _role_refusal(session, action, case_id, actor, now, APPROVE_ROLES):
        return None, refusal
    entry = session.get(OutboxEntry, outbox_id, populate_existing=True)
    if entry is None or entry.case_id != case_id:
        return None, refuse(session, action, case_id, actor, now, "invalid", f"no reply {outbox_id} on this case")
    if entry.state != OutboxState.AWAITING_APPROVAL:
        return None, refuse(session, action, case_id, actor, now, "wrong_state",
                             f"this reply is already {entry.state.value.replace('_', ' ')}")
    return entry, None


def _decide(session: Session, outbox_id: int, values: dict, now: datetime) -> bool:
    """Conditional UPDATE of a draft still awaiting approval: of two PR people pressing at once, one wins."""
    stmt = (update(OutboxEntry)
            .where(OutboxEntry.id == outbox_id, OutboxEntry.state == OutboxState.AWAITING_APPROVAL)
            .values(**values, updated_at=now).execution_options(synchronize_session=False))
    return session.execute(stmt).rowcount == 1


def _after_approval(session: Session, case: Case, now: datetime) -> None:
    # The case goes back to whoever worked it (claimed) or to the queue it came from.
    back = CaseState.CLAIMED if case.assignee_id is not None else CaseState.ESCALATED
    _transition(session, case.id, (CaseState.AWAITING_APPROVAL,), {"state": back}, now)


def may_approve(session: Session, case_id: int, actor: Actor, *, outbox_id: int,
                now: datetime | None = None) -> ActionResult:
    """Before opening the Edit or Reject dialog: the same checks; an event only when refusing."""
    _, refusal = _pending_approval(session, "may_approve", case_id, actor, now or utcnow(), outbox_id)
    return refusal or ActionResult("may_approve", case_id, True, None, outbox_id=outbox_id)


def approve(session: Session, case_id: int, actor: Actor, *, outbox_id: int, policy: ReplyPolicy | None = None,
            now: datetime | None = None) -> ActionResult:
    """PR lets a reply draft go: the outbox relay sends it (once)."""
    now = now or utcnow()
    policy = policy or ReplyPolicy()
    entry, refusal = _pending_approval(session, "approve", case_id, actor, now, outbox_id)
    if refusal:
        return refusal
    if entry.author_agent_id == actor.agent_id and not policy.allow_self_approval:
        return refuse(session, "approve", case_id, actor, now, "forbidden",
                       "you wrote this reply: another PR person must approve it")
    case = _load(session, case_id)
    # Checked again here: the blocked list may have grown since the draft was written, and no
    # approval, by anyone, can send blocked wording.
    if problems := policy.problems(entry.text, case.platform):
        return refuse(session, "approve", case_id, actor, now, "invalid", "; ".join(problems))
    if not _decide(session, outbox_id, {"state": OutboxState.PENDING}, now):
        return refuse(session, "approve", case_id, actor, now, "conflict", "someone decided on this reply meanwhile")
    _after_approval(session, case, now)
    _event(session, case_id, "approved", actor, now, {"outbox_id": outbox_id, "text": entry.text})
    return ActionResult("approve", case_id, True, "approved", outbox_id=outbox_id, changes={"outbox": "pending"})


def edit(session: Session, case_id: int, actor: Actor, *, outbox_id: int, text: str,
         policy: ReplyPolicy | None = None, now: datetime | None = None) -> ActionResult:
    """PR rewrites a draft awaiting approval; the diff is recorded and the draft still waits."""
    import difflib

    now = now or utcnow()
    policy = policy or ReplyPolicy()
    entry, refusal = _pending_approval(session, "edit", case_id, actor, now, outbox_id)
    if refusal:
        return refusal
    case = _load(session, case_id)
    text = (text or "").strip()
    if problems := policy.problems(text, case.platform):
        return refuse(session, "edit", case_id, actor, now, "invalid", "; ".join(problems))
    before = entry.text
    if text == before:
        return ActionResult("edit", case_id, True, None, outbox_id=outbox_id)
    # PR's words are literal: the template no longer says what is sent.
    if not _decide(session, outbox_id, {"text": text, "template": None}, now):
        return refuse(session, "edit", case_id, actor, now, "conflict", "someone decided on this reply meanwhile")
    diff = list(difflib.unified_diff(before.splitlines(), text.splitlines(), "draft", "edited", lineterm=""))
    _event(session, case_id, "approval_edited", actor, now,
           {"outbox_id": outbox_id, "before": before, "after": text, "diff": "\n".join(diff)})
    return ActionResult("edit", case_id, True, "approval_edited", outbox_id=outbox_id)


def reject(session: Session, case_id: int, actor: Actor, *, outbox_id: int, reason: str,
           now: datetime | None = None) -> ActionResult:
    """PR stops a draft with a reason; it is never sent and its author is told why."""
    now = now or utcnow()
    entry, refusal = _pending_approval(session, "reject", case_id, actor, now, outbox_id)
    if refusal:
        return refusal
    reason = (reason or "").strip()
    if not reason:
        return refuse(session, "reject", case_id, actor, now, "invalid", "say why you reject the reply")
    if not _decide(session, outbox_id, {"state": OutboxState.REJECTED, "last_error": reason[:200]}, now):
        return refuse(session, "reject", case_id, actor, now, "conflict", "someone decided on this reply meanwhile")
    _after_approval(session, _load(session, case_id), now)
    _event(session, case_id, "rejected", actor, now, {"outbox_id": outbox_id, "reason": reason[:1000],
                                                       "author": _owner_name(session, entry.author_agent_id)})
    return ActionResult("reject", case_id, True, "rejected", outbox_id=outbox_id,
                        owner_agent_id=entry.author_agent_id, changes={"outbox": "rejected"})


def same_person(session: Session, case_id: int, actor: Actor, *, other_platform: str, handle: str,
                now: datetime | None = None) -> ActionResult:
    """An agent says the author of this case and ``handle`` on ``other_platform`` are one person: their
    customers are merged (handles, mentions, cases, CRM record), so the card shows one history."""
    from bot.crm.merge import MergeConflict, by_handle, merge

    now = now or utcnow()
    if refusal := _role_refusal(session, "same_person", case_id, actor, now, WORK_ROLES):
        return refusal
    case = _load(session, case_id)
    if case is None:
        return ActionResult("same_person", case_id, False, None, "unknown_case", f"there is no case {case_id}")
    other = by_handle(session, other_platform, handle)
    if other is None or case.customer_id is None:
        return refuse(session, "same_person", case_id, actor, now, "invalid",
                       f"no customer {handle!r} on {other_platform} is known yet")
    if other.id == case.customer_id:
        return refuse(session, "same_person", case_id, actor, now, "invalid", "that is already the same customer")
    other_id, keep_id = other.id, case.customer_id
    try:
        merge(session, session.get(Customer, keep_id), other)
    except MergeConflict as exc:
        return refuse(session, "same_person", case_id, actor, now, "invalid", f"cannot merge: {exc}")
    _event(session, case_id, "same_person", actor, now,
           {"platform": other_platform, "handle": handle, "merged_customer_id": other_id, "customer_id": keep_id})
    return ActionResult("same_person", case_id, True, "same_person", changes={"customer": keep_id})


# --- timers ---------------------------------------------------------------------------------------

SLA_TIMER = Actor(platform="system", user_id="sla-timer", name="SLA timer")


def unanswered_claims(session: Session, *, claimed_before: datetime) -> list[int]:
    """Cases claimed before ``claimed_before`` that still have no reply queued or sent (the
    escalation map's timer calls this, then releases or escalates each one)."""
    return list(session.scalars(select(Case.id).where(
        Case.state == CaseState.CLAIMED, Case.claimed_at <= claimed_before, Case.first_reply_at.is_(None),
        ~_has_reply()).order_by(Case.claimed_at)))


def _has_reply():
    return select(OutboxEntry.id).where(OutboxEntry.case_id == Case.id).exists()


def release_unanswered_claim(session: Session, case_id: int, *, claimed_before: datetime,
                             now: datetime | None = None) -> ActionResult:
    """The claim-SLA hook: give the case back to the queue if its claim is older than
    ``claimed_before`` and still unanswered. Conditional, so a reply or a new claim that lands
    meanwhile wins; the release is recorded with the timer as actor."""
    now = now or utcnow()
    case = _load(session, case_id)
    if case is None:
        return ActionResult("release", case_id, False, None, "unknown_case", f"there is no case {case_id}")
    previous = case.assignee_id
    if not _transition(session, case_id, (CaseState.CLAIMED,), {"assignee_id": None, "state": CaseState.OPEN}, now,
                       Case.assignee_id == previous, Case.claimed_at <= claimed_before,
                       Case.first_reply_at.is_(None), ~_has_reply()):
        return ActionResult("release", case_id, False, None, "wrong_state", "answered, released or re-claimed meanwhile")
    _event(session, case_id, "released", SLA_TIMER, now,
           {"previous_assignee": _owner_name(session, previous), "why": "claim not answered within its SLA"})
    return ActionResult("release", case_id, True, "released", changes={"state": "open", "assignee": None})

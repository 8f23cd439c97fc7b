"""Drafting leases and saved drafts: no two people answer the same customer unknowingly.

Opening the Reply dialog (:func:`bot.desk.actions.may_reply`) takes the agent's *drafting lease*
on the case for :data:`LEASE`: a row in ``reply_draft`` (one per case and agent) whose
``lease_until`` lies ahead. While it does, the card and the console say "Ana Ortiz is drafting a
reply", and anyone else opening Reply is told so. The lease simply expires (a closed laptop
holds nothing for long); reopening the dialog renews it.

The row also keeps what the agent typed (:func:`save`, from a closed dialog or the console's
"Save draft"), so the dialog opens with it again; the row goes when the agent's reply is queued.
The upsert is one statement (ON CONFLICT on case+agent), so two replicas never make two rows.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import Agent, ReplyDraft

#: How long opening the Reply dialog marks the agent as drafting.
LEASE = timedelta(minutes=10)
#: Longest draft kept (Slack's and Discord's dialogs hold at most 3000 and 4000 characters).
MAX_DRAFT = 4000


def _upsert(session: Session, case_id: int, agent_id: int, now: datetime, **values) -> None:
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = insert(ReplyDraft).values(case_id=case_id, agent_id=agent_id, text=values.get("text", ""),
                                     lease_until=values.get("lease_until"), updated_at=now)
    session.execute(stmt.on_conflict_do_update(index_elements=["case_id", "agent_id"],
                                               set_={**values, "updated_at": now}))


def open_dialog(session: Session, case_id: int, agent_id: int, now: datetime) -> tuple[list[str], str]:
    """Take (or renew) the agent's lease; returns who else is drafting now, and the agent's saved text."""
    others = drafting(session, case_id, now, besides=agent_id)
    _upsert(session, case_id, agent_id, now, lease_until=now + LEASE)
    return others, saved_draft(session, case_id, agent_id)


def saved_draft(session: Session, case_id: int, agent_id: int) -> str:
    """What the agent last saved on the case ('' when nothing)."""
    return session.scalar(select(ReplyDraft.text).where(ReplyDraft.case_id == case_id,
                                                        ReplyDraft.agent_id == agent_id)) or ""


def save(session: Session, case_id: int, agent_id: int, text: str, now: datetime) -> None:
    """Keep what the agent typed; a closed dialog gives up the lease, the text stays."""
    _upsert(session, case_id, agent_id, now, text=text[:MAX_DRAFT], lease_until=None)


def done(session: Session, case_id: int, agent_id: int) -> None:
    """The agent's reply is queued: their draft and lease go."""
    session.execute(delete(ReplyDraft).where(ReplyDraft.case_id == case_id, ReplyDraft.agent_id == agent_id))


def drafting(session: Session, case_id: int, now: datetime, *, besides: int | None = None) -> list[str]:
    """The names of the people whose drafting lease on the case is running, oldest draft first."""
    query = (select(Agent.name).join(ReplyDraft, ReplyDraft.agent_id == Agent.id)
             .where(ReplyDraft.case_id == case_id, ReplyDraft.lease_until > now).order_by(ReplyDraft.id))
    if besides is not None:
        query = query.where(ReplyDraft.agent_id != besides)
    return list(session.scalars(query))


def drafting_words(names: list[str]) -> str | None:
    """“Ana Ortiz is drafting a reply” (or several people), None when nobody is."""
    if not names:
        return None
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{who} {'is' if len(names) == 1 else 'are'} drafting a reply"

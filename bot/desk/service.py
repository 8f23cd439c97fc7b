"""The desk: runs one typed command (:mod:`bot.desk.commands`) for a platform user, in its own
transaction. What every adapter (Slack, Discord, the console, the CLI) calls.

``delivery_key`` (a Slack event id, a button press's action_ts, a Discord interaction id) is
recorded in the same transaction, so a retried delivery is answered without acting twice.
Listeners are told about every action that changed a case, after its commit (the escalation
timers stop or move the case's chain from there); a failing listener never fails the action.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.core.templates import send_problems
from bot.desk.actions import ActionResult, refuse, resolve_actor
from bot.desk.commands import Command, DeskContext, Reply
from bot.desk.reply_policy import ReplyPolicy
from bot.desk.suggest import Ranker, Suggestions, TfidfRanker, suggest
from storage import queries
from storage.clock import utcnow
from storage.db import transaction

log = logging.getLogger(__name__)


def _unstorable(text: str | None) -> bool:
    """A NUL (PostgreSQL refuses it in text) or an unpaired surrogate (not UTF-8)."""
    if text is None:
        return False
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class CaseDesk:
    def __init__(self, sessions: sessionmaker[Session], *, policy: ReplyPolicy | None = None, config: Any = None,
                 clock: Callable[[], datetime] = utcnow,
                 listeners: list[Callable[[ActionResult], object]] | None = None, ranker: Ranker | None = None):
        self.sessions = sessions
        self.config = config
        # How suggested answers are ranked: the triage encoder when the runtime has one loaded.
        self.ranker = ranker or TfidfRanker()
        self.context = DeskContext.from_config(config, policy)
        self.clock = clock
        self.listeners = listeners if listeners is not None else []

    @property
    def policy(self) -> ReplyPolicy:
        return self.context.policy

    def run(self, command: Command, case_id: int, platform: str, user_id: str, *,
            delivery_key: str | None = None) -> ActionResult:
        if _unstorable(user_id) or _unstorable(delivery_key):  # not even a query could carry it
            return ActionResult(command.action, case_id, False, None, "invalid", "the request names no readable user")
        with transaction(self.sessions) as session:
            if delivery_key and not queries.record_delivery(session, platform, delivery_key):
                return ActionResult(command.action, case_id, False, None, "duplicate", "already processed")
            actor = resolve_actor(session, platform, user_id)
            # Text typed on any platform (a note, a reply, a reason) that no database can store is
            # refused here, for every adapter alike, instead of failing the INSERT.
            bad = next((name for name, value in command if isinstance(value, str) and _unstorable(value)), None)
            if bad is not None:
                result = refuse(session, command.action, case_id, actor, self.clock(), "invalid",
                                f"the {bad.replace('_', ' ')} contains a NUL character or broken Unicode; "
                                "remove it and try again")
            else:
                result = command.apply(session, case_id, actor, self.clock(), self.context)
        result = replace(result, source=platform)
        if result.ok and result.event:
            for listener in self.listeners:
                try:
                    listener(result)
                except Exception:
                    log.exception("action listener %r failed", listener)
        return result

    def reply_problems(self, reply: Reply, platform: str) -> list[str]:
        """What keeps a reply from being queued (empty, too long, blocked words), before the dialog
        closes, so the agent can fix it there. Variables are filled in when the reply is queued."""
        text = reply.resolved(self.context.canned).text
        # Prompts first: "fill in {{booking reference}}" says more than a length that will change.
        return send_problems(text) or self.policy.problems(text, platform)

    def agent_by_platform_user(self, platform: str, user_id: str) -> int | None:
        with self.sessions() as session:
            return resolve_actor(session, platform, user_id).agent_id

    def suggestions(self, case_id: int) -> Suggestions:
        """The Reply dialog's suggested starting points for the case (nothing is sent from here)."""
        canned = self.config.canned_responses if self.config is not None else []
        with self.sessions() as session:
            return suggest(session, case_id, canned, self.ranker)

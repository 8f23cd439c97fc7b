"""``/mentiondesk queue [team] | mine | floor | stats | reassign <case> <@user> | help``.

Answers are ephemeral (only the person who typed the command sees them), sent through the
command's ``response_url`` after ``ack()``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from datetime import datetime, timezone

from bot.desk.ports import DeskRuntime
from bot.desk import commands as cmd
from bot.desk.actions import ActionResult, resolve_actor
from bot.desk.service import CaseDesk
from bot.desk.cases import cases_of_agent, open_queue, queue_stats
from bot.desk.floor import Floor, floor, floor_lines, may_see_floor
from handlers.slack.cards import MARKUP, TIER_BADGES
from handlers.slack.digest import period_text
from handlers.slack.escape import mrkdwn, truncate
from storage.models import Case

HELP = ("*/mentiondesk* commands:\n"
        "• `queue [team]` — open cases, highest priority first\n"
        "• `mine` — the open cases you own\n"
        "• `floor` — who holds what, who is drafting, what is about to breach (leads, supervisors)\n"
        "• `stats [today|week]` — cases per state, times to claim and reply, SLA, load\n"
        "• `reassign <case> @person` — give a case to someone else (leads)\n"
        "• `same <case> <platform>:<handle>` — the author of the case is this person too (merges their history)")
USER_REF = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


def floor_text(seen: Floor, now: datetime) -> str:
    """The floor in mrkdwn: names are escaped (they come from the config and Discord members)."""
    return "\n".join(floor_lines(seen, now, MARKUP))


def case_line(case: Case) -> str:
    first = case.mentions[0] if case.mentions else None
    who = f"@{first.author_handle}" if first else "?"
    text = truncate(" ".join(first.text.split()), 80) if first else ""
    badge = TIER_BADGES.get(case.tier.value, case.tier.value)
    return (f"{badge} #{case.id} · {case.priority:.0f} · {case.state.value.replace('_', ' ')} · "
            f"{mrkdwn(case.team or '-')} · {mrkdwn(who)}: {mrkdwn(text)}")


class Commands:
    def __init__(self, runtime: DeskRuntime, desk: CaseDesk, show: Callable[[ActionResult, str, str | None], None],
                 later: Callable[..., None]):
        self.runtime, self.desk, self.show, self.later = runtime, desk, show, later

    def targets(self) -> dict:
        """SLA targets of the escalation map the timers run on (none without a map)."""
        from bot.reporting.metrics import sla_targets

        source = getattr(getattr(self.runtime, "escalation_timers", None), "engine", None)
        source = getattr(source, "_map", None)
        try:
            return sla_targets(source()) if source else {}
        except Exception:  # noqa: BLE001 - a broken map costs the SLA line, not the answer
            return {}

    def handle(self, ack, command, respond) -> None:
        ack()
        self.later(self._respond, respond, command)

    def _respond(self, respond: Callable[..., Any], command: dict) -> None:
        respond(text=self.answer(command["user_id"], command.get("text", ""), command.get("channel_id")),
                response_type="ephemeral")

    def answer(self, user_id: str, text: str, channel: str | None = None) -> str:
        words = text.split()
        verb = words[0].lower() if words else "help"
        with self.runtime.sessions() as session:
            if verb == "queue":
                team = words[1] if len(words) > 1 else None
                cases = open_queue(session, team=team, limit=10)
                title = f"*Open cases{' for ' + mrkdwn(team) if team else ''}* ({len(cases)} shown)"
                return "\n".join([title, *map(case_line, cases)]) if cases else "No open cases. 🎉"
            if verb == "mine":
                actor = resolve_actor(session, "slack", user_id)
                if actor.agent_id is None:
                    return "You are not registered as an agent in mentiondesk."
                cases = cases_of_agent(session, actor.agent_id, limit=20)
                return "\n".join(["*Your open cases*", *map(case_line, cases)]) if cases else "You own no open case."
            if verb == "stats":
                stats = queue_stats(session)
                states = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in sorted(stats["per_state"].items())) or "none"
                median = stats["median_minutes_to_claim"]
                claim = f"{median:.1f} min" if median is not None else "n/a"
                word = words[1].lower() if len(words) > 1 else "today"
                if word not in ("today", "week"):
                    return "Usage: `/mentiondesk stats [today|week]`"
                period = period_text(self.runtime.sessions, word, datetime.now(timezone.utc), self.targets())
                return f"*Cases:* {states}\n*Open P1:* {stats['open_p1']}\n*Median time to claim:* {claim}\n{period}"
            if verb == "floor":
                return self._floor(session, user_id)
            if verb == "reassign":
                return self._reassign(session, user_id, words[1:], channel)
            if verb == "same":
                return self._same(session, user_id, words[1:], channel)
        return HELP

    def _floor(self, session, user_id: str) -> str:
        if refusal := may_see_floor(resolve_actor(session, "slack", user_id)):
            return f"Not possible: {mrkdwn(refusal)}."
        now = datetime.now(timezone.utc)
        return floor_text(floor(session, now), now)

    def _same(self, session, user_id: str, args: list[str], channel: str | None) -> str:
        platform, _, handle = args[1].partition(":") if len(args) == 2 else ("", "", "")
        if len(args) != 2 or not args[0].lstrip("#").isdigit() or not platform or not handle:
            return "Usage: `/mentiondesk same <case number> <platform>:<handle>` (e.g. `same 42 discord:maria_d`)"
        session.close()  # the action runs in its own transaction
        result = self.desk.run(cmd.SamePerson(other_platform=platform, handle=handle), int(args[0].lstrip("#")),
                               "slack", user_id)
        if result.ok:
            self.show(result, user_id, channel)
            return f"Case #{result.case_id}: {mrkdwn(platform)} {mrkdwn(handle)} is now the same customer."
        return f"Case #{result.case_id}: {mrkdwn(result.reason or 'not possible')}."

    def _reassign(self, session, user_id: str, args: list[str], channel: str | None) -> str:
        target = USER_REF.fullmatch(args[1]) if len(args) == 2 else None
        if len(args) != 2 or not args[0].lstrip("#").isdigit() or target is None:
            return "Usage: `/mentiondesk reassign <case number> @person`"
        to = resolve_actor(session, "slack", target.group(1))
        if to.agent_id is None:
            return f"{mrkdwn(args[1])} is not registered as an agent."
        session.close()  # the action runs in its own transaction
        result = self.desk.run(cmd.Reassign(to_agent_id=to.agent_id), int(args[0].lstrip("#")), "slack", user_id)
        if result.ok:
            self.show(result, user_id, channel)
            return f"Case #{result.case_id} now belongs to {mrkdwn(to.name or '')}."
        return f"Case #{result.case_id}: {mrkdwn(result.reason or 'not possible')}."

"""Escalation pings in Slack: the engine says "notify X about case Y", this posts it.

People, user groups and SLA notices go in the thread of the case's card, where the history is;
``post_to_channel`` posts a short summary of the case in that channel. The card is posted first
when it is not there yet (posting is exactly-once, see CardPoster), so a ping never arrives
before the case it is about.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

from sqlalchemy import select

from bot.desk.case_view import load_card
from escalation.engine import Ping
from handlers.slack.escape import mrkdwn, quote, user_mention
from handlers.slack.poster import PLATFORM, CardPoster, SlackCallFailed
from storage.models import CardState, Case, CaseMessage, Team

log = logging.getLogger(__name__)
ICONS = {"notify_people": "📣", "notify_group": "📣", "post_to_channel": "🚨", "sla_warning": "⏳",
         "sla_breach": "⏰", "notify_lead": "⏰"}


def ping_text(ping: Ping) -> str:
    who = [user_mention(p.id_on(PLATFORM), p.name) for p in ping.people]
    who += [f"<!subteam^{g}>" for g in ping.groups if g.startswith("S")]
    prefix = " ".join(who)
    return f"{ICONS.get(ping.kind, '📣')} {prefix + ': ' if prefix else ''}{mrkdwn(ping.message)}"


class SlackPings:
    def __init__(self, poster: CardPoster):
        self.poster = poster

    def __call__(self, pings: Iterable[Ping]) -> None:
        breached = set()
        for ping in pings:
            try:
                self.deliver(ping)
            except SlackCallFailed as exc:  # recorded as done in the event log; say it in the logs
                log.warning("escalation ping %s of case %d not delivered: %s", ping.key, ping.case_id, exc.error)
            if ping.kind == "sla_breach":
                breached.add(ping.case_id)
        for case_id in breached:  # a breach may have released the claim: the card must show it
            self.poster.refresh(case_id, announce=True)

    def _cards(self, case_id: int) -> list[tuple[str, str]]:
        with self.poster.sessions() as session:
            return [tuple(r) for r in session.execute(select(CaseMessage.channel, CaseMessage.message_id).where(
                CaseMessage.case_id == case_id, CaseMessage.platform == PLATFORM,
                CaseMessage.state == CardState.POSTED))]

    def _wait_for_card(self, case_id: int, timeout: float = 5.0) -> list[tuple[str, str]]:
        # Another poster (the worker that reacts to new cases) may be posting the card right now.
        deadline = time.monotonic() + timeout
        while not (cards := self._cards(case_id)) and time.monotonic() < deadline:
            time.sleep(0.05)
        return cards

    def _team_channel(self, ping: Ping) -> tuple[str, ...]:
        """The Slack channel of the ping's team (or of the case's team)."""
        with self.poster.sessions() as session:
            team = ping.team or session.scalars(select(Case.team).where(Case.id == ping.case_id)).first()
            channel = session.scalars(select(Team.slack_channel).where(Team.name == team)).first() if team else None
        return (channel,) if channel else ()

    def deliver(self, ping: Ping) -> None:
        client = self.poster.client
        if ping.kind == "post_to_channel":
            with self.poster.sessions() as session:
                view = load_card(session, ping.case_id)
            summary = quote(" ".join(view.text.split()), 1500) if view else ""
            for channel in ping.channels:
                self.poster._call(client.chat_postMessage, channel=channel, unfurl_links=False,
                                  text=f"{ICONS['post_to_channel']} {mrkdwn(ping.message)}\n{summary}")
            return
        cards = self._cards(ping.case_id)
        if not cards:
            self.poster.post_case(ping.case_id)
            cards = self._wait_for_card(ping.case_id)
        text = ping_text(ping)
        if not cards:  # the card could not be posted (yet): say it in the team channel instead
            for channel in self._team_channel(ping):
                self.poster._call(client.chat_postMessage, channel=channel, text=f"case #{ping.case_id}: {text}")
            return
        for channel, ts in cards:
            self.poster._call(client.chat_postMessage, channel=channel, thread_ts=ts, text=text)

"""Spike alerts for PR in Slack, with buttons that switch the topic into or out of crisis mode.

The detector (``bot/routing/spikes.py``) says what spiked; this posts it to the crisis team's channel,
pinging the PR people, with escaped examples. The buttons call the platform-neutral
``bot.desk.crisis.set_topic_mode`` (which checks the presser's role and records every switch, and
every refused try); the outcome is said in the alert's thread, a refusal only to the presser.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select

from bot.desk.ports import DeskRuntime
from bot.desk.actions import resolve_actor
from bot.desk.crisis import set_topic_mode
from handlers.slack.escape import link, mrkdwn, quote, truncate, user_mention
from handlers.slack.poster import CardPoster, SlackCallFailed, call_with_retry
from storage import queries
from storage.db import transaction
from storage.models import Agent, Role, Team

log = logging.getLogger(__name__)
CRISIS_ON, CRISIS_OFF = "crisis_on", "crisis_off"


def alert_blocks(spike: Any, pr_people: Iterable[Agent]) -> tuple[str, list[dict]]:
    who = " ".join(user_mention(p.slack_user_id, p.name) for p in pr_people)
    head = f"📈 *Spike:* {mrkdwn(spike.summary)}" + (f"\n{who}" if who else "")
    blocks: list[dict] = [{"type": "section", "text": {"type": "mrkdwn", "text": head}}]
    for example in spike.examples:
        source = link(example.get("url"), "post") if example.get("url") else ""
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text":
                       f"@{mrkdwn(truncate(example['handle'], 60))} {source}\n{quote(example['text'], 500)}"}]})
    topic = spike.topic
    blocks.append({"type": "actions", "block_id": f"spike:{spike.alert_id}", "elements": [
        {"type": "button", "action_id": CRISIS_ON, "value": topic, "style": "danger",
         "text": {"type": "plain_text", "text": f"Crisis mode for {truncate(topic, 40)}"},
         "confirm": {"title": {"type": "plain_text", "text": "Switch to crisis mode?"},
                     "text": {"type": "plain_text", "text": f"New {topic} cases go to the crisis team and every "
                                                            f"reply on {topic} waits for PR approval."},
                     "confirm": {"type": "plain_text", "text": "Switch"},
                     "deny": {"type": "plain_text", "text": "Cancel"}}},
        {"type": "button", "action_id": CRISIS_OFF, "value": topic,
         "text": {"type": "plain_text", "text": "Back to normal"}},
    ]})
    return mrkdwn(f"Spike: {spike.summary}"), blocks


class SlackSpikeAlerts:
    """Listener of ``runtime.spike_watch``: posts each new spike for PR."""

    def __init__(self, runtime: DeskRuntime, poster: CardPoster):
        self.runtime, self.poster = runtime, poster

    def channel(self) -> str | None:
        crisis = self.runtime.config.routing.crisis if self.runtime.config.routing else None
        if crisis is None:
            return None
        with self.runtime.sessions() as session:
            return session.scalars(select(Team.slack_channel).where(Team.name == crisis.team)).first()

    def __call__(self, spikes: Iterable[Any]) -> None:
        channel = self.channel()
        if channel is None:
            log.warning("spike alert not posted: the crisis team has no Slack channel")
            return
        with self.runtime.sessions() as session:
            pr = list(session.scalars(select(Agent).where(Agent.role == Role.PR, Agent.active.is_(True))))
        for spike in spikes:
            text, blocks = alert_blocks(spike, pr)
            try:
                self.poster._call(self.poster.client.chat_postMessage, channel=channel, text=text, blocks=blocks,
                                  unfurl_links=False)
            except SlackCallFailed as exc:
                log.warning("spike alert %s not posted: %s", spike.alert_id, exc.error)


class CrisisButtons:
    """The alert's buttons: switch a topic's mode as the person who pressed."""

    def __init__(self, runtime: DeskRuntime, poster: CardPoster, later: Callable[..., None]):
        self.runtime, self.poster, self.later = runtime, poster, later

    def register(self, app: Any) -> None:
        app.action(CRISIS_ON)(self.crisis_on)
        app.action(CRISIS_OFF)(self.crisis_off)

    def crisis_on(self, ack, body, action) -> None:
        ack()
        self.later(self._press, "crisis", body, action)

    def crisis_off(self, ack, body, action) -> None:
        ack()
        self.later(self._press, "normal", body, action)

    def _press(self, mode: str, body: dict, action: dict) -> None:
        user = body["user"]["id"]
        channel = (body.get("channel") or {}).get("id")
        key = f"press:{user}:{action['action_id']}:{action.get('action_ts', '')}"
        with transaction(self.runtime.sessions) as session:
            if not queries.record_delivery(session, "slack", key):
                return  # a retried delivery of a press already handled
            actor = resolve_actor(session, "slack", user)
            result = set_topic_mode(session, self.runtime.config, action["value"], mode, actor, reason="Slack alert")
        thread = (body.get("container") or {}).get("message_ts")
        try:
            if not result.ok:
                if channel:
                    call_with_retry(self.poster.client.chat_postEphemeral, channel=channel, user=user,
                                    text=f"Not switched: {mrkdwn(result.reason or 'not possible')}.")
                return
            if result.changed and channel:
                words = "is in crisis mode 🚨" if mode == "crisis" else "is back to normal ✓"
                self.poster._call(self.poster.client.chat_postMessage, channel=channel, thread_ts=thread,
                                  text=f"{mrkdwn(result.topic)} {words} (switched by {user_mention(user, user)})")
            elif channel:
                call_with_retry(self.poster.client.chat_postEphemeral, channel=channel, user=user,
                                text=mrkdwn(result.reason or "nothing to change"))
        except SlackCallFailed as exc:
            log.warning("crisis switch of %s: Slack message not posted: %s", result.topic, exc.error)

"""Escalation pings in Discord: the engine says "notify X about case Y", this says it in the
thread of the case's Discord card(s), pinging exactly the people named (by their configured
``discord_user_id``) and the Discord roles a ``notify_group`` step names (a role id, digits). ``post_to_channel`` steps naming a Discord channel get a short summary.
After an SLA breach (which may have released the claim) the cards are re-rendered.

At most once, like the Slack side: the engine records each ping before it is handed over.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from bot.desk.case_view import load_card
from handlers.discord.cards import PLATFORM, DiscordCards, mention, pings, role_mention
from handlers.discord.render import plain, quote
from storage.models import CardState, CaseMessage

log = logging.getLogger(__name__)
ICONS = {"notify_people": "📣", "notify_group": "📣", "post_to_channel": "🚨", "sla_warning": "⏳",
         "sla_breach": "⏰", "notify_lead": "⏰"}


class DiscordPings:
    def __init__(self, cards: DiscordCards):
        self.cards = cards

    def _plan(self, batch: list[Any]) -> list[tuple[Any, list[str], list[tuple[str, str | None]], str]]:
        """Per ping: the Discord threads of its case, the people with their Discord ids, a summary."""
        out = []
        with self.cards.sessions() as session:
            for ping in batch:
                threads = self._threads(ping.case_id)
                view = load_card(session, ping.case_id) if ping.kind == "post_to_channel" else None
                summary = quote(" ".join(view.text.split()), 1500) if view else ""
                out.append((ping, threads, [(p.name, p.id_on(PLATFORM)) for p in ping.people], summary))
        return out

    def _threads(self, case_id: int) -> list[str]:
        with self.cards.sessions() as session:
            return [m for (m,) in session.execute(select(CaseMessage.message_id).where(
                CaseMessage.case_id == case_id, CaseMessage.platform == PLATFORM,
                CaseMessage.state == CardState.POSTED))]

    async def _card_first(self, case_id: int, timeout: float = 5.0) -> None:
        """A ping never arrives before the case it is about: post the card (exactly once), or wait
        for the poster that is posting it right now."""
        if await self.cards.db(self._threads, case_id):
            return
        await self.cards.post_case(case_id)
        deadline = asyncio.get_running_loop().time() + timeout
        while not await self.cards.db(self._threads, case_id) and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.05)

    async def deliver(self, batch: Iterable[Any]) -> None:
        batch = list(batch)
        for case_id in {p.case_id for p in batch if p.kind != "post_to_channel"}:
            await self._card_first(case_id)
        breached = set()
        for ping, threads, people, summary in await self.cards.db(self._plan, batch):
            icon = ICONS.get(ping.kind, "📣")
            if ping.kind == "post_to_channel":
                for channel in (c for c in ping.channels if str(c).isdigit()):  # Discord channel ids only
                    await self.cards.say(channel, f"{icon} {plain(ping.message, 500)}\n{summary}")
                continue
            # A notify_group step naming a Discord role id (digits) pings that role's members.
            roles = [g for g in getattr(ping, "groups", ()) if str(g).isdigit()]
            who = " ".join([*(mention(uid, name) for name, uid in people), *map(role_mention, roles)])
            text = f"{icon} {who + ': ' if who else ''}{plain(ping.message, 1500)}"
            for thread in threads:
                await self.cards.say(thread, text, pings((uid for _, uid in people), roles))
            if ping.kind == "sla_breach":
                breached.add(ping.case_id)
        for case_id in breached:
            await self.cards.refresh(case_id)

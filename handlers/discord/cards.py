"""Discord as a card channel: post each case to its team's Discord channel once, keep the card
current, talk in its thread.

The posting protocol (reserve, lease, post, record, give back, retry, post missing) is the one
of :mod:`bot.desk.delivery`, on the same ``case_message`` table with platform ``discord``; this
module implements its :class:`~bot.desk.delivery.CardChannel`. discord.py waits out rate limits
(429, ``retry_after``) and retries 5xx itself; a failure that remains is given back to the
machine, which posts the card later: delayed, never lost, never doubled.

The machine is synchronous and runs in the adapter's thread pool (it does the database work);
each Discord call it makes is scheduled on the client's event loop and awaited from that thread.
After the card is recorded a thread is started on it (the thread's id is the card message's id),
where status lines, escalation handoffs and PR approval requests go.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from datetime import datetime, timedelta
from typing import Any

import aiohttp
import discord
from sqlalchemy.orm import Session, sessionmaker

from bot.desk import approval_drafts
from bot.desk.case_view import CardView
from bot.desk.delivery import CardDelivery, DeliveryFailed
from bot.desk.handoff import Handoff
from handlers.discord.components import approval_view, card_view
from handlers.discord.render import plain, quote, render_embed, status_line, thread_name, content
from storage.clock import utcnow
from storage.models import Team

log = logging.getLogger(__name__)
PLATFORM = "discord"
NO_PINGS = discord.AllowedMentions.none()
SEND_ERRORS = (discord.HTTPException, aiohttp.ClientError, asyncio.TimeoutError, OSError)




def pings(user_ids: Iterable[str | None], role_ids: Iterable[str] = ()) -> discord.AllowedMentions:
    """Allow exactly these configured people (and the escalation map's roles) to be pinged; never
    everyone, here, or a role a customer's text names."""
    users = [discord.Object(int(u)) for u in dict.fromkeys(u for u in user_ids if u and u.isdigit())]
    roles = [discord.Object(int(r)) for r in dict.fromkeys(r for r in role_ids if r and r.isdigit())]
    return discord.AllowedMentions(everyone=False, roles=roles or False, replied_user=False, users=users)


def role_mention(role_id: str) -> str:
    return f"<@&{role_id}>"


def mention(user_id: str | None, name: str) -> str:
    return f"<@{user_id}>" if user_id and user_id.isdigit() else plain(name, 100)


class DiscordCardChannel:
    """:class:`~bot.desk.delivery.CardChannel` on discord.py, called from the adapter's thread pool."""

    platform = PLATFORM

    def __init__(self, cards: DiscordCards, *, timeout: float = 60.0):
        self.cards, self.timeout = cards, timeout
        self.team_channel = Team.discord_channel  # an instance attribute: the column, not its value

    def _run(self, coroutine: Any) -> Any:
        """Run a discord.py coroutine on the client's loop and wait for it here (a pool thread)."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.cards.loop).result(self.timeout)

    def post(self, channel: str, view: CardView) -> str:
        try:
            message = self._run(self.cards.channel(channel).send(
                content=content(view), embed=render_embed(view), view=card_view(view), allowed_mentions=NO_PINGS))
        except SEND_ERRORS as exc:
            raise DeliveryFailed(_error(exc)) from None
        return str(message.id)

    def update(self, channel: str, message_id: str, view: CardView) -> None:
        self._run(self.cards.edit(channel, int(message_id), view))

    def find(self, channel: str, case_id: int, since: datetime) -> str | None:
        """Discord cards carry no searchable metadata: after a crash mid-post the card is posted
        again (at least once), as before the machine was shared."""
        return None

    def say(self, channel: str, message_id: str, text: str) -> None:
        self._run(self.cards.say(int(message_id), text))

    def rendered(self, view: CardView) -> Any:
        return _rendered(view)

    def status_line(self, view: CardView) -> str:
        return status_line(view)

    def card_recorded(self, channel: str, message_id: str, view: CardView) -> None:
        try:
            self._run(self.cards.client.http.start_thread_with_message(
                channel, message_id, name=thread_name(view), auto_archive_duration=10080))
        except SEND_ERRORS as exc:  # the card works without its thread; lines then go nowhere
            log.warning("could not start the thread of case %d: %s", view.case_id, _error(exc))

    def hand_over(self, channel: str, message_id: str, handoff: Handoff) -> None:
        text, allowed = handoff_message(handoff)
        self._run(self.cards.say(int(message_id), text, allowed))


class DiscordCards:
    """The card machine on Discord, awaitable from the client's event loop, plus PR approval in the
    card's thread."""

    def __init__(self, sessions: sessionmaker[Session], client: discord.Client, executor: Executor, *,
                 retry_delay: timedelta = timedelta(seconds=30), lease: timedelta = timedelta(seconds=60),
                 clock: Callable[[], datetime] = utcnow):
        self.sessions, self.client, self.executor = sessions, client, executor
        self.loop: asyncio.AbstractEventLoop | None = None
        self.delivery = CardDelivery(sessions, DiscordCardChannel(self), retry_delay=retry_delay, lease=lease,
                                     clock=clock)

    async def db(self, fn: Callable[..., Any], *args: Any) -> Any:
        self.loop = asyncio.get_running_loop()
        return await self.loop.run_in_executor(self.executor, fn, *args)

    def channel(self, channel_id: str | int) -> discord.PartialMessageable:
        return self.client.get_partial_messageable(int(channel_id))

    # --- the machine, from the event loop --------------------------------------------------------

    async def post_case(self, case_id: int) -> int | None:
        """Post the case's card to its team's Discord channel unless it is there; the message id or None."""
        message_id = await self.db(self.delivery.post_case, case_id)
        return int(message_id) if message_id else None

    async def retry_pending(self) -> int:
        return await self.db(self.delivery.retry_pending)

    async def post_missing(self, within: timedelta = timedelta(hours=24), limit: int = 100) -> int:
        """Cards for recent open cases that have none in their team's Discord channel yet (ingested
        by the CLI or another replica, a crash between commit and post)."""
        return await self.db(lambda: self.delivery.post_missing(within=within, limit=limit))

    async def refresh(self, case_id: int, *, announce: bool = True) -> None:
        """Re-render every posted Discord card of the case and say what happened in its thread."""
        await self.db(lambda: self.delivery.refresh(case_id, announce=announce))

    # --- Discord calls, on the event loop --------------------------------------------------------

    async def edit(self, channel: str, message_id: int, view: CardView) -> None:
        try:
            await self.channel(channel).get_partial_message(message_id).edit(
                content=content(view), embed=render_embed(view), view=card_view(view), allowed_mentions=NO_PINGS)
        except SEND_ERRORS as exc:  # the next event re-renders the card; the event log holds the truth
            log.warning("could not update the Discord card of case %d: %s", view.case_id, _error(exc))

    async def say(self, thread_id: int | str, text: str, allowed: discord.AllowedMentions = NO_PINGS,
                  **kwargs: Any) -> discord.Message | None:
        try:
            return await self.channel(thread_id).send(content=text[:2000], allowed_mentions=allowed, **kwargs)
        except SEND_ERRORS as exc:
            log.warning("could not post in the Discord thread %s: %s", thread_id, _error(exc))
            return None

    # --- PR approval in the thread ---------------------------------------------------------------

    def _draft(self, case_id: int, outbox_id: int) -> tuple[Draft | None, list[str]]:
        with self.sessions() as session:
            draft = load_draft(session, case_id, outbox_id)
        return draft, [message_id for _, message_id in self.delivery.posted(case_id)]

    async def post_approval(self, case_id: int, outbox_id: int) -> int:
        """The draft, Approve / Edit / Reject, and PR pinged, in every Discord thread of the case."""
        draft, threads = await self.db(self._draft, case_id, outbox_id)
        if draft is None:
            return 0
        posted = 0
        for thread_id in threads:
            if await self.say(thread_id, draft.header(), draft.allowed(), embed=draft.embed(),
                              view=approval_view(case_id, outbox_id)):
                posted += 1
        return posted

    async def show_draft(self, message: discord.Message | discord.PartialMessage, case_id: int, outbox_id: int,
                         outcome: str | None = None) -> None:
        """Re-render the approval message: the (edited) draft; with ``outcome``, no buttons left."""
        draft, _ = await self.db(self._draft, case_id, outbox_id)
        if draft is None:
            return
        header = draft.header() + (f"\n{outcome}" if outcome else "")
        try:
            await message.edit(content=header[:2000], embed=draft.embed(), allowed_mentions=NO_PINGS,
                               view=None if outcome else approval_view(case_id, outbox_id))
        except SEND_ERRORS as exc:
            log.warning("could not update the approval message of reply %d: %s", outbox_id, _error(exc))


class Draft:
    """A reply waiting for PR, as the approval message shows it."""

    def __init__(self, case_id: int, outbox_id: int, text: str, author: tuple[str, str | None], why: str,
                 pr_people: list[tuple[str, str | None]]):
        self.case_id, self.outbox_id, self.text, self.author, self.why = case_id, outbox_id, text, author, why
        self.pr_people = pr_people

    def header(self) -> str:
        who = " ".join(mention(uid, name) for name, uid in self.pr_people) or "PR"
        return (f"🛡️ {who}: a reply by {mention(self.author[1], self.author[0])} to case #{self.case_id} waits for "
                f"your approval ({plain(self.why, 200)}).")

    def allowed(self) -> discord.AllowedMentions:
        return pings(uid for _, uid in self.pr_people)

    def embed(self) -> discord.Embed:
        return discord.Embed(title=f"Draft reply · case #{self.case_id}", description=quote(self.text, 4000))


def load_draft(session: Session, case_id: int, outbox_id: int) -> Draft | None:
    view = approval_drafts.load_draft(session, case_id, outbox_id)
    if view is None:
        return None
    author = (view.author.name, view.author.id_on(PLATFORM)) if view.author else ("someone", None)
    return Draft(case_id, outbox_id, view.text, author, view.why, [(p.name, p.id_on(PLATFORM)) for p in view.pr_people])


def handoff_message(handoff: Handoff) -> tuple[str, discord.AllowedMentions]:
    """The thread message that comes with an escalated case: the people pinged, reason, history."""
    people = " ".join(mention(p.id_on(PLATFORM), p.name) for p in handoff.people) or "Team"
    lines = [f"🚨 {people}: escalated to **{plain(handoff.to_team, 100)}** ({plain(handoff.level, 20)}) "
             f"by {plain(handoff.by, 100)}", quote(handoff.reason, 500), "**History so far**"]
    for item in handoff.history:
        detail = f": {plain(item.detail, 200)}" if item.detail else ""
        lines.append(f"• {item.at:%H:%M} {plain(item.type, 40)} by {plain(item.actor, 100)}{detail}")
    text = "\n".join(lines)
    return text[:2000], pings(p.id_on(PLATFORM) for p in handoff.people)


def _rendered(view: CardView) -> Any:
    return (content(view), render_embed(view).to_dict(), [c.to_component_dict() for c in card_view(view).children])


def _error(exc: BaseException) -> str:
    if isinstance(exc, discord.HTTPException):
        return f"http_{exc.status}: {exc.text[:100]}"
    return type(exc).__name__

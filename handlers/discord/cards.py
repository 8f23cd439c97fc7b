"""Post each case to its team's Discord channel once, keep the card current, talk in its thread.

The posting protocol is the Slack poster's (``handlers/slack/poster.py``), on the same
``case_message`` table with platform ``discord``:

1. reserve the row *before* posting (unique per case + channel: a second replica, a retry or a
   restart finds it and stops);
2. lease it with a conditional UPDATE (one poster wins);
3. send the message; discord.py waits out rate limits (429, ``retry_after``) and retries 5xx
   itself; a failure that remains puts the row back to *pending* with a later attempt time, and
   :meth:`DiscordCards.retry_pending` posts it later: delayed, never lost, never doubled.

Then a thread is started on the card (the thread's id is the card message's id), where status
lines, escalation handoffs and PR approval requests go. All calls run on the client's event
loop; database work runs in the adapter's thread pool.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from datetime import datetime, timedelta, timezone
from typing import Any

import aiohttp
import discord
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.desk.case_view import CardView, load_card
from escalation.handoff import Handoff, latest_handoff
from handlers.discord.components import approval_view, card_view
from handlers.discord.render import plain, quote, render_embed, status_line, thread_name, content
from storage import queries
from storage.db import transaction
from storage.models import OPEN_STATES, Agent, CardState, Case, CaseMessage, Event, OutboxEntry, Role, Team

log = logging.getLogger(__name__)
PLATFORM = "discord"
NO_PINGS = discord.AllowedMentions.none()
SEND_ERRORS = (discord.HTTPException, aiohttp.ClientError, asyncio.TimeoutError, OSError)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def pings(user_ids: Iterable[str | None]) -> discord.AllowedMentions:
    """Allow exactly these configured people to be pinged; never everyone, here or a role."""
    users = [discord.Object(int(u)) for u in dict.fromkeys(u for u in user_ids if u and u.isdigit())]
    return discord.AllowedMentions(everyone=False, roles=False, replied_user=False, users=users)


def mention(user_id: str | None, name: str) -> str:
    return f"<@{user_id}>" if user_id and user_id.isdigit() else plain(name, 100)


class DiscordCards:
    def __init__(self, sessions: sessionmaker[Session], client: discord.Client, executor: Executor, *,
                 retry_delay: timedelta = timedelta(seconds=30), lease: timedelta = timedelta(seconds=60),
                 clock: Callable[[], datetime] = utcnow):
        self.sessions, self.client, self.executor = sessions, client, executor
        self.retry_delay, self.lease, self.clock = retry_delay, lease, clock
        self._locks: dict[int, asyncio.Lock] = {}

    async def db(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.executor, fn, *args)

    def channel(self, channel_id: str | int) -> discord.PartialMessageable:
        return self.client.get_partial_messageable(int(channel_id))

    # --- posting ---------------------------------------------------------------------------------

    async def post_case(self, case_id: int) -> int | None:
        """Post the case's card to its team's Discord channel unless it is there; the message id or None."""
        channel = await self.db(self._reserve, case_id)
        return await self._post(case_id, channel) if channel else None

    async def retry_pending(self) -> int:
        due = await self.db(self._due)
        return sum([1 for case_id, channel in due if await self._post(case_id, channel)])

    async def post_missing(self, within: timedelta = timedelta(hours=24), limit: int = 100) -> int:
        """Cards for recent open cases that have none in their team's Discord channel yet (ingested
        by the CLI or another replica, a crash between commit and post)."""
        case_ids = await self.db(self._missing, within, limit)
        return sum([1 for case_id in case_ids if await self.post_case(case_id)])

    def _reserve(self, case_id: int) -> str | None:
        with transaction(self.sessions) as session:
            case = session.get(Case, case_id)
            if case is None or not case.team:
                return None
            channel = session.scalars(select(Team.discord_channel).where(Team.name == case.team)).first()
            if channel:
                queries.reserve_case_message(session, case_id, PLATFORM, channel)
            return channel

    def _due(self) -> list[tuple[int, str]]:
        now = self.clock()
        with self.sessions() as session:
            return [tuple(r) for r in session.execute(select(CaseMessage.case_id, CaseMessage.channel).where(
                CaseMessage.platform == PLATFORM,
                or_((CaseMessage.state == CardState.PENDING)
                    & or_(CaseMessage.next_attempt_at.is_(None), CaseMessage.next_attempt_at <= now),
                    (CaseMessage.state == CardState.POSTING) & (CaseMessage.lease_until < now)),
            ).order_by(CaseMessage.id))]

    def _missing(self, within: timedelta, limit: int) -> list[int]:
        has_card = select(CaseMessage.id).where(CaseMessage.case_id == Case.id, CaseMessage.platform == PLATFORM,
                                                CaseMessage.channel == Team.discord_channel).exists()
        with self.sessions() as session:
            return list(session.scalars(
                select(Case.id).join(Team, Team.name == Case.team)
                .where(Case.state.in_(OPEN_STATES), Case.opened_at >= self.clock() - within,
                       Team.discord_channel.is_not(None), ~has_card)
                .order_by(Case.priority.desc()).limit(limit)))

    def _lease_row(self, case_id: int, channel: str) -> CardView | None:
        now = self.clock()
        with transaction(self.sessions) as session:
            ours = session.execute(
                update(CaseMessage)
                .where(CaseMessage.case_id == case_id, CaseMessage.platform == PLATFORM, CaseMessage.channel == channel,
                       or_(CaseMessage.state == CardState.PENDING,
                           (CaseMessage.state == CardState.POSTING) & (CaseMessage.lease_until < now)))
                .values(state=CardState.POSTING, lease_until=now + self.lease, attempts=CaseMessage.attempts + 1)
                .execution_options(synchronize_session=False)).rowcount == 1
            return load_card(session, case_id) if ours else None

    def _record_posted(self, case_id: int, channel: str, message_id: int) -> tuple[CardView | None, Handoff | None]:
        with transaction(self.sessions) as session:
            session.execute(
                update(CaseMessage)
                .where(CaseMessage.case_id == case_id, CaseMessage.platform == PLATFORM, CaseMessage.channel == channel)
                .values(state=CardState.POSTED, message_id=str(message_id), posted_at=self.clock(), lease_until=None,
                        last_error=None)
                .execution_options(synchronize_session=False))
            queries.add_event(session, case_id, "posted", actor="discord", source=PLATFORM,
                              payload={"channel": channel, "message_id": str(message_id)})
            return load_card(session, case_id), latest_handoff(session, case_id)

    def _give_back(self, case_id: int, channel: str, error: str) -> timedelta:
        with transaction(self.sessions) as session:
            row = session.scalars(select(CaseMessage).where(
                CaseMessage.case_id == case_id, CaseMessage.platform == PLATFORM, CaseMessage.channel == channel)).one()
            delay = self.retry_delay * (2 ** min(max(row.attempts - 1, 0), 6))
            row.state, row.lease_until, row.last_error = CardState.PENDING, None, error[:200]
            row.next_attempt_at = self.clock() + delay
            return delay

    async def _post(self, case_id: int, channel: str) -> int | None:
        # The whole post (lease, send, record, thread) holds the case's refresh lock: a press
        # handled meanwhile refreshes after it, finds the card and its thread, and its line is
        # said there. Before the post began, the card is simply rendered with that press in it.
        async with self._locks.setdefault(case_id, asyncio.Lock()):
            return await self._post_locked(case_id, channel)

    async def _post_locked(self, case_id: int, channel: str) -> int | None:
        view = await self.db(self._lease_row, case_id, channel)
        if view is None:
            return None  # posted already, or another poster is on it
        try:
            message = await self.channel(channel).send(content=content(view), embed=render_embed(view),
                                                       view=card_view(view), allowed_mentions=NO_PINGS)
        except SEND_ERRORS as exc:
            delay = await self.db(self._give_back, case_id, channel, _error(exc))
            log.warning("could not post case %d to Discord channel %s (%s); retry in %s", case_id, channel,
                        _error(exc), delay)
            return None
        except BaseException as exc:  # never leave a row stuck in "posting"
            await self.db(self._give_back, case_id, channel, type(exc).__name__)
            raise
        fresh, handoff = await self.db(self._record_posted, case_id, channel, message.id)
        if fresh is not None and _rendered(fresh) != _rendered(view):
            await self._edit(channel, message.id, fresh)  # another replica acted while we were posting
        try:
            await self.client.http.start_thread_with_message(channel, message.id, name=thread_name(view),
                                                             auto_archive_duration=10080)
        except SEND_ERRORS as exc:  # the card works without its thread; lines then go nowhere
            log.warning("could not start the thread of case %d: %s", case_id, _error(exc))
        if handoff is not None and fresh is not None and fresh.team == handoff.to_team:
            text, allowed = handoff_message(handoff)
            await self.say(message.id, text, allowed)
        log.info("posted case %d to Discord channel %s (message %s)", case_id, channel, message.id)
        return message.id

    # --- keeping cards current -------------------------------------------------------------------

    def _targets(self, case_id: int) -> tuple[CardView | None, list[tuple[str, str]]]:
        with self.sessions() as session:
            targets = [tuple(r) for r in session.execute(select(CaseMessage.channel, CaseMessage.message_id).where(
                CaseMessage.case_id == case_id, CaseMessage.platform == PLATFORM,
                CaseMessage.state == CardState.POSTED))]
            return load_card(session, case_id), targets

    async def refresh(self, case_id: int, *, announce: bool = True) -> None:
        """Re-render every posted Discord card of the case and say what happened in its thread.

        One refresh per case at a time, each reading the case afresh, so an older render never
        overwrites a newer one."""
        lock = self._locks.setdefault(case_id, asyncio.Lock())
        async with lock:
            view, targets = await self.db(self._targets, case_id)
            if view is None:
                return
            line = status_line(view) if announce else None
            for channel, message_id in targets:
                await self._edit(channel, int(message_id), view)
                if line:
                    await self.say(int(message_id), line)

    async def _edit(self, channel: str, message_id: int, view: CardView) -> None:
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
            threads = [m for (m,) in session.execute(select(CaseMessage.message_id).where(
                CaseMessage.case_id == case_id, CaseMessage.platform == PLATFORM,
                CaseMessage.state == CardState.POSTED))]
            return draft, threads

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
    entry = session.get(OutboxEntry, outbox_id, populate_existing=True)
    if entry is None or entry.case_id != case_id:
        return None
    author = session.get(Agent, entry.author_agent_id) if entry.author_agent_id else None
    request = session.scalars(select(Event).where(Event.case_id == case_id, Event.type == "approval_requested")
                              .order_by(Event.id.desc())).first()
    why = (request.payload or {}).get("why", "sensitive") if request else "sensitive"
    pr = session.scalars(select(Agent).where(Agent.role == Role.PR, Agent.active.is_(True)).order_by(Agent.name))
    return Draft(case_id, outbox_id, entry.text, (author.name, author.discord_user_id) if author else ("someone", None),
                 str(why), [(a.name, a.discord_user_id) for a in pr])


def handoff_message(handoff: Handoff) -> tuple[str, discord.AllowedMentions]:
    """The thread message that comes with an escalated case: the people pinged, reason, history."""
    people = " ".join(mention(p.discord_user_id, p.name) for p in handoff.people) or "Team"
    lines = [f"🚨 {people}: escalated to **{plain(handoff.to_team, 100)}** ({plain(handoff.level, 20)}) "
             f"by {plain(handoff.by, 100)}", quote(handoff.reason, 500), "**History so far**"]
    for item in handoff.history:
        detail = f": {plain(item.detail, 200)}" if item.detail else ""
        lines.append(f"• {item.at:%H:%M} {plain(item.type, 40)} by {plain(item.actor, 100)}{detail}")
    text = "\n".join(lines)
    return text[:2000], pings(p.discord_user_id for p in handoff.people)


def _rendered(view: CardView) -> Any:
    return (content(view), render_embed(view).to_dict(), [c.to_component_dict() for c in card_view(view).children])


def _error(exc: BaseException) -> str:
    if isinstance(exc, discord.HTTPException):
        return f"http_{exc.status}: {exc.text[:100]}"
    return type(exc).__name__

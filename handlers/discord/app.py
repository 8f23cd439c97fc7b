"""The Discord bot: a discord.py client whose buttons and modals become case actions.

Every interaction is answered inside Discord's 3-second window:

* buttons that act (Claim, Release, Resolve, Not actionable, Approve) are *deferred* at once
  (an empty acknowledgement, type 6); the action runs in the thread pool; a refusal follows up
  as an ephemeral message to the person who pressed;
* Reply / Escalate / Edit / Reject must answer with a modal (a modal cannot follow a deferral):
  a quick permission check (bounded by a timeout) first, so "claim it first" is said before
  anyone types a whole reply;
* modal submissions are deferred, then acted on.

The actions (``bot.desk.actions`` through :class:`CaseDesk`) check role and state and record the
event; nothing is decided here. Cards are refreshed from the runtime's action listeners, so a
claim made in Slack (or here) updates every Discord card of the case, and the Slack adapter does
the same the other way round.

Threads: discord.py runs on its own event loop in a thread of its own; the HTTP server, the
ingest path and the Slack adapter hand work to it with ``run_coroutine_threadsafe``.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Any

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.desk.ports import DeskRuntime
from bot.desk import commands as cmd
from bot.desk.actions import ActionResult, resolve_actor
from bot.desk.service import CaseDesk
from bot.desk.case_view import STATUS_EVENTS, load_card
from bot.desk.directory import sync_platform_member
from bot.desk.floor import floor, floor_lines, may_see_floor
from bot.desk.reply_policy import ReplyPolicy
from bot.relay.capabilities import private_reply_unavailable
from bot.core.adapter_start import AdapterUnavailable
from handlers.discord import ids, modals, roles
from handlers.discord.cards import NO_PINGS, PLATFORM, DiscordCards, load_draft, mention, pings
from handlers.discord.components import DYNAMIC_ITEMS, confirm_dismiss_view
from handlers.discord.pings import DiscordPings
from handlers.discord.render import MARKUP, plain
from storage.db import transaction
from storage.models import Agent, CaseMessage

log = logging.getLogger(__name__)
#: Card buttons that act at once (the others open a dialog or ask to confirm first).
PRESSES: dict[str, type[cmd.Command]] = {"claim": cmd.Claim, "release": cmd.Release, "resolve": cmd.Resolve,
                                         "dismiss": cmd.NotActionable}
DEFAULT_API_URL = "https://discord.com/api/v10"
DEFAULT_GATEWAY_URL = "wss://gateway.discord.gg/"
# Time we give the database for the check before a modal opens; Discord's window is 3 s.
CHECK_BUDGET = 1.5
# discord.py's names for the tasks that handle an interaction or a gateway event (awaited at stop).
HANDLER_TASKS = ("discord-ui-view-dispatch", "discord-ui-dynamic-item", "discord-ui-modal-dispatch", "discord.py: on_")


def set_api_base(url: str | None, gateway: str | None = None) -> None:
    """Point discord.py's REST calls (bot routes and interaction webhooks alike) at ``url``, and
    its websocket at ``gateway``.

    ``discord.http.Route.BASE`` is the one base every route is built on; tests set it to a
    local fake Discord API. A single-shard client connects to ``DEFAULT_GATEWAY`` directly."""
    Route.BASE = (url or DEFAULT_API_URL).rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway or DEFAULT_GATEWAY_URL)


class Member:
    """Who pressed: their Discord id, a display name and the mentiondesk role their roles map to."""

    def __init__(self, user: discord.User | discord.Member, config: Any):
        self.user_id = str(user.id)
        self.name = getattr(user, "display_name", None) or getattr(user, "name", None) or self.user_id
        self.role = roles.mapped_role(config, roles.member_role_ids(user))


class Handlers:
    """What happens on each press or submission (called by the components and the client)."""

    def __init__(self, runtime: DeskRuntime, desk: CaseDesk, cards: DiscordCards, policy: ReplyPolicy):
        self.runtime, self.desk, self.cards, self.policy = runtime, desk, cards, policy
        self.config = runtime.config

    # --- running actions -------------------------------------------------------------------------

    def _run(self, member: Member, command: cmd.Command, case_id: int, delivery_key: str | None = None) -> ActionResult:
        """Blocking: keep a role-mapped member's agent row current, then run the action."""
        if roles.uses_roles(self.config):
            try:
                with transaction(self.runtime.sessions) as session:
                    sync_platform_member(session, self.config, PLATFORM, member.user_id, member.name, member.role)
            except IntegrityError:  # a concurrent first press of the same member inserted the row: fine
                log.debug("member sync of %s raced", member.user_id, exc_info=True)
        return self.desk.run(command, case_id, PLATFORM, member.user_id, delivery_key=delivery_key)

    async def run(self, member: Member, command: cmd.Command, case_id: int,
                  delivery_key: str | None = None) -> ActionResult:
        return await self.cards.db(lambda: self._run(member, command, case_id, delivery_key))

    def _wrong_guild(self, interaction: discord.Interaction) -> bool:
        guild = self.config.discord.guild_id
        return guild is not None and str(interaction.guild_id or "") != guild

    async def _refuse_guild(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("This mentiondesk does not serve this server.", ephemeral=True,
                                                allowed_mentions=NO_PINGS)

    # --- card buttons ----------------------------------------------------------------------------

    async def card_button(self, interaction: discord.Interaction, action: str, case_id: int) -> None:
        if self._wrong_guild(interaction):
            return await self._refuse_guild(interaction)
        member = Member(interaction.user, self.config)
        if action == "reply":
            return await self._open_reply(interaction, member, case_id)
        if action == "escalate":
            return await self._open_escalate(interaction, case_id)
        if action == "fix_triage":
            return await self._open_fix_triage(interaction, case_id)
        if action == "not_actionable":  # closing without a reply is asked twice, as in Slack
            return await interaction.response.send_message(
                f"Close case #{case_id} without a reply?", view=confirm_dismiss_view(case_id), ephemeral=True,
                allowed_mentions=NO_PINGS)
        await interaction.response.defer()  # ack first: the action may wait for the database
        result = await self.run(member, PRESSES[action](), case_id, delivery_key=f"interaction:{interaction.id}")
        await self.show(interaction, result)
        if action == "dismiss" and result.ok and result.event:
            try:  # the question goes away once answered
                await interaction.edit_original_response(content=f"Case #{case_id} closed without a reply.",
                                                         view=None, allowed_mentions=NO_PINGS)
            except discord.HTTPException as exc:
                log.info("could not update the confirmation of case %d: %s", case_id, exc)

    async def _check(self, coro: Any) -> Any:
        """A permission check that must not eat Discord's window: None when it took too long
        (the action checks again when the dialog is submitted)."""
        try:
            return await asyncio.wait_for(coro, CHECK_BUDGET)
        except asyncio.TimeoutError:
            return None

    async def _open_reply(self, interaction: discord.Interaction, member: Member, case_id: int) -> None:
        def check() -> tuple[ActionResult, Any, list[str]]:
            allowed = self._run(member, cmd.MayReply(), case_id)
            suggested = [s.canned_id for s in self.desk.suggestions(case_id).items if s.canned_id] if allowed.ok else []
            with self.runtime.sessions() as session:
                return allowed, load_card(session, case_id), suggested

        checked = await self._check(self.cards.db(check))
        platform, changes, suggested = "x", {}, []
        if checked is not None:
            allowed, view, suggested = checked
            if not allowed.ok or view is None:
                return await self._ephemeral_response(interaction, await self.refusal_text(allowed))
            platform, changes = view.platform, allowed.changes
        # When the check took too long the dialog opens anyway: the reply action checks again.
        await interaction.response.send_modal(modals.reply_modal(
            case_id, platform, self.config.canned_responses, self.policy.limit_for(platform),
            private_reply_unavailable(self.config, platform),
            draft=changes.get("draft") or "", warning=changes.get("warning"), suggested=suggested))

    async def _open_escalate(self, interaction: discord.Interaction, case_id: int) -> None:
        def view() -> Any:
            with self.runtime.sessions() as session:
                return load_card(session, case_id)

        card = await self._check(self.cards.db(view))
        teams = [t.name for t in self.config.teams]
        await interaction.response.send_modal(modals.escalate_modal(case_id, card.team if card else None, teams))

    async def _open_fix_triage(self, interaction: discord.Interaction, case_id: int) -> None:
        def view() -> Any:
            with self.runtime.sessions() as session:
                return load_card(session, case_id)

        card = await self._check(self.cards.db(view))
        topics = cmd.topic_choices(self.config)
        await interaction.response.send_modal(modals.triage_modal(
            case_id, card.intent if card else None, card.topic if card else None, topics))

    # --- PR approval buttons -----------------------------------------------------------------------

    async def approval_button(self, interaction: discord.Interaction, action: str, case_id: int,
                              outbox_id: int) -> None:
        if self._wrong_guild(interaction):
            return await self._refuse_guild(interaction)
        member = Member(interaction.user, self.config)
        if action == "approve":
            await interaction.response.defer()
            result = await self.run(member, cmd.Approve(outbox_id=outbox_id), case_id,
                                    delivery_key=f"interaction:{interaction.id}")
            await self.show(interaction, result)
            if result.ok and result.event and interaction.message is not None:
                await self.cards.show_draft(interaction.message, case_id, outbox_id,
                                            f"✅ Approved by <@{member.user_id}>: queued to send.")
            return

        def check() -> tuple[ActionResult, Any]:
            # Non-PR people are refused now (and recorded), not after they typed a whole edit.
            allowed = self._run(member, cmd.MayApprove(outbox_id=outbox_id), case_id)
            with self.runtime.sessions() as session:
                draft = load_draft(session, case_id, outbox_id)
                card = load_card(session, case_id)
            return allowed, draft, card

        checked = await self._check(self.cards.db(check))
        if checked is None:
            return await self._ephemeral_response(interaction, "mentiondesk is busy; press again in a moment.")
        allowed, draft, card = checked
        if not allowed.ok or draft is None:
            return await self._ephemeral_response(interaction, await self.refusal_text(allowed))
        if action == "reject":
            return await interaction.response.send_modal(modals.reject_modal(case_id, outbox_id))
        limit = self.policy.limit_for(card.platform if card else "x")
        await interaction.response.send_modal(modals.edit_modal(case_id, outbox_id, draft.text, limit))

    # --- modal submissions -------------------------------------------------------------------------

    async def modal_submit(self, interaction: discord.Interaction, target: ids.Target) -> None:
        if self._wrong_guild(interaction):
            return await self._refuse_guild(interaction)
        member = Member(interaction.user, self.config)
        values = modals.submitted((interaction.data or {}).get("components", []))
        await interaction.response.defer()
        key = f"interaction:{interaction.id}"
        if target.action == "reply_modal":
            text = values.get(modals.TEXT, "").strip()
            platform = await self.cards.db(self._case_platform, target.case_id)
            try:
                reply = cmd.Reply.parse(text=text, canned_id=values.get(modals.CANNED) or None,
                                        visibility=values.get(modals.VISIBILITY) or "public",
                                        idempotency_key=f"discord:{key}")
                problems = self.desk.reply_problems(reply, platform)
            except cmd.Problems as exc:
                problems = list(exc.fields.values())
            if problems:
                # Discord cannot show errors inside a modal: say what to fix and give the text back;
                # it is kept as the draft too, so Reply opens with it (Discord says nothing when a
                # modal is merely closed, so this is where a Discord draft is saved).
                if text:
                    await self.run(member, cmd.SaveDraft(text=text), target.case_id)
                back = f"\nYour text:\n{plain(text, 1500)}" if text else ""
                return await self._followup(interaction, f"Not queued: {plain('; '.join(problems), 300)}.{back}")
            result = await self.run(member, reply, target.case_id)
            return await self.show(interaction, result)
        if target.action == "escalate_modal":
            try:
                escalate = cmd.Escalate.parse(to_team=values.get(modals.TEAM), reason=values.get(modals.REASON),
                                              level=values.get(modals.LEVEL) or "team")
            except cmd.Problems as exc:
                return await self._followup(interaction, f"Not escalated: {plain(str(exc), 300)}.")
            result = await self.run(member, escalate, target.case_id, delivery_key=key)
            return await self.show(interaction, result)
        if target.action == "triage_modal":
            correction = cmd.CorrectTriage.parse(intent=values.get(modals.INTENT), topic=values.get(modals.TOPIC),
                                                 note=values.get(modals.NOTE, ""))
            result = await self.run(member, correction, target.case_id, delivery_key=key)
            return await self.show(interaction, result)
        if target.outbox_id is None:
            return
        if target.action == "edit_modal":
            text = values.get(modals.TEXT, "").strip()
            platform = await self.cards.db(self._case_platform, target.case_id)
            if problems := self.policy.problems(text, platform):
                return await self._followup(interaction, f"Not saved: {plain('; '.join(problems), 300)}.")
            result = await self.run(member, cmd.Edit(outbox_id=target.outbox_id, text=text), target.case_id,
                                    delivery_key=key)
            await self.show(interaction, result)
            if result.ok and result.event and interaction.message is not None:
                await self.cards.show_draft(interaction.message, target.case_id, target.outbox_id)
            return
        if target.action == "reject_modal":
            try:
                reject = cmd.Reject.parse(outbox_id=target.outbox_id, reason=values.get(modals.REASON))
            except cmd.Problems as exc:
                return await self._followup(interaction, f"Not rejected: {plain(str(exc), 300)}.")
            reason = reject.reason
            result = await self.run(member, reject, target.case_id, delivery_key=key)
            await self.show(interaction, result)
            if result.ok and result.event:
                by = f"<@{member.user_id}>"
                if interaction.message is not None:
                    await self.cards.show_draft(interaction.message, target.case_id, target.outbox_id,
                                                f"⛔ Rejected by {by}: {plain(reason, 500)}")
                author = await self.cards.db(self._agent_ids, result.owner_agent_id)
                thread = getattr(interaction.channel, "id", None) or interaction.channel_id
                if thread:  # the author is told (pinged) in the thread, where the case's history is
                    await self.cards.say(thread, f"{mention(author[1], author[0])}: your reply was rejected by "
                                                 f"{by} — {plain(reason, 1000)}", pings([author[1]]))

    def _case_platform(self, case_id: int) -> str:
        with self.runtime.sessions() as session:
            card = load_card(session, case_id)
        return card.platform if card else "x"

    def _agent_ids(self, agent_id: int | None) -> tuple[str, str | None]:
        with self.runtime.sessions() as session:
            agent = session.get(Agent, agent_id) if agent_id else None
            return (agent.name, agent.discord_user_id) if agent else ("the author", None)

    # --- thread messages ---------------------------------------------------------------------------

    async def thread_message(self, message: discord.Message) -> None:
        """A person typing in a card's thread: an internal note on the case, never sent out."""
        if message.author.bot or not message.content:
            return
        guild = getattr(message.guild, "id", None) or getattr(message.channel, "guild_id", None)
        if self.config.discord.guild_id and str(guild or "") != self.config.discord.guild_id:
            return

        def card_case() -> int | None:
            # A thread started on a message has that message's id.
            with self.runtime.sessions() as session:
                return session.scalars(select(CaseMessage.case_id).where(
                    CaseMessage.platform == PLATFORM, CaseMessage.message_id == str(message.channel.id))).first()

        case_id = await self.cards.db(card_case)
        if case_id is None:
            return
        await self.run(Member(message.author, self.config), cmd.Note(text=message.content), case_id,
                       delivery_key=f"message:{message.id}")

    # --- outcome -----------------------------------------------------------------------------------

    async def show(self, interaction: discord.Interaction, result: ActionResult) -> None:
        """Success shows on the card (refreshed by the action listener); a refusal is told only
        to the person who pressed."""
        if result.code == "duplicate":
            return
        if result.ok:
            if result.event == "approval_requested" and result.outbox_id is not None:
                await self.cards.post_approval(result.case_id, result.outbox_id)
            return
        await self._followup(interaction, await self.refusal_text(result))

    async def refusal_text(self, result: ActionResult) -> str:
        if result.code == "already_claimed" and result.owner_agent_id is not None:
            if result.reason == "you already own this case":
                return f"Case #{result.case_id}: you already own this case."
            name, discord_id = await self.cards.db(self._agent_ids, result.owner_agent_id)
            return f"Case #{result.case_id} is already claimed by {mention(discord_id, name)}."
        return f"Case #{result.case_id}: {plain(result.reason or 'not possible', 1500)}."

    async def _followup(self, interaction: discord.Interaction, text: str) -> None:
        try:
            await interaction.followup.send(text[:2000], ephemeral=True, allowed_mentions=NO_PINGS)
        except discord.HTTPException as exc:
            log.warning("could not answer interaction %s: %s", interaction.id, exc)

    async def slash_command(self, interaction: discord.Interaction) -> None:
        """``/mentiondesk floor``: the floor for leads and supervisors, only to the person who asked."""
        if self._wrong_guild(interaction):
            return await self._refuse_guild(interaction)
        data = interaction.data or {}
        sub = next((o.get("name") for o in data.get("options") or []), "floor")
        if sub != "floor":
            return await self._ephemeral_response(interaction, "Usage: `/mentiondesk floor`")
        member = Member(interaction.user, self.config)

        def answer() -> str:
            if roles.uses_roles(self.config):
                try:
                    with transaction(self.runtime.sessions) as session:
                        sync_platform_member(session, self.config, PLATFORM, member.user_id, member.name, member.role)
                except IntegrityError:  # a concurrent first press of the same member inserted the row
                    log.debug("member sync of %s raced", member.user_id, exc_info=True)
            now = datetime.now(timezone.utc)
            with self.runtime.sessions() as session:
                if refusal := may_see_floor(resolve_actor(session, PLATFORM, member.user_id)):
                    return f"Not possible: {plain(refusal, 300)}."
                return "\n".join(floor_lines(floor(session, now), now, MARKUP))

        await self._ephemeral_response(interaction, await self.cards.db(answer))

    async def _ephemeral_response(self, interaction: discord.Interaction, text: str) -> None:
        await interaction.response.send_message(text[:2000], ephemeral=True, allowed_mentions=NO_PINGS)


#: The Discord application command: ``/mentiondesk floor`` (a subcommand, type 1).
SLASH_COMMAND = {"name": "mentiondesk", "description": "mentiondesk for leads", "type": 1,
                 "options": [{"type": 1, "name": "floor",
                              "description": "Who holds what, who is drafting, what is about to breach"}]}


class MentiondeskClient(discord.Client):
    def __init__(self, handlers: Handlers | None = None, **options: Any):
        intents = discord.Intents.none()
        intents.guilds = True
        intents.guild_messages = True  # thread messages become case notes ...
        intents.message_content = True  # ... which needs their text (privileged: enable it in the portal)
        super().__init__(intents=intents, allowed_mentions=NO_PINGS, **options)
        self.handlers = handlers

    async def setup_hook(self) -> None:
        # Persistent views: presses on any card, also one posted before this process started,
        # are routed by their custom_id's pattern.
        self.add_dynamic_items(*DYNAMIC_ITEMS)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if (interaction.type is discord.InteractionType.application_command and self.handlers is not None
                and (interaction.data or {}).get("name") == SLASH_COMMAND["name"]):
            return await self.handlers.slash_command(interaction)
        if interaction.type is discord.InteractionType.modal_submit and self.handlers is not None:
            target = ids.parse_modal((interaction.data or {}).get("custom_id", ""))
            if target is not None:
                await self.handlers.modal_submit(interaction, target)

    async def on_message(self, message: discord.Message) -> None:
        if self.handlers is not None and isinstance(message.channel, discord.Thread | discord.PartialMessageable):
            await self.handlers.thread_message(message)


class DiscordAdapter:
    """Everything Discord, built once per process: the client on its own loop, cards, handlers."""

    def __init__(self, runtime: DeskRuntime, *, policy: ReplyPolicy | None = None, token: str | None = None,
                 api_url: str | None = None, gateway: bool = True, retry_every: float = 10.0, job_threads: int = 4):
        settings = runtime.settings
        if token is None:
            if settings.discord_bot_token is None:
                raise ValueError("DISCORD_BOT_TOKEN is not set")
            token = settings.discord_bot_token.get_secret_value()
        set_api_base(api_url or settings.discord_api_url, getattr(settings, "discord_gateway_url", None))
        self.runtime, self._token, self.gateway, self.retry_every = runtime, token, gateway, retry_every
        self.policy = policy or ReplyPolicy()
        self.executor = ThreadPoolExecutor(max_workers=job_threads, thread_name_prefix="discord-job")
        self.desk = CaseDesk(runtime.sessions, policy=self.policy, config=runtime.config,
                             listeners=getattr(runtime, "action_listeners", None),
                             ranker=getattr(runtime, "suggestion_ranker", None))
        self.client = MentiondeskClient()
        self.cards = DiscordCards(runtime.sessions, self.client, self.executor)
        self.handlers = Handlers(runtime, self.desk, self.cards, self.policy)
        self.client.handlers = self.handlers
        self.loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._tasks: list[asyncio.Task] = []
        self._inflight: set[asyncio.Task] = set()  # card posts and refreshes handed to the loop
        runtime.case_listeners.append(self.cases_opened)
        if getattr(runtime, "action_listeners", None) is not None:
            runtime.action_listeners.append(self.case_changed)

    # --- life cycle --------------------------------------------------------------------------------

    def start(self, timeout: float = 30) -> None:
        """Log in (REST), register the persistent views, then connect to the gateway (unless
        ``gateway=False``, as in the tests, which feed interactions themselves)."""
        if self._thread is not None:
            return
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="discord", daemon=True)
        self._thread.start()
        try:
            self.call(self._start(), timeout=timeout)
        except Exception as exc:  # a wrong token (LoginFailure), an unreachable API: say so, leave nothing running
            self._abandon_start()
            raise AdapterUnavailable(_start_failure(exc)) from exc

    def _abandon_start(self) -> None:
        """Undo a failed start, but keep the job pool: the server tries again later (bot/core/adapter_start.py)."""
        async def close() -> None:
            for task in self._tasks:
                task.cancel()
            await self.client.close()

        try:
            self.call(close(), timeout=10)
        except Exception:  # noqa: BLE001 - nothing was working; what is left goes with the loop
            log.debug("closing the Discord client after a failed start", exc_info=True)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(10)
            self._thread, self._tasks = None, []

    async def _start(self) -> None:
        if self.client.is_closed():
            # An earlier attempt failed and closed the client, and with its HTTP session the
            # connection pool: re-open both for this attempt (login builds a new session).
            self.client.clear()
            self.client.http.connector = discord.utils.MISSING
        await self.client.login(self._token)
        self._tasks.append(asyncio.create_task(self._retry_loop(), name="discord-card-retries"))
        if self.gateway:
            await self._register_command()
            self._tasks.append(asyncio.create_task(self._gateway(), name="discord-gateway"))
        log.info("Discord adapter started (REST %s, gateway %s)", Route.BASE, "on" if self.gateway else "off")

    async def _register_command(self) -> None:
        """Register ``/mentiondesk floor`` (idempotent upsert); the buttons work without it."""
        try:
            app = await self.client.application_info()
            await self.client.http.upsert_global_command(app.id, SLASH_COMMAND)
        except discord.HTTPException as exc:
            log.warning("could not register the /mentiondesk command in Discord: %s", exc)

    async def _gateway(self) -> None:
        try:
            await self.client.connect(reconnect=True)
        except discord.PrivilegedIntentsRequired:
            # Without the Message Content intent Discord refuses the whole connection; buttons
            # matter more than notes, so carry on without it (and say how to turn it on).
            log.error("Discord refused the Message Content intent: thread messages will not become case "
                      "notes until it is enabled (Developer Portal → Bot → Privileged Gateway Intents); "
                      "connecting without it")
            self.client._connection._intents.message_content = False  # what IDENTIFY sends
            await self.client.connect(reconnect=True)

    async def _retry_loop(self) -> None:
        while True:
            await asyncio.sleep(self.retry_every)
            try:
                await self.cards.retry_pending()
                await self.cards.post_missing()
            except Exception:
                log.exception("Discord card retries failed")

    def stop(self, timeout: float = 15) -> None:
        if self._thread is None or self.loop is None:
            self.executor.shutdown(wait=True, cancel_futures=False)  # never came up: only the job pool is left
            return

        async def close() -> None:
            for task in self._tasks:
                task.cancel()
            # Let presses being handled and card work in flight finish (bounded); views' and
            # modals' timeout timers are simply cancelled.
            working = [t for t in asyncio.all_tasks() if t in self._inflight or t.get_name().startswith(HANDLER_TASKS)]
            if working:
                await asyncio.wait(working, timeout=min(timeout / 2, 5))
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()
            await self.client.close()

        try:
            self.call(close(), timeout=timeout)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(timeout)
            self._thread = None
            self.executor.shutdown(wait=True, cancel_futures=False)

    def call(self, coro: Any, timeout: float | None = 30) -> Any:
        """Run a coroutine on the client's loop from another thread and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def submit(self, coro: Any) -> Future | None:
        """Schedule a coroutine on the client's loop (fire and forget; failures are logged)."""
        if self.loop is None or not self.loop.is_running():
            coro.close()
            return None
        future = asyncio.run_coroutine_threadsafe(self._tracked(coro), self.loop)
        future.add_done_callback(_log_failure)
        return future

    async def _tracked(self, coro: Any) -> Any:
        task = asyncio.current_task()
        self._inflight.add(task)
        try:
            return await coro
        finally:
            self._inflight.discard(task)

    def dispatch_raw(self, event: str, payload: dict) -> None:
        """Hand a gateway dispatch (``INTERACTION_CREATE``, ``MESSAGE_CREATE``) to discord.py as the
        gateway would: the same parser, the same routing of custom_ids."""
        async def parse() -> None:
            self.client._connection.parsers[event](payload)

        self.call(parse())

    # --- listeners (called from any thread) ------------------------------------------------------

    def notify(self, pings: list) -> None:
        """Escalation pings (from the timers' thread): said in the cards' threads, see ``pings``."""
        if pings:
            self.submit(DiscordPings(self.cards).deliver(pings))

    def cases_opened(self, case_ids: list[int]) -> None:
        for case_id in case_ids:
            self.submit(self.cards.post_case(case_id))

    def case_changed(self, result: ActionResult) -> None:
        """Any case action, from any platform: re-render the Discord cards (and post the card in the
        receiving team's channel after an escalation)."""
        if result.event in (None, "note"):
            return
        self.submit(self._after_change(result))

    async def _after_change(self, result: ActionResult) -> None:
        # A line in the thread only for what changes the status line (not for an edited draft).
        await self.cards.refresh(result.case_id, announce=result.event in STATUS_EVENTS)
        if result.event == "escalated":
            await self.cards.post_case(result.case_id)


def _log_failure(future: Future) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.error("Discord job failed", exc_info=future.exception())


def _start_failure(exc: Exception) -> str:
    """Why the adapter could not start, in words for the operator (never the token)."""
    if isinstance(exc, discord.LoginFailure):
        return "Discord refused the bot token (login: 401 Unauthorized)"
    if isinstance(exc, discord.HTTPException):
        return f"Discord answered the login with HTTP {exc.status}"
    return f"Discord is unreachable ({type(exc).__name__})"

"""The Slack app: a slack_bolt ``App`` whose listeners turn button presses into case actions.

Every listener is small and does the same three things:

1. ``ack()`` first — Slack shows an error to the user when nothing answers within 3 seconds;
2. hand the rest to a small worker pool (``jobs``) and return, so a burst of presses does not
   keep dozens of threads busy while other presses still wait for their ack; there, call the
   platform-neutral action (``bot.desk.actions`` through :class:`CaseDesk`), which checks
   role and state and writes the event;
3. show the outcome: refusals as an ephemeral message to the person who pressed, successes by
   re-rendering the card (``chat.update``) and one line in the card's thread.

No business rule lives here. HTTP mode is served at ``POST /slack/events`` by ``bot.app.server``
(size, signature and parse checked first by ``handlers.slack.http_gate``: 413, 401, 400, in
that order, before Bolt sees anything); Socket Mode starts when
``SLACK_APP_TOKEN`` is set, with the same listeners.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import anyio

from slack_bolt import App
from slack_bolt.adapter.starlette.handler import SlackRequestHandler, to_bolt_request, to_starlette_response
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response

from bot.desk.ports import DeskRuntime
from bot.desk import commands as cmd
from bot.desk.actions import ActionResult
from bot.desk.service import CaseDesk
from bot.desk.case_view import CardView, load_card
from bot.desk.reply_policy import ReplyPolicy
from bot.relay.capabilities import private_reply_unavailable
from bot.core.adapter_start import AdapterUnavailable
from handlers.slack import approval, cards, http_gate, modals
from handlers.slack.press_guard import PressGuard
from handlers.slack.commands import Commands
from handlers.slack.escape import mrkdwn, user_mention
from bot.desk.card_pace import Pace
from handlers.slack.backlog_card import OPEN as OPEN_CARD
from handlers.slack.poster import CardPoster, PosterWorker, SlackCallFailed, call_with_retry
from storage import queries
from storage.models import Agent, CaseMessage

log = logging.getLogger(__name__)
# Bolt's own loggers, held at WARNING whatever the root level: at INFO and DEBUG Bolt writes
# request bodies (an unsigned request's whole body, every payload) into the log.
BOLT_LOG = logging.getLogger("slack_bolt")
BOLT_LOG.setLevel(logging.WARNING)

#: What the outbox relay records; each refreshes the card (and a failure pings the reply's author).
RELAY_EVENTS = frozenset({"reply_sent", "reply_failed", "liked", "reposted"})
PLATFORM = "slack"


def _press_key(body: dict, action: dict) -> str:
    # Identifies one press: a retried delivery of the same press carries the same action_ts.
    return f"press:{body['user']['id']}:{action['action_id']}:{action.get('action_ts', '')}"


class AckGate:
    """Acks before work: jobs wait (briefly) while Slack requests are still being acknowledged.

    Python runs one thread at a time; when 50 people press at once, the work after each ack
    (database, chat.update, ephemerals) would otherwise compete with the acks still pending and
    push them past Slack's patience. Jobs wait until no request is in flight, at most
    ``max_wait`` seconds, so sustained traffic cannot starve them.
    """

    def __init__(self, max_wait: float = 0.25):
        self.max_wait = max_wait
        self._in_flight = 0
        self._quiet = threading.Condition()

    def enter(self) -> None:
        with self._quiet:
            self._in_flight += 1

    def leave(self) -> None:
        with self._quiet:
            self._in_flight -= 1
            if self._in_flight == 0:
                self._quiet.notify_all()

    def wait_quiet(self) -> None:
        with self._quiet:
            self._quiet.wait_for(lambda: self._in_flight == 0, timeout=self.max_wait)


class Listeners:
    """The listener functions, bound to the desk (actions) and the poster (cards)."""

    def __init__(self, runtime: DeskRuntime, desk: CaseDesk, poster: CardPoster, policy: ReplyPolicy, jobs: Executor,
                 gate: AckGate | None = None):
        self.runtime, self.desk, self.poster, self.policy, self.jobs = runtime, desk, poster, policy, jobs
        self.gate = gate or AckGate()

    def later(self, fn: Callable[..., None], *args: Any, **kwargs: Any) -> None:
        """Run the work after the ack on the job pool; errors are logged (the ack is already sent)."""
        def run() -> None:
            try:
                self.gate.wait_quiet()
                fn(*args, **kwargs)
            except Exception:
                log.exception("Slack job %s failed", getattr(fn, "__name__", fn))
        self.jobs.submit(run)

    def register(self, app: App) -> None:
        app.action(cards.CLAIM)(self.claim)
        app.action(cards.RELEASE)(self.release)
        app.action(cards.RESOLVE)(self.resolve)
        app.action(cards.NOT_ACTIONABLE)(self.not_actionable)
        app.action(cards.LIKE)(self.like)
        app.action(cards.REPOST)(self.repost)
        app.action(cards.THANK)(self.thank_publicly)
        app.action(cards.REPLY)(self.open_reply)
        app.action(cards.ESCALATE)(self.open_escalate)
        app.view(modals.REPLY_CALLBACK)(self.submit_reply)
        app.view_closed(modals.REPLY_CALLBACK)(self.closed_reply)
        app.view(modals.ESCALATE_CALLBACK)(self.submit_escalate)
        app.action(cards.FIX_TRIAGE)(self.open_fix_triage)
        app.action(OPEN_CARD)(self.open_card)
        app.view(modals.TRIAGE_CALLBACK)(self.submit_fix_triage)
        app.action(approval.APPROVE)(self.approve)
        app.action(approval.EDIT)(self.open_edit)
        app.action(approval.REJECT)(self.open_reject)
        app.view(approval.EDIT_CALLBACK)(self.submit_edit)
        app.view(approval.REJECT_CALLBACK)(self.submit_reject)
        app.event("message")(self.thread_message)
        app.command("/mentiondesk")(Commands(self.runtime, self.desk, self.show, self.later).handle)

    # --- buttons ---------------------------------------------------------------------------------

    def claim(self, ack, body, action) -> None:
        ack()
        self.later(self._press, cmd.Claim(), body, action)

    def release(self, ack, body, action) -> None:
        ack()
        self.later(self._press, cmd.Release(), body, action)

    def resolve(self, ack, body, action) -> None:
        ack()
        self.later(self._press, cmd.Resolve(), body, action)

    def not_actionable(self, ack, body, action) -> None:
        ack()
        self.later(self._press, cmd.NotActionable(), body, action)

    def like(self, ack, body, action) -> None:
        ack()
        # One like per case whoever presses: the idempotency key is the case, not the press.
        self.later(self._press, cmd.Engage(kind="like", idempotency_key=f"like:{action['value']}"), body, action)

    def repost(self, ack, body, action) -> None:
        ack()
        self.later(self._press, cmd.Engage(kind="repost", idempotency_key=f"repost:{action['value']}"), body,
                   action)

    def thank_publicly(self, ack, body, action) -> None:
        ack()
        self.later(self._press, cmd.ThankPublicly(idempotency_key=f"thank:{action['value']}"), body, action)

    def _press(self, command: cmd.Command, body: dict, action: dict) -> None:
        result = self.desk.run(command, int(action["value"]), PLATFORM, body["user"]["id"],
                               delivery_key=_press_key(body, action))
        self.show(result, body["user"]["id"], (body.get("channel") or {}).get("id"))

    def open_card(self, ack, body, action) -> None:
        """**Open** on a line of a backlog digest: the case's own card, in the digest's thread."""
        ack()
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        if channel:
            self.later(self.poster.open_from_digest, int(action["value"]), channel)

    def open_reply(self, ack, body, action, client) -> None:
        ack()
        self.later(self._open_reply, body, action, client)

    def _open_reply(self, body: dict, action: dict, client: WebClient) -> None:
        case_id, user = int(action["value"]), body["user"]["id"]
        # Say "claim it first" now rather than after someone has typed a whole reply.
        allowed = self.desk.run(cmd.MayReply(), case_id, PLATFORM, user)
        if not allowed.ok:
            self.show(allowed, user, (body.get("channel") or {}).get("id"))
            return
        with self.runtime.sessions() as session:
            view = load_card(session, case_id)
        if view is None:
            return
        modal = modals.reply_modal(view, self.runtime.config.canned_responses, self.policy.limit_for(view.platform),
                                   (body.get("channel") or {}).get("id"),
                                   private_reply_unavailable(self.runtime.config, view.platform),
                                   draft=allowed.changes.get("draft") or "",
                                   warning=allowed.changes.get("warning"), suggestions=self.desk.suggestions(case_id))
        self._open(client, body, modal)
        self.poster.refresh(case_id)  # after the dialog (its trigger expires): the card says who drafts

    def closed_reply(self, ack, body, view) -> None:
        """A Reply dialog closed unsent: keep what was typed, for when it is opened again."""
        ack()
        meta = modals.Metadata.parse(view.get("private_metadata", ""))
        draft = cmd.SaveDraft.parse(text=modals.value(view, modals.REPLY_TEXT) or "")
        self.later(self._save_draft, meta, body["user"]["id"], draft)

    def _save_draft(self, meta: modals.Metadata, user: str, draft: cmd.SaveDraft) -> None:
        self.show(self.desk.run(draft, meta.case_id, PLATFORM, user), user, meta.channel)

    def open_escalate(self, ack, body, action, client) -> None:
        ack()
        self.later(self._open_escalate, body, action, client)

    def _open_escalate(self, body: dict, action: dict, client: WebClient) -> None:
        teams = [t.name for t in self.runtime.config.teams]
        self._open_for_card(body, action, client, lambda view, channel: modals.escalate_modal(view, teams, channel))

    def open_fix_triage(self, ack, body, action, client) -> None:
        ack()
        self.later(self._open_fix_triage, body, action, client)

    def _open_fix_triage(self, body: dict, action: dict, client: WebClient) -> None:
        config = self.runtime.config
        topics = cmd.topic_choices(config)
        self._open_for_card(body, action, client, lambda view, channel: modals.triage_modal(view, topics, channel))

    def _open_for_card(self, body: dict, action: dict, client: WebClient,
                       build: Callable[[CardView, str | None], dict]) -> None:
        """Open the dialog ``build`` makes for the pressed card's case (nothing if it is gone)."""
        with self.runtime.sessions() as session:
            view = load_card(session, int(action["value"]))
        if view is not None:
            self._open(client, body, build(view, (body.get("channel") or {}).get("id")))

    def _open(self, client: WebClient, body: dict, modal: dict) -> None:
        try:
            call_with_retry(client.views_open, attempts=2, trigger_id=body["trigger_id"], view=modal)
        except SlackCallFailed as exc:  # trigger ids expire after 3 s: nothing to retry later
            log.warning("could not open a dialog: %s", exc.error)

    # --- dialogs ---------------------------------------------------------------------------------

    def submit_reply(self, ack, body, view) -> None:
        meta = modals.Metadata.parse(view.get("private_metadata", ""))
        # Validation is the one thing answered in the ack itself: Slack shows it under the field.
        try:
            reply = cmd.Reply.parse(text=modals.value(view, modals.REPLY_TEXT) or "",
                                         canned_id=modals.value(view, modals.REPLY_CANNED),
                                         visibility=modals.value(view, modals.REPLY_VISIBILITY) or "public",
                                         idempotency_key=f"slack:view:{view['id']}")
            problems = self.desk.reply_problems(reply, meta.platform)
        except cmd.Problems as exc:
            problems = list(exc.fields.values())
        if problems:
            ack(response_action="errors", errors={modals.REPLY_TEXT: "; ".join(problems)[:150]})
            return
        ack()
        self.later(self._reply, meta, body["user"]["id"], reply)

    def _reply(self, meta: modals.Metadata, user: str, reply: cmd.Reply) -> None:
        result = self.desk.run(reply, meta.case_id, PLATFORM, user)
        self.show(result, user, meta.channel)

    def submit_escalate(self, ack, body, view) -> None:
        meta = modals.Metadata.parse(view.get("private_metadata", ""))
        try:
            escalate = cmd.Escalate.parse(to_team=modals.value(view, modals.ESC_TEAM),
                                               reason=modals.value(view, modals.ESC_REASON),
                                               level=modals.value(view, modals.ESC_LEVEL) or "team")
        except cmd.Problems as exc:
            fields = {"to_team": modals.ESC_TEAM, "reason": modals.ESC_REASON, "level": modals.ESC_LEVEL}
            ack(response_action="errors", errors={fields.get(name, modals.ESC_REASON): message.capitalize()
                                                  for name, message in exc.fields.items()})
            return
        ack()
        self.later(self._escalate, meta, body["user"]["id"], escalate, view["id"])

    def _escalate(self, meta: modals.Metadata, user: str, escalate: cmd.Escalate, view_id: str) -> None:
        result = self.desk.run(escalate, meta.case_id, PLATFORM, user, delivery_key=f"view:{view_id}")
        self.show(result, user, meta.channel)
        if result.ok:
            self.poster.post_case(meta.case_id)  # the card also appears in the new team's channel

    def submit_fix_triage(self, ack, body, view) -> None:
        ack()
        meta = modals.Metadata.parse(view.get("private_metadata", ""))
        correction = cmd.CorrectTriage.parse(intent=modals.value(view, modals.FIX_INTENT),
                                                  topic=modals.value(view, modals.FIX_TOPIC),
                                                  note=modals.value(view, modals.FIX_NOTE) or "")
        self.later(self._fix_triage, meta, body["user"]["id"], correction, view["id"])

    def _fix_triage(self, meta: modals.Metadata, user: str, correction: cmd.CorrectTriage, view_id: str) -> None:
        result = self.desk.run(correction, meta.case_id, PLATFORM, user, delivery_key=f"view:{view_id}")
        self.show(result, user, meta.channel)

    # --- PR approval in the thread ------------------------------------------------------------------

    def approve(self, ack, body, action) -> None:
        ack()
        self.later(self._approve, body, action)

    def _approve(self, body: dict, action: dict) -> None:
        case_id, outbox_id = approval.parse_value(action["value"])
        user, channel = body["user"]["id"], (body.get("channel") or {}).get("id")
        result = self.desk.run(cmd.Approve(outbox_id=outbox_id), case_id, PLATFORM, user,
                               delivery_key=_press_key(body, action))
        self.show(result, user, channel)
        if result.ok and channel:
            self.poster.close_approval(case_id, outbox_id, channel, (body.get("message") or {}).get("ts", ""),
                                       f"✅ Approved by {user_mention(user, user)}: queued to send.")

    def open_edit(self, ack, body, action, client) -> None:
        ack()
        self.later(self._open_decision, body, action, client, "edit")

    def open_reject(self, ack, body, action, client) -> None:
        ack()
        self.later(self._open_decision, body, action, client, "reject")

    def _open_decision(self, body: dict, action: dict, client: WebClient, kind: str) -> None:
        case_id, outbox_id = approval.parse_value(action["value"])
        user, channel = body["user"]["id"], (body.get("channel") or {}).get("id")
        # Refuse non-PR people now (recorded), not after they typed a whole edit.
        allowed = self.desk.run(cmd.MayApprove(outbox_id=outbox_id), case_id, PLATFORM, user)
        if not allowed.ok:
            self.show(allowed, user, channel)
            return
        meta = approval.Meta(case_id, outbox_id, channel, (body.get("message") or {}).get("ts"))
        if kind == "reject":
            self._open(client, body, approval.reject_modal(meta))
            return
        with self.runtime.sessions() as session:
            draft = approval.load_draft(session, case_id, outbox_id)
            platform = load_card(session, case_id).platform
        if draft is not None:
            self._open(client, body, approval.edit_modal(meta, draft.text, self.policy.limit_for(platform)))

    def submit_edit(self, ack, body, view) -> None:
        meta = approval.Meta.parse(view.get("private_metadata", ""))
        text = approval.submitted(view, approval.EDIT_TEXT)
        with self.runtime.sessions() as session:
            card = load_card(session, meta.case_id)
        if problems := self.policy.problems(text, card.platform if card else "x"):
            ack(response_action="errors", errors={approval.EDIT_TEXT: "; ".join(problems)[:150]})
            return
        ack()
        self.later(self._decide, cmd.Edit(outbox_id=meta.outbox_id, text=text), meta, body["user"]["id"],
                   view["id"])

    def submit_reject(self, ack, body, view) -> None:
        meta = approval.Meta.parse(view.get("private_metadata", ""))
        try:
            reject = cmd.Reject.parse(outbox_id=meta.outbox_id,
                                           reason=approval.submitted(view, approval.REJECT_REASON))
        except cmd.Problems as exc:
            ack(response_action="errors", errors={approval.REJECT_REASON: str(exc).capitalize()})
            return
        ack()
        self.later(self._decide, reject, meta, body["user"]["id"], view["id"])

    def _decide(self, command: cmd.Edit | cmd.Reject, meta: approval.Meta, user: str, view_id: str) -> None:
        name = command.action
        result = self.desk.run(command, meta.case_id, PLATFORM, user, delivery_key=f"view:{view_id}")
        self.show(result, user, meta.channel)
        if not (result.ok and result.event and meta.channel and meta.message_ts):
            return
        if name == "edit":  # the message shows the edited text, buttons kept: PR approves next
            with self.runtime.sessions() as session:
                draft = approval.load_draft(session, meta.case_id, meta.outbox_id)
            if draft is None:
                return
            try:
                call_with_retry(self.poster.client.chat_update, channel=meta.channel, ts=meta.message_ts,
                                text=approval.approval_text(draft), blocks=approval.approval_blocks(draft))
            except SlackCallFailed as exc:
                log.warning("could not show the edited draft of reply %d: %s", meta.outbox_id, exc.error)
            return
        with self.runtime.sessions() as session:
            author = session.get(Agent, result.owner_agent_id) if result.owner_agent_id else None
        who = user_mention(author.slack_user_id, author.name) if author else "the author"
        reason = mrkdwn(getattr(command, "reason", ""))
        self.poster.close_approval(meta.case_id, meta.outbox_id, meta.channel, meta.message_ts,
                                   f"⛔ Rejected by {user_mention(user, user)}: {reason}")
        # The author is told in the thread (pinged), where the case's history is.
        self.poster.say_in_thread(meta.channel, self._thread_ts(meta), f"{who}: your reply was rejected by "
                            f"{user_mention(user, user)} — {reason}")

    def _thread_ts(self, meta: approval.Meta) -> str:
        with self.runtime.sessions() as session:
            card = session.scalars(select(CaseMessage.message_id).where(
                CaseMessage.case_id == meta.case_id, CaseMessage.platform == PLATFORM,
                CaseMessage.channel == meta.channel)).first()
        return card or meta.message_ts

    # --- thread messages -------------------------------------------------------------------------

    def thread_message(self, ack, event, body) -> None:
        """A person typing in a card's thread: an internal note on the case, never sent out."""
        ack()
        self.later(self._thread_message, event, body)

    def _thread_message(self, event: dict, body: dict) -> None:
        thread_ts = event.get("thread_ts")
        if (not thread_ts or thread_ts == event.get("ts") or event.get("bot_id")
                or event.get("subtype") not in (None, "thread_broadcast") or not event.get("user")):
            return
        with self.runtime.sessions() as session:
            card = queries.case_message_by_message(session, PLATFORM, event.get("channel", ""), thread_ts)
        if card is None:
            return
        try:
            note = cmd.Note.parse(text=event.get("text", ""))
        except cmd.Problems:
            return  # an empty message (a file share, say): nothing to note
        result = self.desk.run(note, card.case_id, PLATFORM, event["user"],
                               delivery_key=f"event:{body.get('event_id') or event.get('client_msg_id') or event['ts']}")
        if not result.ok and result.code not in ("duplicate", "invalid"):
            self.show(result, event["user"], event.get("channel"))

    # --- outcome ---------------------------------------------------------------------------------

    def show(self, result: ActionResult, user_id: str, channel: str | None) -> None:
        """Refusal: ephemeral to the presser. Success: refresh the card and say it in the thread."""
        if result.code == "duplicate":
            return  # a retried delivery: the first one already showed its outcome
        if result.ok:
            if result.event and result.event != "note":
                self.poster.refresh(result.case_id)
            if result.event == "approval_requested" and result.outbox_id is not None:
                self.poster.post_approval(result.case_id, result.outbox_id)
            return
        if channel:
            try:
                call_with_retry(self.poster.client.chat_postEphemeral, channel=channel, user=user_id,
                                text=self.refusal_text(result))
            except SlackCallFailed as exc:
                log.warning("could not tell %s why case %d was refused: %s", user_id, result.case_id, exc.error)

    def refusal_text(self, result: ActionResult) -> str:
        if result.code == "already_claimed" and result.owner_agent_id is not None:
            with self.runtime.sessions() as session:
                owner = session.get(Agent, result.owner_agent_id)
            if result.reason == "you already own this case":
                return f"Case #{result.case_id}: you already own this case."
            if owner is not None:
                return f"Case #{result.case_id} is already claimed by {user_mention(owner.slack_user_id, owner.name)}."
        return f"Case #{result.case_id}: {mrkdwn(result.reason or 'not possible')}."


class ThreadedSlackRequestHandler(SlackRequestHandler):
    """Bolt's Starlette adapter, with ``dispatch`` moved off the event loop.

    ``App.dispatch`` is blocking (signature check, then it waits for ``ack()``); in the event
    loop it would serialise every request. In the thread pool, 50 simultaneous presses are
    acknowledged in parallel.
    """

    def __init__(self, app: App, gate: AckGate, concurrency: int = 64, signing_secret: str | None = None):
        super().__init__(app)
        self.gate = gate
        self.verifier = SignatureVerifier(signing_secret) if signing_secret else None
        # Our own limit instead of the shared default (40 threads), so that webhook ingest and
        # Slack presses do not queue behind each other; a dispatch thread mostly waits for ack().
        self.limiter = anyio.CapacityLimiter(concurrency)

    async def handle(self, req: Request, addition_context_properties: dict | None = None) -> Response:
        if req.method != "POST":
            return await super().handle(req, addition_context_properties)
        self.gate.enter()
        try:
            body = await req.body()  # bounded: the server's body limit stops reading at http_gate.MAX_BODY_BYTES
            if self.verifier is not None and (refusal := http_gate.check_signature(self.verifier, body, req.headers)):
                return Response(refusal.body(), status_code=refusal.status, media_type="application/json")
            if refusal := http_gate.parse(body, req.headers):
                return Response(refusal.body(), status_code=refusal.status, media_type="application/json")
            try:
                bolt_request = to_bolt_request(req, body, addition_context_properties)
            except (TypeError, KeyError, AttributeError, ValueError) as exc:  # a shape the envelope check missed
                refusal = http_gate.unreadable(exc)
                return Response(refusal.body(), status_code=refusal.status, media_type="application/json")
            bolt_response = await anyio.to_thread.run_sync(self.app.dispatch, bolt_request, limiter=self.limiter)
        finally:
            self.gate.leave()
        return to_starlette_response(bolt_response)


class SlackAdapter:
    """Everything Slack, built once per process: client, Bolt app, poster and its worker."""

    def __init__(self, runtime: DeskRuntime, *, client: WebClient | None = None, policy: ReplyPolicy | None = None,
                 listener_threads: int = 4, job_threads: int = 4, retry_every: float = 10.0):
        settings = runtime.settings
        if client is None:
            if settings.slack_bot_token is None:
                raise ValueError("SLACK_BOT_TOKEN is not set")
            client = WebClient(token=settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url)
        self.runtime = runtime
        self.client = client
        self.policy = policy or ReplyPolicy()
        self.desk = CaseDesk(runtime.sessions, policy=self.policy, config=runtime.config,
                             listeners=getattr(runtime, "action_listeners", None),
                             ranker=getattr(runtime, "suggestion_ranker", None))
        lease = settings.lease_seconds
        timing = {"lease": timedelta(seconds=lease), "retry_delay": timedelta(seconds=lease / 2)} if lease else {}
        crisis = getattr(getattr(runtime.config, "routing", None), "crisis", None)
        # The crisis team's cases are urgent: a card of their own ahead of the backlog (bot/desk/card_pace.py).
        priority = getattr(runtime.config, "priority", None)
        pace = Pace(urgent_teams=frozenset({crisis.team}) if crisis is not None and crisis.team else frozenset(),
                    band_step=priority.band_step() if priority is not None and priority.bands else None)
        self.poster = CardPoster(runtime.sessions, client, pace=pace, **timing)
        self.worker = PosterWorker(self.poster, retry_every=min(retry_every, lease / 2) if lease else retry_every)
        secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
        self.verifies_requests = secret is not None
        self.bolt = App(
            client=client,
            logger=BOLT_LOG,  # the base of every logger Bolt makes (they copy its level)
            signing_secret=secret,
            # No auth.test here: Slack being unreachable, or refusing the token, at start-up must
            # not stop the server (and /ingest with it). connect() checks the token instead, and
            # the server retries it with back-off (bot/core/adapter_start.py).
            token_verification_enabled=False,
            # Socket Mode needs no signature (the socket is authenticated by the app token).
            request_verification_enabled=secret is not None,
            # Our listeners only ack and queue a job, so Bolt can run them inline and answer as soon
            # as they return (without it, Bolt hands each listener to a thread and polls for the
            # ack every 10 ms, which costs every press at least that much).
            process_before_response=True,
            # Only Bolt's lazy listeners would run here; we use our own job pool instead.
            listener_executor=ThreadPoolExecutor(max_workers=listener_threads, thread_name_prefix="slack-listener"),
        )
        # Few job threads on purpose: the work after an ack (database, chat.update, ephemerals)
        # competes with pending acks for the interpreter, and acks must stay fast.
        self.jobs = ThreadPoolExecutor(max_workers=job_threads, thread_name_prefix="slack-job")
        self.gate = AckGate()
        listeners = Listeners(runtime, self.desk, self.poster, self.policy, self.jobs, self.gate)
        # Before any listener: payloads they could not read are refused, and the presser told.
        self.bolt.use(PressGuard(lambda user, channel, text: listeners.later(self._tell, user, channel, text)))
        listeners.register(self.bolt)
        # Spike alerts for PR and their crisis-mode buttons (when routing.crisis is configured).
        from handlers.slack.alerts import CrisisButtons, SlackSpikeAlerts

        CrisisButtons(runtime, self.poster, listeners.later).register(self.bolt)
        if getattr(runtime, "spike_watch", None) is not None:
            runtime.spike_watch.listeners.append(SlackSpikeAlerts(runtime, self.poster))
        self.presence = None
        if getattr(runtime, "presence", None) is not None:  # routing.use_presence
            from handlers.slack.presence import SlackPresence

            self.presence = SlackPresence(runtime, client)
        self.http = ThreadedSlackRequestHandler(self.bolt, self.gate, signing_secret=secret)
        self.max_body_bytes = http_gate.MAX_BODY_BYTES
        self._socket = None
        runtime.case_listeners.append(self.worker.notify)
        # The relay delivers replies outside any Slack press: show its outcomes on the card.
        runtime.action_listeners.append(self._relay_outcome)
        runtime.joined_listeners.append(lambda joined: self.jobs.submit(self.poster.post_follow_ups, joined))
        # Presses on another platform (Discord, the web console) refresh the card too.
        runtime.action_listeners.append(self._refresh_after_foreign_press)

    def _tell(self, user: str, channel: str, text: str) -> None:
        try:
            call_with_retry(self.client.chat_postEphemeral, channel=channel, user=user, text=text)
        except SlackCallFailed as exc:
            log.warning("could not tell %s why their request was refused: %s", user, exc.error)

    def _relay_outcome(self, result: ActionResult) -> None:
        if result.event in RELAY_EVENTS:
            self.jobs.submit(self._show_relay_outcome, result)

    def _show_relay_outcome(self, result: ActionResult) -> None:
        self.poster.refresh(result.case_id)
        if result.event == "reply_failed" and result.owner_agent_id is not None:
            with self.runtime.sessions() as session:
                author = session.get(Agent, result.owner_agent_id)
            if author is not None:
                self.poster.say_in_threads(result.case_id, (
                    f"{user_mention(author.slack_user_id, author.name)} your reply could not be sent: "
                    f"{mrkdwn(result.reason or 'unknown error')}. Send a new reply, or escalate the case."))

    def _refresh_after_foreign_press(self, result: ActionResult) -> None:
        # Presses made here refresh the card in Listeners.show; one made on another platform
        # (Discord, the web console) reaches us only through the runtime's action listeners.
        if result.source not in (None, PLATFORM) and result.event not in (None, "note"):
            try:
                self.jobs.submit(self._refresh_foreign, result)
            except RuntimeError:  # stopping: the poster's next start re-renders nothing, the log has it
                log.info("Slack adapter stopped; card of case %d not refreshed", result.case_id)

    def _refresh_foreign(self, result: ActionResult) -> None:
        self.poster.refresh(result.case_id)
        if result.event == "escalated":
            self.poster.post_case(result.case_id)  # the card also appears in the new team's channel

    async def endpoint(self, request: Request) -> Response:
        """``POST /slack/events``: events, interactivity and the slash command share this URL."""
        return await self.http.handle(request)

    def connect(self) -> None:
        """Check the bot token with Slack (auth.test), then start: the server's start-up attempt.

        Raises AdapterUnavailable naming the problem (never the token) when Slack refuses the
        token or cannot be reached; nothing has been started then."""
        try:
            self.client.auth_test()
        except SlackApiError as exc:
            error = exc.response.get("error") if isinstance(exc.response.data, dict) else None
            raise AdapterUnavailable(f"Slack refused the bot token (auth.test: {error})" if error else
                                     f"Slack answered auth.test with HTTP {exc.response.status_code}") from exc
        except Exception as exc:  # noqa: BLE001 - connection refused, timeouts, DNS: Slack is unreachable
            raise AdapterUnavailable(f"Slack is unreachable ({type(exc).__name__})") from exc
        self.start()

    def start(self) -> None:
        self.worker.start()
        if self.presence is not None:
            self.presence.start()
        app_token = self.runtime.settings.slack_app_token
        if app_token is not None and self._socket is None:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            socket = SocketModeHandler(self.bolt, app_token.get_secret_value())
            socket.connect()  # non-blocking: the socket client runs its own threads
            self._socket = socket  # only once connected: a failed connect is tried again by the next start
            log.info("Slack Socket Mode connected")

    def stop(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        if self.presence is not None:
            self.presence.stop()
        self.worker.stop()
        self.jobs.shutdown(wait=True, cancel_futures=False)

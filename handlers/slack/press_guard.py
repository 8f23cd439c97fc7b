"""Signed Slack payloads that our listeners cannot read are refused before any listener runs.

A signature proves a request came from Slack, not that its payload is one of ours: a press with
no ``user``, a button ``value`` that is not a case number, a dialog whose ``private_metadata``
does not decode, a slash command without ``user_id``. Unchecked, each was acknowledged and then
failed in a background job with a traceback, and the presser heard nothing.

This Bolt global middleware (it runs after Bolt's signature check, before the listeners)
checks exactly what the listeners index into. A payload that fails is answered 200 (so Slack
does not retry it and shows no error dialog), logged in one bounded line, and, when it names
a person and a channel, that person is told with an ephemeral message that nothing was done.
It cannot be recorded as a case event: it names no case we could trust.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from handlers.slack import approval, backlog_card, cards, modals
from handlers.slack.alerts import CRISIS_OFF, CRISIS_ON
from handlers.slack.escape import mrkdwn

log = logging.getLogger(__name__)

_ID = r"[0-9]{1,18}"  # ids are positive integers; 18 digits stay inside a 64-bit column (as on Discord)
_CASE = re.compile(_ID)
_CASE_AND_OUTBOX = re.compile(f"{_ID}:{_ID}")

CASE_BUTTONS = frozenset({cards.CLAIM, cards.RELEASE, cards.ESCALATE, cards.REPLY, cards.NOT_ACTIONABLE,
                          cards.RESOLVE, cards.LIKE, cards.REPOST, cards.THANK, cards.FIX_TRIAGE,
                          backlog_card.OPEN})
APPROVAL_BUTTONS = frozenset({approval.APPROVE, approval.EDIT, approval.REJECT})
TOPIC_BUTTONS = frozenset({CRISIS_ON, CRISIS_OFF})
CASE_DIALOGS = frozenset({modals.REPLY_CALLBACK, modals.ESCALATE_CALLBACK, modals.TRIAGE_CALLBACK})
APPROVAL_DIALOGS = frozenset({approval.EDIT_CALLBACK, approval.REJECT_CALLBACK})


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "…"


def button_problem(action: dict) -> str | None:
    """Why a button press of ours cannot be read (None: it can)."""
    action_id, value = action.get("action_id"), action.get("value")
    if action_id in CASE_BUTTONS:
        ok = isinstance(value, str) and _CASE.fullmatch(value)
        return None if ok else f"its value {_shown(value)} is not a case number"
    if action_id in APPROVAL_BUTTONS:
        ok = isinstance(value, str) and _CASE_AND_OUTBOX.fullmatch(value)
        return None if ok else f"its value {_shown(value)} is not <case>:<reply>"
    if action_id in TOPIC_BUTTONS:
        ok = isinstance(value, str) and 0 < len(value) <= 100
        return None if ok else f"its value {_shown(value)} is not a topic"
    return None  # not ours: Bolt answers it as unhandled


def _metadata_problem(callback_id: str, raw: Any) -> str | None:
    parse: Callable[[str], Any] = modals.Metadata.parse if callback_id in CASE_DIALOGS else approval.Meta.parse
    try:
        meta = parse(raw if isinstance(raw, str) else "")
        ids = [meta.case_id, getattr(meta, "outbox_id", 1)]
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return "its private_metadata does not name a case"
    if not all(0 < i < 10**18 for i in ids):
        return "its private_metadata does not name a case"
    return None


def payload_problem(body: Any) -> str | None:
    """Why a signed payload cannot be handled by our listeners (None: hand it to them)."""
    if not isinstance(body, dict):
        return "it is not a JSON object"
    kind = body.get("type")
    if kind in ("block_actions", "view_submission", "view_closed"):
        user = body.get("user")
        if not isinstance(user, dict) or not isinstance(user.get("id"), str) or not user["id"]:
            return "it names no user"
    if kind == "block_actions":
        actions = body.get("actions")
        if not isinstance(actions, list) or not all(isinstance(a, dict) for a in actions):
            return "it has no readable actions"
        if not isinstance(body.get("trigger_id", ""), str):
            return "its trigger_id is not text"
        for action in actions:
            if why := button_problem(action):
                return why
    elif kind in ("view_submission", "view_closed"):  # a closed Reply dialog keeps its draft: same metadata
        view = body.get("view")
        if not isinstance(view, dict) or not all(isinstance(view.get(k), str) for k in ("id", "type", "callback_id")):
            return "it has no readable view"
        callback = view.get("callback_id")
        if callback in CASE_DIALOGS | APPROVAL_DIALOGS:
            return _metadata_problem(callback, view.get("private_metadata"))
    elif "command" in body and not (isinstance(body.get("user_id"), str) and body["user_id"]):
        return "the command names no user"
    return None


class PressGuard(Middleware):
    """The middleware; ``tell(user, channel, text)`` sends the ephemeral (off the request thread).

    A :class:`Middleware` subclass, not a function: Bolt builds a function middleware's
    arguments from the payload first, and that alone raises on some malformed payloads."""

    def __init__(self, tell: Callable[[str, str, str], None]):
        self.tell = tell

    def process(self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]) -> BoltResponse:
        body = req.body
        why = payload_problem(body)
        if why is None:
            return next()
        kind = body.get("type") or ("command" if "command" in body else "payload")
        user = body.get("user") if isinstance(body.get("user"), dict) else {}
        user_id = user.get("id") if isinstance(user.get("id"), str) else body.get("user_id")
        channel = body.get("channel") if isinstance(body.get("channel"), dict) else {}
        channel_id = channel.get("id") if isinstance(channel.get("id"), str) else body.get("channel_id")
        log.warning("refused a signed Slack %s from %s: %s", _shown(kind)[1:-1], _shown(user_id), why)
        if isinstance(user_id, str) and user_id and isinstance(channel_id, str) and channel_id:
            self.tell(user_id, channel_id,
                      f"That could not be done: the request was not readable ({mrkdwn(why)}). Nothing was changed.")
        return BoltResponse(status=200, body="")

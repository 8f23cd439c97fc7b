"""The ``custom_id`` of every component and modal: ``md:<action>:<case id>[:<outbox id>]``.

Everything a press needs is in the id, so a button on a card posted before a restart still
works: the process that receives it parses the id and needs no memory of the card.
Discord allows 100 characters; ours stay under 40.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PREFIX = "md"
# "dismiss" is the confirmation button of "not_actionable" (Slack asks in a confirm dialog).
CARD_ACTIONS = ("claim", "escalate", "reply", "not_actionable", "dismiss", "resolve", "release", "fix_triage")
APPROVAL_ACTIONS = ("approve", "edit", "reject")
MODALS = ("reply_modal", "escalate_modal", "edit_modal", "reject_modal", "triage_modal")

CARD_TEMPLATE = rf"{PREFIX}:(?P<action>{'|'.join(CARD_ACTIONS)}):(?P<case>\d{{1,18}})"
APPROVAL_TEMPLATE = rf"{PREFIX}:(?P<action>{'|'.join(APPROVAL_ACTIONS)}):(?P<case>\d{{1,18}}):(?P<outbox>\d{{1,18}})"
_MODAL = re.compile(rf"{PREFIX}:(?P<action>{'|'.join(MODALS)}):(?P<case>\d{{1,18}})(?::(?P<outbox>\d{{1,18}}))?")


@dataclass(frozen=True)
class Target:
    action: str
    case_id: int
    outbox_id: int | None = None


def card(action: str, case_id: int) -> str:
    assert action in CARD_ACTIONS, action
    return f"{PREFIX}:{action}:{case_id}"


def approval(action: str, case_id: int, outbox_id: int) -> str:
    assert action in APPROVAL_ACTIONS, action
    return f"{PREFIX}:{action}:{case_id}:{outbox_id}"


def modal(action: str, case_id: int, outbox_id: int | None = None) -> str:
    assert action in MODALS, action
    return f"{PREFIX}:{action}:{case_id}" + (f":{outbox_id}" if outbox_id is not None else "")


def parse_modal(custom_id: str) -> Target | None:
    match = _MODAL.fullmatch(custom_id or "")
    if match is None:
        return None
    outbox = match["outbox"]
    return Target(match["action"], int(match["case"]), int(outbox) if outbox else None)

"""The PR approval message posted in a case's thread, and the dialogs behind its buttons.

The message shows the draft reply (escaped: it may quote the customer) and pings PR. Its
buttons carry ``<case_id>:<outbox_id>`` in ``value``; the listeners in ``app.py`` hand them to
the platform-neutral actions ``approve`` / ``edit`` / ``reject`` (bot/desk/actions.py), which check
the PR role and the draft's state. Nothing is decided here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.desk import approval_drafts
from handlers.slack.escape import mrkdwn, quote, truncate, user_mention

APPROVE, EDIT, REJECT = "approval_approve", "approval_edit", "approval_reject"
EDIT_CALLBACK, REJECT_CALLBACK = "approval_edit_modal", "approval_reject_modal"
EDIT_TEXT, REJECT_REASON = "approval_text", "approval_reason"
VALUE = "value"


@dataclass(frozen=True)
class Draft:
    case_id: int
    outbox_id: int
    text: str
    author: str
    author_slack_id: str | None
    why: str
    pr_people: list[tuple[str, str | None]]  # (name, slack user id)


def button_value(case_id: int, outbox_id: int) -> str:
    return f"{case_id}:{outbox_id}"


def parse_value(value: str) -> tuple[int, int]:
    case_id, outbox_id = value.split(":", 1)
    return int(case_id), int(outbox_id)


def _button(text: str, action_id: str, draft: Draft, style: str | None = None) -> dict[str, Any]:
    button = {"type": "button", "action_id": action_id, "value": button_value(draft.case_id, draft.outbox_id),
              "text": {"type": "plain_text", "text": text, "emoji": True}}
    if style:
        button["style"] = style
    return button


def approval_text(draft: Draft) -> str:
    return f"Reply to case #{draft.case_id} waits for PR approval"


def approval_blocks(draft: Draft, *, outcome: str | None = None) -> list[dict[str, Any]]:
    """The thread message; with ``outcome`` (who decided what) it has no buttons left."""
    pings = " ".join(user_mention(sid, name) for name, sid in draft.pr_people) or "PR"
    header = (f"🛡️ {pings}: a reply by {user_mention(draft.author_slack_id, draft.author)} waits for your "
              f"approval ({mrkdwn(draft.why)}).")
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": header}},
        {"type": "section", "text": {"type": "mrkdwn", "text": quote(draft.text, 2800)}},
    ]
    if outcome:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": outcome}]})
    else:
        blocks.append({"type": "actions", "block_id": f"approval:{draft.outbox_id}", "elements": [
            _button("Approve", APPROVE, draft, "primary"), _button("Edit", EDIT, draft),
            _button("Reject", REJECT, draft, "danger")]})
    return blocks


@dataclass(frozen=True)
class Meta:
    case_id: int
    outbox_id: int
    channel: str | None
    message_ts: str | None

    def dump(self) -> str:
        return json.dumps(self.__dict__)

    @classmethod
    def parse(cls, raw: str) -> Meta:
        data = json.loads(raw or "{}")
        return cls(int(data["case_id"]), int(data["outbox_id"]), data.get("channel"), data.get("message_ts"))


def _plain(text: str, limit: int = 75) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, limit), "emoji": True}


def edit_modal(meta: Meta, text: str, limit: int) -> dict[str, Any]:
    return {"type": "modal", "callback_id": EDIT_CALLBACK, "private_metadata": meta.dump(),
            "title": _plain(f"Edit · case #{meta.case_id}", 24), "submit": _plain("Save edit"),
            "close": _plain("Cancel"),
            "blocks": [{"type": "input", "block_id": EDIT_TEXT, "label": _plain("Reply"),
                        "hint": _plain(f"At most {limit} characters. The change is recorded.", 150),
                        "element": {"type": "plain_text_input", "action_id": VALUE, "multiline": True,
                                    "initial_value": text[:3000]}}]}


def reject_modal(meta: Meta) -> dict[str, Any]:
    return {"type": "modal", "callback_id": REJECT_CALLBACK, "private_metadata": meta.dump(),
            "title": _plain(f"Reject · case #{meta.case_id}", 24), "submit": _plain("Reject"),
            "close": _plain("Cancel"),
            "blocks": [{"type": "input", "block_id": REJECT_REASON, "label": _plain("Why (the author is told)"),
                        "element": {"type": "plain_text_input", "action_id": VALUE, "multiline": True,
                                    "max_length": 1000}}]}


def submitted(view: dict[str, Any], block_id: str) -> str:
    return (view.get("state", {}).get("values", {}).get(block_id, {}).get(VALUE, {}).get("value") or "").strip()


def load_draft(session: Any, case_id: int, outbox_id: int) -> Draft | None:
    """The draft as the approval message shows it (None if it is not a reply of this case)."""
    view = approval_drafts.load_draft(session, case_id, outbox_id)
    if view is None:
        return None
    author = view.author
    return Draft(case_id, outbox_id, view.text, author.name if author else "someone",
                 author.id_on("slack") if author else None, view.why,
                 [(p.name, p.id_on("slack")) for p in view.pr_people])

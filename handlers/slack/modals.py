"""The Reply and Escalate dialogs (Block Kit modals) and reading their submitted values.

Block and action ids are constants here so that building a view and reading its
``view_submission`` state cannot drift apart.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.desk.actions import INTENT_CHOICES
from bot.desk.case_view import CardView
from bot.core.config import CannedResponse
from handlers.slack.escape import mrkdwn, truncate

REPLY_CALLBACK, ESCALATE_CALLBACK, TRIAGE_CALLBACK = "reply_modal", "escalate_modal", "triage_modal"
FIX_INTENT, FIX_TOPIC, FIX_NOTE = "fix_intent", "fix_topic", "fix_note"
REPLY_TEXT, REPLY_CANNED, REPLY_VISIBILITY = "reply_text", "reply_canned", "reply_visibility"
ESC_TEAM, ESC_LEVEL, ESC_REASON = "escalate_team", "escalate_level", "escalate_reason"
VALUE = "value"  # the action_id inside every input block


def _plain(text: str, limit: int = 75) -> dict[str, Any]:
    # plain_text is never parsed as mrkdwn, so no escaping; Slack limits most of these to 75 chars.
    return {"type": "plain_text", "text": truncate(text, limit), "emoji": True}


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": _plain(text), "value": value}


def _metadata(view: CardView, channel: str | None) -> str:
    return json.dumps({"case_id": view.case_id, "platform": view.platform, "channel": channel})


@dataclass(frozen=True)
class Metadata:
    case_id: int
    platform: str
    channel: str | None

    @classmethod
    def parse(cls, raw: str) -> Metadata:
        data = json.loads(raw or "{}")
        return cls(int(data["case_id"]), str(data.get("platform", "x")), data.get("channel"))


def reply_modal(view: CardView, canned: list[CannedResponse], limit: int, channel: str | None,
                private_unavailable: str | None = None, *, draft: str = "", warning: str | None = None,
                suggestions: Any = None) -> dict[str, Any]:
    """The Reply dialog; ``draft`` is what the agent typed before closing it, ``warning`` names
    whoever else is drafting a reply on the case (bot/desk/drafts.py), ``suggestions`` are the
    starting points bot/desk/suggest.py found (shown, never sent); ``private_unavailable`` says
    why this platform takes no private message."""
    blocks: list[dict[str, Any]] = [
        {"type": "context", "elements": [{"type": "mrkdwn", "text":
            f"*@{mrkdwn(view.author_handle)}* wrote: {mrkdwn(truncate(' '.join(view.text.split()), 400))}"}]},
        {"type": "input", "block_id": REPLY_TEXT, "optional": True, "label": _plain("Your reply"),
         "hint": _plain(f"At most {limit} characters on {view.platform}. Leave empty to send the canned response.",
                        150),
         "element": {"type": "plain_text_input", "action_id": VALUE, "multiline": True}},
    ]
    holding = (view.routing or {}).get("holding_statement")
    if draft:  # the agent's own words come back first
        blocks[1]["element"]["initial_value"] = draft[:3000]
    elif holding:  # crisis mode: the holding statement is the suggested reply
        blocks[1]["element"]["initial_value"] = holding[:limit]
    if suggestions is not None and suggestions.items:
        lines = [f"💡 *Suggested starting points* (ranked by {mrkdwn(suggestions.ranking)}; edit before sending):"]
        lines += [f"{n}. *{mrkdwn(truncate(s.title, 80))}* — {mrkdwn(s.why)}\n> {mrkdwn(truncate(s.text, 300))}"
                  for n, s in enumerate(suggestions.items, 1)]
        blocks.insert(1, {"type": "context", "elements": [{"type": "mrkdwn", "text": truncate("\n".join(lines), 2900)}]})
    if warning:  # names are untrusted text too
        blocks.insert(0, {"type": "context", "elements": [{"type": "mrkdwn", "text": f"⚠️ {mrkdwn(warning)}"}]})
    if canned:
        blocks.append({"type": "input", "block_id": REPLY_CANNED, "optional": True, "label": _plain("Canned response"),
                       "element": {"type": "static_select", "action_id": VALUE,
                                   "placeholder": _plain("Choose a canned response"),
                                   "options": [_option(c.title, c.id) for c in canned[:100]]}})
    public = _option("Public reply in the thread", "public")
    # Only what the platform can take; when private is not possible, say why instead of offering it.
    options = [public] if private_unavailable else [public, _option("Private message", "private")]
    blocks.append({"type": "input", "block_id": REPLY_VISIBILITY, "label": _plain("Send as"),
                   "element": {"type": "radio_buttons", "action_id": VALUE, "initial_option": public,
                               "options": options}})
    if private_unavailable:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text":
                       f":no_entry_sign: No private message on {mrkdwn(view.platform)}: {mrkdwn(private_unavailable)}"}]})
    return {"type": "modal", "callback_id": REPLY_CALLBACK, "private_metadata": _metadata(view, channel),
            "title": _plain(f"Reply · case #{view.case_id}", 24), "submit": _plain("Queue reply"),
            "close": _plain("Cancel"), "blocks": blocks,
            # Closing the dialog tells us (view_closed), so what was typed is kept as a draft.
            "notify_on_close": True}


def escalate_modal(view: CardView, teams: list[str], channel: str | None) -> dict[str, Any]:
    options = [_option(t, t) for t in teams if t != view.team] or [_option(t, t) for t in teams]
    level_team = _option("The team's queue", "team")
    return {
        "type": "modal", "callback_id": ESCALATE_CALLBACK, "private_metadata": _metadata(view, channel),
        "title": _plain(f"Escalate · case #{view.case_id}", 24), "submit": _plain("Escalate"),
        "close": _plain("Cancel"),
        "blocks": [
            {"type": "input", "block_id": ESC_TEAM, "label": _plain("To team"),
             "element": {"type": "static_select", "action_id": VALUE, "options": options[:100]}},
            {"type": "input", "block_id": ESC_LEVEL, "label": _plain("Level"),
             "element": {"type": "radio_buttons", "action_id": VALUE, "initial_option": level_team,
                         "options": [level_team, _option("A lead", "lead"), _option("PR / communications", "pr")]}},
            {"type": "input", "block_id": ESC_REASON, "label": _plain("Why"),
             "element": {"type": "plain_text_input", "action_id": VALUE, "multiline": True, "max_length": 1000}},
        ],
    }


def triage_modal(view: CardView, topics: list[str], channel: str | None) -> dict[str, Any]:
    """"Fix triage": the right intent (which sets the tier) and topic; both start at what triage said."""
    intents = [_option(words, intent) for intent, words in INTENT_CHOICES.items()]
    intent_select: dict[str, Any] = {"type": "static_select", "action_id": VALUE, "options": intents}
    current = next((o for o in intents if o["value"] == view.intent), None)
    if current:
        intent_select["initial_option"] = current
    names = list(dict.fromkeys([*topics, *([view.topic] if view.topic else [])]))[:100]
    blocks: list[dict[str, Any]] = [
        {"type": "context", "elements": [{"type": "mrkdwn", "text":
            f"Triage said *{mrkdwn(view.intent)}*, topic *{mrkdwn(view.topic or 'none')}*. "
            "Your correction updates the case and teaches the model (`mentiondesk train --with-feedback`)."}]},
        {"type": "input", "block_id": FIX_INTENT, "label": _plain("What it really is"), "element": intent_select},
    ]
    if names:
        topic_options = [_option(t, t) for t in names]
        topic_select: dict[str, Any] = {"type": "static_select", "action_id": VALUE, "options": topic_options,
                                        "placeholder": _plain("Choose a topic")}
        if view.topic in names:
            topic_select["initial_option"] = topic_options[names.index(view.topic)]
        blocks.append({"type": "input", "block_id": FIX_TOPIC, "optional": True, "label": _plain("Topic"),
                       "element": topic_select})
    blocks.append({"type": "input", "block_id": FIX_NOTE, "optional": True, "label": _plain("Note"),
                   "element": {"type": "plain_text_input", "action_id": VALUE, "max_length": 1000}})
    return {"type": "modal", "callback_id": TRIAGE_CALLBACK, "private_metadata": _metadata(view, channel),
            "title": _plain(f"Fix triage · #{view.case_id}", 24), "submit": _plain("Save"),
            "close": _plain("Cancel"), "blocks": blocks}


def value(view: dict[str, Any], block_id: str) -> str | None:
    """The submitted value of an input block (text, or the selected option's value)."""
    element = view.get("state", {}).get("values", {}).get(block_id, {}).get(VALUE, {})
    if element.get("selected_option"):
        return element["selected_option"].get("value")
    return element.get("value")

"""The Reply, Escalate, Edit and Reject dialogs (Discord modals) and reading what was submitted.

A modal's ``custom_id`` names the dialog and the case (:mod:`handlers.discord.ids`), so a
submission is handled from its id alone, also by a process that did not open the dialog.
"""

from __future__ import annotations

from typing import Any

import discord

from bot.desk.actions import INTENT_CHOICES
from bot.core.config import CannedResponse
from handlers.discord import ids

TEXT, CANNED, VISIBILITY, TEAM, LEVEL, REASON = "text", "canned", "visibility", "team", "level", "reason"
INTENT, TOPIC, NOTE = "intent", "topic", "note"
LEVELS = (("The team's queue", "team"), ("A lead", "lead"), ("PR / communications", "pr"))


class _Dialog(discord.ui.Modal):
    """Submissions are handled in ``Client.on_interaction`` from the custom_id (restart-proof), so
    the modal object itself does nothing when submitted; it only times out of discord.py's store."""

    def __init__(self, title: str, custom_id: str):
        super().__init__(title=title[:45], custom_id=custom_id, timeout=900)


def _labelled(text: str, component: discord.ui.Item, description: str | None = None) -> discord.ui.Label:
    return discord.ui.Label(text=text[:45], component=component, description=description[:100] if description else None)


def reply_modal(case_id: int, platform: str, canned: list[CannedResponse], limit: int,
                private_unavailable: str | None = None, *, draft: str = "", warning: str | None = None,
                suggested: list[str] = ()) -> discord.ui.Modal:
    """The Reply dialog; ``draft`` is the agent's saved text, ``warning`` names whoever else is
    drafting a reply on the case (a modal has no room for more than the field's description);
    ``private_unavailable`` says why this platform takes no private message."""
    modal = _Dialog(f"Reply · case #{case_id}", ids.modal("reply_modal", case_id))
    rank = {canned_id: n for n, canned_id in enumerate(suggested)}
    hint = f"At most {limit} characters on {platform}. Empty: the canned response is sent."
    modal.add_item(_labelled("Your reply", discord.ui.TextInput(
        custom_id=TEXT, style=discord.TextStyle.paragraph, required=False, max_length=min(limit, 4000),
        default=draft[:min(limit, 4000)] or None),
        f"⚠️ {warning}." if warning else hint))
    if canned:
        modal.add_item(_labelled("Canned response", discord.ui.Select(
            custom_id=CANNED, required=False, placeholder="Choose a canned response",
            # The suggested canned responses (bot/desk/suggest.py) come first, starred, best first.
            options=[discord.SelectOption(label=(f"★ {c.title}" if c.id in rank else c.title)[:100], value=c.id)
                     for c in sorted(canned, key=lambda c: rank.get(c.id, len(rank)))[:25]])))
    # Only what the platform can take; when private is not possible, the label's description says why.
    options = [discord.SelectOption(label="Public reply in the thread", value="public", default=True)]
    if not private_unavailable:
        options.append(discord.SelectOption(label="Private message", value="private"))
    modal.add_item(_labelled("Send as", discord.ui.Select(custom_id=VISIBILITY, options=options),
                             f"No private message on {platform}: {private_unavailable}" if private_unavailable else None))
    return modal


def escalate_modal(case_id: int, current_team: str | None, teams: list[str]) -> discord.ui.Modal:
    modal = _Dialog(f"Escalate · case #{case_id}", ids.modal("escalate_modal", case_id))
    choices = [t for t in teams if t != current_team] or teams
    modal.add_item(_labelled("To team", discord.ui.Select(
        custom_id=TEAM, options=[discord.SelectOption(label=t[:100], value=t[:100]) for t in choices[:25]])))
    modal.add_item(_labelled("Level", discord.ui.Select(custom_id=LEVEL, options=[
        discord.SelectOption(label=label, value=value, default=value == "team") for label, value in LEVELS])))
    modal.add_item(_labelled("Why", discord.ui.TextInput(custom_id=REASON, style=discord.TextStyle.paragraph,
                                                         max_length=1000)))
    return modal


def triage_modal(case_id: int, intent: str | None, topic: str | None, topics: list[str]) -> discord.ui.Modal:
    """"Fix triage": the right intent (which sets the tier) and topic, starting at what triage said."""
    modal = _Dialog(f"Fix triage · case #{case_id}", ids.modal("triage_modal", case_id))
    modal.add_item(_labelled("What it really is", discord.ui.Select(custom_id=INTENT, options=[
        discord.SelectOption(label=words, value=value, default=value == intent)
        for value, words in INTENT_CHOICES.items()])))
    names = list(dict.fromkeys([*([topic] if topic else []), *topics]))[:25]
    if names:
        modal.add_item(_labelled("Topic", discord.ui.Select(custom_id=TOPIC, required=False, options=[
            discord.SelectOption(label=t[:100], value=t[:100], default=t == topic) for t in names])))
    modal.add_item(_labelled("Note", discord.ui.TextInput(custom_id=NOTE, required=False, max_length=1000),
                             "What triage got wrong (optional)"))
    return modal


def edit_modal(case_id: int, outbox_id: int, text: str, limit: int) -> discord.ui.Modal:
    modal = _Dialog(f"Edit · case #{case_id}", ids.modal("edit_modal", case_id, outbox_id))
    modal.add_item(_labelled("Reply", discord.ui.TextInput(custom_id=TEXT, style=discord.TextStyle.paragraph,
                                                           default=text[:4000], max_length=min(limit, 4000)),
                             f"At most {limit} characters. The change is recorded."))
    return modal


def reject_modal(case_id: int, outbox_id: int) -> discord.ui.Modal:
    modal = _Dialog(f"Reject · case #{case_id}", ids.modal("reject_modal", case_id, outbox_id))
    modal.add_item(_labelled("Why (the author is told)", discord.ui.TextInput(
        custom_id=REASON, style=discord.TextStyle.paragraph, max_length=1000)))
    return modal


def submitted(components: list[dict[str, Any]]) -> dict[str, str]:
    """custom_id → submitted value from a modal submit's ``data.components`` (labels or action rows;
    a select gives its first chosen value)."""
    values: dict[str, str] = {}

    def leaf(c: dict[str, Any]) -> None:
        if "component" in c:  # label (type 18)
            leaf(c["component"])
        elif "components" in c:  # action row (type 1)
            for child in c["components"]:
                leaf(child)
        elif "custom_id" in c:
            if "values" in c:
                if c["values"]:
                    values[c["custom_id"]] = str(c["values"][0])
            elif c.get("value") is not None:
                values[c["custom_id"]] = str(c["value"])

    for component in components or []:
        leaf(component)
    return values

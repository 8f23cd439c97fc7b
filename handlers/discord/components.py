"""Persistent buttons: :class:`discord.ui.DynamicItem` subclasses whose ``custom_id`` carries
the action and the case (see :mod:`handlers.discord.ids`).

They are registered once at start-up (``Client.add_dynamic_items``), so discord.py routes a
press on any card, also one posted by an earlier process, by matching the id's pattern. The
callbacks only hand over to the adapter's :class:`~handlers.discord.app.Handlers`.
"""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.desk.case_view import CardView
from handlers.discord import ids
from handlers.discord.render import buttons


class CardButton(discord.ui.DynamicItem[discord.ui.Button], template=ids.CARD_TEMPLATE):
    def __init__(self, action: str, case_id: int, *, label: str | None = None,
                 style: discord.ButtonStyle = discord.ButtonStyle.secondary):
        super().__init__(discord.ui.Button(label=label or action.replace("_", " ").title(), style=style,
                                           custom_id=ids.card(action, case_id)))
        self.action, self.case_id = action, case_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: re.Match[str], /) -> CardButton:
        return cls(match["action"], int(match["case"]), label=item.label, style=item.style)

    async def callback(self, interaction: discord.Interaction) -> Any:
        await interaction.client.handlers.card_button(interaction, self.action, self.case_id)


class ApprovalButton(discord.ui.DynamicItem[discord.ui.Button], template=ids.APPROVAL_TEMPLATE):
    def __init__(self, action: str, case_id: int, outbox_id: int, *, label: str | None = None,
                 style: discord.ButtonStyle = discord.ButtonStyle.secondary):
        super().__init__(discord.ui.Button(label=label or action.title(), style=style,
                                           custom_id=ids.approval(action, case_id, outbox_id)))
        self.action, self.case_id, self.outbox_id = action, case_id, outbox_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: re.Match[str], /) -> ApprovalButton:
        return cls(match["action"], int(match["case"]), int(match["outbox"]), label=item.label, style=item.style)

    async def callback(self, interaction: discord.Interaction) -> Any:
        await interaction.client.handlers.approval_button(interaction, self.action, self.case_id, self.outbox_id)


DYNAMIC_ITEMS = (CardButton, ApprovalButton)


def card_view(view: CardView) -> discord.ui.View:
    """The card's buttons as a view without timeout (presses are routed by custom_id, not by it)."""
    ui = discord.ui.View(timeout=None)
    for action, label, style in buttons(view):
        ui.add_item(CardButton(action, view.case_id, label=label, style=style))
    return ui


def confirm_dismiss_view(case_id: int) -> discord.ui.View:
    """The one button under "Close case #N without a reply?" (Slack shows a confirm dialog)."""
    ui = discord.ui.View(timeout=None)
    ui.add_item(CardButton("dismiss", case_id, label="Close it", style=discord.ButtonStyle.danger))
    return ui


def approval_view(case_id: int, outbox_id: int) -> discord.ui.View:
    ui = discord.ui.View(timeout=None)
    ui.add_item(ApprovalButton("approve", case_id, outbox_id, label="Approve", style=discord.ButtonStyle.success))
    ui.add_item(ApprovalButton("edit", case_id, outbox_id, label="Edit"))
    ui.add_item(ApprovalButton("reject", case_id, outbox_id, label="Reject", style=discord.ButtonStyle.danger))
    return ui

"""Render a case as a Discord embed + buttons, and the status lines said in the card's thread.

Same facts as the Slack card (priority and tier, author, the post's text, sentiment, topic,
team, state, the top priority reasons, who did what). Everything from outside (post text,
author name and handle, reasons typed by colleagues) goes through :func:`plain`: Markdown
escaped and mentions broken, and every message is sent with ``allowed_mentions`` none on top,
so a tweet saying ``@everyone`` pings no one.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import discord

from bot.desk import card_lines
from bot.desk.card_lines import (CLOSED_STATES, PLATFORM_LABELS, Markup, abuse_line, customer_lines,
                                 drafting_line, incident_line, routing_lines, sla_line)
from bot.desk.case_view import CardView, Person

TIER_BADGES = {"tier1": "🔴 P1", "tier2": "🟡 P2"}
TIER_COLOURS = {"tier1": 0xD93F0B, "tier2": 0xE3B341}
CLOSED_COLOUR = 0x8C8C8C
_SNOWFLAKE = re.compile(r"\d{15,25}")

# Discord's limits (characters): embed description, field value, title, message content.
DESCRIPTION, FIELD, TITLE, CONTENT = 4096, 1024, 256, 2000


def plain(text: str | None, limit: int = CONTENT) -> str:
    """Untrusted ``text`` as inert Discord Markdown, at most ``limit`` characters after escaping.

    Escaping adds a backslash per Markdown character, so the cut is made on the raw text until
    the escaped form fits (never in the middle of an escape)."""
    if not text:
        return ""
    raw = text
    while True:
        escaped = discord.utils.escape_mentions(discord.utils.escape_markdown(raw))
        if len(escaped) <= limit:
            return escaped
        raw = text[: max(0, min(len(raw) - 1, int(len(raw) * limit / len(escaped)) - 2))] + "…"


def quote(text: str, limit: int = DESCRIPTION) -> str:
    body = plain(" ".join(text.split(" ")), limit - 2 - text.count("\n") * 2)
    return "> " + body.replace("\n", "\n> ")


def user_mention(person: Person | str | None) -> str:
    """``<@id>`` for a person we know by Discord id (rendered, never a ping: allowed_mentions none)."""
    if person is None:
        return "someone"
    if isinstance(person, str):
        return plain(person, 100)
    discord_id = person.user_ids.get("discord")
    if discord_id and _SNOWFLAKE.fullmatch(discord_id):
        return f"<@{discord_id}>"
    return plain(person.name, 100)






def _http_url(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc and len(url) <= 2000 else None


# Discord's way of writing the lines both platforms share (see bot.desk.card_lines).
MARKUP = Markup(text=lambda text, limit: plain(text, limit), bold=lambda text: f"**{text}**",
                person=lambda person: user_mention(person),
                link=lambda url, label: f"<{url}>" if str(url or "").startswith("https://") else "")


def status_line(view: CardView) -> str | None:
    """The thread line after a press, in Discord's Markdown (the words: ``bot.desk.card_lines``)."""
    return card_lines.status_line(view, MARKUP)


def render_embed(view: CardView) -> discord.Embed:
    badge = TIER_BADGES.get(view.tier, "⚪ " + view.tier)
    alarm = "🚨 " if view.intent == "crisis" else ""
    closed = view.state in CLOSED_STATES
    embed = discord.Embed(
        title=f"{alarm}{badge} · priority {view.priority:.0f} · {view.intent} · case #{view.case_id}"[:TITLE],
        url=_http_url(view.url),
        description=quote(view.text, 3500),
        colour=CLOSED_COLOUR if closed else TIER_COLOURS.get(view.tier, CLOSED_COLOUR),
        timestamp=view.opened_at,
    )
    # Embed author names are plain text (no Markdown, no mentions), so only cut to size.
    name = view.author_name or view.author_handle
    embed.set_author(name=f"{name} (@{view.author_handle})"[:TITLE])
    about = card_lines.author_facts(view, MARKUP)
    embed.add_field(name="Author", value=" · ".join(about)[:FIELD], inline=False)
    embed.add_field(name="Sentiment", value=f"{plain(view.sentiment, 40)} ({view.sentiment_score:+.2f})")
    if view.topic:
        embed.add_field(name="Topic", value=plain(view.topic, 100))
    if view.team:
        embed.add_field(name="Team", value=plain(view.team, 100))
    embed.add_field(name="State", value=view.state.replace("_", " "))
    if abuse := abuse_line(view, MARKUP):
        embed.add_field(name="Abuse", value=abuse[:FIELD], inline=False)
    if view.reasons:
        embed.add_field(name="Why", value=plain("; ".join(view.reasons), FIELD), inline=False)
    if incident := incident_line(view):
        embed.add_field(name="Incident", value=incident, inline=False)
    if past := customer_lines(view, MARKUP):
        embed.add_field(name="Customer", value="\n".join(past)[:FIELD], inline=False)
    if routed := routing_lines(view, MARKUP):
        embed.add_field(name="Routing", value="\n".join(routed)[:FIELD], inline=False)
    if drafting := drafting_line(view, MARKUP):
        embed.add_field(name="Drafting", value=drafting[:FIELD], inline=False)
    if sla := sla_line(view):
        embed.add_field(name="SLA", value=sla, inline=False)
    status = [s for s in (status_line(view),) if s]
    kind = view.status[0] if view.status else None
    if view.assignee is not None and kind not in ("claimed", "reassigned"):
        status.append(f"Owner: {user_mention(view.assignee)}")
    if view.reply_state == "pending" and kind != "reply_queued":
        status.append("✉️ Reply queued")
    elif view.reply_state == "sent" and kind != "reply_sent":
        status.append("✅ Reply sent ✓")
    if status:
        embed.add_field(name="Status", value="\n".join(status)[:FIELD], inline=False)
    platform = PLATFORM_LABELS.get(view.platform, view.platform)
    embed.set_footer(text=f"{platform} post · case #{view.case_id}")
    return embed


def buttons(view: CardView) -> list[tuple[str, str, discord.ButtonStyle]]:
    """(action, label, style) of the card's buttons, following the case's state."""
    grey, red, blurple = discord.ButtonStyle.secondary, discord.ButtonStyle.danger, discord.ButtonStyle.primary
    fix = ("fix_triage", "Fix triage", grey)  # a correction teaches the model, also after closing
    if view.state in CLOSED_STATES:
        return [fix]
    if view.assignee is None:
        return [("claim", "Claim", blurple), ("escalate", "Escalate", grey), ("reply", "Reply", grey),
                ("not_actionable", "Not actionable", red), fix]
    return [("reply", "Reply", blurple), ("escalate", "Escalate", grey), ("resolve", "Resolve", grey),
            ("release", "Release", grey), ("not_actionable", "Not actionable", red), fix]


def content(view: CardView) -> str:
    """The message text next to the embed (notifications, search): trusted words only."""
    tier = {"tier1": "P1", "tier2": "P2"}.get(view.tier, view.tier)
    return f"{tier} case #{view.case_id}"


def thread_name(view: CardView) -> str:
    return f"case #{view.case_id} · @{view.author_handle}"[:100]

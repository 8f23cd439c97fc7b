"""Render a channel's backlog digest (bot.desk.card_pace) as one Slack message.

What an agent sees under a spike, instead of a queue of cards minutes behind:

    📥 37 posts in 2 min — more than this channel can show one card at a time
    late_flight 21 · refund 9 · booking 7
    🔴 P1 · priority 78 · late_flight · @maria_g: "Stuck at the gate for 3 hours…"   [Open]
    …the 10 most urgent…
    …and 27 more: `/mentiondesk queue care` lists them, highest priority first.

**Open** posts that case's own card (Claim, Reply, …) in this message's thread. Untrusted
text (handles, post text) is escaped like every card.
"""

from __future__ import annotations

from typing import Any

from bot.desk.card_pace import URGENT_INTENTS, DigestItem, DigestView
from handlers.slack.escape import link, mrkdwn, truncate

OPEN = "case_open_card"  # action_id of a line's button: the case's own card in the thread
DIGEST_EVENT = "mentiondesk_digest"  # message metadata: which cases the digest holds (found again after a crash)
SHOWN = 10  # lines listed; Slack takes 50 blocks, and a person reads about this many at a glance
TIER_BADGES = {"tier1": "🔴 P1", "tier2": "🟡 P2"}


def headline(digest: DigestView) -> str:
    count = len(digest.items)
    return f"📥 {count} post{'s' if count != 1 else ''} in {digest.minutes} min"


def topics_line(digest: DigestView) -> str:
    return " · ".join(f"{mrkdwn(topic)} {n}" for topic, n in digest.topics[:6])


def item_line(item: DigestItem) -> str:
    parts = [TIER_BADGES.get(item.tier, mrkdwn(item.tier)), f"priority {item.priority:.0f}", mrkdwn(item.topic or "general")]
    if item.intent in URGENT_INTENTS:  # a crisis too big for one card a second: its posts are listed here, first
        parts.insert(0, f"🚨 {item.intent}")
    if item.parent_id:
        parts.append(f"incident #{item.parent_id}")
    where = link(item.url, "post") if item.url else ""
    snippet = mrkdwn(truncate(" ".join(item.text.split()), 140))
    return f"{' · '.join(parts)} · case #{item.case_id} · @{mrkdwn(truncate(item.author_handle, 60))}" \
           f"{' · ' + where if where else ''}\n> {snippet}"


def render_digest(digest: DigestView, team: str | None = None) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*{headline(digest)}* — more than this channel can "
                                                                "show one card at a time; the most urgent first"}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": topics_line(digest) or "no topic"}]},
    ]
    for item in digest.items[:SHOWN]:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": item_line(item)},
                       "accessory": {"type": "button", "text": {"type": "plain_text", "text": "Open", "emoji": True},
                                     "action_id": OPEN, "value": str(item.case_id)}})
    rest = len(digest.items) - SHOWN
    if rest > 0:
        command = f"`/mentiondesk queue {mrkdwn(team)}`" if team else "`/mentiondesk queue`"
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": (
            f"…and {rest} more: {command} lists every open case, highest priority first; "
            "crisis and urgent posts get a card of their own as fast as the channel allows (🚨 above: "
            "more than it can show).")}]})
    return blocks


def fallback_text(digest: DigestView) -> str:
    """The notification text; the bench and screen readers read it (escaped like the blocks)."""
    return f"{headline(digest)}: {topics_line(digest)}"


def metadata(digest: DigestView) -> dict[str, Any]:
    return {"event_type": DIGEST_EVENT, "event_payload": {"case_ids": digest.case_ids}}

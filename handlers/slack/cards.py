"""Render a case as a Slack Block Kit card, and the one-line status messages posted in its thread.

Everything that comes from outside (mention text, author name and handle, URLs, escalation
reasons typed by colleagues) goes through :mod:`handlers.slack.escape`. Buttons carry the case
id in ``value``; their ``action_id`` names the action the listener in ``app.py`` runs.
"""

from __future__ import annotations

from typing import Any

from bot.desk import card_lines
from bot.desk.card_lines import (CLOSED_STATES, PLATFORM_LABELS, Markup, abuse_line, customer_lines,
                                 drafting_line, incident_line, routing_lines, sla_line)
from bot.desk.case_view import CardView, Person
from handlers.slack.escape import link, mrkdwn, quote, truncate, user_mention

# action_ids of the card's buttons (listeners in app.py are registered on these).
CLAIM, RELEASE, ESCALATE, REPLY, NOT_ACTIONABLE, RESOLVE = (
    "case_claim", "case_release", "case_escalate", "case_reply", "case_not_actionable", "case_resolve")
LIKE, REPOST, THANK = "case_like", "case_repost", "case_thank_publicly"
FIX_TRIAGE = "case_fix_triage"

TIER_BADGES = {"tier1": "🔴 *P1*", "tier2": "🟡 *P2*"}
MAX_SECTION = 3000  # Slack refuses a section text longer than this (after escaping)




def who(person: Person | str | None) -> str:
    if person is None:
        return "someone"
    if isinstance(person, str):
        return mrkdwn(person)
    return user_mention(person.user_ids.get("slack"), person.name)




# Slack's way of writing the lines both platforms share (see bot.desk.card_lines).
MARKUP = Markup(text=lambda text, limit: mrkdwn(truncate(text, limit)), bold=lambda text: f"*{text}*",
                person=lambda person: who(person), link=link)


def status_line(view: CardView) -> str | None:
    """The thread line after a press, in Slack's mrkdwn (the words: ``bot.desk.card_lines``)."""
    return card_lines.status_line(view, MARKUP)


def _context(*parts: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": p} for p in parts if p]}


def _button(text: str, action_id: str, case_id: int, style: str | None = None,
            confirm: dict | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {"type": "button", "text": {"type": "plain_text", "text": text, "emoji": True},
                              "action_id": action_id, "value": str(case_id)}
    if style:
        button["style"] = style
    if confirm:
        button["confirm"] = confirm
    return button


def praise_buttons(view: CardView) -> list[dict[str, Any]]:
    """Seed practice: share customers' thanks. Like / Repost on praise, once each."""
    if not view.can_engage:
        return []
    out = []
    if "like" not in view.engaged:
        out.append(_button("❤️ Like", LIKE, view.case_id))
    if "repost" not in view.engaged:
        out.append(_button("🔁 Repost", REPOST, view.case_id))
    return out


def buttons(view: CardView) -> list[dict[str, Any]]:
    cid = view.case_id
    # "Wrong priority or topic?": the agent's correction is a labeled example for the model.
    fix = _button("Fix triage", FIX_TRIAGE, cid)
    if view.state in CLOSED_STATES:
        thank = [_button("Thank publicly", THANK, cid, "primary")] if view.can_thank_publicly else []
        return thank + praise_buttons(view) + [fix]
    dismiss = _button("Not actionable", NOT_ACTIONABLE, cid, confirm={
        "title": {"type": "plain_text", "text": "Not actionable?"},
        "text": {"type": "plain_text", "text": f"Close case #{cid} without a reply?"},
        "confirm": {"type": "plain_text", "text": "Close it"}, "deny": {"type": "plain_text", "text": "Keep"}})
    if view.assignee is None:
        return [_button("Claim", CLAIM, cid, "primary"), _button("Escalate", ESCALATE, cid),
                _button("Reply", REPLY, cid), dismiss, *praise_buttons(view), fix]
    thank = [_button("Thank publicly", THANK, cid)] if view.can_thank_publicly else []
    return [_button("Reply", REPLY, cid, "primary"), _button("Escalate", ESCALATE, cid),
            _button("Resolve", RESOLVE, cid), _button("Release", RELEASE, cid), dismiss, *thank,
            *praise_buttons(view), fix][:25]


def render_card(view: CardView) -> list[dict[str, Any]]:
    """The card's blocks."""
    badge = TIER_BADGES.get(view.tier, "⚪ *" + mrkdwn(view.tier) + "*")
    alarm = "🚨 " if view.intent == "crisis" else ""
    platform = PLATFORM_LABELS.get(view.platform, view.platform)
    source = link(view.url, f"{platform} post") if view.url else mrkdwn(platform)
    head = (f"{alarm}{badge} · priority *{view.priority:.0f}* · {mrkdwn(view.intent)} · case #{view.case_id}"
            f" · {source}")

    name = mrkdwn(truncate(view.author_name or view.author_handle, 80))
    author = [f"*{name}* (@{mrkdwn(truncate(view.author_handle, 60))})", *card_lines.author_facts(view, MARKUP)]

    facts = [f"sentiment *{mrkdwn(view.sentiment)}* ({view.sentiment_score:+.2f})"]
    if view.topic:
        facts.append(f"topic *{mrkdwn(view.topic)}*")
    if view.team:
        facts.append(f"team *{mrkdwn(view.team)}*")
    facts.append(f"state *{view.state.replace('_', ' ')}*")

    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": head}},
        _context(" · ".join(author)),
        {"type": "section", "text": {"type": "mrkdwn", "text": quote(view.text, MAX_SECTION)}},
        _context(" · ".join(facts)),
    ]
    if abuse := abuse_line(view, MARKUP):
        blocks.append(_context(abuse))
    if view.reasons:
        blocks.append(_context("*Why:* " + mrkdwn("; ".join(view.reasons))))
    if incident := incident_line(view):
        blocks.append(_context(incident))
    if past := customer_lines(view, MARKUP):
        blocks.append(_context(*past))
    if routed := routing_lines(view, MARKUP):
        blocks.append(_context(*routed))
    if drafting := drafting_line(view, MARKUP):
        blocks.append(_context(drafting))
    if sla := sla_line(view):
        blocks.append(_context(sla))
    status = [s for s in (status_line(view),) if s]
    kind = view.status[0] if view.status else None
    if view.assignee is not None and kind not in ("claimed", "reassigned"):
        status.append(f"Owner: {who(view.assignee)}")
    if view.reply_state == "pending" and kind != "reply_queued":
        status.append("✉️ Reply queued")
    elif view.reply_state == "sent" and kind != "reply_sent":
        status.append("✅ Reply sent ✓" + (f" {link(view.reply_url, 'see it')}" if view.reply_url else ""))
    elif view.reply_state == "failed" and kind != "reply_failed":
        status.append(f"⚠️ Reply could not be sent: {mrkdwn(truncate(view.reply_error or '', 300))}")
    if status:
        blocks.append(_context(*status))
    actions = buttons(view)
    if actions:
        blocks.append({"type": "actions", "block_id": f"case:{view.case_id}", "elements": actions})
    return blocks


def fallback_text(view: CardView) -> str:
    """The notification / screen-reader text of the card (also parsed as mrkdwn, so escaped too)."""
    tier = {"tier1": "P1", "tier2": "P2"}.get(view.tier, view.tier)
    return mrkdwn(f"{tier} case #{view.case_id} from @{view.author_handle}: {truncate(' '.join(view.text.split()), 120)}")


def handoff_message(handoff) -> str:
    """The thread message that comes with an escalated case: pings, reason, history."""
    people = " ".join(user_mention(p.id_on("slack"), p.name) for p in handoff.people) or "Team"
    lines = [f":rotating_light: {people}: escalated to *{mrkdwn(handoff.to_team)}* ({mrkdwn(handoff.level)}) "
             f"by {mrkdwn(handoff.by)}", f"> {mrkdwn(truncate(handoff.reason, 500))}", "*History so far*"]
    for item in handoff.history:
        detail = f": {mrkdwn(truncate(item.detail, 200))}" if item.detail else ""
        lines.append(f"• {item.at:%H:%M} {mrkdwn(item.type)} by {mrkdwn(item.actor)}{detail}")
    return "\n".join(lines)

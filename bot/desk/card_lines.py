"""The parts of a case card both chat platforms show the same way, written once.

Slack (mrkdwn) and Discord (Markdown) differ only in how text is escaped, how bold is written
and how a person is named, so each adapter passes a :class:`Markup` and gets its own lines.
Every piece of untrusted text goes through ``Markup.text``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.desk.case_view import CardView, Person, duration, followers
from bot.desk.drafts import drafting_words

PLATFORM_LABELS = {"x": "X", "instagram": "Instagram", "facebook": "Facebook", "discord": "Discord",
                   "webhook": "Webhook", "file": "File replay", "bluesky": "Bluesky", "mastodon": "Mastodon"}
CLOSED_STATES = ("resolved", "not_actionable")


@dataclass(frozen=True)
class Markup:
    text: Callable[[str, int], str]  # untrusted text, escaped and cut to at most that many characters
    bold: Callable[[str], str]  # already safe text, in bold
    person: Callable[[Person | str | None], str]  # a mention of someone we know, or their escaped name
    link: Callable[[str | None, str], str]  # a link to an http(s) URL with a label; "" (or the label) otherwise


def customer_lines(view: CardView, markup: Markup) -> list[str]:
    """Earlier cases (channel, outcome, sentiment, agent) and the customer's other open cases."""
    lines = []
    if view.history:
        items = [f"#{p.case_id} {PLATFORM_LABELS.get(p.platform) or markup.text(p.platform, 20)} "
                 f"{p.opened_at:%d %b}: {p.state.replace('_', ' ')}, {markup.text(p.sentiment, 20)}, "
                 f"{markup.text(p.agent or 'nobody', 60)}" for p in view.history]
        lines.append(markup.bold("Earlier:") + " " + "; ".join(items))
    if view.open_conversations:
        numbers = ", ".join(f"#{i}" for i in view.open_conversations[:5])
        lines.append(f"{markup.bold('Also open:')} {len(view.open_conversations)} other case(s) of this "
                     f"customer ({numbers})")
    return lines


def routing_lines(view: CardView, markup: Markup) -> list[str]:
    """Who routing chose and why: “Suggested: @ana — last agent for this customer”."""
    routing = view.routing
    if not routing:
        return []
    lines = []
    if routing.get("crisis"):
        lines.append(f"🚨 Crisis mode on topic {markup.bold(markup.text(view.topic or '?', 100))}: routed to "
                     f"{markup.bold(markup.text(routing.get('team') or '?', 100))}")
    notes = [s.get("detail", "") for s in routing.get("steps", []) if s.get("outcome") == "unavailable"]
    tail = f" ({markup.text('; '.join(notes), 500)})" if notes else ""
    reason = markup.text(routing.get("reason", ""), 500)
    if view.routed_to is None:
        lines.append(f"🧭 Nobody assigned — {reason}{tail}")
    elif routing.get("mode") == "auto":
        lines.append(f"🤖 Assigned to {markup.person(view.routed_to)} — {reason}{tail}")
    elif view.assignee is None and view.state not in CLOSED_STATES:
        lines.append(f"🧭 Suggested: {markup.person(view.routed_to)} — {reason}{tail}")
    if routing.get("holding_statement"):
        lines.append(f"💬 Suggested reply (holding statement): “{markup.text(routing['holding_statement'], 500)}”")
    return lines


def abuse_line(view: CardView, markup: Markup) -> str | None:
    """“⚠ Abusive: insults staff”: triage flagged the post (bot/triage/abuse.py); nothing is sent
    to this customer automatically, and routing may have sent it to a trust & safety team."""
    if not view.abusive:
        return None
    return f"⚠ {markup.bold('Abusive:')} {markup.text(view.abuse or 'abusive language', 200)}"


def incident_line(view: CardView) -> str | None:
    """The incident the case belongs to, or the posts grouped under it (ids only: nothing to escape)."""
    if view.parent_id is not None:
        return f"🧩 Part of incident #{view.parent_id}: a reply there reaches this customer too"
    if view.children:
        numbers = ", ".join(f"#{i}" for i in view.children[:8]) + ("…" if len(view.children) > 8 else "")
        return (f"🧩 Incident: {len(view.children)} more post(s) about this ({numbers}); "
                "a reply here goes to each customer in their own thread")
    return None


def author_facts(view: CardView, markup: Markup) -> list[str]:
    """Who wrote it: reach, verification, CRM tier, value and note, earlier contacts, posts."""
    facts = [followers(view.followers)]
    if view.verified:
        facts.append("✔️ verified")
    if view.crm_tier:
        facts.append(f"CRM {markup.text(view.crm_tier, 40)}")
    if view.crm_value is not None:
        facts.append(f"value {view.crm_value:,.0f}")
    if view.crm_note:
        facts.append(f"⚠️ {markup.text(view.crm_note, 150)}")
    facts.append(f"{view.earlier_contacts} earlier contact{'s' if view.earlier_contacts != 1 else ''}")
    if view.mentions > 1:
        facts.append(f"{view.mentions} posts in this case")
    return facts


def status_line(view: CardView, markup: Markup) -> str | None:
    """The newest thing that happened, in words: “Claimed by @ana 2 min after arrival”; the line
    said in the card's thread after each press (every platform)."""
    if view.status is None:
        return None
    kind, actor, payload = view.status
    by = markup.person(actor)
    if kind == "claimed":
        return f"✋ Claimed by {by} {duration(view.claimed_after_seconds)} after arrival"
    if kind == "released":
        return f"↩️ Released by {by}: back in the queue"
    if kind == "reassigned":
        return f"👉 Reassigned to {markup.person(view.assignee)} by {by}"
    if kind == "escalated":
        level = payload.get("level", "team")
        to = markup.text(payload.get("to_team", "?"), 100) + ("" if level == "team" else f" ({markup.text(level, 20)})")
        return f"⬆️ Escalated to {markup.bold(to)} by {by}: {markup.text(payload.get('reason', ''), 300)}"
    if kind == "reply_queued":
        return f"✉️ Reply queued by {by} ({markup.text(payload.get('visibility', 'public'), 20)})"
    if kind == "approval_requested":
        return f"⏳ Reply by {by} waits for approval"
    if kind == "reply_sent":
        private = " privately" if payload.get("visibility") == "private" else ""
        return f"✅ Reply sent{private} ✓ {markup.link(payload.get('url'), 'see it') if payload.get('url') else ''}".rstrip()
    if kind == "reply_failed":
        return f"⚠️ Reply could not be sent: {markup.text(payload.get('reason', ''), 300)}"
    if kind in ("like_queued", "repost_queued"):
        return f"{'❤️ Like' if kind == 'like_queued' else '🔁 Repost'} queued by {by}"
    if kind in ("liked", "reposted"):
        return "❤️ Liked on the platform" if kind == "liked" else "🔁 Reposted on the platform"
    if kind == "resolved":
        return f"🏁 Resolved by {by}"
    if kind == "not_actionable":
        return f"🚫 Marked not actionable by {by}"
    return None


def drafting_line(view: CardView, markup: Markup) -> str | None:
    """“✍️ Ana Ortiz is drafting a reply”: so nobody else starts one unknowingly."""
    words = drafting_words([markup.text(name, 100) for name in view.drafting])
    return f"✍️ {words}" if words else None


SLA_WORDS = {"claim": "claim", "first_reply": "first reply"}


def hours_minutes(seconds: float) -> str:
    """“1 h 20 m”, “45 m”, “2 d 3 h” (rounded down to the minute; never negative)."""
    minutes = max(0, int(seconds // 60))
    days, rest = divmod(minutes, 1440)
    if days:
        return f"{days} d {rest // 60} h"
    return f"{rest // 60} h {rest % 60} m" if rest >= 60 else f"{rest} m"


def sla_words(view: CardView) -> str | None:
    """“claim due in 1 h 20 m (business hours)”, or “first reply overdue by 5 m”."""
    due = view.sla_due
    if due is None:
        return None
    what = SLA_WORDS.get(due.sla, due.sla)
    clock = " (business hours)" if due.business_hours else ""
    if due.seconds_left < 0:
        return f"{what} overdue by {hours_minutes(-due.seconds_left)}"
    by = f", by {due.due_at:%a %H:%M} UTC" if due.due_at else ""  # the card is not re-rendered every minute
    return f"{what} due in {hours_minutes(due.seconds_left)}{clock}{by}"


def sla_line(view: CardView) -> str | None:
    words = sla_words(view)
    return f"⏱ {words[0].upper()}{words[1:]}" if words else None

"""Reply policy: what an agent may send back to a customer, and what needs approval first.

Kept apart from the actions so it can grow without touching the adapters. The lists are data:
``ReplyPolicy.from_map`` reads them from the escalation map's ``approval:`` section (see
``escalation/samples/escalation.example.yaml``); the constants below are the fallback when no
map is configured.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

#: Longest reply each platform accepts (characters).
PLATFORM_LIMITS: dict[str, int] = {
    "x": 280, "bluesky": 300, "mastodon": 500, "discord": 2000, "instagram": 2200, "facebook": 8000,
    "slack": 3000, "webhook": 5000, "file": 5000,
}
DEFAULT_LIMIT = 2000

#: Words an agent must never post publicly: asking for secrets in the open, promises legal would
#: not sign off. Matched case-insensitively as whole words or phrases.
DEFAULT_BLOCKED_KEYWORDS: tuple[str, ...] = (
    "password", "passcode", "pin number", "cvv", "card number", "security code",
    "lawsuit", "sue us", "guaranteed compensation",
)


def _pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    words = [w.strip() for w in words if w.strip()]
    if not words:
        return None
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class ReplyPolicy:
    blocked_keywords: tuple[str, ...] = DEFAULT_BLOCKED_KEYWORDS
    # Cases on these topics need PR approval before a reply leaves (approval flow: escalation issue).
    sensitive_topics: frozenset[str] = field(default_factory=frozenset)
    limits: dict[str, int] = field(default_factory=lambda: dict(PLATFORM_LIMITS))
    # Four eyes: the author of a draft never approves it, unless the map's approval section
    # says ``allow_self_approval: true`` (a team with a single PR person).
    allow_self_approval: bool = False

    def limit_for(self, platform: str) -> int:
        return self.limits.get(platform, DEFAULT_LIMIT)

    def problems(self, text: str, platform: str) -> list[str]:
        """Why ``text`` cannot be sent on ``platform`` (empty list: it can)."""
        text = text.strip()
        if not text:
            return ["the reply is empty"]
        out = []
        limit = self.limit_for(platform)
        if len(text) > limit:
            out.append(f"too long for {platform}: {len(text)} characters, {limit} at most")
        blocked = _pattern(self.blocked_keywords)
        if blocked:
            found = sorted({m.group(1).lower() for m in blocked.finditer(text)})
            if found:
                out.append("contains blocked wording: " + ", ".join(f"“{w}”" for w in found))
        return out

    def approval_reason(self, topic: str | None, text: str, escalation: dict | None = None, *,
                        crisis_topics: frozenset[str] = frozenset()) -> str | None:
        """A reason when the reply must wait for approval; None when it may go out.

        ``escalation`` is the case's snapshotted escalation (see escalation/chain.py): its
        category may require approval whatever the topic (legal threat, data breach, ...).
        ``crisis_topics`` are the topics in crisis mode right now (``mentiondesk mode crisis``):
        every reply on them waits for PR, whenever the case was opened."""
        if topic and topic in crisis_topics:
            return f"topic {topic!r} is in crisis mode"
        if topic and topic in self.sensitive_topics:
            return f"topic {topic!r} is sensitive"
        if escalation and escalation.get("requires_approval"):
            return f"category {escalation.get('category')!r} requires PR approval"
        return None

    @classmethod
    def from_map(cls, escalation_map) -> "ReplyPolicy":
        """The policy an escalation map defines (its ``approval:`` section); the built-in
        blocked words apply when the map lists none, so an empty section never unblocks them."""
        approval = escalation_map.approval
        return cls(blocked_keywords=tuple(approval.blocked_keywords) or DEFAULT_BLOCKED_KEYWORDS,
                   sensitive_topics=frozenset(approval.sensitive_topics),
                   allow_self_approval=approval.allow_self_approval)

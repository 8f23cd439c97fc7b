"""Spam and noise rules: cheap checks that keep junk out of the team's queue.

Each rule adds a weighted *signal*; a mention whose signals add up to the configured
threshold is spam. One strong signal (the same text posted again and again) is enough on
its own; weak ones (few followers, a link) only count together. Noise is different from
spam: the brand's own posts and plain retweets of the brand are real but need no answer.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from dataclasses import dataclass

from bot.config import SpamRules
from bot.feeds.mention import Mention
from bot.triage.text import HANDLE_RE, HASHTAG_RE, URL_RE, TermMatcher, normalized_for_repeat

BOT_HANDLE_RE = re.compile(r"^[a-z]+[_]?\d{5,}$", re.IGNORECASE)
SCAM_CONTACT = TermMatcher(["whatsapp", "telegram", "dm us your", "dm us for", "send us your card",
                            "text this number", "call this number", "contact our agent"])


@dataclass(frozen=True)
class Signal:
    rule: str
    weight: float
    detail: str


class RepeatCounter:
    """Counts normalized texts seen recently (bounded memory, least recently seen dropped)."""

    def __init__(self, capacity: int = 50_000):
        self.capacity = capacity
        self._counts: OrderedDict[bytes, int] = OrderedDict()

    def seen(self, text: str) -> int:
        """Record ``text`` and return how many times it has now been seen."""
        key = hashlib.blake2b(text.encode("utf-8"), digest_size=12).digest()
        count = self._counts.pop(key, 0) + 1
        self._counts[key] = count
        if len(self._counts) > self.capacity:
            self._counts.popitem(last=False)
        return count


class SpamFilter:
    def __init__(self, rules: SpamRules, own_handles: set[str]):
        self.rules = rules
        self._promo = TermMatcher(rules.promo_words)
        self._own = {h.lower() for h in own_handles}
        self._own_stems = {h.rstrip("0123456789_") for h in self._own if len(h) >= 5}
        self._repeats = RepeatCounter()

    def signals(self, mention: Mention) -> list[Signal]:
        rules, text = self.rules, mention.text
        out: list[Signal] = []
        promo = self._promo.find(text)
        if promo:
            out.append(Signal("promo_words", min(1.2, 0.6 * len(promo)), f"promo wording: {', '.join(promo[:3])}"))
        links = len(URL_RE.findall(text))
        if links >= rules.max_links:
            out.append(Signal("links", 0.5, f"{links} links"))
        hashtags = len(HASHTAG_RE.findall(text))
        if hashtags > rules.max_hashtags:
            out.append(Signal("hashtag_stuffing", 0.6, f"{hashtags} hashtags"))
        handles = len(HANDLE_RE.findall(text))
        if handles > rules.max_mentions:
            out.append(Signal("mass_tagging", 0.5, f"{handles} accounts tagged"))
        handle = mention.author_handle.lower()
        if mention.author_followers < rules.bot_followers_below and not mention.author_verified:
            out.append(Signal("few_followers", 0.3, f"{mention.author_followers} followers"))
        if BOT_HANDLE_RE.match(handle):
            out.append(Signal("bot_like_handle", 0.3, f"bot-like handle @{mention.author_handle}"))
        if handle not in self._own and any(stem in handle for stem in self._own_stems):
            weight = 0.7 if mention.author_followers < 10_000 and not mention.author_verified else 0.2
            out.append(Signal("impersonation", weight, f"@{mention.author_handle} looks like a brand account"))
            if SCAM_CONTACT.search(text) or links:
                out.append(Signal("scam_contact", 0.5, "asks customers to move to another contact"))
        normalized = normalized_for_repeat(text)
        if len(normalized) >= 20:
            count = self._repeats.seen(normalized)
            if count >= rules.repeat_threshold:
                out.append(Signal("repeated_text", 1.0, f"same text seen {count} times"))
        return out

    def is_spam(self, signals: list[Signal]) -> bool:
        return sum(s.weight for s in signals) >= self.rules.spam_threshold


def noise_reason(mention: Mention, own_handles: dict[str, str]) -> str | None:
    """Why a real post still needs no answer: the brand's own post or a plain retweet."""
    if mention.author_handle.lower() in own_handles:
        return "the brand's own post"
    text = mention.text.lstrip()
    if text.startswith("RT @"):
        return "retweet"
    referenced = mention.raw.get("referenced_tweets") if isinstance(mention.raw, dict) else None
    if isinstance(referenced, list) and any(isinstance(r, dict) and r.get("type") == "retweeted" for r in referenced):
        return "retweet"
    return None

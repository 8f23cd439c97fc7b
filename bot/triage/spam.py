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

from bot.core.config import SpamRules
from bot.core.mention import Mention
from bot.triage.text import HANDLE_RE, HASHTAG_RE, URL_RE, TermMatcher, normalized_for_repeat

BOT_HANDLE_RE = re.compile(r"^[a-z]+[_]?\d{5,}$", re.IGNORECASE)
# Bare shortener links ("bit.ly/x") carry no scheme but are links all the same.
SHORTENER_RE = re.compile(r"(?<![\w/.])(?:bit\.ly|t\.ly|tinyurl\.com|tiny\.cc|goo\.gl|ow\.ly|is\.gd|cutt\.ly|rb\.gy)/\S+",
                          re.IGNORECASE)
# Channel-wide pings pasted into a post: aimed at whoever relays it into a chat tool.
BROADCAST_RE = re.compile(r"(?<!\w)@(?:here|channel|everyone)\b|<!(?:here|channel|everyone)>", re.IGNORECASE)
CASHTAG_RE = re.compile(r"(?<![\w$])\$[A-Z]{2,6}\b")
PRICE_RE = re.compile(r"(?:[$€£]\s?\d+|\d+\s?(?:€|eur|usd)\b)", re.IGNORECASE)
# Moving the conversation somewhere the brand cannot see: a scam signal on its own, a strong one
# from a look-alike account.
SCAM_CONTACT = TermMatcher(["whatsapp", "telegram", "dm us", "send us your card", "message him", "message her",
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
    def __init__(self, rules: SpamRules, own_handles: set[str], brand_stems: set[str] = frozenset()):
        self.rules = rules
        self._promo = TermMatcher(rules.promo_words)
        self._own = {h.lower() for h in own_handles}
        self._own_stems = {h.rstrip("0123456789_") for h in self._own if len(h) >= 5}
        # The brand's name as a handle fragment ("skylark"): weaker, fans use it too.
        self._name_stems = {n for n in brand_stems if len(n) >= 5}
        self._repeats = RepeatCounter()

    def signals(self, mention: Mention, *, count_repeat: bool = True,
                static: list[Signal] | None = None) -> list[Signal]:
        """The spam signals of ``mention``. ``count_repeat=False`` leaves the repeat rule out and
        records nothing (a look-ahead that must not change what the real pass will count).
        ``static``: :meth:`static_signals` of this mention, computed already (by the look-ahead)."""
        out = list(self.static_signals(mention) if static is None else static)
        normalized = normalized_for_repeat(mention.text)
        if count_repeat and len(normalized) >= 20:
            count = self._repeats.seen(normalized)
            if count >= self.rules.repeat_threshold:
                out.append(Signal("repeated_text", 1.0, f"same text seen {count} times"))
        return out

    def static_signals(self, mention: Mention) -> list[Signal]:
        """Every signal but the repeat rule's: a pure function of the mention (and the rules)."""
        rules, text = self.rules, mention.text
        out: list[Signal] = []
        promo = self._promo.find(text)
        if promo:
            out.append(Signal("promo_words", min(1.2, 0.6 * len(promo)), f"promo wording: {', '.join(promo[:3])}"))
        links = len(URL_RE.findall(text)) + len(SHORTENER_RE.findall(text))
        if links >= rules.max_links:
            out.append(Signal("links", 0.5, f"{links} links"))
        if links and (promo or PRICE_RE.search(text)):
            out.append(Signal("promo_link", 0.4, "a link selling or promising something"))
        if cashtags := CASHTAG_RE.findall(text):
            out.append(Signal("cashtag", 0.6, f"crypto ticker {cashtags[0]}"))
        if BROADCAST_RE.search(text):
            out.append(Signal("broadcast_ping", 0.5, "pings a whole chat channel (@here/@channel/@everyone)"))
        hashtags = len(HASHTAG_RE.findall(text))
        if hashtags > rules.max_hashtags:
            out.append(Signal("hashtag_stuffing", 0.8, f"{hashtags} hashtags"))
        handles = len(HANDLE_RE.findall(text))
        if handles > rules.max_mentions:
            out.append(Signal("mass_tagging", 0.5, f"{handles} accounts tagged"))
        handle = mention.author_handle.lower()
        if mention.author_followers < rules.bot_followers_below and not mention.author_verified:
            out.append(Signal("few_followers", 0.3, f"{mention.author_followers} followers"))
        if BOT_HANDLE_RE.match(handle):
            out.append(Signal("bot_like_handle", 0.3, f"bot-like handle @{mention.author_handle}"))
        lookalike = handle not in self._own and any(stem in handle for stem in self._own_stems)
        name_like = handle not in self._own and any(stem in handle for stem in self._name_stems)
        if lookalike or name_like:
            small = mention.author_followers < 10_000 and not mention.author_verified
            weight = (0.7 if lookalike else 0.5) if small else 0.2
            out.append(Signal("impersonation", weight, f"@{mention.author_handle} looks like a brand account"))
            if links:
                out.append(Signal("impersonator_link", 0.5, "a look-alike account posting a link"))
        if contact := SCAM_CONTACT.search(text):
            weight = 0.9 if (lookalike or name_like) else 0.4
            out.append(Signal("scam_contact", weight, f"moves customers to another contact: {contact}"))
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

"""Brand relevance: does the mention name one of our brands, or only the industry?

It also masks the brands' own names for sentiment (:meth:`BrandMatcher.mask`): VADER reads
"@united" as +0.42 and "Best Buy" as +0.64, so the same complaint to two brands would get two
sentiments and two tiers. The classifier scores sentiment and intent words on the masked text;
relevance, topics and the card keep the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.core.config import Brand
from bot.triage.text import TermMatcher


@dataclass(frozen=True)
class Relevance:
    brand: str | None  # the brand named, if any
    matched: tuple[str, ...] = field(default=())  # the handles, hashtags or keywords found
    industry_terms: tuple[str, ...] = field(default=())
    # The text with every brand handle, hashtag, keyword and pattern replaced by
    # BRAND_PLACEHOLDER, for sentiment and intent words; None: the mention's own text.
    masked_text: str | None = None

    @property
    def relevant(self) -> bool:
        return self.brand is not None or bool(self.industry_terms)

    @property
    def direct(self) -> bool:
        return self.brand is not None


# Neutral for VADER and the model heads (VADER strips the "@" and does not know "brand").
BRAND_PLACEHOLDER = "@brand"


def _mask_pattern(brands: list[Brand]) -> re.Pattern[str] | None:
    """One regex for every brand's handles, hashtags, keywords and patterns (longest first, so
    "Skylark Airways" is masked whole, not as "Skylark"): the words that make a post name the
    brand. ``name`` alone is not masked: it is the display name, and for a brand called Hope,
    "I hope" in a post to @Hope is the customer's word, not the brand (list a name among the
    keywords to have it both name the brand and be masked)."""
    terms = sorted({t.rstrip("*") for b in brands for t in (*b.handles, *b.hashtags, *b.keywords)
                    if t.rstrip("*").strip()}, key=lambda t: -len(t))
    parts = [TermMatcher.pattern(t) for t in terms] + [p for b in brands for p in b.patterns]
    return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE) if parts else None


class BrandMatcher:
    def __init__(self, brands: list[Brand], industry_keywords: list[str]):
        self._brands = [(b.name, TermMatcher([*b.handles, *b.hashtags, *b.keywords]),
                         [re.compile(p) for p in b.patterns]) for b in brands]
        self._mask = _mask_pattern(brands)
        self._default_brand = brands[0].name
        self._industry = TermMatcher(industry_keywords)
        # The brands' own accounts (lower case, no "@") to recognise the brand's own posts.
        self.own_handles = {h.lstrip("@").lower(): b.name for b in brands for h in b.handles}

    def mask(self, text: str) -> str:
        """``text`` with every handle, hashtag, keyword and pattern of every configured brand
        replaced by BRAND_PLACEHOLDER, so that a brand called United, Hope or Best Buy does not
        move sentiment. The one place brand masking happens: the rules' VADER and intent words
        and the model's screen and heads all read its output (via ``Relevance.masked_text``)."""
        return self._mask.sub(BRAND_PLACEHOLDER, text) if self._mask is not None else text

    def match(self, text: str, addressed: str | None = None) -> Relevance:
        """Which brand ``text`` names. ``addressed`` says why a post is ours even when it names
        nothing (sent to the brand's inbox, a reply in a conversation the brand is in)."""
        for name, matcher, patterns in self._brands:
            found = matcher.find(text)
            found += [m.group(0) for p in patterns for m in [p.search(text)] if m]
            if found:
                return Relevance(brand=name, matched=tuple(found), masked_text=self.mask(text))
        if addressed:
            return Relevance(brand=self._default_brand, matched=(addressed,), masked_text=self.mask(text))
        industry = self._industry.find(text)
        return Relevance(brand=None, industry_terms=tuple(industry))

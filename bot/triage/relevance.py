"""Brand relevance: does the mention name one of our brands, or only the industry?"""

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

    @property
    def relevant(self) -> bool:
        return self.brand is not None or bool(self.industry_terms)

    @property
    def direct(self) -> bool:
        return self.brand is not None


class BrandMatcher:
    def __init__(self, brands: list[Brand], industry_keywords: list[str]):
        self._brands = [(b.name, TermMatcher([*b.handles, *b.hashtags, *b.keywords]),
                         [re.compile(p) for p in b.patterns]) for b in brands]
        self._default_brand = brands[0].name
        self._industry = TermMatcher(industry_keywords)
        # The brands' own accounts (lower case, no "@") to recognise the brand's own posts.
        self.own_handles = {h.lstrip("@").lower(): b.name for b in brands for h in b.handles}

    def match(self, text: str, addressed: str | None = None) -> Relevance:
        """Which brand ``text`` names. ``addressed`` says why a post is ours even when it names
        nothing (sent to the brand's inbox, a reply in a conversation the brand is in)."""
        for name, matcher, patterns in self._brands:
            found = matcher.find(text)
            found += [m.group(0) for p in patterns for m in [p.search(text)] if m]
            if found:
                return Relevance(brand=name, matched=tuple(found))
        if addressed:
            return Relevance(brand=self._default_brand, matched=(addressed,))
        industry = self._industry.find(text)
        return Relevance(brand=None, industry_terms=tuple(industry))

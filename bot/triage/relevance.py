"""Brand relevance: does the mention name one of our brands, or only the industry?"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.config import Brand
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
        self._brands = [(b.name, TermMatcher([*b.handles, *b.hashtags, *b.keywords])) for b in brands]
        self._industry = TermMatcher(industry_keywords)
        # The brands' own accounts (lower case, no "@") to recognise the brand's own posts.
        self.own_handles = {h.lstrip("@").lower(): b.name for b in brands for h in b.handles}

    def match(self, text: str) -> Relevance:
        for name, matcher in self._brands:
            found = matcher.find(text)
            if found:
                return Relevance(brand=name, matched=tuple(found))
        industry = self._industry.find(text)
        return Relevance(brand=None, industry_terms=tuple(industry))

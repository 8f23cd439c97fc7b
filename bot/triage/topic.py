"""Topic by keywords from the config (``triage.topics``): the topic decides the team."""

from __future__ import annotations

from bot.triage.text import TermMatcher

GENERAL = "general"


class TopicMatcher:
    def __init__(self, topics: dict[str, list[str]]):
        # Config order breaks ties, so put the most specific topics first in the file.
        self._topics = [(name, TermMatcher(words)) for name, words in topics.items()]

    def topic(self, text: str) -> tuple[str, list[str]]:
        best, best_terms = GENERAL, []
        for name, matcher in self._topics:
            found = matcher.find(text)
            if len(found) > len(best_terms):
                best, best_terms = name, found
        return best, best_terms

"""Small text helpers shared by the triage stages: term matching and content extraction."""

from __future__ import annotations

import re
from collections.abc import Iterable

URL_RE = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
HANDLE_RE = re.compile(r"(?<![\w@])@\w{1,50}")
HASHTAG_RE = re.compile(r"(?<![\w#])#\w+")
WORD_RE = re.compile(r"[^\W\d_]{2,}|\d+", re.UNICODE)
_LATIN = re.compile(r"[0-9A-Za-z\u00C0-\u024F]")


def _term_pattern(term: str) -> str:
    """A regex for one configured term.

    Whole words, case-insensitive. A trailing ``*`` matches any ending (``evacuat*``).
    Terms in scripts without spaces (Japanese) match anywhere.
    """
    prefix = term.endswith("*")
    term = term.rstrip("*")
    body = re.escape(term).replace(r"\ ", r"\s+")
    left = r"(?<!\w)" if _LATIN.match(term[0]) else ""
    right = r"(?!\w)" if _LATIN.match(term[-1]) and not prefix else ""
    if term[0] in "@#":
        left = r"(?<![\w@#])"
    return left + body + right


class TermMatcher:
    """Finds which of a list of terms occur in a text, in one regex pass."""

    def __init__(self, terms: Iterable[str]):
        self.terms = [t for t in dict.fromkeys(t.strip() for t in terms) if t.rstrip("*")]
        if self.terms:
            # Longest first so "need assistance" wins over "need".
            ordered = sorted(self.terms, key=lambda t: -len(t))
            self._regex: re.Pattern[str] | None = re.compile(
                "|".join(f"({_term_pattern(t)})" for t in ordered), re.IGNORECASE
            )
            self._group_terms = ordered
        else:
            self._regex = None
            self._group_terms = []

    def __bool__(self) -> bool:
        return bool(self.terms)

    def find(self, text: str) -> list[str]:
        if self._regex is None:
            return []
        found: list[str] = []
        for match in self._regex.finditer(text):
            term = self._group_terms[match.lastindex - 1]  # type: ignore[operator]
            if term not in found:
                found.append(term)
        return found

    def search(self, text: str) -> str | None:
        if self._regex is None:
            return None
        match = self._regex.search(text)
        return self._group_terms[match.lastindex - 1] if match else None  # type: ignore[operator]


def content_words(text: str) -> list[str]:
    """Words that carry content: no links, @handles, #hashtags, numbers-only or emoji."""
    stripped = HASHTAG_RE.sub(" ", HANDLE_RE.sub(" ", URL_RE.sub(" ", text)))
    return [w for w in WORD_RE.findall(stripped) if not w.isdigit()]


def normalized_for_repeat(text: str) -> str:
    """Text reduced for "same message again" detection: links and handles removed, lower case."""
    stripped = HANDLE_RE.sub(" ", URL_RE.sub(" ", text.lower()))
    return " ".join(stripped.split())

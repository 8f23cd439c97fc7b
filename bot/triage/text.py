"""Small text helpers shared by the triage stages: term matching and content extraction."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable

URL_RE = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
HANDLE_RE = re.compile(r"(?<![\w@])@\w{1,50}")
HASHTAG_RE = re.compile(r"(?<![\w#])#\w+")
WORD_RE = re.compile(r"[^\W\d_]{2,}|\d+", re.UNICODE)
_LATIN = re.compile(r"[0-9A-Za-z\u00C0-\u024F]")
# Scripts written without spaces between words (Japanese kana, CJK ideographs, Thai): a term
# there can only match anywhere ("遅延" in "遅延しました").
_UNSPACED = re.compile(r"[\u0E00-\u0E7F\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFF66-\uFF9F]")
_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F]")
# Arabic writes "and", "the", "with", "for" onto the word (والتأخير = and + the + delay) and
# object pronouns after it (حقيبتي = my bag): a whole-word match allows those clitics, nothing
# more, so "تأخير" finds "والتأخير" but a short term does not match inside a longer word.
_ARABIC_PROCLITICS = r"(?:[وف]?(?:[بلك]?ال|لل|[بلك])?)"
_ARABIC_ENCLITICS = r"(?:ي|ك|ه|ها|نا|كم|هم|ات|ة)?"


def _is_word_char(char: str) -> bool:
    return char.isalnum() and not _UNSPACED.match(char)


def _term_pattern(term: str) -> str:
    """A regex for one configured term.

    Whole words, case-insensitive, in any script written with spaces (Latin, Arabic, Cyrillic…;
    Arabic with its clitics, see above). A trailing ``*`` matches any ending (``evacuat*``).
    Terms in scripts without spaces (Japanese) and emoji match anywhere.
    """
    prefix = term.endswith("*")
    term = term.rstrip("*")
    body = re.escape(term).replace(r"\ ", r"\s+")
    left = r"(?<!\w)" if _is_word_char(term[0]) else ""
    right = r"(?!\w)" if _is_word_char(term[-1]) and not prefix else ""
    if _ARABIC.match(term[0]):
        left += _ARABIC_PROCLITICS
    if _ARABIC.match(term[-1]) and not prefix:
        right = _ARABIC_ENCLITICS + right
    if term[0] in "@#":
        left = r"(?<![\w@#])"
    return left + body + right


# Words as the term matcher sees them: letters/digits, with inner apostrophes ("can't").
_TOKEN_RE = re.compile(r"\w+(?:['’]\w+)*")


# About two ingest batches of posts, each as written and brand-masked: the look-ahead reads the
# next batch between this batch's look-ahead and its real pass (~2 KB per entry).
@functools.lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[list[str], list[int], str, list[int], frozenset[str], frozenset[str]]:
    """Lower-case tokens of ``text`` with their offsets, the tokens joined by single spaces
    (with each token's offset in that joined string), the set of tokens and the set of their
    first two letters. Cached: every matcher of the triage cascade looks at the same text."""
    words, starts = [], []
    for match in _TOKEN_RE.finditer(text.lower()):
        words.append(match.group(0))
        starts.append(match.start())
    joined_offsets, pos = [], 1
    for word in words:
        joined_offsets.append(pos)
        pos += len(word) + 1
    return (words, starts, " " + " ".join(words) + " ", joined_offsets, frozenset(words),
            frozenset(word[:2] for word in words))


class TermMatcher:
    """Finds which of a list of terms occur in a text.

    Plain word terms (the vast majority) are looked up in the text's tokens: a set lookup for
    single words, a substring test on the space-joined tokens for phrases, ``startswith`` for
    ``prefix*`` terms. Everything else (emoji, CJK, ``@handles``, ``% off``, ``carry-on``) goes
    through one regex alternation. Triage calls this about ten times per mention, so it must
    not scan the text once per term.
    """

    def __init__(self, terms: Iterable[str]):
        self.terms = [t for t in dict.fromkeys(t.strip() for t in terms) if t.rstrip("*")]
        self._single: dict[str, str] = {}
        # Prefix terms by their stem's first two letters, phrases by their first word: a text is
        # only tested against the few that could match it (the crisis lexicon alone holds
        # hundreds of phrases in eight languages).
        self._prefixes: dict[str, list[tuple[str, str]]] = {}
        self._phrases: dict[str, list[tuple[str, str]]] = {}
        regex_terms: list[str] = []
        for term in self.terms:
            prefix = term.endswith("*")
            body = term.rstrip("*").lower()
            words = _TOKEN_RE.findall(body)
            if words and " ".join(words) == " ".join(body.split()) and _LATIN.match(body[0]):
                if len(words) == 1 and not prefix:
                    self._single.setdefault(words[0], term)
                elif len(words) == 1:
                    self._prefixes.setdefault(words[0][:2], []).append((words[0], term))
                else:
                    needle = " " + " ".join(words) + ("" if prefix else " ")
                    self._phrases.setdefault(words[0], []).append((needle, term))
            else:
                regex_terms.append(term)
        self._short_prefixes = self._prefixes.pop("", []) + [p for k in list(self._prefixes) if len(k) < 2
                                                             for p in self._prefixes.pop(k)]
        # Terms the tokens cannot find go through regex alternations: those starting with an
        # ASCII character (``help!!``, ``@handles``) on every text; the others (Arabic, Japanese,
        # emoji: hundreds of terms) only on a text holding a character such a match can start
        # with, so that Latin-script posts do not pay for them.
        self._regexes: list[tuple[re.Pattern[str] | None, re.Pattern[str], list[str]]] = []
        for group in ([t for t in regex_terms if t[0].isascii()], [t for t in regex_terms if not t[0].isascii()]):
            if not group:
                continue
            ordered = sorted(group, key=lambda t: -len(t))  # longest first: "help!!" before "help"
            gate = None
            if not ordered[0][0].isascii():
                firsts = {t[0] for t in ordered} | (set("وفبلك") if any(_ARABIC.match(t[0]) for t in ordered) else set())
                gate = re.compile("[" + "".join(re.escape(c) for c in sorted(firsts)) + "]", re.IGNORECASE)
            self._regexes.append((gate, re.compile("|".join(f"({_term_pattern(t)})" for t in ordered), re.IGNORECASE),
                                  ordered))

    def __bool__(self) -> bool:
        return bool(self.terms)

    @staticmethod
    def pattern(term: str) -> str:
        """The regex one term matches with (for callers that substitute, e.g. brand masking)."""
        return _term_pattern(term)

    def _hits(self, text: str) -> list[tuple[int, str]]:
        """(offset, term) for every term found; offsets order them as they appear."""
        hits: list[tuple[int, str]] = []
        if self._single or self._prefixes or self._short_prefixes or self._phrases:
            words, starts, joined, joined_offsets, word_set, heads = _tokens(text)
            # Set intersections first (in C): most texts hold none of a matcher's terms.
            singles = word_set.intersection(self._single) if self._single else ()
            prefix_heads = heads.intersection(self._prefixes) if self._prefixes else ()
            if singles or prefix_heads or self._short_prefixes:
                for word, start in zip(words, starts):
                    if word in singles:
                        hits.append((start, self._single[word]))
                    if word[:2] in prefix_heads:
                        for stem, term in self._prefixes[word[:2]]:
                            if word.startswith(stem):
                                hits.append((start, term))
                    for stem, term in self._short_prefixes:
                        if word.startswith(stem):
                            hits.append((start, term))
            if self._phrases:
                for word in word_set.intersection(self._phrases):
                    for needle, term in self._phrases[word]:
                        at = joined.find(needle)
                        if at >= 0:
                            index = bisect.bisect_left(joined_offsets, at + 1)
                            hits.append((starts[index] if index < len(starts) else 0, term))
        for gate, regex, group_terms in self._regexes:
            if gate is None or gate.search(text):
                for match in regex.finditer(text):
                    hits.append((match.start(), group_terms[match.lastindex - 1]))  # type: ignore[operator]
        return hits

    def find(self, text: str) -> list[str]:
        found: list[str] = []
        for _, term in sorted(self._hits(text), key=lambda hit: hit[0]):
            if term not in found:
                found.append(term)
        return found

    def search(self, text: str) -> str | None:
        found = self.find(text)
        return found[0] if found else None


def mostly_non_latin(text: str) -> bool:
    """Whether most letters of ``text`` are not Latin (Arabic, Japanese…): VADER, which reads
    English, has nothing to say about such a post even when its language is not given."""
    letters = [c for c in text if c.isalpha()]
    latin = sum(1 for c in letters if _LATIN.match(c))
    return bool(letters) and latin * 2 < len(letters)


def content_words(text: str) -> list[str]:
    """Words that carry content: no links, @handles, #hashtags, numbers-only or emoji."""
    stripped = HASHTAG_RE.sub(" ", HANDLE_RE.sub(" ", URL_RE.sub(" ", text)))
    return [w for w in WORD_RE.findall(stripped) if not w.isdigit()]


def normalized_for_repeat(text: str) -> str:
    """Text reduced for "same message again" detection: links and handles removed, lower case."""
    stripped = HANDLE_RE.sub(" ", URL_RE.sub(" ", text.lower()))
    return " ".join(stripped.split())

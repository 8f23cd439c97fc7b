"""Sentiment with VADER, which was built for social media text (emoji, caps, "!!!", slang).

VADER only knows English. For other languages the intent lexicons (which include Spanish,
French, German, Portuguese, Italian, Arabic and Japanese complaint and praise words) nudge the
score, so "mi maleta no llegó, pésimo servicio" is not read as neutral. The text it reads has
the brand's own names masked (``BrandMatcher.mask``): VADER scores "@united" +0.42.
"""

from __future__ import annotations

from dataclasses import dataclass

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

POSITIVE_AT = 0.05
NEGATIVE_AT = -0.05


@dataclass(frozen=True)
class Sentiment:
    label: str  # positive | neutral | negative
    score: float  # -1 .. 1


def label_for(score: float) -> str:
    if score >= POSITIVE_AT:
        return "positive"
    if score <= NEGATIVE_AT:
        return "negative"
    return "neutral"


class VaderSentiment:
    def __init__(self) -> None:
        self._analyzer = SentimentIntensityAnalyzer()

    def score(self, text: str) -> float:
        return float(self._analyzer.polarity_scores(text)["compound"])


def from_probabilities(probs, classes: list[str]) -> Sentiment:
    """A sentiment head's probabilities as a Sentiment: its top label, and one number for scoring
    like VADER's compound, P(positive) - P(negative)."""
    score = float(probs[classes.index("positive")] - probs[classes.index("negative")])
    label = classes[int(probs.argmax())]
    return Sentiment(label if label in ("positive", "negative", "neutral") else label_for(score), round(score, 4))

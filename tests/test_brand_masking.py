"""Brand names never move a verdict: VADER reads "@united" as +0.42 and "Best Buy" as +0.64,
so the brand's own names are masked before sentiment (rules and model alike)."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import pytest

from bot.core.config import Brand
from bot.core.mention import parse_mention
from bot.triage.classifier import RulesClassifier
from bot.triage.pipeline import TriagePipeline
from bot.triage.relevance import BRAND_PLACEHOLDER, BrandMatcher
from bot.triage.scoring import CustomerContext

from tests.conftest import mention

NOW = datetime(2026, 11, 20, 10, 30, tzinfo=timezone.utc)
BRANDS = [
    Brand(name="United", handles=["@united"], keywords=["United Airlines"]),
    Brand(name="Delta", handles=["@Delta"], keywords=["Delta Air Lines"]),
    Brand(name="Spirit Airlines", handles=["@SpiritAirlines"], keywords=["Spirit Airlines", "Spirit"]),
    Brand(name="Virgin Atlantic", handles=["@VirginAtlantic"], keywords=["Virgin"]),
    Brand(name="Hope", handles=["@Hope"], hashtags=["#HopeAir"]),
    Brand(name="Best Buy", handles=["@BestBuy"], keywords=["Best Buy"]),
    Brand(name="Frontier", handles=["@FlyFrontier"], keywords=["Frontier"], patterns=[r"\bF9\d{2,4}\b"]),
]
ADDRESSES = ["@united", "@Delta", "@SpiritAirlines", "@VirginAtlantic", "@Hope", "@BestBuy", "@FlyFrontier",
             "United Airlines", "Spirit", "Virgin", "Best Buy", "Frontier"]


@pytest.fixture
def brands_config(config):
    return config.model_copy(update={"brands": BRANDS})


def triage(config, text, classifier=None):
    pipeline = TriagePipeline(config, classifier)
    return pipeline.triage(parse_mention(mention("1", text)), CustomerContext(), NOW)


@pytest.mark.parametrize("complaint", [
    "{b} my bag is lost",
    "{b} sat at the gate for four hours and nobody told us a thing",
    "{b} can you tell me where my refund is?",
    "{b} the crew were lovely today",
])
def test_the_same_post_to_any_brand_gets_the_same_sentiment_and_tier(brands_config, complaint):
    results = {b: triage(brands_config, complaint.format(b=b)) for b in ADDRESSES}
    verdicts = {b: (r.tier, r.intent, r.sentiment, r.score) for b, r in results.items()}
    assert len(set(verdicts.values())) == 1, verdicts
    assert all(r.brand is not None for r in results.values())


def test_vader_reads_a_brand_only_post_as_neutral(brands_config):
    matcher = BrandMatcher(BRANDS, [])
    rules = RulesClassifier(brands_config.triage)
    for post in ["@united", "@Hope", "Best Buy", "@united @Delta #HopeAir", "Spirit Airlines", "@BestBuy F9123"]:
        masked = matcher.mask(post)
        assert rules.vader_score(masked) == 0.0, (post, masked)
    assert rules.vader_score("@united") > 0.4  # what masking prevents


def test_masking_replaces_only_the_brands_names(brands_config):
    matcher = BrandMatcher(BRANDS, [])
    assert matcher.mask("@united lost my bag, United Airlines never again") == \
        f"{BRAND_PLACEHOLDER} lost my bag, {BRAND_PLACEHOLDER} never again"
    assert matcher.mask("I hope @Hope answers, best wishes") == f"I hope {BRAND_PLACEHOLDER} answers, best wishes"
    assert matcher.mask("F9123 to Denver, #HopeAir") == f"{BRAND_PLACEHOLDER} to Denver, {BRAND_PLACEHOLDER}"
    # Relevance and the card keep the original: the masked text only feeds sentiment and intent words.
    relevance = matcher.match("@united lost my bag")
    assert relevance.brand == "United" and relevance.matched == ("@united",)
    assert relevance.masked_text == f"{BRAND_PLACEHOLDER} lost my bag"


def test_praise_words_in_a_brand_name_are_not_praise(brands_config):
    # "Best" is a praise word; "Best Buy" is a name.
    result = triage(brands_config, "Best Buy my order never arrived and nobody answers")
    assert result.intent == "complaint" and result.brand == "Best Buy", result.reasons


class _Recorder:
    """A stand-in for the encoder and heads: records the texts the model is given."""

    def __init__(self):
        self.seen: list[str] = []

    def encode(self, texts):
        self.seen.extend(texts)
        return np.zeros((len(texts), 4))


class _Head:
    def __init__(self, classes, probs, threshold=0.5):
        self.classes, self._probs, self.threshold = classes, probs, threshold

    def probabilities(self, texts, vectors, views=None):
        return np.tile(np.array(self._probs, dtype=float), (len(texts), 1))


def test_the_model_heads_get_the_masked_text(brands_config):
    from bot.triage.model.classifier import ModelClassifier

    recorder = _Recorder()
    heads = {"sentiment": _Head(["negative", "neutral", "positive"], [0.1, 0.8, 0.1]),
             "complaint": _Head(["complaint", "other"], [0.2, 0.8])}
    cascade = ModelClassifier(brands_config.triage, heads, recorder)
    triage(brands_config, "@united sat at the gate for four hours and nobody told us a thing", cascade)
    assert recorder.seen == [f"{BRAND_PLACEHOLDER} sat at the gate for four hours and nobody told us a thing"]

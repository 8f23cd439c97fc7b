"""The priority order on a hand-ranked set of mentions (tests/data/priority_ranked.yaml).

Every post of a higher group must outrank every post of a lower group, whoever wrote it: a
celebrity's cold coffee never above smoke in the cabin. The classifier comes from the
``priority_classifier`` fixture: the same check runs on rules + VADER and on the cascade with
the shipped heads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from bot.core.mention import parse_mention
from bot.triage.classifier import RulesClassifier
from bot.triage.pipeline import TriagePipeline, TriageResult
from bot.triage.scoring import CustomerContext

from tests.conftest import mention

RANKED = Path(__file__).parent / "data" / "priority_ranked.yaml"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Ranked:
    group: int
    group_name: str
    text: str
    result: TriageResult


def load_groups() -> list[dict]:
    return yaml.safe_load(RANKED.read_text(encoding="utf-8"))["groups"]


def triage_ranked(pipeline: TriagePipeline) -> list[Ranked]:
    out = []
    for g, group in enumerate(load_groups()):
        for n, post in enumerate(group["posts"]):
            created = NOW - timedelta(minutes=post.get("waited", 30))
            extra = {"lang": post["lang"]} if "lang" in post else {}
            data = mention(f"r{g}-{n}", post["text"], handle=f"author{g}{n}", followers=post.get("followers", 150),
                           verified=post.get("verified", False), created_at=created.strftime("%Y-%m-%dT%H:%M:%SZ"), **extra)
            context = CustomerContext(crm_tier=post.get("crm_tier"), has_open_case=post.get("open_case", False))
            out.append(Ranked(g, group["name"], post["text"], pipeline.triage(parse_mention(data), context, NOW)))
    return out


def misordered(ranked: list[Ranked]) -> list[tuple[Ranked, Ranked]]:
    """(higher, lower) pairs where the post of the higher group does not score above the other."""
    return [(high, low) for high in ranked for low in ranked
            if high.group < low.group and not high.result.score > low.result.score]


def describe(item: Ranked) -> str:
    r = item.result
    return f"[{item.group_name}] {r.score:g} {r.tier}/{r.intent} {item.text!r} ({'; '.join(r.reasons[:3])})"


@pytest.fixture(params=["rules", "shipped model"])
def priority_classifier(request, config, monkeypatch, tmp_path_factory):
    """The classifier under test: rules + VADER, and the cascade with the shipped heads (what a
    fresh install ranks with)."""
    if request.param == "rules":
        return RulesClassifier(config.triage)
    from bot.triage.model.classifier import load_model_classifier
    from bot.triage.model.location import shipped_heads_dir

    monkeypatch.setenv("MENTIONDESK_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "onnx-cache"))
    classifier, why = load_model_classifier(config.triage, shipped_heads_dir(), config.triage.model.topic_map)
    assert classifier is not None, why
    return classifier


def test_the_ranked_set_is_large_and_multilingual():
    groups = load_groups()
    posts = [p for g in groups for p in g["posts"]]
    assert len(posts) >= 60 and len(groups) >= 5
    assert {"es", "fr", "de", "pt", "it", "ar", "ja"} <= {p.get("lang") for p in posts}
    # Influence is set against the order: the loudest author of the lowest group has far more
    # followers than the quietest of the highest.
    assert max(p.get("followers", 150) for p in groups[-1]["posts"]) >= 1_000_000
    assert min(p.get("followers", 150) for p in groups[0]["posts"]) <= 10


def test_every_post_of_a_higher_group_outranks_every_post_of_a_lower_group(config, priority_classifier):
    ranked = triage_ranked(TriagePipeline(config, priority_classifier))
    dropped = [describe(r) for r in ranked if not r.result.opens_case]
    assert not dropped, "posts that should open a case:\n" + "\n".join(dropped)
    pairs = misordered(ranked)
    assert not pairs, f"{len(pairs)} misordered pairs (higher group first):\n" + "\n".join(
        f"{describe(high)}\n    <= {describe(low)}" for high, low in pairs[:40])


def test_tier_one_for_every_group_above_praise(config, priority_classifier):
    ranked = triage_ranked(TriagePipeline(config, priority_classifier))
    last = max(r.group for r in ranked)
    wrong = [describe(r) for r in ranked if (r.result.tier == "tier1") != (r.group < last)]
    assert not wrong, "wrong tier:\n" + "\n".join(wrong)


def _score(scorer, intent, *, sentiment=0.0, followers=0, verified=False, context=CustomerContext(), waited=0):
    from bot.triage.classifier import INTENT_LABELS

    return scorer.score(intent=intent, intent_label=INTENT_LABELS[intent], sentiment_score=sentiment,
                        followers=followers, verified=verified, context=context,
                        created_at=NOW - timedelta(minutes=waited), now=NOW)


def test_no_combination_of_factors_lifts_a_post_over_a_higher_band(config):
    from bot.triage.scoring import PriorityScorer

    scorer = PriorityScorer(config.priority)
    loudest = dict(sentiment=-1.0, followers=50_000_000, verified=True, waited=600,
                   context=CustomerContext(has_open_case=True, crm_tier="platinum", crm_value=1e9))
    order = [i for band in config.priority.bands for i in band.intents]
    for higher, lower in zip(order, order[1:]):
        if any(higher in b.intents and lower in b.intents for b in config.priority.bands):
            continue  # same band: the factors decide
        quietest, _ = _score(scorer, higher, sentiment=1.0)
        loud, _ = _score(scorer, lower, **loudest)
        assert quietest > loud, (higher, quietest, lower, loud)


def test_the_band_is_an_explained_contribution_and_the_factors_still_count(config):
    from bot.triage.scoring import PriorityScorer

    scorer = PriorityScorer(config.priority)
    score, contributions = _score(scorer, "crisis", sentiment=-0.5, followers=10)
    band = contributions[0]
    assert (band.factor, band.detail, band.points) == ("band", "crisis band", 400)
    assert score == pytest.approx(sum(c.weight * c.value for c in contributions), abs=0.05)
    louder, _ = _score(scorer, "crisis", sentiment=-0.5, followers=100_000)
    assert 400 < score < louder < 500  # influence lifts a post within its band
    praise, parts = _score(scorer, "praise", followers=8_000_000, verified=True)
    assert praise < 100 and {c.factor: c.points for c in parts}["band"] == 0


def test_bands_can_be_turned_off_and_are_validated(config):
    from bot.core.config import Priority
    from bot.triage.scoring import PriorityScorer

    flat = PriorityScorer(Priority(bands=[]))
    score, contributions = _score(flat, "crisis")
    assert score == 40 and "band" not in {c.factor for c in contributions}  # the old weighted sum
    with pytest.raises(ValueError, match="in two priority bands"):
        Priority(bands=[{"name": "a", "intents": ["crisis"]}, {"name": "b", "intents": ["crisis", "urgent"]}])
    with pytest.raises(ValueError, match="unknown intent 'smoke'"):
        Priority(bands=[{"name": "a", "intents": ["smoke"]}])
    with pytest.raises(ValueError, match="band_points .* must be at least the sum of the weights"):
        Priority(band_points=50)
    # By default a band is worth the weights' sum, whatever they are.
    heavy = Priority(weights={"influence": 80})
    assert heavy.band_step() == 168


def test_config_check_shows_the_bands():
    from typer.testing import CliRunner

    from bot.app.cli.main import app
    from tests.conftest import SAMPLES

    result = CliRunner().invoke(app, ["config", "check", str(SAMPLES / "config.example.yaml")], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "crisis (crisis) > urgent (urgent) > complaint (complaint)" in result.output

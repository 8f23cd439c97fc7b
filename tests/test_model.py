"""The transformer stage: offline encoder with its weights checked, heads, metrics, the cascade."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from bot.core.settings import Settings
from bot.triage.model import datasets
from bot.triage.model.encoder import OFFICIAL_SHA256, Encoder, ModelUnavailable, package_model_dir, verify_weights
from bot.triage.model.heads import HeadsUnavailable, _read, load_heads, save_heads, sha256_file
from bot.triage.model.metrics import report
from bot.triage.model.train import EmbeddingCache, complaint_threshold, train_task
from bot.triage.select import build_classifier

COMPLAINTS = [
    "my flight was delayed five hours and nobody told us anything", "they lost my suitcase again",
    "worst customer service I have ever had", "sat on the tarmac for three hours without water",
    "the gate agent was incredibly rude to my mother", "cancelled my flight and offered no hotel",
    "charged me twice for the same seat", "my bag arrived broken and soaked",
    "on hold for two hours and then they hung up", "rebooked me onto a flight two days later",
    "the plane was filthy and the seat did not recline", "refund still missing after six weeks",
]
OTHER = [
    "thank you for the lovely flight to Lisbon", "the crew were wonderful with my kids",
    "great service at the check-in desk today", "landed early, smooth flight, great coffee",
    "boarding was quick and easy this morning", "loved the new seats on the morning flight",
    "flying to Toronto next week for a conference", "the sunset from seat 12A was beautiful",
    "best cabin crew ever, so kind", "the app made check-in really simple",
    "excited for my first trip to Portugal", "snacks on board were surprisingly good",
]


@pytest.fixture(scope="module")
def encoder():
    return Encoder()


def examples(task="complaint"):
    out = []
    for i, text in enumerate(COMPLAINTS):
        out.append(datasets.Example(text, "complaint" if task == "complaint" else "negative",
                                    "tune" if i % 4 == 0 else "train"))
    for i, text in enumerate(OTHER):
        out.append(datasets.Example(text, "other" if task == "complaint" else "positive",
                                    "tune" if i % 4 == 0 else "train"))
    return out


@pytest.fixture(scope="module")
def trained_heads(encoder, tmp_path_factory):
    embed = EmbeddingCache(encoder)
    heads = {task: train_task(task, examples(task if task == "complaint" else "sentiment"), embed, seed=1)
             for task in ("complaint", "sentiment")}
    directory = tmp_path_factory.mktemp("heads")
    save_heads(directory, heads, {"seed": 1})
    return directory


def test_packaged_weights_are_the_official_ones():
    verify_weights(package_model_dir())  # raises if the package ships other weights


def test_other_weights_are_refused(tmp_path):
    (tmp_path / "model.safetensors").write_bytes(b"not the model")
    with pytest.raises(ModelUnavailable, match="refusing to load"):
        verify_weights(tmp_path)
    with pytest.raises(ModelUnavailable, match="missing"):
        verify_weights(tmp_path / "nowhere")
    assert len(OFFICIAL_SHA256) == 64


def test_encoder_is_offline_and_semantic(encoder, monkeypatch):
    import os

    assert os.environ.get("HF_HUB_OFFLINE") == "1"
    a, b, c = encoder.encode(["my luggage is lost", "they lost my bag", "what a beautiful sunset"])
    assert a.shape == (384,)
    assert float(a @ b) > float(a @ c) + 0.2  # normalised: dot product is cosine similarity


MIXED_TEXTS = [
    "", " ", "ok", "@SkylarkAir WHERE is my bag?? 😡😡 #fail https://bit.ly/3xYz", "e\u0301te\u0301 à Paris, vol annulé",
    "¿Dónde está mi maleta? Vuelo SK123", "Koffer weg, Flug verspätet – Straße", "فقدت حقيبتي في المطار",
    "荷物が届きません。助けてください", "Ǆ ß İ ﬁ ½ \u200b zero\u00a0width", "🙃" * 80,
    " ".join(["the gate agent rebooked me onto a later flight and then cancelled that one too"] * 6),
]


def test_word_pieces_are_the_transformers_tokenizers_ids(encoder):
    """The encoders tokenize without transformers (its import costs seconds): same ids, [CLS] …
    [SEP], cut at the encoder's 64 tokens."""
    from transformers import AutoTokenizer

    reference = AutoTokenizer.from_pretrained(package_model_dir(), local_files_only=True)
    expected = reference(MIXED_TEXTS, truncation=True, max_length=64)["input_ids"]
    assert encoder.tokenizer.ids(MIXED_TEXTS) == expected
    assert max(len(ids) for ids in expected) == 64 and min(len(ids) for ids in expected) == 2


@given(st.lists(st.integers(min_value=2, max_value=64), max_size=300), st.integers(min_value=1, max_value=40))
def test_length_batches_hold_every_text_once_in_similar_lengths(lengths, max_rows):
    from bot.triage.model.batching import GROWTH, SLACK, length_batches

    batches = length_batches(lengths, max_rows)
    assert sorted(i for batch in batches for i in batch) == list(range(len(lengths)))
    for batch in batches:
        assert 1 <= len(batch) <= max_rows
        assert max(lengths[i] for i in batch) <= lengths[batch[0]] * GROWTH + SLACK


def test_an_embedding_does_not_depend_on_the_batch_it_was_encoded_in(encoder):
    import numpy as np

    alone = np.stack([encoder.encode([text])[0] for text in MIXED_TEXTS])
    together = encoder.encode(MIXED_TEXTS * 3)
    for copy in range(3):
        block = together[copy * len(MIXED_TEXTS):(copy + 1) * len(MIXED_TEXTS)]
        assert np.min(np.sum(alone * block, axis=1)) >= 0.9999


def test_metrics_by_hand():
    rep = report(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    a, b = rep.score("a"), rep.score("b")
    assert (a.precision, a.recall) == (1.0, 0.5)
    assert b.precision == pytest.approx(2 / 3) and b.recall == 1.0
    assert rep.accuracy == 0.75 and rep.confusion == [[1, 1], [0, 2]]
    assert rep.macro_f1 == pytest.approx((2 / 3 + 0.8) / 2)


def test_split_is_deterministic_and_keeps_duplicates_together():
    text = "@united my bag is lost http://t.co/abc"
    assert datasets.split_of(text, "airline") == datasets.split_of("@delta MY BAG   is lost http://t.co/xyz", "airline")
    shares = [datasets.split_of(f"tweet number {i}", "x") for i in range(2000)]
    assert 0.15 < shares.count("eval") / 2000 < 0.25


def test_complaint_threshold_reaches_the_recall():
    import numpy as np

    probs = np.array([0.9, 0.8, 0.7, 0.6, 0.2, 0.1])
    truth = np.array([True, True, True, True, False, False])
    threshold = complaint_threshold(probs, truth, recall=0.75)
    assert threshold == 0.7 and (probs[truth] >= threshold).mean() >= 0.75


def test_tampered_heads_are_refused(trained_heads, tmp_path):
    heads, manifest = load_heads(trained_heads)
    assert set(heads) == {"complaint", "sentiment"} and manifest["seed"] == 1
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(trained_heads, copy)
    with (copy / "complaint.pkl.xz").open("ab") as handle:
        handle.write(b"\0")
    with pytest.raises(HeadsUnavailable, match="SHA-256"):
        load_heads(copy)
    with pytest.raises(HeadsUnavailable, match="mentiondesk train"):
        load_heads(tmp_path / "empty")


def test_shared_vocabularies_are_stored_once_checked_and_heads_saved_inline_still_load(trained_heads, tmp_path):
    import json
    import shutil

    import joblib
    import numpy as np

    heads, manifest = load_heads(trained_heads)
    shared = sorted(p.name for p in trained_heads.glob("ngrams-*.pkl.xz"))
    # Both heads were fitted on the same texts: one word and one character vocabulary in all.
    assert shared == sorted(manifest["ngrams"]) and len(shared) == 2
    assert heads["complaint"].words is heads["sentiment"].words  # loaded once, shared in memory
    stored = _read(trained_heads / "complaint.pkl.xz")
    assert stored.model.coef_.dtype == np.float32 and not hasattr(stored.words, "vocabulary_")

    damaged = tmp_path / "damaged"
    shutil.copytree(trained_heads, damaged)
    with (damaged / shared[0]).open("ab") as handle:
        handle.write(b"\0")
    with pytest.raises(HeadsUnavailable, match=shared[0]):
        load_heads(damaged)

    # A folder written before vocabularies were shared, as joblib files: each head carries its own
    # vectorizers.
    inline = tmp_path / "inline"
    inline.mkdir()
    entries = {}
    for task, head in heads.items():
        joblib.dump(head, inline / f"{task}.joblib")
        entries[task] = {"file": f"{task}.joblib", "sha256": sha256_file(inline / f"{task}.joblib")}
    (inline / "manifest.json").write_text(json.dumps({"seed": 1, "heads": entries}), encoding="utf-8")
    again, _ = load_heads(inline)
    texts = ["my bag is lost", "lovely flight"]
    vectors = np.zeros((2, 384), dtype=np.float32)
    assert np.allclose(again["complaint"].probabilities(texts, vectors), heads["complaint"].probabilities(texts, vectors))


@pytest.fixture
def auto_config(config):
    config.triage.model.use = "auto"
    return config


def test_rules_only_when_configured(config, trained_heads):
    config.triage.model.use = "rules"
    classifier, note = build_classifier(config, Settings(model_dir=str(trained_heads)))
    assert classifier.name == "rules+vader" and "'rules'" in note


def test_the_model_is_the_default():
    from bot.core.config import ModelSettings

    assert ModelSettings().use == "auto"


def test_classifier_choice_is_explained(auto_config, trained_heads, tmp_path):
    config = auto_config
    rules, note = build_classifier(config, Settings(model_dir=str(tmp_path / "none")))
    assert rules.name == "rules+vader" and "model not used" in note and "mentiondesk train" in note
    cascade, note = build_classifier(config, Settings(model_dir=str(trained_heads)))
    assert cascade.name.startswith("cascade") and str(trained_heads) in note
    forced = config.model_copy(update={"triage": config.triage.model_copy(
        update={"model": config.triage.model.model_copy(update={"use": "rules"})})})
    assert build_classifier(forced, Settings(model_dir=str(trained_heads)))[0].name == "rules+vader"


def test_cascade_finds_a_complaint_the_rules_miss(auto_config, trained_heads):
    config = auto_config
    from datetime import datetime, timezone

    from bot.core.mention import parse_mention
    from bot.triage.pipeline import TriagePipeline
    from bot.triage.scoring import CustomerContext

    from tests.conftest import mention

    cascade, _ = build_classifier(config, Settings(model_dir=str(trained_heads)))
    text = "@SkylarkAir sat at the gate for four hours and nobody from your staff told us a thing"
    now = datetime(2026, 11, 20, 10, 30, tzinfo=timezone.utc)
    with_model = TriagePipeline(config, cascade).triage(parse_mention(mention("1", text)), CustomerContext(), now)
    assert with_model.intent == "complaint"
    assert any(r.startswith("model: complaint") for r in with_model.reasons), with_model.reasons
    # Crisis words stay with the rules: the model is not even asked.
    crisis = TriagePipeline(config, cascade).triage(
        parse_mention(mention("2", "@SkylarkAir smoke in the cabin on SK212, we are being evacuated")),
        CustomerContext(), now)
    assert crisis.intent == "crisis"


SPAM = [
    "Top deals on shoes today only, shop now at shoplux.biz", "Earn 500 dollars a day from home, details at cash4u.biz",
    "Cheap followers and likes, instant delivery, visit growfast.biz", "Lose 10kg in a week with this one pill, order now",
    "Hot singles in your area tonight, sign up free", "Crypto signals that never lose, join our channel now",
    "Buy cheap watches replica best price worldwide shipping", "Free gift cards for everyone who clicks this link",
    "Best loan rates approved in minutes no credit check", "Watch new movies free online full HD streaming",
    "Work from home and get paid weekly, start now", "Miracle cream removes wrinkles overnight, buy today",
]


def spam_examples():
    quality = OTHER + COMPLAINTS
    return ([datasets.Example(t, "spam", "tune" if i % 4 == 0 else "train") for i, t in enumerate(SPAM)]
            + [datasets.Example(t, "quality", "tune" if i % 4 == 0 else "train") for i, t in enumerate(quality)])


def test_spam_head_drops_what_the_rules_let_through_but_never_a_complaint(auto_config, encoder, tmp_path):
    from datetime import datetime, timezone

    from bot.core.mention import parse_mention
    from bot.triage.pipeline import TriagePipeline
    from bot.triage.scoring import CustomerContext

    from tests.conftest import mention

    embed = EmbeddingCache(encoder)
    heads = {task: train_task(task, examples(task if task == "complaint" else "sentiment"), embed, seed=1)
             for task in ("complaint", "sentiment")}
    heads["spam"] = train_task("spam", spam_examples(), embed, seed=1)
    save_heads(tmp_path, heads, {"seed": 1})
    config = auto_config
    config.triage.model.spam_drop_probability = 0.6
    cascade, _ = build_classifier(config, Settings(model_dir=str(tmp_path)))
    now = datetime(2026, 11, 20, 10, 30, tzinfo=timezone.utc)

    def triage(classifier, text, n):
        return TriagePipeline(config, classifier).triage(parse_mention(mention(n, text)), CustomerContext(), now)

    promo = "@SkylarkAir Earn 500 dollars a day from home, order now and get paid weekly"
    rules_only = triage(None, promo, "1")
    assert rules_only.tier != "spam", "the rules alone should let this one through"
    dropped = triage(cascade, promo, "2")
    assert dropped.tier == "spam" and dropped.reasons[0].startswith("spam model (p="), dropped.reasons
    # A complaint is never dropped as spam, however promotional it sounds.
    complaint = triage(cascade, "@SkylarkAir you lost my suitcase again and nobody answers, earn your money", "3")
    assert complaint.tier == "tier1" and complaint.intent == "complaint", complaint.reasons
    # 1.0 turns the head's drop off.
    config.triage.model.spam_drop_probability = 1.0
    kept, _ = build_classifier(config, Settings(model_dir=str(tmp_path)))
    assert triage(kept, promo, "4").tier != "spam"


def test_screen_floors_are_chosen_as_documented():
    import numpy as np

    from bot.triage.model.screen import miss_floor, sentiment_confidence

    complaints = np.array([0.9, 0.05, 0.6, 0.3, 0.8, 0.7, 0.95, 0.4, 0.65, 0.85])
    # At most 10% of these complaints may fall under the floor: only the 0.05 one does.
    assert miss_floor(complaints, 0.10) == 0.3 and miss_floor(complaints, 0.0) == 0.05
    assert miss_floor(np.array([]), 0.1) == 0.0
    # The screen is right on its sure posts (0.95) and wrong on its unsure ones (0.6); the full head
    # is right on 90% of the sure ones. The lowest confidence that leaves the unsure ones out: 0.61.
    sure = [[0.95, 0.05]] * 30
    unsure = [[0.6, 0.4]] * 30
    probs = np.array(sure + unsure)
    truth = ["negative"] * 30 + ["positive"] * 30
    full = ["negative"] * 27 + ["positive"] * 3 + ["positive"] * 30
    eligible = np.ones(60, dtype=bool)
    assert sentiment_confidence(probs, ["negative", "positive"], full, truth, eligible) == 0.61
    # Posts the complaint or spam floor keeps back are not the screen's to settle.
    assert sentiment_confidence(probs, ["negative", "positive"], full, truth, np.zeros(60, dtype=bool)) > 1


def test_screen_settles_clear_posts_and_the_encoder_sees_the_rest(auto_config, encoder):
    from bot.triage.classifier import TIER_OF_INTENT
    from bot.triage.model.classifier import ModelClassifier
    from bot.triage.model.heads import fit_head
    from bot.triage.model.screen import Screen
    from bot.triage.relevance import Relevance

    from tests.conftest import mention
    from bot.core.mention import parse_mention

    embed = EmbeddingCache(encoder)
    heads = {task: train_task(task, examples(task if task == "complaint" else "sentiment"), embed, seed=1)
             for task in ("complaint", "sentiment")}
    heads["spam"] = train_task("spam", spam_examples(), embed, seed=1)
    screen_data = {"complaint": examples("complaint"), "sentiment": examples("sentiment"), "spam": spam_examples()}
    screen_heads = {task: fit_head(task, [e.text for e in ex], None, [e.label for e in ex], c=4.0, seed=1,
                                   embedding_weight=0) for task, ex in screen_data.items()}
    screen = Screen(screen_heads, complaint_below=0.4, sentiment_confidence=0.6, spam_below=0.5)
    encoded: list[str] = []

    class Counting:
        def encode(self, texts):
            encoded.extend(texts)
            return encoder.encode(texts)

    cascade = ModelClassifier(auto_config.triage, heads, Counting(), screen=screen)
    praise = "@SkylarkAir the crew were wonderful with my kids, great service at the check-in desk"
    complaint = "@SkylarkAir sat on the tarmac for four hours and nobody told us a thing"
    relevance = Relevance(brand="SkylarkAir", matched=("@SkylarkAir",))
    found = cascade.classify_many([(parse_mention(mention("1", praise)), relevance),
                                   (parse_mention(mention("2", complaint)), relevance)])
    assert encoded == [complaint], "the clear praise is settled by the screen, the complaint is encoded"
    assert found[0].intent == "praise" and found[0].sentiment.label == "positive"
    assert found[1].intent == "complaint" and TIER_OF_INTENT[found[1].intent] == "tier1"
    # A screen that is never sure settles nothing: everything the rules pass on is encoded.
    encoded.clear()
    strict = ModelClassifier(auto_config.triage, heads, Counting(),
                             screen=Screen(screen_heads, complaint_below=0.0, sentiment_confidence=0.6, spam_below=0.5))
    strict.classify_many([(parse_mention(mention("3", praise)), relevance)])
    assert encoded == [praise]


def test_onnx_export_gives_torchs_embeddings_and_is_checked(encoder, tmp_path):
    import numpy as np

    from bot.triage.model.classifier import encoder_for
    from bot.triage.model.onnx_encoder import OnnxEncoder, export_onnx

    entry = export_onnx(encoder, tmp_path)
    assert entry["file"] == "encoder.onnx" and entry["min_cosine_to_torch"] >= 0.9999
    on_onnx = encoder_for(tmp_path, {"onnx": entry})
    assert isinstance(on_onnx, OnnxEncoder)
    texts = ["@SkylarkAir where is my bag?", "thanks for the upgrade, lovely crew",
             "the flight was cancelled twice and the hotel voucher did not work " * 3]
    assert np.min(np.sum(on_onnx.encode(texts) * encoder.encode(texts), axis=1)) >= 0.9999
    assert on_onnx.encode([]).shape == (0, 384)
    # Its threads do not busy-wait between operators (they would take storage's cores).
    assert on_onnx.session.get_session_options().get_session_config_entry("session.intra_op.allow_spinning") == "0"
    # Asked for torch, or an export whose bytes changed: never that file.
    assert not isinstance(encoder_for(tmp_path, {"onnx": entry}, backend="torch"), OnnxEncoder)
    with (tmp_path / "encoder.onnx").open("ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(ModelUnavailable, match="refusing to load it"):
        encoder_for(tmp_path, {"onnx": entry})


def test_topic_head_names_a_topic_only_where_it_is_sure_enough():
    import numpy as np

    from bot.triage.model.train import confidence_floor

    classes = ["bags", "delays"]
    # 40 sure posts (0.9), right 38 times; 40 unsure ones (0.55), right half the time.
    probs = np.array([[0.9, 0.1]] * 40 + [[0.55, 0.45]] * 40)
    truth = ["bags"] * 38 + ["delays"] * 2 + ["bags"] * 20 + ["delays"] * 20
    floor, coverage, accuracy = confidence_floor(probs, classes, truth, accuracy=0.8)
    assert (floor, coverage, accuracy) == (0.56, 0.5, 0.95)
    assert confidence_floor(probs, classes, truth, accuracy=0.99)[0] > 1  # never that sure: always abstain


def test_topic_routing_abstains_below_the_floor(encoder):
    from bot.triage.model.heads import fit_head

    texts = [t for t in COMPLAINTS if "bag" in t or "suitcase" in t or "delayed" in t or "hours" in t]
    labels = ["bags" if "bag" in t or "suitcase" in t else "delays" for t in texts]
    head = fit_head("topic", texts, encoder.encode(texts), labels, c=4.0, seed=1)
    probe = ["they lost my suitcase again", "the weather is nice"]
    vectors = encoder.encode(probe)
    assert head.sure(probe, vectors) == head.predict(probe, vectors)  # no floor: always names one
    head.min_confidence = 1.01
    assert head.sure(probe, vectors) == [None, None]


def test_topic_eval_reports_routing_coverage_and_accuracy(config, encoder):
    from bot.triage.model.evaluate import evaluate
    from bot.triage.model.heads import fit_head

    train = [("they lost my suitcase again", "Lost Luggage"), ("my bag never arrived", "Lost Luggage"),
             ("where is my luggage, three days now", "Lost Luggage"), ("the flight was delayed four hours", "Late Flight"),
             ("late again, sat at the gate all night", "Late Flight"), ("delayed and nobody told us why", "Late Flight")]
    texts, labels = [t for t, _ in train], [label for _, label in train]
    head = fit_head("topic", texts, encoder.encode(texts), labels, c=4.0, seed=1)
    head.min_confidence = 0.0  # sure of everything: the cascade routes whatever the keywords miss
    held_out = [datasets.Example("my suitcase is lost", "Lost Luggage", "eval"),  # keywords find this one
                datasets.Example("four hours on the tarmac and still not moving", "Late Flight", "eval")]
    result = evaluate("topic", held_out, config, {"topic": head}, encoder)
    assert result.routing["rules"] == {"coverage": 0.5, "accuracy": 1.0}
    assert result.routing["cascade"]["coverage"] == 1.0 and result.routing["model, sure only"]["coverage"] == 1.0
    head.min_confidence = 1.01  # never sure: only the keywords route
    cautious = evaluate("topic", held_out, config, {"topic": head}, encoder)
    assert cautious.routing["cascade"] == {"coverage": 0.5, "accuracy": 1.0}
    assert cautious.routing["model, sure only"]["coverage"] == 0.0
    assert cautious.routing["model"]["coverage"] == 1.0  # the plain head always names a topic


def test_complaint_probability_blends_the_sentiment_head_as_chosen_on_tune(encoder):
    import numpy as np

    from bot.triage.model.heads import complaint_probabilities
    from bot.triage.model.train import BLEND_GRID, choose_blend

    embed = EmbeddingCache(encoder)
    heads = {"complaint": train_task("complaint", examples("complaint"), embed, seed=1),
             "sentiment": train_task("sentiment", examples("sentiment"), embed, seed=1)}
    texts = ["they lost my suitcase again", "thank you for the lovely flight"]
    vectors = encoder.encode(texts)
    own = heads["complaint"].probabilities(texts, vectors)[:, heads["complaint"].classes.index("complaint")]
    assert np.allclose(complaint_probabilities(heads, texts, vectors), own)  # no blend chosen yet: as is
    choose_blend(heads, examples("complaint"), embed)
    head = heads["complaint"]
    assert head.blend in BLEND_GRID and head.metrics["blend"]["weight"] == head.blend
    negative = heads["sentiment"].probabilities(texts, vectors)[:, heads["sentiment"].classes.index("negative")]
    assert np.allclose(complaint_probabilities(heads, texts, vectors), head.blend * own + (1 - head.blend) * negative)
    # The threshold keeps its promise on tune: at least 95% of the tuning complaints are found.
    tune = [e for e in examples("complaint") if e.split == "tune"]
    found = complaint_probabilities(heads, [e.text for e in tune], encoder.encode([e.text for e in tune]))
    caught = [p >= head.threshold for p, e in zip(found, tune) if e.label == "complaint"]
    assert sum(caught) / len(caught) >= 0.95


def test_a_question_is_a_complaint_from_the_probability_where_the_head_is_as_precise_on_questions():
    import numpy as np

    from bot.triage.model.train import confident_floor

    # 40 flagged statements, all complaints; 40 flagged questions: 20 at p=0.35 that are not
    # complaints, 20 at p=0.75 that are. Overall precision 0.75; on questions from p=0.40: 1.0.
    texts = ["they lost my bag again and nobody answers"] * 40 + ["can you help me with my booking?"] * 40
    probs = np.array([0.9] * 40 + [0.35] * 20 + [0.75] * 20)
    truth = np.array([True] * 40 + [False] * 20 + [True] * 20)
    assert confident_floor(probs, truth, 0.3, texts) == 0.4
    # Questions never as precise as the rest: the built-in floor stays.
    truth_bad = np.array([True] * 40 + [False] * 40)
    from bot.triage.classifier import CONFIDENT_COMPLAINT
    assert confident_floor(probs, truth_bad, 0.3, texts) == CONFIDENT_COMPLAINT


def test_the_rules_use_the_heads_confidence_floor_for_questions(config):
    from bot.core.mention import parse_mention
    from bot.triage.classifier import ModelHints, RulesClassifier
    from bot.triage.relevance import Relevance
    from bot.triage.sentiment import Sentiment

    from tests.conftest import mention

    rules = RulesClassifier(config.triage)
    post = parse_mention(mention("1", "@SkylarkAir why does nobody at the desk know where our flight is going?"))
    relevance = Relevance(brand="SkylarkAir", matched=("@SkylarkAir",))

    def hints(confident_at, probability=0.6):
        return ModelHints(Sentiment("negative", -0.5), complaint_probability=probability, is_complaint=True,
                          confident_at=confident_at)

    assert rules.classify(post, relevance, hints(None)).intent == "question"  # below the built-in 0.85
    # A trained floor may ask for more than the built-in 0.85, never for less (heads tuned on
    # templated posts are overconfident on real ones).
    assert rules.classify(post, relevance, hints(0.55)).intent == "question"
    assert rules.classify(post, relevance, hints(0.55, probability=0.9)).intent == "complaint"
    assert rules.classify(post, relevance, hints(0.95, probability=0.9)).intent == "question"


def test_brand_addressed_spam_worded_like_a_complaint_is_dropped_unless_the_complaint_head_is_sure(config):
    from bot.core.mention import parse_mention
    from bot.triage.classifier import SURE_SPAM, ModelHints, RulesClassifier
    from bot.triage.relevance import Relevance
    from bot.triage.sentiment import Sentiment

    from tests.conftest import mention

    rules = RulesClassifier(config.triage)
    relevance = Relevance(brand="SkylarkAir", matched=("@SkylarkAir",))
    # A fake support account's reply: "sorry", "delay" and "refund" are complaint words.
    phishing = parse_mention(mention("1", "@SkylarkAir so sorry about the delay! for a fast refund DM your card "
                                          "number and expiry to our claims desk"))
    plain = parse_mention(mention("2", "@SkylarkAir win 2 free flights, follow and retweet, winners tonight"))

    def hints(p_spam, p_complaint, tone=0.0):
        return ModelHints(Sentiment("neutral" if tone > -0.05 else "negative", tone), complaint_probability=p_complaint,
                          is_complaint=p_complaint >= 0.3, spam_probability=p_spam, drops_as_spam=p_spam >= 0.7)

    assert rules.read(phishing.text, phishing.text).complaint, "the example must carry complaint words"
    # Sure spam outweighs complaint words; the complaint head's own yes below its confident bar does not keep it.
    assert rules.classify(phishing, relevance, hints(SURE_SPAM, 0.6)).intent == "spam"
    # Less sure: the complaint words keep the post for a person to see.
    assert rules.classify(phishing, relevance, hints(0.8, 0.6)).intent == "complaint"
    # Without complaint words the drop probability is enough, even with the complaint head's yes.
    assert rules.classify(plain, relevance, hints(0.75, 0.5)).intent == "spam"
    # A confident complaint head is never overruled, however sure the spam head is.
    assert rules.classify(phishing, relevance, hints(0.99, 0.9)).intent == "complaint"
    assert rules.classify(plain, relevance, hints(0.99, 0.9)).intent == "complaint"
    # Below the drop probability nothing is dropped.
    assert rules.classify(plain, relevance, hints(0.6, 0.1)).intent != "spam"
    # A clearly negative tone keeps a post the spam head is not sure of ("Staff your damn counters!"
    # with a link), but not one it is sure of.
    assert rules.classify(plain, relevance, hints(0.8, 0.5, tone=-0.6)).intent != "spam"
    assert rules.classify(plain, relevance, hints(0.8, 0.5, tone=-0.4)).intent == "spam"
    assert rules.classify(plain, relevance, hints(SURE_SPAM, 0.5, tone=-0.9)).intent == "spam"


def test_eval_command_compares_configurations(trained_heads, tmp_path):
    from bot.app.cli.main import app

    labeled = tmp_path / "labeled.jsonl"
    rows = [{"text": "@SkylarkAir they lost my bag and nobody answers", "label": "complaint"},
            {"text": "@SkylarkAir thanks for a lovely flight", "label": "other"},
            {"text": "@SkylarkAir flight cancelled with no hotel offered, awful", "label": "complaint"}]
    labeled.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", str(labeled), "--task", "complaint", "--heads", str(trained_heads),
                                      "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out) == {"rules", "model", "cascade", "cascade_encoded_share", "routing"}
    assert out["routing"] is None  # topic routing figures are for --task topic
    assert 0 < out["cascade_encoded_share"] <= 1  # no screen in these heads: what the rules pass on is encoded
    assert out["model"]["n"] == 3 and set(out["model"]["per_class"]) == {"complaint", "other"}
    # actionable: the same kind of labels, read as triage acts on them (a question gets a card too).
    rows.append({"text": "@SkylarkAir how do I add a checked bag to my booking?", "label": "actionable"})
    labeled.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    acted = CliRunner().invoke(app, ["eval", str(labeled), "--task", "actionable", "--heads", str(trained_heads),
                                     "--json"])
    assert acted.exit_code == 0, acted.output
    actionable = json.loads(acted.stdout)
    assert set(actionable["rules"]["per_class"]) == {"actionable", "other"}
    # The rules file the question as tier 1: found as actionable (as a complaint it would be missed).
    assert actionable["rules"]["per_class"]["actionable"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 3}
    unknown = CliRunner().invoke(app, ["eval", str(labeled), "--task", "mood", "--heads", str(trained_heads)])
    assert unknown.exit_code == 2 and "unknown task 'mood'" in unknown.output and "actionable" in unknown.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "no label"}\n', encoding="utf-8")
    failed = CliRunner().invoke(app, ["eval", str(bad), "--task", "complaint", "--heads", str(trained_heads)])
    assert failed.exit_code == 2 and "bad.jsonl:1" in failed.output


def test_fine_tuning_items_carry_every_task_a_post_is_labeled_for():
    from bot.triage.model.finetune import IGNORE, training_items

    both = "they lost my bag on the delayed flight"
    found = {
        "sentiment": [datasets.Example(both, "negative", "train"), datasets.Example("lovely crew", "positive", "train"),
                      datasets.Example("held back", "neutral", "eval")],
        "topic": [datasets.Example(both, "Lost Luggage", "train"), datasets.Example("late again", "Late Flight", "train")],
        "single": [datasets.Example("only one label here", "x", "train")],
    }
    items, labels = training_items(found)
    assert labels == {"sentiment": ["negative", "positive"], "topic": ["Late Flight", "Lost Luggage"]}
    rows = dict(items)
    assert rows[both] == [0, 1]  # negative, Lost Luggage: one post, both losses
    assert rows["lovely crew"] == [1, IGNORE] and rows["late again"] == [IGNORE, 0]
    assert "held back" not in rows and "only one label here" not in rows  # eval split, one-label task


def test_fine_tuned_encoder_is_recorded_and_checked(config, tmp_path):
    from bot.triage.model.classifier import load_model_classifier
    from bot.triage.model.train import train_all

    topics = [datasets.Example(t, "bags" if "bag" in t or "suitcase" in t else "delays", "train")
              for t in COMPLAINTS] + [datasets.Example(COMPLAINTS[1], "bags", "tune"),
                                      datasets.Example(COMPLAINTS[0], "delays", "tune")]
    extra = {"sentiment": examples("sentiment"), "complaint": examples("complaint"), "topic": topics}
    info = train_all(None, tmp_path, tasks=("sentiment", "complaint", "topic"), extra=extra, fine_tune_epochs=1, corpus=False,
                     seed=3)
    entry = info["encoder"]
    assert entry["dir"] == "encoder" and len(entry["sha256"]) == 64 and entry["fine_tuned_epochs"] == 1
    assert entry["tasks"] == ["sentiment", "topic"]
    assert entry["sha256"] != OFFICIAL_SHA256  # the weights really changed
    classifier, why = load_model_classifier(config.triage, tmp_path)
    assert classifier is not None, why
    assert classifier.encoder.model_dir == tmp_path / "encoder"  # its tokenizer, its (exported) weights
    assert info["onnx"]["min_cosine_to_torch"] >= 0.9999  # the export is of the fine-tuned weights
    with (tmp_path / "encoder" / "model.safetensors").open("ab") as handle:
        handle.write(b"\0")
    config.triage.model.backend = "torch"
    classifier, why = load_model_classifier(config.triage, tmp_path)
    assert classifier is None and "refusing to load" in why


def test_agent_feedback_becomes_training_examples(runtime):
    from datetime import datetime, timezone

    from bot.core.mention import parse_mention
    from bot.triage.model.feedback import feedback_examples
    from storage import queries

    from tests.conftest import mention

    now = datetime(2026, 11, 20, 11, tzinfo=timezone.utc)
    dismissed, answered, untouched = runtime.ingest_batch([
        parse_mention(mention("f1", "@SkylarkAir worst airline, delayed again", handle="a")),
        parse_mention(mention("f2", "@SkylarkAir my bag is lost and nobody answers, awful", handle="b")),
        parse_mention(mention("f3", "@SkylarkAir terrible wifi on SK88", handle="c")),
    ], now=now)
    with runtime.sessions() as session, session.begin():
        queries.add_event(session, dismissed.case_id, "not_actionable", actor="U0ANA00001", payload={})
        queries.add_event(session, answered.case_id, "reply_sent", actor="U0ANA00001", payload={})
    with runtime.sessions() as session:
        examples = feedback_examples(session)["complaint"]
    labelled = {e.text: e.label for e in examples}
    assert labelled == {"@SkylarkAir worst airline, delayed again": "other",
                        "@SkylarkAir my bag is lost and nobody answers, awful": "complaint"}
    assert all(e.split == "train" for e in examples)


def test_triage_corrections_label_complaint_and_topic(runtime):
    from datetime import datetime, timezone

    from bot.desk import actions
    from bot.core.mention import parse_mention
    from bot.triage.model.feedback import feedback_examples
    from storage.db import transaction

    from tests.conftest import mention

    now = datetime(2026, 11, 20, 11, tzinfo=timezone.utc)
    praised, asked = runtime.ingest_batch([
        parse_mention(mention("g1", "@SkylarkAir oh great, another two hours on the tarmac. lovely", handle="a")),
        parse_mention(mention("g2", "@SkylarkAir where do I collect a bag that came off the wrong flight?",
                              handle="b")),
    ], now=now)
    with transaction(runtime.sessions) as session:
        ana = actions.resolve_actor(session, "slack", "U0ANA00001")
        assert actions.correct_triage(session, praised.case_id, ana, intent="general", now=now).ok
        # Corrected twice: the last word counts.
        assert actions.correct_triage(session, praised.case_id, ana, intent="complaint", now=now).ok
        assert actions.correct_triage(session, asked.case_id, ana, topic="baggage", now=now).ok
    with runtime.sessions() as session:
        found = feedback_examples(session, {"Lost Luggage": "baggage"})
    assert {e.text: e.label for e in found["complaint"]} == {
        "@SkylarkAir oh great, another two hours on the tarmac. lovely": "complaint"}
    # The configured topic is turned back into the model's own label.
    assert {e.text: e.label for e in found["topic"]} == {
        "@SkylarkAir where do I collect a bag that came off the wrong flight?": "Lost Luggage"}
    with runtime.sessions() as session:
        unmapped = feedback_examples(session)["topic"]
    assert [e.label for e in unmapped] == ["baggage"]


def _shared_layout(root: Path) -> Path:
    """A tiny data folder laid out like ../shared/data (same file names and columns)."""
    import csv

    (root / "airline").mkdir(parents=True)
    (root / "twitter_spam_utkml").mkdir()
    with (root / "airline" / "train.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ["text", "airline_sentiment", "negativereason", "negativereason_confidence"])
        writer.writeheader()
        for n in range(6):  # enough copies (with different flight numbers) for every split
            for text in COMPLAINTS:
                reason = "Lost Luggage" if any(w in text for w in ("bag", "suitcase")) else "Late Flight"
                writer.writerow({"text": f"@SkylarkAir {text} SK{100 + n}", "airline_sentiment": "negative",
                                 "negativereason": reason, "negativereason_confidence": "0.9"})
            for text in OTHER:
                writer.writerow({"text": f"@SkylarkAir {text} SK{100 + n}", "airline_sentiment": "positive",
                                 "negativereason": "", "negativereason_confidence": ""})
    with (root / "twitter_spam_utkml" / "train.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ["Tweet", "Type"])
        writer.writeheader()
        for n in range(6):
            for text in SPAM:
                writer.writerow({"Tweet": f"{text} #{n}", "Type": "Spam"})
            for text in OTHER:
                writer.writerow({"Tweet": f"{text} day {n}", "Type": "Quality"})
    return root


def test_train_command_is_reproducible_and_prints_its_metrics(tmp_path):
    from bot.app.cli.main import app

    data = _shared_layout(tmp_path / "data")
    runs = []
    for name in ("a", "b"):
        out = tmp_path / name
        result = CliRunner().invoke(app, ["train", "--data", str(data), "--out", str(out), "--fine-tune", "0"])
        assert result.exit_code == 0, result.output
        assert "Heads written to" in result.output and "complaint" in result.output and "topic" in result.output
        runs.append(json.loads((out / "manifest.json").read_text()))
    first, second = runs
    assert set(first["heads"]) == {"sentiment", "complaint", "topic", "spam",
                                   "screen_complaint", "screen_sentiment", "screen_spam"}
    assert "n-gram screen: settles a post" in result.output and 0 <= first["screen"]["settled_tune_share"] <= 1
    # Seeded: the same data and seed give the same heads, byte for byte.
    assert {t: h["sha256"] for t, h in first["heads"].items()} == {t: h["sha256"] for t, h in second["heads"].items()}
    assert first["examples"]["topic"]["eval"] > 0 and first["encoder"] is None
    # The packaged encoder's ONNX export is not stored with the heads: it is cached per machine.
    assert first["onnx"] is None
    missing = CliRunner().invoke(app, ["train", "--data", str(tmp_path / "nowhere"), "--out", str(tmp_path / "c"),
                                       "--fine-tune", "0"])
    assert missing.exit_code == 2 and "nowhere" in missing.output


def test_grid_fitted_in_parallel_processes_gives_the_sequential_heads(encoder, monkeypatch):
    """`mentiondesk train` shares a grid's fits out over the cores (train.fit_grid); that must not
    change a single coefficient, or the shipped heads would depend on the machine's core count."""
    import numpy as np

    from bot.triage.model import train
    from bot.triage.model.heads import fit_head

    training = [e for e in examples("complaint") if e.split == "train"]
    texts, labels = [e.text for e in training], [e.label for e in training]
    vectors = EmbeddingCache(encoder)(texts)
    points = [(3.0, 0.25), (3.0, 4.0), (1.0, 16.0)]
    monkeypatch.setattr(train, "PARALLEL_FROM", 0)  # these few posts would otherwise fit in-process
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    parallel = train.fit_grid("complaint", training, vectors, points, seed=1)
    assert [h.embedding_weight for h in parallel] == [3.0, 3.0, 1.0]
    for (weight, c), head in zip(points, parallel):
        alone = fit_head("complaint", texts, vectors, labels, c=c, seed=1, embedding_weight=weight,
                         weights=[1.0] * len(texts))
        assert head.model.C == c
        assert np.array_equal(head.model.coef_, alone.model.coef_)
        assert np.array_equal(head.model.intercept_, alone.model.intercept_)
        assert head.predict(texts, vectors) == alone.predict(texts, vectors)

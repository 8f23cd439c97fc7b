"""The cascade classifier: the rules classifier, told what the model thinks where it matters.

Cheap stages (dedupe, own posts, spam rules, relevance) have already run in the pipeline. Of
what is left, the model only sees posts whose decision it can change (see
``RulesClassifier.needs_model``); of those, the n-gram screen settles the clear ones (see
``screen``) and the encoder gets the rest, in one batch. The heads then give sentiment, the complaint
probability (thresholded for recall), a topic when the configured keywords found none, and the
spam probability (a post is dropped as spam only when the head is very sure and nothing calls
it a complaint).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

from bot.core.config import TriageRules
from bot.core.mention import Mention
from bot.core.observability import ENCODED, SCREEN_SETTLED
from bot.triage.classifier import Classification, ModelHints, RulesClassifier
from bot.triage.model.heads import NgramViews, blend_complaint
from bot.triage.model.screen import Screen, screen_from
from bot.triage.relevance import Relevance
from bot.triage.sentiment import from_probabilities

log = logging.getLogger(__name__)

# Unless triage.model.spam_drop_probability says otherwise, the spam head drops a post only from
# this probability, whatever its tune split suggests: at 0.5, heads trained on templated posts
# dropped 8 of 7,178 real complaints to airlines; the heads trained on written posts too are
# calibrated on realistic tune posts, and from 0.7 they drop no complaint of the written test
# sets (see MODEL_CARD.md).
SPAM_DROP_FLOOR = 0.7

#: Hints remembered by text at most (~0.5 KB each): a text repeated within this many distinct
#: texts is neither screened nor encoded again. On the realistic stream 7% of what the encoder
#: got were repeats (copy-pasted spam, retweets).
MAX_REMEMBERED = 20_000


class ModelClassifier:
    name = "cascade: rules + MiniLM heads"

    def __init__(self, rules: TriageRules, heads: dict, encoder, topic_map: dict[str, str] | None = None,
                 screen: Screen | None = None):
        self.rules = RulesClassifier(rules)
        self.screen = screen
        self.spam_drop_probability = rules.model.spam_drop_probability
        self.heads = heads
        self.encoder = encoder
        self.topic_map = topic_map or {}
        self.topics = set(rules.topics)
        self._recent: OrderedDict[str, ModelHints] = OrderedDict()  # text -> hints, least recently used first
        self._lock = threading.Lock()

    def classify(self, mention: Mention, relevance: Relevance) -> Classification:
        return self.classify_many([(mention, relevance)])[0]

    def needs_model(self, mention: Mention, relevance: Relevance) -> bool:
        return self.rules.needs_model(mention, relevance)

    def classify_many(self, items: Sequence[tuple[Mention, Relevance]]) -> list[Classification]:
        # The screen and the heads read the text with the brand's names masked (the pipeline's
        # BrandMatcher.mask, carried on the relevance): "@united" must not sound positive.
        texts = [m.text if r.masked_text is None else r.masked_text for m, r in items]
        readings = [self.rules.read(m.text, texts[i]) for i, (m, _) in enumerate(items)]
        chosen = [i for i, (m, r) in enumerate(items) if self.rules.needs_model(m, r, readings[i])]
        found = self.model_hints([texts[i] for i in chosen])
        hints = dict(zip(chosen, found))
        return [self.rules.classify(m, r, hints.get(i), readings[i]) for i, (m, r) in enumerate(items)]

    def model_hints(self, texts: list[str]) -> list[ModelHints]:
        """The model's hints for ``texts``: the screen's when it settles a post, else the
        encoder's and the full heads'. A pure function of each text, so those a look-ahead
        (``prefetch``) or an earlier batch computed are taken, not encoded again."""
        return self._compute(texts)

    def prefetch(self, texts: list[str]) -> None:
        """Compute the hints of ``texts`` now (a background thread, while the caller's previous
        batch is stored) so that ``classify_many`` finds them remembered. ONNX Runtime and torch
        release the GIL while they encode."""
        self._compute(texts)

    def _compute(self, texts: list[str]) -> list[ModelHints]:
        """The hints of ``texts``: remembered ones (the same text seen lately: spam and retweets
        repeat word for word), else the screen's or the encoder's, each distinct text once."""
        with self._lock:
            known = {text: self._recent[text] for text in texts if text in self._recent}
            for text in known:
                self._recent.move_to_end(text)
        fresh = [text for text in dict.fromkeys(texts) if text not in known]
        computed = dict(zip(fresh, self._compute_distinct(fresh)))
        with self._lock:
            self._recent.update(computed)
            while len(self._recent) > MAX_REMEMBERED:
                self._recent.popitem(last=False)
        return [known.get(text) or computed[text] for text in texts]

    def _compute_distinct(self, texts: list[str]) -> list[ModelHints]:
        out: list[ModelHints | None] = [None] * len(texts)
        todo = list(range(len(texts)))
        views = NgramViews(texts)  # the screen's n-grams, reused by the full heads
        if todo and self.screen is not None:
            for i, settled in zip(todo, self.screen.settle(texts, views)):
                out[i] = settled
            todo = [i for i in todo if out[i] is None]
            SCREEN_SETTLED.inc(len(texts) - len(todo))
        if todo:
            ENCODED.inc(len(todo))
            for i, hint in zip(todo, self.hints([texts[i] for i in todo], views.rows(todo))):
                out[i] = hint
        return out  # type: ignore[return-value]

    def _topic_for(self, label: str | None) -> str | None:
        """The configured topic for a model label: mapped in ``topic_map``, or named alike."""
        if not label:
            return None
        return self.topic_map.get(label) or (label if label in self.topics else None)

    def hints(self, texts: list[str], views: NgramViews | None = None) -> list[ModelHints]:
        vectors = self.encoder.encode(texts)
        views = views or NgramViews(texts)
        sentiment_head, complaint_head = self.heads["sentiment"], self.heads["complaint"]
        sentiment_probs = sentiment_head.probabilities(texts, vectors, views)
        classes = sentiment_head.classes
        negative = classes.index("negative")
        complaint_column = complaint_head.classes.index("complaint")
        complaint_probs = blend_complaint(complaint_head, complaint_head.probabilities(texts, vectors, views)[:, complaint_column],
                                          sentiment_probs[:, negative])
        # Only a topic the head is sure of routes the post; otherwise keywords or the default team.
        topics = self.heads["topic"].sure(texts, vectors, views) if "topic" in self.heads else [None] * len(texts)
        spam_probs = [0.0] * len(texts)
        drop_at = self.spam_drop_probability
        if "spam" in self.heads:
            spam_head = self.heads["spam"]
            if drop_at is None:
                # The head's own, chosen on tune, but never below SPAM_DROP_FLOOR: on templated tune
                # posts it looks surer than it is on real ones, where a dropped customer is lost.
                drop_at = max(getattr(spam_head, "threshold", None) or 0.0, SPAM_DROP_FLOOR)
            spam_probs = spam_head.probabilities(texts, vectors, views)[:, spam_head.classes.index("spam")]
        abusive_probs: list[float | None] = [None] * len(texts)
        if "abusive" in self.heads:
            abusive_head = self.heads["abusive"]
            abusive_probs = [float(p) for p in
                             abusive_head.probabilities(texts, vectors, views)[:, abusive_head.classes.index("abusive")]]
        out = []
        for probs, p_complaint, topic_label, p_spam, p_abusive in zip(sentiment_probs, complaint_probs, topics,
                                                                      spam_probs, abusive_probs):
            out.append(ModelHints(
                sentiment=from_probabilities(probs, classes),
                complaint_probability=float(p_complaint),
                is_complaint=bool(p_complaint >= complaint_head.threshold),
                confident_at=getattr(complaint_head, "confident_at", None),
                topic=self._topic_for(topic_label),
                topic_label=topic_label,
                spam_probability=float(p_spam),
                drops_as_spam=bool(drop_at is not None and p_spam >= drop_at and drop_at < 1.0),
                abusive_probability=p_abusive,
            ))
        return out


def encoder_for(heads_dir: Path, manifest: dict, backend: str = "auto"):
    """The encoder the heads were fitted on (the packaged one, or the run's fine-tuned copy), on
    ONNX Runtime when onnxruntime is installed (the run's own export if it made one, else the
    export cached on this machine, built at first use), else on torch."""
    from bot.triage.model.encoder import OFFICIAL_SHA256, Encoder, package_model_dir, verify_weights
    from bot.triage.model.onnx_cache import cached_onnx_encoder
    from bot.triage.model.onnx_encoder import OnnxEncoder, onnxruntime_available

    fine_tuned = manifest.get("encoder")
    exported = manifest.get("onnx")
    tokenizer_dir = heads_dir / fine_tuned["dir"] if isinstance(fine_tuned, dict) else package_model_dir()
    weights_sha = fine_tuned["sha256"] if isinstance(fine_tuned, dict) else OFFICIAL_SHA256

    def torch_encoder():
        return Encoder(tokenizer_dir, expected_sha256=weights_sha)

    if backend != "torch" and onnxruntime_available():
        if isinstance(exported, dict):
            return OnnxEncoder(heads_dir / exported["file"], tokenizer_dir, expected_sha256=exported["sha256"])
        verify_weights(tokenizer_dir, weights_sha)  # the cache is keyed by it: check the weights are still those
        return cached_onnx_encoder(weights_sha, tokenizer_dir, torch_encoder)
    if backend == "onnx":
        log.warning("triage.model.backend is onnx but onnxruntime is not installed: the encoder runs on torch")
    return torch_encoder()


def load_model_classifier(rules: TriageRules, heads_dir: Path, topic_map: dict[str, str] | None = None):
    """The cascade classifier, or ``None`` with the reason when the model cannot be used here."""
    from bot.triage.model.encoder import Encoder, ModelUnavailable
    from bot.triage.model.heads import HeadsUnavailable, load_heads

    try:
        heads, manifest = load_heads(heads_dir)
        missing = {"sentiment", "complaint"} - set(heads)
        if missing:
            raise HeadsUnavailable(f"{heads_dir} lacks the {', '.join(sorted(missing))} head(s)")
        encoder = encoder_for(heads_dir, manifest, rules.model.backend)
    except (ModelUnavailable, HeadsUnavailable, ImportError) as exc:
        return None, str(exc)
    screen = screen_from(heads, manifest) if rules.model.screen else None
    log.info("model heads from %s (trained %s); %s", heads_dir, manifest.get("trained_at"),
             "the n-gram screen settles clear posts before the encoder" if screen else "no screen: every post is encoded")
    return ModelClassifier(rules, heads, encoder, topic_map, screen), None

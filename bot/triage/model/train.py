"""Training the heads: `mentiondesk train` (seeded, reproducible, prints its metrics).

Each task's data is split three ways (see ``datasets``): heads are fitted on ``train``, their
regularisation and decision threshold are chosen on ``tune``, and ``eval`` is left untouched
for `mentiondesk eval`.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from bot.triage.model import datasets
from bot.triage.model.heads import EMBEDDING_WEIGHTS, Head, fit_head, fit_model, fit_sparse, save_heads
from bot.triage.model.metrics import report
from bot.triage.model.screen import (COMPLAINT_MISS, SCREEN_C, SCREEN_PREFIX, SCREEN_TASKS, SPAM_MISS, Screen, miss_floor,
                                     sentiment_confidence)

# A missed complaint is worse than an extra card: the complaint head's threshold is the highest
# one that still finds this share of the complaints in the tuning split.
COMPLAINT_RECALL = 0.95
# A topic routes a post to a team: the topic head names one only where, on the tuning split, it
# is right this often; elsewhere the keywords or the default team decide.
TOPIC_ROUTING_ACCURACY = 0.80
# Weights of the complaint head against the sentiment head's P(negative), tried on tune.
BLEND_GRID = (0.0, 0.25, 0.5, 0.75, 1.0)
C_GRID = (0.25, 1.0, 4.0, 16.0)
# The corpus is two-thirds negative; a real stream's mix differs from brand to brand and day to
# day, so the sentiment head is fitted as if its three classes were equally common.
BALANCED_TASKS = ("sentiment",)
# A head this close to the best on tune counts as as good (see ``simplest_good_enough``). The
# tune split is written posts only (``project_data.REALISTIC_TUNE``), so it is trusted closely.
GOOD_ENOUGH = 0.01
# The spam head drops a post only where, on tune, this share of what it drops is spam.
SPAM_PRECISION = 0.98
# A grid's points are fitted in parallel processes (one per core) from this many training posts:
# below it, starting the workers costs more than the fits (the tests' small sets).
PARALLEL_FROM = 2_000


class EmbeddingCache:
    """Each distinct text is encoded once per training run, whatever tasks share it."""

    def __init__(self, encoder, progress: Callable[[int], None] | None = None):
        self.encoder = encoder
        self.vectors: dict[str, np.ndarray] = {}
        self.progress = progress

    def __call__(self, texts: list[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self.vectors))
        for start in range(0, len(missing), 512):
            chunk = missing[start:start + 512]
            for text, vector in zip(chunk, self.encoder.encode(chunk)):
                self.vectors[text] = vector
            if self.progress:
                self.progress(len(chunk))
        return np.stack([self.vectors[t] for t in texts]) if texts else np.zeros((0, 384), dtype=np.float32)


def complaint_threshold(probabilities: np.ndarray, truth: np.ndarray, recall: float = COMPLAINT_RECALL) -> float:
    """The highest threshold whose recall on ``truth`` is at least ``recall``."""
    positives = np.sort(probabilities[truth])[::-1]
    if len(positives) == 0:
        return 0.5
    k = max(int(np.ceil(recall * len(positives))) - 1, 0)
    return float(positives[k])


def spam_threshold(probabilities: np.ndarray, truth: np.ndarray, precision: float = SPAM_PRECISION) -> float:
    """The spam head's drop probability: the one with the best F1 among those at least
    ``precision`` precise on tune (dropping a customer costs more than showing an ad), never
    below 0.5; the best F1 overall when none is that precise."""
    best: tuple[float, float] | None = None
    fallback: tuple[float, float] | None = None
    for threshold in np.arange(50, 100) / 100:
        said = probabilities >= threshold
        tp = float((said & truth).sum())
        p, r = tp / max(said.sum(), 1), tp / max(truth.sum(), 1)
        f1 = 2 * p * r / max(p + r, 1e-9)
        if fallback is None or f1 > fallback[0]:
            fallback = (f1, float(threshold))
        if p >= precision and (best is None or f1 > best[0]):
            best = (f1, float(threshold))
    return (best or fallback or (0.0, 0.9))[1]


def simplest_good_enough(candidates: list[tuple[float, float, Head]]) -> Head:
    """Of (tune quality, C, head), the most regularised head within ``GOOD_ENOUGH`` of the best.

    The tuning split comes from the same generator as the training split, so it rewards heads
    that memorise the templates' wording (the largest C). Real posts are worded otherwise: among
    heads that are about as good on tune, the simplest one generalises best (on the airline
    tweets' tuning split, C = 0.25 ranks complaints with AUC 0.87 against 0.84 for C = 4)."""
    best = max(quality for quality, _, _ in candidates)
    eligible = [(c, order, head) for order, (quality, c, head) in enumerate(candidates)
                if quality >= best - GOOD_ENOUGH]
    return min(eligible, key=lambda item: (item[0], item[1]))[2]


def fit_grid(task: str, train: list[datasets.Example], vectors: np.ndarray, points: list[tuple[float, float]], *,
             seed: int) -> list[Head]:
    """One head per (embedding weight, C) point, all on the same n-grams of ``train``.

    The fits are most of a training run's time (on the project corpus, 40 of them took 8 of its
    12 minutes one after the other), and each is one single-threaded L-BFGS run, so the points
    are shared out over the cores. Each worker gets the same matrices and returns only its
    model; the heads are the ones a sequential loop gives, bit for bit (``tests/test_model.py``)."""
    import os

    from joblib import Parallel, delayed

    texts, labels = [e.text for e in train], [e.label for e in train]
    words, chars, (word_matrix, char_matrix) = fit_sparse(texts)  # the same n-grams for every point
    options = {"seed": seed, "weights": [float(e.extra.get("weight", 1.0)) for e in train],
               "balanced": task in BALANCED_TASKS}
    jobs = min(os.cpu_count() or 1, len(points)) if len(train) >= PARALLEL_FROM else 1
    models = Parallel(n_jobs=jobs)(
        delayed(fit_model)(vectors, word_matrix, char_matrix, labels, c=c, embedding_weight=weight, **options)
        for weight, c in points)
    return [Head(task, words, chars, model, embedding_weight=weight) for (weight, _), model in zip(points, models)]


def train_task(task: str, examples: list[datasets.Example], embed: EmbeddingCache, *, seed: int) -> Head:
    train = [e for e in examples if e.split == "train"]
    tune = [e for e in examples if e.split == "tune"]
    if not train or not tune:
        raise datasets.DataError(f"{task}: not enough data to train and tune")
    train_texts, tune_texts = [e.text for e in train], [e.text for e in tune]
    train_vectors, tune_vectors = embed(train_texts), embed(tune_texts)
    tune_truth = [e.label for e in tune]
    candidates: list[tuple[float, float, Head]] = []
    points = [(w, c) for w in EMBEDDING_WEIGHTS for c in C_GRID]
    heads = fit_grid(task, train, train_vectors, points, seed=seed)
    for (weight, c), head in zip(points, heads):
        if task == "complaint":
            head.positive = "complaint"
            column = head.classes.index("complaint")
            probs = head.probabilities(tune_texts, tune_vectors)[:, column]
            head.threshold = complaint_threshold(probs, np.array([t == "complaint" for t in tune_truth]))
        if task == "spam":
            head.positive = "spam"
            column = head.classes.index("spam")
            probs = head.probabilities(tune_texts, tune_vectors)[:, column]
            head.threshold = spam_threshold(probs, np.array([t == "spam" for t in tune_truth]))
        tuned = report(tune_truth, head.predict(tune_texts, tune_vectors))
        quality = tuned.score("complaint").precision if task == "complaint" else tuned.macro_f1
        head.metrics = {"c": c, "embedding_weight": weight, "tune": tuned.as_dict()}
        candidates.append((quality, c, head))
    head = simplest_good_enough(candidates)
    # The whole grid, so that the model card can say how much the choice mattered.
    head.metrics["grid"] = [{"c": c, "embedding_weight": h.embedding_weight, "quality": round(q, 4)}
                            for q, c, h in candidates]
    if task == "topic":
        probs = head.probabilities(tune_texts, tune_vectors)
        head.min_confidence, coverage, accuracy = confidence_floor(probs, head.classes, tune_truth)
        head.metrics["routing"] = {"min_confidence": head.min_confidence, "tune_coverage": coverage,
                                   "tune_accuracy": accuracy}
    return head


def confidence_floor(probs: np.ndarray, classes: list[str], truth: list[str],
                     accuracy: float = TOPIC_ROUTING_ACCURACY) -> tuple[float, float, float]:
    """The lowest top probability above which the head is right at least ``accuracy`` of the
    time; returns it with the share of posts above it and their accuracy."""
    predicted = np.array(classes)[probs.argmax(axis=1)]
    right = predicted == np.array(truth)
    top = probs.max(axis=1)
    for floor in np.arange(0, 100) / 100:
        covered = top >= floor
        if covered.sum() < 20:
            break
        if right[covered].mean() >= accuracy:
            return float(floor), round(float(covered.mean()), 4), round(float(right[covered].mean()), 4)
    return 1.01, 0.0, 0.0


def choose_blend(heads: dict[str, Head], examples: list[datasets.Example], embed: EmbeddingCache) -> None:
    """Set the complaint head's blend with the sentiment head (and its threshold for it): the
    weight whose threshold at ``COMPLAINT_RECALL`` gives the best precision on tune."""
    complaint, sentiment = heads.get("complaint"), heads.get("sentiment")
    if complaint is None or sentiment is None or "negative" not in sentiment.classes:
        return
    _, tune = _splits(examples)
    texts, truth = [e.text for e in tune], np.array([e.label == "complaint" for e in tune])
    vectors = embed(texts)
    p_complaint = complaint.probabilities(texts, vectors)[:, complaint.classes.index("complaint")]
    p_negative = sentiment.probabilities(texts, vectors)[:, sentiment.classes.index("negative")]
    best = None
    for weight in BLEND_GRID:
        blended = weight * p_complaint + (1 - weight) * p_negative
        threshold = complaint_threshold(blended, truth)
        said = blended >= threshold
        precision = float((said & truth).sum() / max(said.sum(), 1))
        if best is None or precision > best[0]:  # ties: the first weight in the grid
            best = (precision, weight, threshold)
    precision, complaint.blend, complaint.threshold = best
    complaint.metrics["blend"] = {"weight": complaint.blend, "threshold": complaint.threshold,
                                  "tune_precision": round(precision, 4)}
    blended = complaint.blend * p_complaint + (1 - complaint.blend) * p_negative
    complaint.confident_at = confident_floor(blended, truth, complaint.threshold, texts)
    complaint.metrics["confident_at"] = complaint.confident_at


def confident_floor(probabilities: np.ndarray, truth: np.ndarray, threshold: float, texts: list[str]) -> float:
    """The lowest complaint probability from which the head is as precise on questions and
    praise-sounding posts (which the rules otherwise file as such) as on all it flags."""
    from bot.core.config import TriageRules
    from bot.triage.classifier import CONFIDENT_COMPLAINT, RulesClassifier

    rules = RulesClassifier(TriageRules())  # the built-in question and praise words
    flagged = probabilities >= threshold
    overall = (flagged & truth).sum() / max(flagged.sum(), 1)
    guarded = flagged & np.array([rules.guards_complaint(t) for t in texts])
    for floor in np.arange(5, 100, 5) / 100:
        above = guarded & (probabilities >= floor)
        if above.sum() < 20:
            break
        if (above & truth).sum() / above.sum() >= overall:
            return float(max(floor, threshold))
    return CONFIDENT_COMPLAINT


def _splits(examples: list[datasets.Example]) -> tuple[list[datasets.Example], list[datasets.Example]]:
    return [e for e in examples if e.split == "train"], [e for e in examples if e.split == "tune"]


def train_screen(per_task: dict[str, list[datasets.Example]], heads: dict[str, Head], embed: EmbeddingCache, *,
                 seed: int) -> Screen | None:
    """The n-gram screen (see ``screen``): fitted on ``train``, its floors chosen on ``tune``."""
    if not set(SCREEN_TASKS) <= set(per_task):
        return None
    screen_heads = {}
    for task in SCREEN_TASKS:
        train, _ = _splits(per_task[task])
        screen_heads[task] = fit_head(task, [e.text for e in train], None, [e.label for e in train], c=SCREEN_C,
                                      seed=seed, embedding_weight=0,
                                      weights=[float(e.extra.get("weight", 1.0)) for e in train])

    def positive_probs(task: str, positive: str, texts: list[str]) -> np.ndarray:
        head = screen_heads[task]
        return head.probabilities(texts, None)[:, head.classes.index(positive)]

    _, complaint_tune = _splits(per_task["complaint"])
    complaint_below = miss_floor(positive_probs("complaint", "complaint",
                                                [e.text for e in complaint_tune if e.label == "complaint"]),
                                 COMPLAINT_MISS)
    _, spam_tune = _splits(per_task["spam"])
    spam_below = miss_floor(positive_probs("spam", "spam", [e.text for e in spam_tune if e.label == "spam"]),
                            SPAM_MISS)
    _, sentiment_tune = _splits(per_task["sentiment"])
    texts, truth = [e.text for e in sentiment_tune], [e.label for e in sentiment_tune]
    eligible = ((positive_probs("complaint", "complaint", texts) < complaint_below)
                & (positive_probs("spam", "spam", texts) < spam_below))
    screen_probs = screen_heads["sentiment"].probabilities(texts, None)
    confidence = sentiment_confidence(screen_probs, screen_heads["sentiment"].classes,
                                      heads["sentiment"].predict(texts, embed(texts)), truth, eligible)
    screen = Screen(screen_heads, complaint_below, confidence, spam_below)
    settled = sum(hint is not None for hint in screen.settle(texts))
    screen_heads["sentiment"].metrics = {"settled_tune_share": round(settled / max(len(texts), 1), 4)}
    return screen


def trained_at() -> str:
    """Now, or ``$SOURCE_DATE_EPOCH`` (the reproducible-builds convention) so that a rebuild of the
    shipped heads gives a byte-identical manifest too."""
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    return moment.isoformat(timespec="seconds")


def train_all(data_dir: Path | None, out_dir: Path, *, encoder=None, tasks=datasets.TASKS, seed: int = 13,
              limit: int | None = None, on_start: Callable[[int], None] | None = None,
              on_progress: Callable[[int], None] | None = None, extra: dict[str, list] | None = None,
              fine_tune_epochs: int = 0, on_fine_tune_start: Callable[[int], None] | None = None,
              export_onnx_encoder: bool = True, corpus: bool = True) -> dict:
    """Train every task's head and save them; returns the manifest info (with tune metrics).

    The data: ``data_dir``'s labeled sets where it has the task, else the project's own corpus
    (``project_data``; ``corpus=False``: none), plus ``extra`` (agents' feedback, tests).

    With ``fine_tune_epochs`` the encoder is first fine-tuned on the training splits of the
    sentiment and topic tasks together, and the heads are fitted on its embeddings. The encoder
    is then exported for ONNX Runtime (when installed) and checked against torch."""
    from bot.triage.model.encoder import Encoder, sha256_of

    from bot.triage.model.project_data import PROJECT_TASKS, project_examples

    rng = np.random.default_rng(seed)
    per_task = {}
    if data_dir is None and tasks == datasets.TASKS:
        tasks = PROJECT_TASKS
    for task in tasks:
        # --data replaces the tasks it has labels for; the others (abusive) keep the project's own.
        from_data = data_dir is not None and task in datasets.TASKS
        examples = (datasets.load(task, data_dir) if from_data else project_examples(task) if corpus else [])
        examples += list((extra or {}).get(task, []))
        if limit:
            picked = rng.permutation(len(examples))[:limit]
            examples = [examples[i] for i in sorted(picked)]
        per_task[task] = examples
    encoder_entry = None
    if fine_tune_epochs:
        from bot.triage.model.finetune import FINE_TUNE_TASKS, fine_tune, training_items

        tuning = {task: per_task[task] for task in FINE_TUNE_TASKS if task in per_task}
        if on_fine_tune_start:
            on_fine_tune_start(fine_tune_epochs * len(training_items(tuning)[0]))
        tuned_dir = fine_tune(tuning, out_dir, epochs=fine_tune_epochs, seed=seed, on_step=on_progress)
        digest = sha256_of(tuned_dir / "model.safetensors")
        encoder = Encoder(tuned_dir, expected_sha256=digest)
        encoder_entry = {"dir": tuned_dir.name, "sha256": digest, "fine_tuned_epochs": fine_tune_epochs,
                         "tasks": sorted(tuning)}
    encoder = encoder or Encoder()
    if on_start:
        on_start(len({e.text for ex in per_task.values() for e in ex if e.split != "eval"}))
    embed = EmbeddingCache(encoder, on_progress)
    heads = {task: train_task(task, examples, embed, seed=seed) for task, examples in per_task.items()}
    if "complaint" in per_task:
        choose_blend(heads, per_task["complaint"], embed)
    screen = train_screen(per_task, heads, embed, seed=seed)
    onnx_entry = None
    # The packaged encoder's export is built once per machine at first use (``onnx_cache``), not
    # stored with the heads; a fine-tuned encoder exists only here, so its export goes with them.
    if export_onnx_encoder and encoder_entry is not None:
        from bot.triage.model.onnx_encoder import export_onnx, onnxruntime_available

        if onnxruntime_available():
            out_dir.mkdir(parents=True, exist_ok=True)
            onnx_entry = export_onnx(encoder, out_dir)
    info = {
        "trained_at": trained_at(),
        "data": "project corpus + CC BY 4.0 sets" if data_dir is None else str(data_dir),
        "seed": seed,
        "limit": limit,
        "encoder": encoder_entry,
        "onnx": onnx_entry,
        "examples": {task: {s: sum(e.split == s for e in ex) for s in ("train", "tune", "eval")}
                     for task, ex in per_task.items()},
        # Where each head's examples come from (the licence question of MODEL_CARD.md).
        "sources": {task: dict(sorted(Counter(e.source or "unnamed" for e in ex).items()))
                    for task, ex in per_task.items()},
        "data_fingerprint": hashlib.sha256("".join(sorted(e.text for ex in per_task.values() for e in ex))
                                           .encode()).hexdigest()[:16],
        "tune_metrics": {task: head.metrics for task, head in heads.items()},
        "thresholds": {task: head.threshold for task, head in heads.items() if head.threshold is not None},
        "screen": ({**screen.describe(), **screen.heads["sentiment"].metrics} if screen else None),
    }
    screen_heads = {f"{SCREEN_PREFIX}{task}": head for task, head in screen.heads.items()} if screen else {}
    save_heads(out_dir, {**heads, **screen_heads}, info)
    return info

"""Small trained heads on top of the encoder: one linear model per task.

A head sees three views of a post: the MiniLM embedding (meaning), word n-grams and character
n-grams (exact wording, misspellings, emoji). Heads are pickled and xz-compressed (the n-gram
vocabularies they share once, in ``ngrams-*.pkl.xz``) next to a manifest holding each file's
SHA-256; a file whose hash does not match is refused before unpickling.
"""

from __future__ import annotations

import copy
import hashlib
import json
import lzma
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bot.triage.model.location import MANIFEST

# The dense view is 384 values against thousands of sparse ones, so it is scaled up; how much
# is chosen per task on the tuning split (wording matters more for spam, meaning for topics).
EMBEDDING_WEIGHTS = (3.0, 1.0)


class HeadsUnavailable(RuntimeError):
    pass


def normalise(text: str) -> str:
    """Lower case; handles become @user (who is named says little about what is asked); a link
    keeps its host but not its path: the host says a lot (shorteners, known spam domains,
    the brand's own site), the path is mostly a unique id."""
    text = re.sub(r"https?://(?:www\.)?([^/\s]+)\S*", r" http \1 ", text.lower())
    return re.sub(r"@\w+", " @user ", text)


@dataclass
class Head:
    task: str
    words: object  # fitted TfidfVectorizer
    chars: object  # fitted TfidfVectorizer
    model: object  # fitted LogisticRegression
    threshold: float | None = None  # binary heads: P(positive class) at which it says yes
    positive: str | None = None
    metrics: dict = field(default_factory=dict)
    embedding_weight: float = EMBEDDING_WEIGHTS[0]
    # Multi-class heads (topic): below this top probability the head abstains (see ``sure``).
    min_confidence: float | None = None
    # Complaint head: the weight of its own probability in the complaint probability, against the
    # sentiment head's P(negative) (chosen on tune; see ``complaint_probabilities``).
    blend: float | None = None
    # Complaint head: from this probability a question or praise-sounding post is a complaint.
    confident_at: float | None = None

    @property
    def classes(self) -> list[str]:
        return [str(c) for c in self.model.classes_]

    def features(self, texts: list[str], embeddings: np.ndarray | None, views: NgramViews | None = None):
        views = views or NgramViews(texts)
        return _matrix(embeddings, self.embedding_weight, views.of(self.words), views.of(self.chars))

    def probabilities(self, texts: list[str], embeddings: np.ndarray, views: NgramViews | None = None) -> np.ndarray:
        """P(class) for each text; ``views``: the texts' n-gram matrices shared by several heads."""
        return self.model.predict_proba(self.features(texts, embeddings, views))

    def predict(self, texts: list[str], embeddings: np.ndarray) -> list[str]:
        probs = self.probabilities(texts, embeddings)
        if self.threshold is not None and self.positive is not None:
            column = self.classes.index(self.positive)
            other = next(c for c in self.classes if c != self.positive)
            return [self.positive if p[column] >= self.threshold else other for p in probs]
        return [self.classes[i] for i in probs.argmax(axis=1)]

    def sure(self, texts: list[str], embeddings: np.ndarray, views: NgramViews | None = None) -> list[str | None]:
        """Like ``predict``, but None where the top probability is under ``min_confidence``."""
        probs = self.probabilities(texts, embeddings, views)
        floor = getattr(self, "min_confidence", None) or 0.0  # heads pickled before the field: never abstain
        return [self.classes[int(p.argmax())] if p.max() >= floor else None for p in probs]


class NgramViews:
    """The n-gram matrices of one list of texts, each vectorizer's computed once however many
    heads read it: the shipped heads share three vectorizer pairs among eight heads, so the
    cascade transformed every post 16 times where 6 do (and the encoder's share of them is a
    row slice of what the screen computed, see ``rows``)."""

    def __init__(self, texts: list[str]):
        self.texts = texts
        self._matrices: dict[int, tuple[object, object]] = {}  # id(vectorizer) -> (vectorizer, matrix)

    def of(self, vectorizer):
        held = self._matrices.get(id(vectorizer))
        if held is None:  # the vectorizer is kept too, so that its id is not reused meanwhile
            held = self._matrices[id(vectorizer)] = (vectorizer, vectorizer.transform(self.texts))
        return held[1]

    def rows(self, index: list[int]) -> NgramViews:
        """The views of ``[texts[i] for i in index]``: the matrices computed so far, sliced."""
        subset = NgramViews([self.texts[i] for i in index])
        subset._matrices = {key: (vectorizer, matrix[index]) for key, (vectorizer, matrix) in self._matrices.items()}
        return subset


def blend_complaint(head: Head, p_complaint: np.ndarray, p_negative: np.ndarray | None) -> np.ndarray:
    """The complaint probability: the complaint head's, blended with the sentiment head's
    P(negative) when training found that ranks complaints better (heads before it: as is)."""
    weight = getattr(head, "blend", None)
    if weight is None or p_negative is None:
        return p_complaint
    return weight * p_complaint + (1.0 - weight) * p_negative


def complaint_probabilities(heads: dict[str, Head], texts: list[str], embeddings: np.ndarray) -> np.ndarray:
    head = heads["complaint"]
    p_complaint = head.probabilities(texts, embeddings)[:, head.classes.index("complaint")]
    sentiment = heads.get("sentiment")
    p_negative = None
    if sentiment is not None and "negative" in sentiment.classes:
        p_negative = sentiment.probabilities(texts, embeddings)[:, sentiment.classes.index("negative")]
    return blend_complaint(head, p_complaint, p_negative)


def _matrix(embeddings: np.ndarray | None, embedding_weight: float, word_matrix, char_matrix):
    """The head's input: scaled embedding, then word and character n-grams. A weight of 0 makes
    an n-grams-only head (the screen), which needs no embedding at all."""
    from scipy.sparse import csr_matrix, hstack

    blocks = [word_matrix, char_matrix]
    if embedding_weight:
        blocks.insert(0, csr_matrix(embeddings * embedding_weight))
    return hstack(blocks).tocsr()


def vectorizers():
    from sklearn.feature_extraction.text import TfidfVectorizer

    words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, preprocessor=normalise)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=3, sublinear_tf=True,
                            preprocessor=normalise, max_features=200_000)
    return words, chars


def fit_sparse(texts: list[str]):
    """The word and character n-gram vectorizers fitted on ``texts``, and what they make of them."""
    words, chars = vectorizers()
    return words, chars, (words.fit_transform(texts), chars.fit_transform(texts))


def fit_head(task: str, texts: list[str], embeddings: np.ndarray | None, labels: list[str], *, c: float, seed: int,
             embedding_weight: float = EMBEDDING_WEIGHTS[0], weights: list[float] | None = None,
             balanced: bool = False) -> Head:
    """One head, its n-gram vocabularies fitted on ``texts`` (a grid shares them: ``train.fit_grid``).
    ``balanced``: classes weighted as if equally frequent (the training mix says nothing about a
    real stream's)."""
    words, chars, (word_matrix, char_matrix) = fit_sparse(texts)
    model = fit_model(embeddings, word_matrix, char_matrix, labels, c=c, seed=seed,
                      embedding_weight=embedding_weight, weights=weights, balanced=balanced)
    return Head(task, words, chars, model, embedding_weight=embedding_weight)


def fit_model(embeddings: np.ndarray | None, word_matrix, char_matrix, labels: list[str], *, c: float, seed: int,
              embedding_weight: float, weights: list[float] | None = None, balanced: bool = False):
    """The linear model of one head, from the n-gram matrices ``fit_sparse`` made: a function of
    its arguments only, so that a grid's points can be fitted in separate processes
    (``train.fit_grid``) and give the very model a sequential fit gives."""
    from sklearn.linear_model import LogisticRegression

    matrix = _matrix(embeddings, embedding_weight, word_matrix, char_matrix)
    return LogisticRegression(C=c, max_iter=3000, random_state=seed, class_weight="balanced" if balanced else None
                              ).fit(matrix, labels, sample_weight=weights)


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def save_heads(directory: Path, heads: dict[str, Head], info: dict) -> Path:
    """Each head in its own file, with the n-gram vocabularies it shares with other heads saved
    once beside them (``ngrams-*.pkl.xz``) and its coefficients as float32: the heads of one
    training run share two or three vocabularies, and stored per head they made up most of
    the shipped folder's size. All is deterministic, so a rebuild is byte-identical."""
    directory.mkdir(parents=True, exist_ok=True)
    files, shared = {}, {}
    for task, head in heads.items():
        stored = copy.copy(head)  # the caller's head keeps its own vectorizers and float64 weights
        for view in ("words", "chars"):
            stored_name = _save_vectorizer(directory, getattr(head, view), shared)
            setattr(stored, view, SharedVectorizer(stored_name))
        stored.model = _float32_weights(head.model)
        path = directory / f"{task}{SUFFIX}"
        _write(path, stored)
        files[task] = {"file": path.name, "sha256": sha256_file(path)}
    manifest = directory / MANIFEST
    manifest.write_text(json.dumps({**info, "heads": files, "ngrams": shared}, indent=2), encoding="utf-8")
    return manifest


@dataclass(frozen=True)
class SharedVectorizer:
    """Stands in a saved head for a vectorizer stored once in ``file`` (see ``save_heads``)."""

    file: str


def _save_vectorizer(directory: Path, vectorizer, shared: dict[str, str]) -> str:
    # The n-grams min_df pruned: kept by scikit-learn only for introspection, and most of a
    # pickled vectorizer's size (see TfidfVectorizer's docs).
    if hasattr(vectorizer, "stop_words_"):
        vectorizer.stop_words_ = None
    # id() of a list in memory, only for scikit-learn's own warning check: it would make every
    # rebuild differ by a few bytes.
    vectorizer.__dict__.pop("_stop_words_id", None)
    # Named by its content: the heads fitted on the same texts find the same file.
    digest = hashlib.sha256(pickle.dumps(vectorizer, protocol=4)).hexdigest()
    name = f"ngrams-{digest[:16]}{SUFFIX}"
    if name not in shared:
        _write(directory / name, vectorizer)
        shared[name] = sha256_file(directory / name)
    return name


def _float32_weights(model):
    """A copy of a fitted linear model with float32 coefficients: half the bytes, and the
    probabilities move by about 1e-7 (the features stay float64; numpy widens the product)."""
    stored = copy.copy(model)
    stored.coef_ = np.asarray(model.coef_, dtype=np.float32)
    return stored


#: Heads and vocabularies are pickled (protocol 5) and xz-compressed: 40% smaller than zlib,
#: deterministic, and read back by the C unpickler in 0.6 s. joblib's xz files, which heads were
#: saved as before (``.joblib``, still loaded), go through joblib's pure-Python unpickler: 2.2 s
#: at every start of the cascade for the same eight heads.
SUFFIX = ".pkl.xz"


def _write(path: Path, obj) -> None:
    path.write_bytes(lzma.compress(pickle.dumps(obj, protocol=5), preset=6))


def _read(path: Path):
    """Unpickle a heads file (only after its SHA-256 was checked: see ``load_heads``)."""
    if path.name.endswith(".joblib"):
        import joblib

        return joblib.load(path)
    return pickle.loads(lzma.decompress(path.read_bytes()))


def load_heads(directory: Path) -> tuple[dict[str, Head], dict]:
    manifest_path = directory / MANIFEST
    if not manifest_path.is_file():
        raise HeadsUnavailable(f"no trained heads in {directory} (run `mentiondesk train`)")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    shared_hashes = manifest.get("ngrams", {})
    vectorizers: dict[str, object] = {}

    def checked(name: str, expected: str | None):
        path = directory / name
        if not path.is_file() or expected is None or sha256_file(path) != expected:
            raise HeadsUnavailable(f"{path} is missing or does not match its SHA-256 in {MANIFEST}; "
                                   "retrain with `mentiondesk train`")
        return _read(path)

    heads = {}
    for task, entry in manifest.get("heads", {}).items():
        head = checked(entry["file"], entry["sha256"])
        for view in ("words", "chars"):
            reference = getattr(head, view)
            if isinstance(reference, SharedVectorizer):  # heads saved before: vectorizers inline
                if reference.file not in vectorizers:
                    vectorizers[reference.file] = checked(reference.file, shared_hashes.get(reference.file))
                setattr(head, view, vectorizers[reference.file])
        heads[task] = head
    return heads, manifest

"""Labeled data for the heads, read from the shared data folder (never shipped in the package).

Every task gets a deterministic three-way split decided by a hash of the normalised text:
duplicates of a tweet always land on the same side, and the ``eval`` part is never used for
training or for tuning thresholds (``tune`` is for that).
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

TASKS = ("sentiment", "complaint", "topic", "spam")
EVAL_SHARE, TUNE_SHARE = 20, 15  # percent of each data set


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    split: str  # train | tune | eval
    source: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)


class DataError(RuntimeError):
    pass


def split_of(text: str, salt: str) -> str:
    key = " ".join(re.sub(r"https?://\S+|@\w+", "", text.lower()).split())
    bucket = int.from_bytes(hashlib.blake2b(f"{salt}:{key}".encode(), digest_size=4).digest(), "big") % 100
    if bucket < EVAL_SHARE:
        return "eval"
    return "tune" if bucket < EVAL_SHARE + TUNE_SHARE else "train"


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise DataError(f"{path} not found (point --data at the shared data folder)")
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def airline(data_dir: Path, task: str) -> list[Example]:
    """Tweets to US airlines: sentiment (3 classes), complaint (negative or not), topic (reason)."""
    out = []
    for row in _read_csv(data_dir / "airline" / "train.csv"):
        text, sentiment, reason = row["text"], row["airline_sentiment"], row["negativereason"]
        if task == "sentiment":
            label = sentiment
        elif task == "complaint":
            label = "complaint" if sentiment == "negative" else "other"
        elif task == "topic":
            if not reason or reason == "Can't Tell":
                continue
            label = reason
        else:
            raise DataError(f"the airline set has no {task!r} labels")
        extra = {}
        if task == "topic":
            # More than half of the reasons have an annotator confidence under 0.7; a head that
            # trusts the sure ones more does better also on the unsure ones (measured on tune).
            extra["weight"] = _confidence(row.get("negativereason_confidence")) ** 2
        out.append(Example(text, label, split_of(text, "airline"), "airline", extra))
    return out


def _confidence(value: str | None) -> float:
    try:
        return min(max(float(value or 1.0), 0.05), 1.0)
    except ValueError:
        return 1.0


def spam(data_dir: Path) -> list[Example]:
    """Tweets labeled Spam / Quality. Only the text is used: in this set almost every Quality
    tweet has 0 followers, a collection artefact a model must not learn."""
    out = []
    for row in _read_csv(data_dir / "twitter_spam_utkml" / "train.csv"):
        text = row["Tweet"]
        out.append(Example(text, "spam" if row["Type"] == "Spam" else "quality", split_of(text, "spam"), "utkml"))
    return out


def load(task: str, data_dir: Path) -> list[Example]:
    if task not in TASKS:
        raise DataError(f"unknown task {task!r}; known: {', '.join(TASKS)}")
    return spam(data_dir) if task == "spam" else airline(data_dir, task)


def load_jsonl(path: Path) -> list[Example]:
    """A labeled file of your own: one JSON object per line with ``text`` and ``label``."""
    import json

    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            out.append(Example(str(item["text"]), str(item["label"]), "eval", path.name))
        except (ValueError, KeyError, TypeError) as exc:
            raise DataError(f"{path}:{number}: expected a JSON object with text and label ({exc})") from None
    return out

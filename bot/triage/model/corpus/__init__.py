"""The project's own labeled social mentions, plus two permissively licensed public sets.

Everything here may be redistributed (see README.md in this folder): ``mentions.jsonl`` is
written by ``build.py`` from the project's own templates (MIT, like the code), ``testset.jsonl``
is a hand-written held-out set (never train on it), and ``public/`` holds BANKING77 and the
UCI SMS Spam Collection, both CC BY 4.0, unchanged, with their attribution.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from bot.triage.model.datasets import DataError

FIELDS = ("id", "text", "lang", "intent", "sentiment", "topic", "spam", "abusive", "tags")


def corpus_dir() -> Path:
    return Path(__file__).resolve().parent


def load_mentions(path: Path | str | None = None) -> list[dict]:
    """Rows of a corpus file (default: the generated ``mentions.jsonl``), each checked."""
    from bot.triage.model.corpus.build import INTENTS, LANGS, SENTIMENTS, TAGS, TOPICS

    path = Path(path) if path is not None else corpus_dir() / "mentions.jsonl"
    if not path.is_file():
        raise DataError(f"{path} not found (run python -m bot.triage.model.corpus.build)")
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise DataError(f"{where}: not valid JSON ({exc})") from None
        if not isinstance(row, dict):
            raise DataError(f"{where}: expected a JSON object, got {type(row).__name__}")
        missing = [name for name in FIELDS if name not in row]
        if missing:
            raise DataError(f"{where}: missing field(s) {', '.join(missing)}")
        problems = []
        if not isinstance(row["text"], str) or not row["text"].strip():
            problems.append("text must be a non-empty string")
        for name, allowed in (("lang", LANGS), ("intent", INTENTS), ("sentiment", SENTIMENTS)):
            if row[name] not in allowed:
                problems.append(f"{name} {row[name]!r} is not one of {', '.join(allowed)}")
        if row["topic"] is not None and row["topic"] not in TOPICS:
            problems.append(f"topic {row['topic']!r} is not one of {', '.join(TOPICS)} or null")
        for name in ("spam", "abusive"):
            if not isinstance(row[name], bool):
                problems.append(f"{name} must be true or false")
        if not isinstance(row["tags"], list) or any(tag not in TAGS for tag in row["tags"]):
            problems.append(f"tags must be a list of {', '.join(TAGS)}")
        if row["spam"] is not (row["intent"] == "spam"):
            problems.append("spam must be true exactly when intent is spam")
        if problems:
            raise DataError(f"{where}: {'; '.join(problems)}")
        rows.append(row)
    return rows


def load_testset() -> list[dict]:
    """The hand-written held-out mentions: for measuring, never for training."""
    return load_mentions(corpus_dir() / "testset.jsonl")


def written_files() -> list[Path]:
    """The hand-written training slices (``written/*.jsonl``), in name order."""
    return sorted((corpus_dir() / "written").glob("*.jsonl"))


def load_written() -> list[dict]:
    """Mentions written one by one (not from templates), for training: they read like real
    posts, which the templated ``mentions.jsonl`` alone does not teach (see README.md)."""
    return [row for path in written_files() for row in load_mentions(path)]


def load_written_testset() -> list[dict]:
    """A second held-out set, English, written post by post: brand-addressed spam and the
    legitimate posts it must not be confused with. For measuring, never for training."""
    return load_mentions(corpus_dir() / "testset_written_en.jsonl")


def load_banking77(path: Path | str | None = None) -> list[tuple[str, str]]:
    """BANKING77 train split (PolyAI, CC BY 4.0): (question, intent category) pairs."""
    path = Path(path) if path is not None else corpus_dir() / "public" / "banking77" / "train.csv"
    if not path.is_file():
        raise DataError(f"{path} not found")
    out = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header != ["text", "category"]:
            raise DataError(f"{path}:1: expected the header text,category, got {header}")
        for number, row in enumerate(reader, start=2):
            if len(row) != 2 or not row[0].strip() or not row[1].strip():
                raise DataError(f"{path}:{number}: expected two non-empty columns text,category, got {row}")
            out.append((row[0], row[1]))
    return out


def load_sms_spam(path: Path | str | None = None) -> list[tuple[str, str]]:
    """UCI SMS Spam Collection (CC BY 4.0): (message, 'spam' | 'ham') pairs."""
    path = Path(path) if path is not None else corpus_dir() / "public" / "sms_spam" / "SMSSpamCollection"
    if not path.is_file():
        raise DataError(f"{path} not found")
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        label, tab, text = line.partition("\t")
        if not tab or label not in ("spam", "ham") or not text.strip():
            raise DataError(f"{path}:{number}: expected 'spam' or 'ham', a tab and the message")
        out.append((text, label))
    return out

"""The shipped heads' training data: the project's own corpus plus two CC BY 4.0 public sets.

Everything here may be redistributed with the product (see MODEL_CARD.md and the corpus README):

- ``corpus/mentions.jsonl``: mentions the project wrote (its generator is ``corpus/build.py``),
  labeled for every task: sentiment, complaint, topic, spam and abusive;
- ``corpus/written/*.jsonl``: mentions the project wrote one by one, labeled the same way. They
  read like real posts (the templates do not), so thresholds and regularisation are chosen on
  their tune split alone (``REALISTIC_TUNE``);
- ``corpus/public/SMSSpamCollection`` (UCI SMS Spam Collection, CC BY 4.0): more spam styles
  for the spam head, its ham as non-spam;
- ``corpus/public/banking77.csv`` (PolyAI banking77, CC BY 4.0): real customer-service
  questions, as non-spam for the spam head (a customer asking about a card payment must never
  look like promotion). A sample is used: the set is large and every text costs an encoding.

Each task gets the same deterministic three-way split as the public data (``datasets.split_of``,
salted per source): ``train`` fits, ``tune`` chooses thresholds, ``eval`` is reported by
`mentiondesk eval --corpus`. The hand-written ``corpus/testset.jsonl`` is never trained on.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import replace
from functools import lru_cache

from bot.triage.model.datasets import Example, split_of

# Intents that need an answer because something went wrong: the complaint head's positive class.
COMPLAINT_INTENTS = {"complaint", "crisis", "urgent"}
PROJECT_TASKS = ("sentiment", "complaint", "topic", "spam", "abusive")
BANKING77_SAMPLE = 2500
SEED = 13


def masked(text: str) -> str:
    """The text as the heads read it in triage: the brand's own handles are ``@brand`` there
    (``BrandMatcher.mask``), so the corpus's brands are masked the same way for training."""
    return _brand_handles().sub("@brand", text)


@lru_cache(maxsize=1)
def _brand_handles() -> re.Pattern:
    from bot.triage.model.corpus.build import BRANDS

    handles = sorted({h.lstrip("@") for b in BRANDS for h in b.handles}, key=len, reverse=True)
    return re.compile(r"@(?:%s)\b" % "|".join(map(re.escape, handles)), re.IGNORECASE)


# Where a head's tuning examples come from: only the written posts, which read like real ones. A
# templated tune split scores 0.96-0.98 whatever is chosen on it, so it cannot tell a head that
# generalises from one that learned the templates; its rows are trained on instead.
REALISTIC_TUNE = True
# A written post counts this many times a templated one in training: there are fewer of them,
# and each is a different sentence, where a template yields many posts worded alike.
WRITTEN_WEIGHT = 2.0
_HANDLE = re.compile(r"@\w+")
# A handle that this many written posts use is a brand's (a person's handle appears once or twice).
BRAND_HANDLE_POSTS = 3


def masked_written(row: dict, brand_handles: frozenset[str] | None = None) -> str:
    """A written post as triage shows it to the heads: the brands' handles become ``@brand``
    (triage masks the configured brand's), other people's handles stay as they are, as they
    do in triage ("@united @jen_k same here" reads "@brand @jen_k same here")."""
    brands = _written_brand_handles() if brand_handles is None else brand_handles
    return _HANDLE.sub(lambda m: "@brand" if m.group(0).lower() in brands else m.group(0), masked(row["text"]))


@lru_cache(maxsize=1)
def _written_brand_handles() -> frozenset[str]:
    from collections import Counter

    from bot.triage.model.corpus import load_written

    uses = Counter(h.lower() for row in load_written() for h in set(_HANDLE.findall(row["text"])))
    return frozenset(h for h, n in uses.items() if n >= BRAND_HANDLE_POSTS and h != "@user")


# Real customers attach photos and screenshots: on X every one is a t.co link. Written spam
# carries links far more often than the written customers do, so a head trained on them alone
# learns "a link is spam" and drops a customer's photo of a broken seat. This share of the
# non-spam written posts is trained on a second time with a link added (same split, same label).
LINKED_SHARE = 0.35
_LINK_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def with_photo_link(text: str) -> str | None:
    """``text`` with a photo link appended, or None when this post is not one of the share
    that gets one (decided by a hash of the text: the same posts in every run)."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    if digest[0] / 256 >= LINKED_SHARE or "http" in text or "t.co/" in text:
        return None
    slug = "".join(_LINK_CHARS[b % len(_LINK_CHARS)] for b in digest[1:11])
    return f"{text} https://t.co/{slug}" if digest[11] % 3 else f"{text} pic.twitter.com/{slug}"


def linked_copies(examples: list[Example]) -> list[Example]:
    """The photo-link copies of the non-spam examples (``with_photo_link``)."""
    out = []
    for e in examples:
        if e.label != "spam" and (linked := with_photo_link(e.text)) is not None:
            out.append(replace(e, text=linked, extra={**e.extra, "linked_copy": True}))
    return out


def corpus_examples(rows: list[dict], task: str, salt: str = "corpus", source: str = "corpus",
                    mask=None) -> list[Example]:
    """One task's examples from corpus rows (``mentions.jsonl``, ``written/``, ``testset.jsonl``)."""
    out = []
    for row in rows:
        text = (mask or (lambda r: masked(r["text"])))(row)
        is_spam = row["intent"] == "spam" or bool(row.get("spam"))
        if task == "spam":
            label = "spam" if is_spam else "quality"
        elif is_spam:
            continue  # a spam post's sentiment, complaint or topic teaches nothing
        elif task == "sentiment":
            label = row["sentiment"]
        elif task == "complaint":
            label = "complaint" if row["intent"] in COMPLAINT_INTENTS else "other"
        elif task == "topic":
            if not row.get("topic"):
                continue
            label = row["topic"]
        elif task == "abusive":
            label = "abusive" if row.get("abusive") else "clean"
        else:
            raise ValueError(f"unknown task {task!r}")
        out.append(Example(text, label, split_of(text, salt), source, {"lang": row.get("lang", "en")}))
    return out


def public_spam_examples() -> list[Example]:
    from bot.triage.model.corpus import load_banking77, load_sms_spam

    out = [Example(text, "spam" if label == "spam" else "quality", split_of(text, "sms"), "sms_spam")
           for text, label in load_sms_spam()]
    banking = load_banking77()
    picked = sorted(random.Random(SEED).sample(range(len(banking)), min(BANKING77_SAMPLE, len(banking))))
    out += [Example(banking[i][0], "quality", split_of(banking[i][0], "banking77"), "banking77") for i in picked]
    return out


def project_examples(task: str) -> list[Example]:
    """The examples the shipped ``task`` head is trained, tuned and checked on."""
    from bot.triage.model.corpus import load_mentions, load_written

    examples = corpus_examples(load_mentions(), task)
    if task == "spam":
        examples += public_spam_examples()
    written = [replace(e, extra={**e.extra, "weight": WRITTEN_WEIGHT})
               for e in corpus_examples(load_written(), task, salt="written", source="written", mask=masked_written)]
    written += linked_copies(written)
    if REALISTIC_TUNE and any(e.split == "tune" for e in written):
        examples = [e if e.split != "tune" else replace(e, split="train") for e in examples]
    return examples + written

"""The shipped heads' training data: the project's own corpus plus two CC BY 4.0 public sets.

Everything here may be redistributed with the product (see MODEL_CARD.md and the corpus README):

- ``corpus/mentions.jsonl``: mentions the project wrote (its generator is ``corpus/build.py``),
  labeled for every task: sentiment, complaint, topic, spam and abusive;
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

import random

from bot.triage.model.datasets import Example, split_of

# Intents that need an answer because something went wrong: the complaint head's positive class.
COMPLAINT_INTENTS = {"complaint", "crisis", "urgent"}
PROJECT_TASKS = ("sentiment", "complaint", "topic", "spam", "abusive")
BANKING77_SAMPLE = 2500
SEED = 13


def corpus_examples(rows: list[dict], task: str, salt: str = "corpus") -> list[Example]:
    """One task's examples from corpus rows (``mentions.jsonl`` or ``testset.jsonl``)."""
    out = []
    for row in rows:
        text, is_spam = row["text"], row["intent"] == "spam" or bool(row.get("spam"))
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
        out.append(Example(text, label, split_of(text, salt), "corpus", {"lang": row.get("lang", "en")}))
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
    from bot.triage.model.corpus import load_mentions

    examples = corpus_examples(load_mentions(), task)
    if task == "spam":
        examples += public_spam_examples()
    return examples

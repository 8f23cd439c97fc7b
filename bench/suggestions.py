"""How often is the right canned response among the three suggested answers?

Ranks the bundled config's canned responses for each post of a labeled set of our own
(``bench/data/suggestions_labeled.jsonl``: a post and the canned response an agent would start
from) with the TF-IDF ranking and, when the model extra is installed, the triage encoder
(bot/desk/suggest.py), and prints top-1 and top-3 hit rates for each.

    PYTHONPATH=$PWD python bench/suggestions.py
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from bot.core.config import load_config
from bot.desk.suggest import EncoderRanker, TfidfRanker, canned_candidates, rank

DATA = Path(__file__).parent / "data" / "suggestions_labeled.jsonl"


def measure(ranker, examples, canned) -> tuple[float, float, float]:
    top1 = top3 = 0
    start = time.perf_counter()
    for example in examples:
        ids = [s.canned_id for s in rank(example["text"], canned_candidates(canned), ranker).items]
        top1 += ids[:1] == [example["canned"]]
        top3 += example["canned"] in ids
    return top1 / len(examples), top3 / len(examples), (time.perf_counter() - start) / len(examples)


def main() -> int:
    examples = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    canned = load_config().canned_responses
    rankers = [TfidfRanker()]
    try:
        from bot.triage.model.encoder import Encoder, ModelUnavailable

        rankers.append(EncoderRanker(Encoder()))
    except (ImportError, ModelUnavailable) as exc:
        print(f"encoder ranking skipped: {exc}")
    print(f"{len(examples)} labeled posts, {len(canned)} canned responses")
    for ranker in rankers:
        top1, top3, seconds = measure(ranker, examples, canned)
        print(f"{ranker.name:8s} top-1 {top1:.0%}  top-3 {top3:.0%}  {seconds * 1000:.1f} ms per post")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Fine-tuning the encoder on several tasks at once (`mentiondesk train --fine-tune N`).

Frozen MiniLM embeddings are general-purpose; a few epochs on labeled customer tweets teach
the encoder what matters in this domain (sarcasm, "still waiting", flight numbers, a lost bag
against a damaged one). One encoder serves every head at run time, so it is tuned on the
tasks together: each task gets a throw-away linear layer on the pooled embedding and the
losses of the tasks a post is labeled for are added. The result is saved next to the heads
with its SHA-256 in the manifest and loaded instead of the packaged weights; the heads are
then fitted on the fine-tuned embeddings.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np

from bot.triage.model.datasets import Example
from bot.triage.model.encoder import package_model_dir, verify_weights

log = logging.getLogger(__name__)

# Tasks the encoder learns from; complaint is sentiment seen from one side and adds nothing.
FINE_TUNE_TASKS = ("sentiment", "topic")
IGNORE = -100  # a post not labeled for a task (torch's cross-entropy skips it)
BUCKET_BATCHES = 20  # batches whose posts are sorted by length together (less padding)


def _normalise(text: str) -> str:
    return re.sub(r"@\w+", "@user", re.sub(r"https?://\S+", "http", text))


def training_items(examples: dict[str, list[Example]]) -> tuple[list[tuple[str, list[int]]], dict[str, list[str]]]:
    """(text, one label index per task or IGNORE) for every training post, and each task's labels."""
    labels = {task: sorted({e.label for e in found if e.split == "train"}) for task, found in examples.items()}
    labels = {task: names for task, names in labels.items() if len(names) >= 2}
    tasks = list(labels)
    by_text: dict[str, list[int]] = {}
    for position, task in enumerate(tasks):
        for example in examples[task]:
            if example.split != "train":
                continue
            row = by_text.setdefault(example.text, [IGNORE] * len(tasks))
            row[position] = labels[task].index(example.label)
    return list(by_text.items()), labels


def batches(items: list, batch_size: int, rng: np.random.RandomState) -> list[list[int]]:
    """Shuffled batches of item indexes; within each bucket, posts of similar length together."""
    order = rng.permutation(len(items))
    out = []
    for start in range(0, len(order), batch_size * BUCKET_BATCHES):
        bucket = sorted(order[start:start + batch_size * BUCKET_BATCHES], key=lambda i: len(items[i][0]))
        out += [bucket[k:k + batch_size] for k in range(0, len(bucket), batch_size)]
    rng.shuffle(out)
    return out


def fine_tune(examples: dict[str, list[Example]], out_dir: Path, *, epochs: int = 3, batch_size: int = 32,
              learning_rate: float = 8e-5, seed: int = 13, max_length: int = 64, threads: int = 2,
              on_step: Callable[[int], None] | None = None) -> Path:
    """Fine-tune the packaged encoder on ``examples`` (task -> examples); returns the saved folder."""
    import torch
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    base = package_model_dir()
    verify_weights(base)  # only the official weights are ever a starting point
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    tokenizer = AutoTokenizer.from_pretrained(base, local_files_only=True)
    encoder = AutoModel.from_pretrained(base, local_files_only=True)
    items, labels = training_items(examples)
    if not items or not labels:
        raise ValueError("nothing to fine-tune on: no task has training examples with two labels or more")
    heads = torch.nn.ModuleList(torch.nn.Linear(encoder.config.hidden_size, len(names)) for names in labels.values())
    dropout = torch.nn.Dropout(0.1)
    parameters = list(encoder.parameters()) + list(heads.parameters())
    optimiser = torch.optim.AdamW(parameters, lr=learning_rate, weight_decay=0.01)
    steps = epochs * ((len(items) + batch_size - 1) // batch_size)
    warmup = max(1, int(0.06 * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (steps - s) / steps))
    rng = np.random.RandomState(seed)
    encoder.train()
    log.info("fine-tuning on %d posts for %s, %d epochs", len(items), ", ".join(labels), epochs)
    for _ in range(epochs):
        for batch_index in batches(items, batch_size, rng):
            batch = [items[i] for i in batch_index]
            inputs = tokenizer([_normalise(text) for text, _ in batch], padding=True, truncation=True,
                               max_length=max_length, return_tensors="pt")
            hidden = encoder(**inputs).last_hidden_state
            mask = inputs["attention_mask"].unsqueeze(-1).float()
            pooled = dropout((hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9))
            loss = pooled.new_zeros(())
            for position, head in enumerate(heads):
                target = torch.tensor([row[position] for _, row in batch])
                if (target != IGNORE).any():
                    loss = loss + torch.nn.functional.cross_entropy(head(pooled), target, ignore_index=IGNORE)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(parameters, 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            if on_step:
                on_step(len(batch))
    encoder.eval()
    target_dir = out_dir / "encoder"
    target_dir.mkdir(parents=True, exist_ok=True)
    encoder.save_pretrained(target_dir)
    tokenizer.save_pretrained(target_dir)
    log.info("fine-tuned encoder saved to %s", target_dir)
    return target_dir

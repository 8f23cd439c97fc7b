"""Fine-tuning the encoder on the sentiment task (`mentiondesk train --fine-tune`).

Frozen MiniLM embeddings are general-purpose; a few epochs on labeled customer tweets teach
the encoder what matters in this domain (sarcasm, "still waiting", flight numbers). The result
is saved next to the heads with its SHA-256 in the manifest and loaded instead of the packaged
weights; the heads are then fitted on the fine-tuned embeddings.
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

SENTIMENT_LABELS = ["negative", "neutral", "positive"]


def _normalise(text: str) -> str:
    return re.sub(r"@\w+", "@user", re.sub(r"https?://\S+", "http", text))


def fine_tune(examples: list[Example], out_dir: Path, *, epochs: int = 3, batch_size: int = 32,
              learning_rate: float = 8e-5, seed: int = 13, max_length: int = 64, threads: int = 2,
              on_step: Callable[[int], None] | None = None) -> Path:
    """Fine-tune the packaged encoder with a sentiment head; returns the saved encoder folder."""
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
    head = torch.nn.Linear(encoder.config.hidden_size, len(SENTIMENT_LABELS))
    dropout = torch.nn.Dropout(0.1)
    train = [e for e in examples if e.split == "train" and e.label in SENTIMENT_LABELS]
    parameters = list(encoder.parameters()) + list(head.parameters())
    optimiser = torch.optim.AdamW(parameters, lr=learning_rate, weight_decay=0.01)
    steps = epochs * ((len(train) + batch_size - 1) // batch_size)
    warmup = max(1, int(0.06 * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (steps - s) / steps))
    rng = np.random.RandomState(seed)
    encoder.train()
    for _ in range(epochs):
        order = rng.permutation(len(train))
        for start in range(0, len(order), batch_size):
            batch = [train[i] for i in order[start:start + batch_size]]
            inputs = tokenizer([_normalise(e.text) for e in batch], padding=True, truncation=True,
                               max_length=max_length, return_tensors="pt")
            target = torch.tensor([SENTIMENT_LABELS.index(e.label) for e in batch])
            hidden = encoder(**inputs).last_hidden_state
            mask = inputs["attention_mask"].unsqueeze(-1).float()
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            loss = torch.nn.functional.cross_entropy(head(dropout(pooled)), target)
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

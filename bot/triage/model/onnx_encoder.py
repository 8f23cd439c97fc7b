"""The same encoder on ONNX Runtime: MiniLM, mean pooling and normalisation in one graph.

Measured before choosing (``bench/encoder_backends.py``, 2,000 airline tweets, 2 cores): ONNX
Runtime in fp32 encodes 158 posts/s against torch's 152 (220 against 201 on the short synthetic
posts of ``bench/triage.py``), gives the same embeddings (cosine 1.0000, so every head decides
as on torch) and peaks lower in a running replica (695 MB against 739). Int8 quantization,
torch's or ONNX Runtime's, is ~1.5x faster but changes 3-5% of complaint and sentiment
decisions and 12-16% of topics, so it is not used.

`mentiondesk train` exports the encoder the heads were fitted on into the heads folder, checks
the export against torch on probe texts of several lengths, and records the file's SHA-256 in
the manifest. At start-up the cascade loads it when onnxruntime is installed; otherwise, or with
``triage.model.backend: torch``, it runs on torch as before.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np

from bot.triage.model.batching import MAX_ROWS, length_batches, padded
from bot.triage.model.encoder import DIMENSIONS, Encoder, ModelUnavailable, WordPieceTokenizer, sha256_of

log = logging.getLogger(__name__)

ONNX_FILE = "encoder.onnx"
# The export must give torch's embeddings: anything less and the heads could decide otherwise.
MIN_COSINE = 0.9999
PROBES = [
    "ok", "@SkylarkAir thanks!", "my flight was delayed five hours and nobody told us anything",
    "@SkylarkAir lost my bag in Lisbon, file LIS-88213, three days and no news. Where is it? 😡 #fail",
    " ".join(["the gate agent rebooked me onto a later flight and then cancelled that one too"] * 6),
]


def onnxruntime_available() -> bool:
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


class OnnxEncoder:
    """``Encoder``'s interface (``encode``) on an ONNX Runtime session."""

    def __init__(self, onnx_path: Path, tokenizer_dir: Path, *, expected_sha256: str, threads: int | None = None,
                 max_length: int = 64, batch_size: int = MAX_ROWS):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        if not onnx_path.is_file():
            raise ModelUnavailable(f"{onnx_path} is missing")
        actual = sha256_of(onnx_path)
        if actual != expected_sha256:
            raise ModelUnavailable(f"{onnx_path} has SHA-256 {actual}, not the {expected_sha256} its training "
                                   "run recorded; refusing to load it")
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or min(2, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # No busy-waiting between operators: a spinning pool burns the cores that storage, the
        # database server and the n-gram screen need while the encoder works in the background
        # (100,000 posts into PostgreSQL: 127 s -> 111 s); alone it encodes 0-5% slower.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        self.path = onnx_path
        self.tokenizer = WordPieceTokenizer(tokenizer_dir, max_length)
        self.model_dir = tokenizer_dir
        self.max_length, self.batch_size = max_length, batch_size
        log.info("encoder on ONNX Runtime from %s (%d threads)", onnx_path, options.intra_op_num_threads)

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        token_ids = self.tokenizer.ids(texts)
        for index in length_batches([len(ids) for ids in token_ids], self.batch_size):
            ids, mask = padded(token_ids, index, self.tokenizer.pad_token_id)
            out[index] = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        return out


def export_onnx(encoder: Encoder, directory: Path) -> dict:
    """Export ``encoder`` to ``directory/encoder.onnx`` and check it gives the same embeddings;
    returns the manifest entry. Raises ``ModelUnavailable`` when the export does not match."""
    import torch

    class Pooled(torch.nn.Module):
        """The forward pass ``Encoder.encode`` does, as one module: hidden states, mean over
        the real tokens, L2 norm."""

        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask):
            hidden = self.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=1)

    path = directory / ONNX_FILE
    sample_ids = encoder.tokenizer.ids(PROBES[:2])
    input_ids, attention_mask = (torch.from_numpy(a) for a in padded(sample_ids, [0, 1], encoder.tokenizer.pad_token_id))
    import warnings

    with torch.inference_mode(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exporter's notes on opsets and tracing, not ours to act on
        torch.onnx.export(Pooled(encoder.model).eval(), (input_ids, attention_mask), str(path),
                          dynamo=False, opset_version=17, input_names=["input_ids", "attention_mask"],
                          output_names=["embedding"],
                          dynamic_axes={"input_ids": {0: "batch", 1: "tokens"},
                                        "attention_mask": {0: "batch", 1: "tokens"}, "embedding": {0: "batch"}})
    digest = sha256_of(path)
    exported = OnnxEncoder(path, encoder.model_dir, expected_sha256=digest, max_length=encoder.max_length)
    probes = PROBES * 3  # several batch shapes and lengths
    cosine = float(np.min(np.sum(exported.encode(probes) * encoder.encode(probes), axis=1)))
    if cosine < MIN_COSINE:
        path.unlink(missing_ok=True)
        raise ModelUnavailable(f"the ONNX export differs from torch (cosine {cosine:.5f} < {MIN_COSINE})")
    return {"file": ONNX_FILE, "sha256": digest, "min_cosine_to_torch": round(cosine, 6)}

"""Measure before choosing: the encoder on torch fp32, torch int8 (dynamic), ONNX Runtime fp32
(the export `mentiondesk train` writes) and ONNX Runtime int8 (its dynamic quantizer).

    .venv/bin/python bench/encoder_backends.py [--heads models/heads] [--n 2000] [--texts realistic]

All encode the same real-shaped posts (the airline tweets of the tuning split when the shared
data is there, else synthetic ones). Printed per backend: posts per second, and — what
matters — how often the trained heads decide the same way on its embeddings as on torch fp32's
(complaint yes/no, sentiment label, topic). Also ONNX Runtime fp32 with posts cut at 32 tokens
instead of 64 (less work per post). ``--texts realistic``: the posts the cascade really encodes
of bench/realistic.py's stream. Last line: JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # noqa: E402

import numpy as np  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402


def realistic_texts(n: int) -> list[str]:
    """The posts of bench/realistic.py's stream that the cascade hands to the encoder (the rules
    settle the rest): what the encoder really sees in production-shaped traffic."""
    from bench.realistic import stream
    from bot.core.config import load_config
    from bot.core.mention import parse_mention
    from bot.triage.pipeline import TriagePipeline

    pipeline = TriagePipeline(load_config(None))
    texts: list[str] = []
    size = n * 8
    while len(texts) < n:
        texts = pipeline.likely_model_texts([parse_mention(p) for p in stream(size, seed=11)])
        size *= 2
    return texts[:n]


def sample_texts(n: int) -> list[str]:
    data = Path(os.environ.get("MENTIONDESK_DATA", "../shared/data"))
    try:
        from bot.triage.model import datasets

        texts = [e.text for e in datasets.load("sentiment", data) if e.split == "tune"]
    except Exception:
        texts = []
    if not texts:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from triage import synthetic  # type: ignore

        texts = [m["text"] for m in synthetic(n)]
    return (texts * (n // max(len(texts), 1) + 1))[:n]


def decisions(heads: dict, texts: list[str], vectors: np.ndarray) -> dict[str, list[str]]:
    out = {}
    for task in ("complaint", "sentiment", "topic"):
        if task in heads:
            out[task] = heads[task].predict(texts, vectors)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heads", default=os.environ.get("MENTIONDESK_MODEL_DIR", "models/heads"))
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--texts", choices=("airline", "realistic"), default="airline",
                        help="airline: the tuning split's tweets; realistic: what the cascade encodes of "
                             "bench/realistic.py's stream")
    args = parser.parse_args()
    import torch

    from bot.triage.model.classifier import encoder_for
    from bot.triage.model.heads import load_heads

    heads, manifest = load_heads(Path(args.heads))
    encoder = encoder_for(Path(args.heads), manifest, backend="torch")
    texts = realistic_texts(args.n) if args.texts == "realistic" else sample_texts(args.n)
    console = Console()
    rows, results = [], {}

    def timed(label: str, backend) -> np.ndarray:
        backend.encode(texts[:64])  # warm-up
        start = time.perf_counter()
        vectors = backend.encode(texts)
        results[label] = {"per_s": round(len(texts) / (time.perf_counter() - start), 1)}
        return vectors

    def compare(label: str, vectors: np.ndarray) -> None:
        results[label]["cosine_to_fp32"] = round(float(np.mean(np.sum(reference * vectors, axis=1))), 4)
        for task, labels in decisions(heads, texts, vectors).items():
            same = float(np.mean([a == b for a, b in zip(labels, base[task])]))
            results[label][f"{task}_agreement"] = round(same, 4)

    reference = timed("torch fp32", encoder)
    base = decisions(heads, texts, reference)
    fp32_model = encoder.model
    encoder.model = torch.ao.quantization.quantize_dynamic(fp32_model, {torch.nn.Linear}, dtype=torch.qint8)
    compare("torch int8 dynamic", timed("torch int8 dynamic", encoder))
    encoder.model = fp32_model
    exported = manifest.get("onnx")
    if not exported:  # the shipped heads: the export built at first use and cached on this machine
        from bot.triage.model.classifier import encoder_for
        from bot.triage.model.encoder import sha256_of
        from bot.triage.model.onnx_encoder import OnnxEncoder

        cached = encoder_for(Path(args.heads), manifest)
        if isinstance(cached, OnnxEncoder):
            exported = {"file": str(cached.path.resolve()), "sha256": sha256_of(cached.path)}
    if exported:
        import tempfile

        from onnxruntime.quantization import QuantType, quantize_dynamic

        from bot.triage.model.onnx_encoder import OnnxEncoder

        onnx_path = Path(args.heads) / exported["file"]
        compare("onnxruntime fp32", timed("onnxruntime fp32", OnnxEncoder(
            onnx_path, encoder.model_dir, expected_sha256=exported["sha256"])))
        with tempfile.TemporaryDirectory() as tmp:
            quantized_path = Path(tmp) / "int8.onnx"
            quantize_dynamic(str(onnx_path), str(quantized_path), weight_type=QuantType.QInt8)
            from bot.triage.model.encoder import sha256_of

            compare("onnxruntime int8 dynamic", timed("onnxruntime int8 dynamic", OnnxEncoder(
                quantized_path, encoder.model_dir, expected_sha256=sha256_of(quantized_path))))
    else:
        console.print("[yellow]no ONNX export in these heads (retrain with onnxruntime installed)[/]")
    if exported:
        short = OnnxEncoder(onnx_path, encoder.model_dir, expected_sha256=exported["sha256"], max_length=32)
        compare("onnxruntime fp32, 32 tokens", timed("onnxruntime fp32, 32 tokens", short))
    table = Table(title=f"Encoder backends on {len(texts):,} posts ({torch.get_num_threads()} threads)")
    for column in ("backend", "posts/s", "cosine to fp32", "complaint same", "sentiment same", "topic same"):
        table.add_column(column, justify="left" if column == "backend" else "right")
    for label, r in results.items():
        rows.append(label)
        table.add_row(label, f"{r['per_s']:,.0f}", f"{r.get('cosine_to_fp32', 1.0):.4f}",
                      *(f"{r.get(f'{t}_agreement', 1.0):.1%}" for t in ("complaint", "sentiment", "topic")))
    console.print(table)
    print(json.dumps(results))


if __name__ == "__main__":
    main()

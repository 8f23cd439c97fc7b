"""Measure before choosing: the encoder in fp32 against a dynamically quantized int8 copy.

    .venv/bin/python bench/encoder_backends.py [--heads models/heads] [--n 2000]

Both encode the same real-shaped posts (the airline tweets of the tuning split when the shared
data is there, else synthetic ones). Printed per backend: posts per second, and — what
matters — how often the trained heads decide the same way on its embeddings as on fp32's
(complaint yes/no, sentiment label, topic). Last line: JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402


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
    args = parser.parse_args()
    import torch

    from bot.triage.model.classifier import encoder_for
    from bot.triage.model.heads import load_heads

    heads, manifest = load_heads(Path(args.heads))
    encoder = encoder_for(Path(args.heads), manifest)
    texts = sample_texts(args.n)
    console = Console()
    rows, results = [], {}

    def timed(label: str) -> np.ndarray:
        encoder.encode(texts[:64])  # warm-up
        start = time.perf_counter()
        vectors = encoder.encode(texts)
        results[label] = {"per_s": round(len(texts) / (time.perf_counter() - start), 1)}
        return vectors

    reference = timed("fp32")
    base = decisions(heads, texts, reference)
    fp32_model = encoder.model
    encoder.model = torch.ao.quantization.quantize_dynamic(fp32_model, {torch.nn.Linear}, dtype=torch.qint8)
    quantized = timed("int8 dynamic")
    encoder.model = fp32_model
    cosine = float(np.mean(np.sum(reference * quantized, axis=1)))
    results["int8 dynamic"]["cosine_to_fp32"] = round(cosine, 4)
    for task, labels in decisions(heads, texts, quantized).items():
        same = float(np.mean([a == b for a, b in zip(labels, base[task])]))
        results["int8 dynamic"][f"{task}_agreement"] = round(same, 4)
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

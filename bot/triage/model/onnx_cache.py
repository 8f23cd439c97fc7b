"""The encoder's ONNX export, built once per machine into a cache folder and reused.

The shipped heads do not carry an ONNX file (90 MB, and derived entirely from the packaged
MiniLM): the first process that needs it exports it, checks it against torch on probe texts
(``export_onnx``), records its SHA-256 beside it and moves it into place atomically. Later
processes, and the other replicas on the machine, load it after checking that SHA-256. A lock
file makes concurrent first starts build it once; a cache entry that fails its check is rebuilt.

Folder: ``$MENTIONDESK_CACHE_DIR``, else ``$XDG_CACHE_HOME/mentiondesk``, else
``~/.cache/mentiondesk``; one sub-folder per encoder checksum, so a fine-tuned encoder never
reuses another's export.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bot.triage.model.encoder import ModelUnavailable

log = logging.getLogger(__name__)

RECORD = "export.json"


def cache_root() -> Path:
    explicit = os.environ.get("MENTIONDESK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mentiondesk"


def export_dir(encoder_sha256: str) -> Path:
    return cache_root() / "onnx" / encoder_sha256[:16]


def say(message: str) -> None:
    """The progress line: on stderr, where a person starting the bot sees it, and in the log."""
    log.info(message)
    print(f"mentiondesk: {message}", file=sys.stderr, flush=True)


def cached_onnx_encoder(encoder_sha256: str, tokenizer_dir: Path, build_encoder: Callable[[], object],
                        *, announce: Callable[[str], None] = say):
    """The ONNX encoder for the torch encoder with weights ``encoder_sha256``: from the cache,
    or exported now from ``build_encoder()`` (a torch ``Encoder``) and cached."""
    from bot.triage.model.onnx_encoder import ONNX_FILE, OnnxEncoder

    folder = export_dir(encoder_sha256)
    loaded = _load(folder, tokenizer_dir, encoder_sha256)
    if loaded is not None:
        return loaded
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.parent / f"{folder.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another process may be building it right now
        loaded = _load(folder, tokenizer_dir, encoder_sha256)
        if loaded is not None:
            return loaded
        announce(f"building the ONNX encoder once (a few seconds) into {folder}")
        started = time.monotonic()
        from bot.triage.model.onnx_encoder import export_onnx

        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
        try:
            entry = export_onnx(build_encoder(), staging)
            (staging / RECORD).write_text(json.dumps({**entry, "encoder_sha256": encoder_sha256}, indent=2),
                                          encoding="utf-8")
            if folder.exists():
                shutil.rmtree(folder)  # an entry that failed its check
            os.replace(staging, folder)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        announce(f"ONNX encoder built and checked against torch (cosine ≥ {entry['min_cosine_to_torch']}) "
                 f"in {time.monotonic() - started:.0f} s")
        return OnnxEncoder(folder / ONNX_FILE, tokenizer_dir, expected_sha256=entry["sha256"])


def _load(folder: Path, tokenizer_dir: Path, encoder_sha256: str):
    from bot.triage.model.onnx_encoder import ONNX_FILE, OnnxEncoder

    record = folder / RECORD
    if not record.is_file():
        return None
    try:
        entry = json.loads(record.read_text(encoding="utf-8"))
        if entry.get("encoder_sha256") != encoder_sha256:
            raise ModelUnavailable(f"{record} was exported from another encoder")
        return OnnxEncoder(folder / ONNX_FILE, tokenizer_dir, expected_sha256=entry["sha256"])
    except (ModelUnavailable, ValueError, KeyError, OSError) as exc:
        log.warning("cached ONNX encoder in %s is unusable (%s); rebuilding it", folder, exc)
        return None

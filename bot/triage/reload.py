"""Swap the pipeline's classifier when a new set of heads is installed, without a restart.

Every replica watches the manifest of the heads folder triage loads (``installed_heads_dir``);
when it changes (a desk retrain installed a new set, here or in another replica sharing the
folder) the new classifier is built off to the side, in the watcher's thread, and only then
swapped in with one attribute assignment. A batch being triaged keeps the classifier it
started with (``TriagePipeline`` reads ``self.classifier`` once per batch); the next batch gets
the new one. A set that cannot be loaded (half-copied, checksum mismatch) is logged and the
running classifier stays.

When the new set runs on the same encoder as the running one (the usual desk retrain: same
weights, same ONNX export), the loaded encoder is reused: a reload then costs the heads only.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from bot.core.config import Config
from bot.core.settings import Settings
from bot.triage.select import build_classifier, installed_heads_dir

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"


def manifest_signature(heads_dir: Path) -> str | None:
    """A hash of the set's manifest (it lists every file's SHA-256): changes with any new set."""
    try:
        return hashlib.sha256((heads_dir / MANIFEST).read_bytes()).hexdigest()
    except OSError:
        return None


def _encoder_identity(manifest: dict) -> tuple:
    fine_tuned, onnx = manifest.get("encoder"), manifest.get("onnx")
    return (fine_tuned.get("sha256") if isinstance(fine_tuned, dict) else None,
            onnx.get("sha256") if isinstance(onnx, dict) else None)


class ClassifierReloader:
    """Watches the heads folder and swaps ``pipeline.classifier`` when a new set appears."""

    def __init__(self, pipeline, config: Config, settings: Settings, *, check_every: float = 60.0,
                 on_swap: Callable[[object, str], None] | None = None):
        self.pipeline = pipeline
        self.config = config
        self.settings = settings
        self.check_every = check_every
        self.on_swap = on_swap
        self.heads_dir = installed_heads_dir(config, settings)
        self._signature = manifest_signature(self.heads_dir)
        self._identity = self._read_identity()
        self._lock = threading.Lock()  # one reload at a time (the watcher and a retrain's nudge)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _read_identity(self) -> tuple | None:
        import json

        try:
            return _encoder_identity(json.loads((self.heads_dir / MANIFEST).read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return None

    def check(self) -> bool:
        """Reload if the installed set changed since the last look; True when it swapped."""
        # Looked up each time: the first trained set in models/heads replaces the shipped heads.
        heads_dir = installed_heads_dir(self.config, self.settings)
        signature = manifest_signature(heads_dir)
        if signature is None or (heads_dir == self.heads_dir and signature == self._signature):
            return False  # no set (or mid-install: the folder is being renamed), or the same one
        return self.reload(signature)

    def reload(self, signature: str | None = None) -> bool:
        with self._lock:
            self.heads_dir = installed_heads_dir(self.config, self.settings)
            signature = signature or manifest_signature(self.heads_dir)
            try:
                classifier, note, identity = self._build()
            except Exception:  # any failure: keep triaging with what runs now
                log.exception("new heads in %s could not be loaded; triage keeps its current classifier",
                              self.heads_dir)
                self._signature = signature  # do not retry the same broken set every check
                return False
            self.pipeline.classifier = classifier  # one assignment: the swap
            self._signature, self._identity = signature, identity
            log.info("classifier reloaded: %s", note)
            if self.on_swap is not None:
                self.on_swap(classifier, note)
            return True

    def _build(self):
        from bot.triage.model.classifier import ModelClassifier
        from bot.triage.model.heads import load_heads
        from bot.triage.model.screen import screen_from

        current = self.pipeline.classifier
        model = self.config.triage.model
        if model.use != "rules" and isinstance(current, ModelClassifier):
            heads, manifest = load_heads(self.heads_dir)
            identity = _encoder_identity(manifest)
            if identity == self._identity and {"sentiment", "complaint"} <= set(heads):
                screen = screen_from(heads, manifest) if model.screen else None
                classifier = ModelClassifier(self.config.triage, heads, current.encoder, model.topic_map, screen)
                note = (f"classifier: {classifier.name} (heads from {self.heads_dir}, trained "
                        f"{manifest.get('trained_at')}; encoder kept)")
                return classifier, note, identity
        classifier, note = build_classifier(self.config, self.settings)
        return classifier, note, self._read_identity()

    # --- watching --------------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="classifier-reload", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.check_every):
            try:
                self.check()
            except Exception:  # never let the watcher die
                log.exception("checking the heads folder failed")

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None

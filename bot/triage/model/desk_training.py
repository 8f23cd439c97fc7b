"""A retrain on the desk's own history, behind the quality gate (`mentiondesk train --from-desk`).

1. The desk's labels (``feedback.desk_labels``); with fewer than ``min_cases`` labeled cases
   nothing is trained (``too_little``).
2. New heads are trained on the base data plus the desk's train/tune examples (never its
   held-back slice) into a folder next to the installed one, on the encoder the installed
   heads use (a fine-tuned copy and its ONNX export are carried over, not rebuilt).
3. ``gate.compare`` scores the installed and the new heads on the held-back slice: worse heads
   are refused and deleted (``refused``); otherwise, or with ``force``, they are installed
   (``installed`` / ``forced``) and the previous set is kept as ``<heads>.previous``.

Every attempt is written to ``<heads>.last-retrain.json`` (what ``mentiondesk model status``
shows); an installed set also carries its desk figures and gate result in its manifest.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from bot.core.config import Config
from bot.triage.model import datasets
from bot.triage.model.feedback import DeskLabels, desk_labels, team_topics
from bot.triage.model.gate import GateResult, compare, install
from bot.triage.model.heads import MANIFEST, HeadsUnavailable, load_heads

log = logging.getLogger(__name__)

MIN_CASES = 50


def base_data_dir(explicit: Path | None = None) -> Path | None:
    """The data the heads are retrained on besides the desk's: ``explicit`` (a labeled data
    folder, `--data`), else None: the project's own corpus (``train_all`` reads it for None)."""
    return explicit


def last_retrain_path(heads_dir: Path) -> Path:
    return heads_dir.with_name(heads_dir.name + ".last-retrain.json")


def incoming_dir(heads_dir: Path) -> Path:
    return heads_dir.with_name(f".{heads_dir.name}.incoming")


@dataclass
class RetrainOutcome:
    status: str  # installed | forced | refused | too_little
    message: str
    heads_dir: Path
    labels: DeskLabels
    gate: GateResult | None = None
    info: dict = field(default_factory=dict)
    previous: Path | None = None

    @property
    def installed(self) -> bool:
        return self.status in ("installed", "forced")

    def as_dict(self) -> dict:
        return {"status": self.status, "message": self.message, "heads_dir": str(self.heads_dir),
                "labeled_cases": self.labels.labeled_cases, "desk_examples": self.labels.counts(),
                "signals": dict(self.labels.signals), "gate": self.gate.as_dict() if self.gate else None,
                "previous": str(self.previous) if self.previous else None}


def desk_fingerprint(labels: DeskLabels) -> str:
    items = sorted(f"{task}\t{e.label}\t{e.text}" for task, ex in labels.examples.items() for e in ex)
    return hashlib.sha256("\n".join(items).encode()).hexdigest()[:16]


def installed_set(heads_dir: Path) -> tuple[dict | None, dict | None, str]:
    """The installed heads and manifest, or (None, None, why) when there are none usable."""
    try:
        heads, manifest = load_heads(heads_dir)
    except (HeadsUnavailable, OSError, ValueError) as exc:
        return None, None, str(exc)
    return heads, manifest, ""


def training_encoder(heads_dir: Path, manifest: dict | None):
    """The torch encoder the installed heads were fitted on (their fine-tuned copy, or the packaged one)."""
    from bot.triage.model.encoder import Encoder

    entry = (manifest or {}).get("encoder")
    if isinstance(entry, dict) and (heads_dir / entry["dir"]).is_dir():
        return Encoder(heads_dir / entry["dir"], expected_sha256=entry["sha256"])
    return Encoder()


def load_desk_labels(sessions: sessionmaker[Session] | Session, config: Config,
                     head_labels: set[str] | None = None) -> DeskLabels:
    topic_map, teams = config.triage.model.topic_map, team_topics(config.teams)
    if isinstance(sessions, Session):
        return desk_labels(sessions, topic_map, teams, head_labels)
    with sessions() as session:
        return desk_labels(session, topic_map, teams, head_labels)


def topic_classes(heads: dict | None) -> set[str] | None:
    """The topic head's labels in a set of heads (None: no topic head)."""
    head = (heads or {}).get("topic")
    return set(head.classes) if head is not None else None


def retrain_from_desk(sessions: sessionmaker[Session] | Session, config: Config, heads_dir: Path, *,
                      data_dir: Path | None, min_cases: int = MIN_CASES, force: bool = False, seed: int = 13,
                      limit: int | None = None, tasks=datasets.TASKS, export_onnx: bool = True,
                      tolerance: float = 0.0, encoder=None, current_dir: Path | None = None,
                      on_start: Callable[[int], None] | None = None,
                      on_progress: Callable[[int], None] | None = None) -> RetrainOutcome:
    """Retrain on ``data_dir`` plus the desk's labels and install the result into ``heads_dir``
    when the gate passes (see the module docstring). ``current_dir``: the set to compare with
    (default ``heads_dir``; e.g. the shipped heads while no trained folder exists).

    Raises ``datasets.DataError`` / ``encoder.ModelUnavailable`` when training cannot run."""
    from bot.triage.model.train import EmbeddingCache, train_all

    current_dir = current_dir or heads_dir
    old_heads, old_manifest, why_none = installed_set(current_dir)
    # Topics in the labels the heads in use know (the corpus's are the configured names).
    labels = load_desk_labels(sessions, config, topic_classes(old_heads))
    if labels.labeled_cases < min_cases:
        outcome = RetrainOutcome("too_little", f"only {labels.labeled_cases} labeled desk case(s), {min_cases} "
                                               "needed: nothing retrained (agents label cases by replying, "
                                               "dismissing, resolving and with Fix triage)", heads_dir, labels)
        _record(outcome)
        return outcome
    if old_heads is None:
        log.info("desk retrain: no installed heads to compare with (%s)", why_none)
    encoder = encoder or training_encoder(current_dir, old_manifest)
    target = incoming_dir(heads_dir)
    if target.exists():
        shutil.rmtree(target)  # a run interrupted earlier
    carried_onnx = _onnx_entry(current_dir, old_manifest)
    try:
        info = train_all(data_dir, target, encoder=encoder, tasks=tasks, seed=seed, limit=limit,
                         extra=labels.training(), on_start=on_start, on_progress=on_progress,
                         export_onnx_encoder=export_onnx and carried_onnx is None)
        _carry_encoder(current_dir, old_manifest, target, carried_onnx if export_onnx else None)
        new_heads, _ = load_heads(target)
        gate = compare(old_heads, new_heads, labels.held_back(), EmbeddingCache(encoder), tolerance=tolerance)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    desk = {"labeled_cases": labels.labeled_cases, "examples": labels.counts(), "signals": dict(labels.signals),
            "fingerprint": desk_fingerprint(labels)}
    if not gate.passed and not force:
        shutil.rmtree(target, ignore_errors=True)
        outcome = RetrainOutcome("refused", f"new heads refused: {gate.note}; the installed heads stay",
                                 heads_dir, labels, gate, info)
        _record(outcome)
        return outcome
    status = "installed" if gate.passed else "forced"
    _annotate(target, {"desk": desk, "gate": {**gate.as_dict(), "forced": not gate.passed,
                                              "compared_with": str(current_dir) if old_heads else None}})
    previous = install(target, heads_dir)
    message = (f"new heads installed in {heads_dir} ({gate.note})" if gate.passed else
               f"new heads installed in {heads_dir} although the gate refused them (--force): {gate.note}")
    outcome = RetrainOutcome(status, message, heads_dir, labels, gate, info, previous)
    _record(outcome)
    return outcome


def _onnx_entry(heads_dir: Path, manifest: dict | None) -> dict | None:
    entry = (manifest or {}).get("onnx")
    if isinstance(entry, dict) and (heads_dir / entry.get("file", "")).is_file():
        return entry
    return None


def _carry_encoder(source: Path, manifest: dict | None, target: Path, onnx: dict | None) -> None:
    """The new set runs on the same encoder as the installed one: copy its fine-tuned copy and
    its ONNX export (checked by SHA-256 at load, like everything in the manifest)."""
    updates: dict = {}
    entry = (manifest or {}).get("encoder")
    if isinstance(entry, dict) and (source / entry["dir"]).is_dir():
        shutil.copytree(source / entry["dir"], target / entry["dir"])
        updates["encoder"] = entry
    if onnx is not None:
        shutil.copy2(source / onnx["file"], target / onnx["file"])
        updates["onnx"] = onnx
    if updates:
        _annotate(target, updates)


def _annotate(directory: Path, updates: dict) -> None:
    """Add entries to a set's manifest (the heads' own SHA-256 sums are untouched)."""
    path = directory / MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest.update(updates)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    tmp.replace(path)


def _record(outcome: RetrainOutcome) -> None:
    path = last_retrain_path(outcome.heads_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                   **outcome.as_dict()}, indent=2), encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:  # the outcome itself is what matters; the record is for `model status`
        log.warning("could not record the retrain outcome in %s: %s", path, exc)

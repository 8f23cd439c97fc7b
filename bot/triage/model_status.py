"""What `mentiondesk model status` reports: which heads triage uses, trained on what, when, how well.

Everything comes from files already on disk (the heads' manifest, the encoder package, the
record of the last desk retrain) plus the classifier choice itself (``build_classifier``'s
note), so the answer is what a replica starting now would do.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from bot.core.config import Config
from bot.core.settings import Settings
from bot.triage.model.desk_training import last_retrain_path
from bot.triage.model.gate import backup_dir
from bot.triage.model.heads import MANIFEST
from bot.triage.model.location import shipped_heads_dir
from bot.triage.select import installed_heads_dir

# Example sources (``Example.source``) that are public data sets; "desk" is the team's own
# history; anything else is the project's own corpus.
PUBLIC_SOURCES = {"airline", "utkml", "banking77", "sms_spam", "tweeteval", "twcs", "kechtel"}
DESK_SOURCE = "desk"


def source_kind(source: str) -> str:
    if source == DESK_SOURCE:
        return "desk"
    return "public sets" if source.split(":")[0] in PUBLIC_SOURCES else "corpus"


def by_source_kind(sources: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """task -> {corpus, public sets, desk} -> examples, from the manifest's ``sources``."""
    out: dict[str, dict[str, int]] = {}
    for task, counts in (sources or {}).items():
        kinds = {"corpus": 0, "public sets": 0, "desk": 0}
        for source, n in counts.items():
            kinds[source_kind(source)] += n
        out[task] = kinds
    return out


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _heads_files(directory: Path, manifest: dict) -> tuple[list[str], list[str]]:
    good, bad = [], []
    for task, entry in (manifest.get("heads") or {}).items():
        path = directory / entry.get("file", "")
        (good if path.is_file() and _sha(path) == entry.get("sha256") else bad).append(task)
    return good, bad


def encoder_status(directory: Path, manifest: dict | None) -> dict:
    from bot.triage.model.encoder import OFFICIAL_SHA256, ModelUnavailable, package_model_dir, sha256_of

    manifest = manifest or {}
    entry = manifest.get("encoder")
    out: dict = {}
    if isinstance(entry, dict):
        weights = directory / entry["dir"] / "model.safetensors"
        out.update(kind=f"fine-tuned MiniLM ({entry.get('fine_tuned_epochs')} epoch(s) on "
                        f"{', '.join(entry.get('tasks') or [])})", path=str(weights.parent),
                   expected_sha256=entry["sha256"])
    else:
        try:
            weights = package_model_dir() / "model.safetensors"
        except ModelUnavailable as exc:
            return {"kind": "packaged all-MiniLM-L6-v2", "available": False, "problem": str(exc)}
        out.update(kind="packaged all-MiniLM-L6-v2", path=str(weights.parent), expected_sha256=OFFICIAL_SHA256)
    out["available"] = weights.is_file()
    out["checksum_verified"] = bool(weights.is_file() and sha256_of(weights) == out["expected_sha256"])
    onnx = manifest.get("onnx")
    if not isinstance(onnx, dict):  # the packaged encoder's export: built once per machine (onnx_cache)
        from bot.triage.model.onnx_cache import RECORD, export_dir

        folder = export_dir(out["expected_sha256"])
        onnx = _read_json(folder / RECORD) or {}
        if onnx.get("encoder_sha256") != out["expected_sha256"]:
            onnx = {}
        base, where = folder, "machine cache"
    else:
        base, where = directory, "heads folder"
    path = base / onnx["file"] if onnx.get("file") else None
    present = bool(path and path.is_file())
    out["onnx"] = {"path": str(path) if path else str(base), "where": where, "cached": present,
                   "checksum_verified": bool(present and sha256_of(path) == onnx.get("sha256")),
                   "min_cosine_to_torch": onnx.get("min_cosine_to_torch")}
    return out


def tune_summary(manifest: dict) -> dict[str, dict]:
    out = {}
    for task, metrics in (manifest.get("tune_metrics") or {}).items():
        tune = metrics.get("tune") or {}
        row = {"macro_f1": tune.get("macro_f1"), "accuracy": tune.get("accuracy"),
               "threshold": (manifest.get("thresholds") or {}).get(task)}
        if routing := metrics.get("routing"):
            row["routing"] = routing
        out[task] = row
    return out


def model_status(config: Config, settings: Settings, *, classifier_note: str | None = None) -> dict:
    """One object with everything `model status` shows (``--json`` prints it as is)."""
    directory = installed_heads_dir(config, settings)
    model = config.triage.model
    manifest = _read_json(directory / MANIFEST)
    # Before the classifier is built: building it makes the machine's ONNX export when missing.
    encoder = encoder_status(directory, manifest) if model.use != "rules" or manifest else None
    if classifier_note is None:
        from bot.triage.select import build_classifier

        _, classifier_note = build_classifier(config, settings)
    shipped = shipped_heads_dir()
    try:
        is_shipped = directory.resolve().is_relative_to(shipped)
    except OSError:
        is_shipped = False
    heads: dict = {"path": str(directory), "kind": "shipped" if is_shipped else "trained",
                   "present": manifest is not None}
    if manifest is not None:
        good, bad = _heads_files(directory, manifest)
        heads.update(
            trained_at=manifest.get("trained_at"), seed=manifest.get("seed"), limit=manifest.get("limit"),
            data_fingerprint=manifest.get("data_fingerprint"), files_verified=good, files_mismatched=bad,
            examples=manifest.get("examples") or {}, sources=by_source_kind(manifest.get("sources") or {}),
            tune=tune_summary(manifest), screen=manifest.get("screen"), desk=manifest.get("desk"),
            gate=manifest.get("gate"))
    backup = _read_json(backup_dir(directory) / MANIFEST)
    retrain = model.retrain
    if retrain.every:
        schedule = f"every {retrain.every}"
    else:
        schedule = f"weekly, {retrain.weekday or 'sun'} {retrain.at or '03:00'} UTC"
    return {
        "use": model.use,
        "classifier": classifier_note,
        "heads": heads,
        "previous": {"path": str(backup_dir(directory)), "trained_at": backup.get("trained_at")} if backup else None,
        "encoder": encoder,
        "last_retrain": _read_json(last_retrain_path(directory)),
        "retrain": {"enabled": retrain.enabled, "schedule": schedule, "min_cases": retrain.min_cases},
    }

"""Byte-for-byte comparison of two heads folders: `mentiondesk train` with no arguments must
rebuild the shipped heads exactly (same corpus, seed and library versions)."""

from __future__ import annotations

import json
from pathlib import Path

from bot.triage.model.location import MANIFEST

# Recorded for people, not part of what the heads decide: a rebuild at another moment or into
# another folder is still the same model.
VOLATILE = ("trained_at",)


def compare_heads(built: Path, reference: Path) -> list[str] | None:
    """The names of the head files (and 'manifest') that differ; None when ``reference`` has no
    heads. The manifest is compared without its volatile entries."""
    if not (reference / MANIFEST).is_file():
        return None
    ours, theirs = (json.loads((d / MANIFEST).read_text(encoding="utf-8")) for d in (built, reference))
    differing = sorted(task for task in set(ours.get("heads", {})) | set(theirs.get("heads", {}))
                       if ours.get("heads", {}).get(task) != theirs.get("heads", {}).get(task))
    for manifest in (ours, theirs):
        for key in VOLATILE:
            manifest.pop(key, None)
    if ours != theirs:
        differing.append("manifest")
    return differing
